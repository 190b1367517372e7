#include "accountreducer.h"

#include "ids.h"

namespace waybill {

Decision decideAccount(const AccountState &, const Command &command)
{
    const QJsonObject &d = command.data;
    switch (command.type) {
    case CommandType::Payment: {
        const auto cents = static_cast<Cents>(d.value(QStringLiteral("amountCents")).toDouble());
        if (cents <= 0)
            return Decision::reject(QStringLiteral("A payment must be a positive amount."));
        return Decision::accept({ NewEvent { EventType::PaymentReceived,
            { { QStringLiteral("amount"), centsToDollarsJson(cents) },
                { QStringLiteral("amountCents"), static_cast<double>(cents) } } } });
    }
    case CommandType::Invoice: {
        const auto cents = static_cast<Cents>(d.value(QStringLiteral("amountCents")).toDouble());
        const QString shipment = d.value(QStringLiteral("shipmentId")).toString();
        if (shipment.isEmpty())
            return Decision::reject(QStringLiteral("An invoice must name its shipment."));
        if (cents < 0)
            return Decision::reject(QStringLiteral("An invoice cannot be negative."));
        return Decision::accept({ NewEvent { EventType::Invoiced,
            { { QStringLiteral("shipmentId"), shipment },
                { QStringLiteral("amount"), centsToDollarsJson(cents) },
                { QStringLiteral("amountCents"), static_cast<double>(cents) } } } });
    }
    default:
        break;
    }
    return Decision::reject(QStringLiteral("A %1 command does not apply to an account.")
                                .arg(commandTypeName(command.type)));
}

AccountState applyAccount(AccountState a, const RecordedEvent &e)
{
    const auto cents = static_cast<Cents>(e.data.value(QStringLiteral("amountCents")).toDouble());
    if (a.version == 0) {
        a.id = entityIdOfStream(e.streamId);
        a.createdTimestamp = e.timestamp;
    }
    a.version = e.version;
    a.lastEventTimestamp = e.timestamp;
    if (e.type == EventType::PaymentReceived) {
        a.balanceCents += cents;
        a.paidCents += cents;
        ++a.paymentCount;
    } else if (e.type == EventType::Invoiced) {
        a.balanceCents -= cents;
        a.invoicedCents += cents;
        ++a.invoiceCount;
    }
    return a;
}

} // namespace waybill
