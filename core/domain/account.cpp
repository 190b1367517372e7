#include "account.h"

#include "jsontext.h"
#include "timeformat.h"

#include <QJsonArray>

namespace waybill {

QJsonObject AccountState::toJson() const
{
    QJsonObject json {
        { QStringLiteral("id"), id },
        { QStringLiteral("balance"), centsToDollarsJson(balanceCents) },
        { QStringLiteral("balanceCents"), static_cast<double>(balanceCents) },
        { QStringLiteral("invoicedCents"), static_cast<double>(invoicedCents) },
        { QStringLiteral("paidCents"), static_cast<double>(paidCents) },
        { QStringLiteral("reversedCents"), static_cast<double>(reversedCents) },
        { QStringLiteral("creditedCents"), static_cast<double>(creditedCents) },
        { QStringLiteral("invoiceCount"), invoiceCount },
        { QStringLiteral("paymentCount"), paymentCount },
        { QStringLiteral("createdTimestamp"), toIsoUtc(createdTimestamp) },
        { QStringLiteral("lastEventTimestamp"), toIsoUtc(lastEventTimestamp) },
        { QStringLiteral("version"), version },
        { QStringLiteral("registered"), registered },
        { QStringLiteral("paymentTermsDays"), paymentTermsDays },
        { QStringLiteral("onHold"), onHold },
        { QStringLiteral("reversedPaymentCommandIds"),
            QJsonArray::fromStringList(reversedPayments) },
    };
    if (registered) {
        json.insert(QStringLiteral("name"), name);
        json.insert(QStringLiteral("billingAddress"), billingAddress.toJson());
    }
    if (creditLimitCents) {
        json.insert(QStringLiteral("creditLimit"), centsToDollarsJson(*creditLimitCents));
        json.insert(QStringLiteral("creditLimitCents"), static_cast<double>(*creditLimitCents));
    }
    if (onHold)
        json.insert(QStringLiteral("holdReason"), holdReason);
    return json;
}

QJsonObject AccountState::toJson(Cents exposureCents) const
{
    QJsonObject json = toJson();
    json.insert(QStringLiteral("exposure"), centsToDollarsJson(exposureCents));
    json.insert(QStringLiteral("exposureCents"), static_cast<double>(exposureCents));
    return json;
}

QString AccountState::toJsonText() const
{
    // Keys in ascending order, as QJsonObject keeps them.
    JsonText out;
    out.beginObject();
    out.key("balance").value(centsToDollarsJson(balanceCents).toDouble());
    out.key("balanceCents").value(static_cast<double>(balanceCents));
    if (registered) {
        out.key("billingAddress");
        billingAddress.writeJson(out);
    }
    out.key("createdTimestamp").value(toIsoUtc(createdTimestamp));
    if (creditLimitCents) {
        out.key("creditLimit").value(centsToDollarsJson(*creditLimitCents).toDouble());
        out.key("creditLimitCents").value(static_cast<double>(*creditLimitCents));
    }
    out.key("creditedCents").value(static_cast<double>(creditedCents));
    if (onHold)
        out.key("holdReason").value(holdReason);
    out.key("id").value(id);
    out.key("invoiceCount").value(invoiceCount);
    out.key("invoicedCents").value(static_cast<double>(invoicedCents));
    out.key("lastEventTimestamp").value(toIsoUtc(lastEventTimestamp));
    if (registered)
        out.key("name").value(name);
    out.key("onHold").value(onHold);
    out.key("paidCents").value(static_cast<double>(paidCents));
    out.key("paymentCount").value(paymentCount);
    out.key("paymentTermsDays").value(paymentTermsDays);
    out.key("registered").value(registered);
    out.key("reversedCents").value(static_cast<double>(reversedCents));
    out.key("reversedPaymentCommandIds").beginArray();
    for (const QString &commandId : reversedPayments)
        out.item().value(commandId);
    out.endArray();
    out.key("version").value(version);
    out.endObject();
    return out.toString();
}

AccountState AccountState::fromJson(const QJsonObject &json)
{
    const auto cents = [&json](const char *key) {
        return static_cast<Cents>(json.value(QLatin1String(key)).toDouble());
    };
    AccountState a;
    a.id = json.value(QStringLiteral("id")).toString();
    a.balanceCents = cents("balanceCents");
    a.invoicedCents = cents("invoicedCents");
    a.paidCents = cents("paidCents");
    a.reversedCents = cents("reversedCents");
    a.creditedCents = cents("creditedCents");
    a.invoiceCount = json.value(QStringLiteral("invoiceCount")).toInt();
    a.paymentCount = json.value(QStringLiteral("paymentCount")).toInt();
    a.createdTimestamp = parseIsoUtc(json.value(QStringLiteral("createdTimestamp")).toString())
                             .value_or(QDateTime());
    a.lastEventTimestamp = parseIsoUtc(json.value(QStringLiteral("lastEventTimestamp")).toString())
                               .value_or(QDateTime());
    a.version = json.value(QStringLiteral("version")).toInt();
    a.registered = json.value(QStringLiteral("registered")).toBool();
    a.name = json.value(QStringLiteral("name")).toString();
    a.billingAddress = Address::fromJson(json.value(QStringLiteral("billingAddress")).toObject());
    a.paymentTermsDays
        = json.value(QStringLiteral("paymentTermsDays")).toInt(kDefaultPaymentTermsDays);
    if (json.contains(QStringLiteral("creditLimitCents")))
        a.creditLimitCents = cents("creditLimitCents");
    a.onHold = json.value(QStringLiteral("onHold")).toBool();
    a.holdReason = json.value(QStringLiteral("holdReason")).toString();
    for (const QJsonValue &v : json.value(QStringLiteral("reversedPaymentCommandIds")).toArray())
        a.reversedPayments.append(v.toString());
    return a;
}

} // namespace waybill
