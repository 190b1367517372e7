#include "account.h"

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
