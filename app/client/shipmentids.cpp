#include "shipmentids.h"

#include "apiclient.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

#include <algorithm>

namespace waybill::app {

namespace {
constexpr int kDigits = 3;
// The most ids of a day read to find the highest: GET /shipments gives 1,000 at most at once.
constexpr int kDayRead = 1000;
// Ids found taken one after another before the last one tried is proposed anyway: the server
// then says so when the shipment is submitted.
constexpr int kTriesAtMost = 20;

// The last number this app proposed for each day, so that two forms opened one after the other
// do not propose the same id before the first is submitted.
QHash<QString, int> &lastProposed()
{
    static QHash<QString, int> numbers;
    return numbers;
}

void proposeFree(ApiClient *api, const QString &prefix, int number, int triesLeft, QObject *context,
    std::function<void(const QString &)> done)
{
    const QString id = ShipmentIds::idOf(prefix, number);
    ShipmentIds::isTaken(api, id, context,
        [api, prefix, number, triesLeft, context, done](std::optional<bool> taken) {
            if (taken.value_or(false) && triesLeft > 1) {
                proposeFree(api, prefix, number + 1, triesLeft - 1, context, done);
                return;
            }
            int &last = lastProposed()[prefix];
            last = std::max(last, number);
            done(ShipmentIds::idOf(prefix, number));
        });
}
} // namespace

QString ShipmentIds::dayPrefix(const QDateTime &at)
{
    return QStringLiteral("S-") + at.toUTC().toString(QStringLiteral("yyMMdd")) + QLatin1Char('-');
}

int ShipmentIds::numberOf(const QString &id, const QString &prefix)
{
    if (!id.startsWith(prefix) || id.size() == prefix.size() || id.size() > prefix.size() + 9)
        return -1;
    int number = 0;
    for (qsizetype i = prefix.size(); i < id.size(); ++i) {
        const QChar c = id.at(i);
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return -1;
        number = number * 10 + (c.unicode() - u'0');
    }
    return number;
}

QString ShipmentIds::idOf(const QString &prefix, int number)
{
    return prefix + QStringLiteral("%1").arg(number, kDigits, 10, QLatin1Char('0'));
}

void ShipmentIds::proposeNext(
    ApiClient *api, QObject *context, std::function<void(const QString &)> done)
{
    const QString prefix = dayPrefix(QDateTime::currentDateTimeUtc());
    // The day's ids, highest first (the search also matches addresses: those are not of the
    // pattern and are passed over).
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("search"), prefix);
    query.addQueryItem(QStringLiteral("sort"), QStringLiteral("id"));
    query.addQueryItem(QStringLiteral("order"), QStringLiteral("desc"));
    query.addQueryItem(QStringLiteral("limit"), QString::number(kDayRead));
    api->get(QStringLiteral("/shipments"), query, context,
        [api, prefix, context, done](const ApiResult &answer) {
            int highest = lastProposed().value(prefix, 0);
            for (const QJsonValue &shipment : answer.array())
                highest = std::max(highest,
                    numberOf(shipment.toObject().value(QLatin1String("id")).toString(), prefix));
            proposeFree(api, prefix, highest + 1, kTriesAtMost, context, done);
        });
}

void ShipmentIds::isTaken(ApiClient *api, const QString &id, QObject *context,
    std::function<void(std::optional<bool>)> done)
{
    api->get(ApiClient::pathOf({ QStringLiteral("shipments"), id }), {}, context,
        [done](const ApiResult &answer) {
            if (answer.ok())
                done(true);
            else if (answer.httpStatus == 404)
                done(false);
            else
                done(std::nullopt);
        });
}

} // namespace waybill::app
