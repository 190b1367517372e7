// Times on screen: the API speaks UTC; people read their own local time.
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QString>

namespace waybill::app {

class TimeText final
{
    Q_DECLARE_TR_FUNCTIONS(TimeText)
public:
    // "2026-11-27T10:00:00.000Z" -> "11/27/26 4:00:00 AM" in the locale and time zone of the
    // user; empty for an empty or unreadable time.
    static QString display(const QString &isoUtc, const QLocale &locale = QLocale());
    static QString display(const QDateTime &time, const QLocale &locale = QLocale());
};

} // namespace waybill::app
