// A span of time in UTC with two optional ends, as the audit export takes it: "from" included,
// "to" not included. Says inline when the start is after the end.
#pragma once

#include <QDateTime>
#include <QWidget>

#include <optional>

class QCheckBox;
class QDateTimeEdit;
class QLabel;

namespace waybill::app {

class TimeRangeEdit final : public QWidget
{
    Q_OBJECT
public:
    explicit TimeRangeEdit(QWidget *parent = nullptr);

    // Empty when that end is not set; whole seconds, UTC.
    std::optional<QDateTime> from() const;
    std::optional<QDateTime> to() const;
    void setFrom(const std::optional<QDateTime> &time);
    void setTo(const std::optional<QDateTime> &time);

    // False while the start is after the end; errorText() then says so.
    bool isValid() const;
    QString errorText() const;

    QCheckBox *fromCheck() const { return m_fromCheck; }
    QCheckBox *toCheck() const { return m_toCheck; }
    QDateTimeEdit *fromEdit() const { return m_fromEdit; }
    QDateTimeEdit *toEdit() const { return m_toEdit; }

Q_SIGNALS:
    void changed();

private:
    void onChanged();

    QCheckBox *m_fromCheck;
    QDateTimeEdit *m_fromEdit;
    QCheckBox *m_toCheck;
    QDateTimeEdit *m_toEdit;
    QLabel *m_error;
};

} // namespace waybill::app
