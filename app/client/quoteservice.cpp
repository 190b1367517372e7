#include "quoteservice.h"

#include "apiclient.h"
#include "domain/pricing.h"

#include <QPointer>
#include <QTimer>

namespace waybill::app {

QuoteService::QuoteService(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{ }

void QuoteService::quote(double weight, QObject *context, std::function<void(const Quote &)> done)
{
    const Quote estimate { RateTable {}.quote(weight), false };
    QPointer<QObject> guard(context);
    if (m_source == Source::RateTable) {
        QTimer::singleShot(0, this, [guard, done, estimate] {
            if (guard)
                done(estimate);
        });
        return;
    }
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("weightInPounds"), QString::number(weight, 'g', 12));
    m_api->get(QStringLiteral("/quote"), query, this,
        [this, guard, done, estimate](const ApiResult &answer) {
            Quote quote = estimate;
            if (answer.ok()) {
                m_source = Source::Server;
                quote = { static_cast<Cents>(
                              answer.object().value(QLatin1String("costCents")).toDouble()),
                    true };
            } else if (answer.httpStatus == 404 || answer.httpStatus == 405) {
                m_source = Source::RateTable; // this server has no quote route
            }
            if (guard)
                done(quote);
        });
}

} // namespace waybill::app
