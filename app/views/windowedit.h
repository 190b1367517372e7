// One pickup or delivery window, edited in the clerk's own time zone and sent in UTC: a check box
// that says whether there is a window at all, and its start and end (both included).
#pragma once

#include "domain/timewindow.h"

#include <QTimeZone>
#include <QWidget>

#include <optional>

class QCheckBox;
class QDateTimeEdit;
class QLabel;

namespace waybill::app {

class WindowEdit final : public QWidget
{
    Q_OBJECT
public:
    // label: what the check box says, e.g. "&Pickup window".
    WindowEdit(const QString &label, const QString &objectName, QWidget *parent = nullptr);

    // The zone the times are shown and typed in: the computer's unless set (tests set one).
    void setTimeZone(const QTimeZone &zone);
    QTimeZone timeZone() const { return m_zone; }

    // Empty when the box is not checked. Whole minutes, UTC.
    std::optional<TimeWindow> window() const;
    void setWindow(const std::optional<TimeWindow> &window);

    // The windows a new shipment starts with, seen from `now` in `zone`: picked up tomorrow from
    // 08:00 to 12:00, delivered by the end of the day after.
    static TimeWindow defaultPickup(const QDateTime &now, const QTimeZone &zone);
    static TimeWindow defaultDelivery(const QDateTime &now, const QTimeZone &zone);

    // A problem to show under the window (the server's or the dialog's); "" hides it.
    void setProblem(const QString &problem);
    QString problem() const;

    QCheckBox *check() const { return m_check; }
    QDateTimeEdit *fromEdit() const { return m_from; }
    QDateTimeEdit *toEdit() const { return m_to; }

Q_SIGNALS:
    void changed();

private:
    void onChanged();

    QTimeZone m_zone;
    QCheckBox *m_check;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QLabel *m_problem;
};

} // namespace waybill::app
