#include "account.h"

#include "jsontext.h"
#include "timeformat.h"

namespace waybill {

QJsonObject AccountState::toJson() const
{
    return QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("balance"), centsToDollarsJson(balanceCents) },
        { QStringLiteral("balanceCents"), static_cast<double>(balanceCents) },
        { QStringLiteral("invoicedCents"), static_cast<double>(invoicedCents) },
        { QStringLiteral("paidCents"), static_cast<double>(paidCents) },
        { QStringLiteral("invoiceCount"), invoiceCount },
        { QStringLiteral("paymentCount"), paymentCount },
        { QStringLiteral("createdTimestamp"), toIsoUtc(createdTimestamp) },
        { QStringLiteral("lastEventTimestamp"), toIsoUtc(lastEventTimestamp) },
        { QStringLiteral("version"), version },
    };
}

QString AccountState::toJsonText() const
{
    // Keys in ascending order, as QJsonObject keeps them.
    JsonText out;
    out.beginObject();
    out.key("balance").value(centsToDollarsJson(balanceCents).toDouble());
    out.key("balanceCents").value(static_cast<double>(balanceCents));
    out.key("createdTimestamp").value(toIsoUtc(createdTimestamp));
    out.key("id").value(id);
    out.key("invoiceCount").value(invoiceCount);
    out.key("invoicedCents").value(static_cast<double>(invoicedCents));
    out.key("lastEventTimestamp").value(toIsoUtc(lastEventTimestamp));
    out.key("paidCents").value(static_cast<double>(paidCents));
    out.key("paymentCount").value(paymentCount);
    out.key("version").value(version);
    out.endObject();
    return out.toString();
}

AccountState AccountState::fromJson(const QJsonObject &json)
{
    AccountState a;
    a.id = json.value(QStringLiteral("id")).toString();
    a.balanceCents = static_cast<Cents>(json.value(QStringLiteral("balanceCents")).toDouble());
    a.invoicedCents = static_cast<Cents>(json.value(QStringLiteral("invoicedCents")).toDouble());
    a.paidCents = static_cast<Cents>(json.value(QStringLiteral("paidCents")).toDouble());
    a.invoiceCount = json.value(QStringLiteral("invoiceCount")).toInt();
    a.paymentCount = json.value(QStringLiteral("paymentCount")).toInt();
    a.createdTimestamp = parseIsoUtc(json.value(QStringLiteral("createdTimestamp")).toString())
                             .value_or(QDateTime());
    a.lastEventTimestamp = parseIsoUtc(json.value(QStringLiteral("lastEventTimestamp")).toString())
                               .value_or(QDateTime());
    a.version = json.value(QStringLiteral("version")).toInt();
    return a;
}

} // namespace waybill
