#include "timeformat.h"

#include <QTimeZone>

namespace waybill {

QString toIsoUtc(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
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
