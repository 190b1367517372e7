#include "quoteroutes.h"

#include "domain/commandvalidation.h"
#include "domain/shipmentreducer.h"

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
    const PriceQuote price = priceOfSubmit(rates, data, QDateTime::currentDateTimeUtc());
    request.reply->sendJson(200,
        QJsonObject { { QStringLiteral("costCents"), static_cast<double>(price.totalCents) },
            { QStringLiteral("cost"), centsToDollarsJson(price.totalCents) },
            { QStringLiteral("charges"), chargesToJson(price.charges) },
            { QStringLiteral("rateTableVersion"), price.rateTableVersion } });
}

} // namespace waybill::api
