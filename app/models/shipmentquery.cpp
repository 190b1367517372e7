#include "shipmentquery.h"

#include <QDateTime>
#include <QTimeZone>

namespace waybill::app {

QUrlQuery ShipmentQuery::toUrlQuery(int limit, int offset) const
{
    QUrlQuery query;
    auto add = [&query](const char *key, const QString &value) {
        if (!value.isEmpty())
            query.addQueryItem(
                QLatin1String(key), QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    add("status", status);
    add("truckId", truckId);
    add("accountId", accountId);
    add("search", search.trimmed());
    if (timing == QLatin1String("late"))
        add("late", QStringLiteral("true"));
    if (timing == QLatin1String("today")) {
        const QTimeZone zone = QTimeZone::systemTimeZone();
        const QDate today = QDateTime::currentDateTimeUtc().toTimeZone(zone).date();
        add("windowFrom", QDateTime(today, QTime(0, 0), zone).toUTC().toString(Qt::ISODateWithMs));
        add("windowTo",
            QDateTime(today.addDays(1), QTime(0, 0), zone).toUTC().toString(Qt::ISODateWithMs));
    }
    add("sort", sortKey);
    if (!sortKey.isEmpty())
        add("order", descending ? QStringLiteral("desc") : QStringLiteral("asc"));
    query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    return query;
}

bool ShipmentQuery::operator==(const ShipmentQuery &other) const
{
    return status == other.status && truckId == other.truckId && accountId == other.accountId
        && search.trimmed() == other.search.trimmed() && timing == other.timing
        && sortKey == other.sortKey && descending == other.descending;
}

} // namespace waybill::app
