#include "quoteroutes.h"

#include "domain/address.h"
#include "domain/commandvalidation.h"

namespace waybill::api {

void quoteShipment(ApiContext &context, const ApiRequest &request)
{
    // The body is a submit's, checked as a submit's is, so a quote is refused exactly when the
    // submit would be (400).
    CommandBody body;
    QJsonObject data;
    ValidationErrors errors = parseCommandBody(request.body, &body);
    if (errors.isEmpty())
        errors = validateCommandBody(CommandType::Submit, body, &data);
    const RateTable &rates = context.engine.options().rates;
    if (errors.isEmpty())
        errors = validateAccessorials(data, rates);
    if (!errors.isEmpty()) {
        sendValidationErrors(request.reply, errors);
        return;
    }
    const PriceQuote price = rates.quote(
        Address::fromJson(data.value(QLatin1String("shipFrom")).toObject()).state.toUpper(),
        Address::fromJson(data.value(QLatin1String("shipTo")).toObject()).state.toUpper(),
        data.value(QLatin1String("weightInPounds")).toDouble(),
        accessorialsFromJson(data.value(QLatin1String("accessorials"))),
        QDateTime::currentDateTimeUtc());
    request.reply->sendJson(200,
        QJsonObject { { QStringLiteral("costCents"), static_cast<double>(price.totalCents) },
            { QStringLiteral("cost"), centsToDollarsJson(price.totalCents) },
            { QStringLiteral("charges"), chargesToJson(price.charges) },
            { QStringLiteral("rateTableVersion"), price.rateTableVersion } });
}

} // namespace waybill::api
