#include "quoteservice.h"

#include "apiclient.h"
#include "domain/address.h"
#include "presentation/moneytext.h"

#include <QJsonArray>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

namespace waybill::app {

namespace {

QJsonObject standInAddress(const QString &state)
{
    return { { QStringLiteral("name"), QStringLiteral("quote") },
        { QStringLiteral("line1"), QStringLiteral("quote") },
        { QStringLiteral("city"), QStringLiteral("quote") }, { QStringLiteral("state"), state },
        { QStringLiteral("zip"), QStringLiteral("00000") } };
}

bool isState(const QString &s)
{
    static const QRegularExpression twoLetters(QStringLiteral("^[A-Za-z]{2}$"));
    return twoLetters.match(s).hasMatch();
}

// The standard table's linehaul for the body; accessorials it cannot know are left out.
Quote estimate(const QJsonObject &body)
{
    const RateTable standard;
    const auto state = [&body](const char *key) {
        return laneState(Address::fromJson(body.value(QLatin1String(key)).toObject()).state);
    };
    const PriceQuote price = standard.quote(state("shipFrom"), state("shipTo"),
        body.value(QLatin1String("weightInPounds")).toDouble(), {},
        QDateTime::currentDateTimeUtc());
    Quote q;
    q.cents = price.totalCents;
    q.charges = price.charges;
    q.rateTableVersion = price.rateTableVersion;
    return q;
}

} // namespace

QString QuoteText::chargeName(const QString &code)
{
    if (code == QLatin1String("linehaul"))
        return tr("Linehaul");
    if (code == QLatin1String("fuel"))
        return tr("Fuel surcharge");
    return code;
}

QString Quote::breakdownText() const
{
    QStringList parts;
    for (const Charge &c : charges)
        parts << QStringLiteral("%1 %2").arg(
            QuoteText::chargeName(c.code), MoneyText::display(c.amountCents));
    return parts.join(QStringLiteral(" · "));
}

QuoteService::QuoteService(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{ }

std::optional<QJsonObject> QuoteService::pricingBody(const QString &fromState,
    const QString &toState, double weightInPounds, const QStringList &accessorials)
{
    if (!isState(fromState.trimmed()) || !isState(toState.trimmed()))
        return std::nullopt;
    QJsonObject body { { QStringLiteral("shipFrom"), standInAddress(fromState.trimmed()) },
        { QStringLiteral("shipTo"), standInAddress(toState.trimmed()) },
        { QStringLiteral("weightInPounds"), weightInPounds },
        { QStringLiteral("billToAccountId"), QStringLiteral("quote") } };
    if (!accessorials.isEmpty())
        body.insert(QStringLiteral("accessorials"), QJsonArray::fromStringList(accessorials));
    return body;
}

QStringList QuoteService::parseAccessorials(const QString &text)
{
    QStringList codes;
    for (const QString &part : text.split(QRegularExpression(QStringLiteral("[,;\\s]+")))) {
        if (!part.isEmpty())
            codes.append(part);
    }
    return codes;
}

void QuoteService::quote(
    const QJsonObject &body, QObject *context, std::function<void(const Quote &)> done)
{
    QPointer<QObject> guard(context);
    if (m_source == Source::RateTable) {
        QTimer::singleShot(0, this, [guard, done, body] {
            if (guard)
                done(estimate(body));
        });
        return;
    }
    m_api->post(QStringLiteral("/quotes"), body, {}, this,
        [this, guard, done, body](const ApiResult &answer) {
            Quote quote;
            if (answer.ok()) {
                m_source = Source::Server;
                const QJsonObject o = answer.object();
                quote.cents = static_cast<Cents>(o.value(QLatin1String("costCents")).toDouble());
                quote.charges = chargesFromJson(o.value(QLatin1String("charges")));
                quote.rateTableVersion = o.value(QLatin1String("rateTableVersion")).toString();
                quote.fromServer = true;
            } else if (answer.httpStatus == 400) {
                const QVector<FieldError> errors = answer.fieldErrors();
                quote.problem = errors.isEmpty() ? answer.serverMessage() : errors.first().message;
                quote.fromServer = true;
            } else {
                if (answer.httpStatus == 404 || answer.httpStatus == 405)
                    m_source = Source::RateTable; // a server from before quotes
                quote = estimate(body);
            }
            if (guard)
                done(quote);
        });
}

} // namespace waybill::app
