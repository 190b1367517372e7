// Times on screen: the API speaks UTC; people read their own local time.
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QString>

#include "domain/shipment.h"

#include <optional>

class QFontMetrics;

namespace waybill::app {

class TimeText final
{
    Q_DECLARE_TR_FUNCTIONS(TimeText)
public:
    // "2026-11-27T10:00:00.000Z" -> "11/27/26 4:00:00 AM" in the locale and time zone of the
    // user; empty for an empty or unreadable time.
    static QString display(const QString &isoUtc, const QLocale &locale = QLocale());
    static QString display(const QDateTime &time, const QLocale &locale = QLocale());
    // The width a table column needs to show any time on one line in this font: the longest
    // this locale writes (two-digit day, month and hour), whatever the user's language makes of
    // it, with the cell's margins.
    static int columnWidth(const QFontMetrics &metrics, const QLocale &locale = QLocale());
    // A time window in the computer's time zone, short enough for a table column: the day once
    // when it starts and ends on the same day ("Wed 12/2 11:00 AM–2:00 PM"), both days when
    // not; the year only when it is not this year (of `today`). Empty without a window.
    static QString window(const std::optional<TimeWindow> &window,
        const QLocale &locale = QLocale(), const QDate &today = QDate::currentDate());
};

} // namespace waybill::app
