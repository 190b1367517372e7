#include "timeformat.h"

#include <QTimeZone>

#include <cstdio>

namespace waybill {

QString toIsoUtc(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    // Formatted by hand: QDateTime::toString with a pattern is slow, and this is on the hot path
    // of every event and command.
    const QDateTime utc = time.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
        d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), t.msec());
    return QString::fromLatin1(buffer, n);
}

std::optional<QDateTime> parseIsoUtc(const QString &text)
{
    if (text.size() < 10 || !text.at(0).isDigit())
        return std::nullopt;
    QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    // A time without a zone is taken as UTC: Waybill speaks UTC only.
    if (parsed.timeSpec() == Qt::LocalTime)
        parsed.setTimeZone(QTimeZone::utc());
    return parsed.toUTC();
}

} // namespace waybill
