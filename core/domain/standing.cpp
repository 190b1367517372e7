#include "standing.h"

#include "weight.h"

namespace waybill {

Cents exposureOf(const AccountState &state, Cents committedCents)
{
    const Cents uninvoiced = committedCents - state.invoicedCents;
    return state.owedCents() + (uninvoiced > 0 ? uninvoiced : 0);
}

AccountStanding AccountStanding::of(
    const QString &accountId, const AccountState &state, Cents committedCents)
{
    AccountStanding s;
    s.accountId = accountId;
    s.registered = state.registered;
    s.onHold = state.onHold;
    s.holdReason = state.holdReason;
    s.creditLimitCents = state.creditLimitCents;
    s.exposureCents = exposureOf(state, committedCents);
    return s;
}

TruckStanding TruckStanding::of(
    const QString &truckId, const TruckState &state, qint64 loadHundredths)
{
    TruckStanding s;
    s.truckId = truckId;
    s.registered = state.registered;
    s.inService = state.inService;
    s.outOfServiceReason = state.outOfServiceReason;
    s.capacityPounds = state.capacityPounds;
    s.loadHundredths = loadHundredths;
    return s;
}

ShipmentCommitment commitmentOf(const ShipmentState &s)
{
    ShipmentCommitment c;
    if (!s.exists())
        return c;
    c.accountId = s.billToAccountId;
    if (s.status != ShipmentStatus::Cancelled)
        c.committedCents = s.costCents;
    if (s.status == ShipmentStatus::Assigned || s.status == ShipmentStatus::Shipped) {
        c.truckId = s.assignedToTruck;
        c.loadHundredths = toHundredthsOfPound(s.weightInPounds);
    }
    return c;
}

CrossStreamNeeds shipmentCommandNeeds(const ShipmentState &state, const Command &command)
{
    CrossStreamNeeds needs;
    const QJsonObject &d = command.data;
    switch (command.type) {
    case CommandType::Submit:
        needs.accountId = d.value(QStringLiteral("billToAccountId")).toString();
        break;
    case CommandType::Assign:
        needs.truckId = d.value(QStringLiteral("truckId")).toString();
        break;
    case CommandType::Amend:
        needs.accountId = d.contains(QStringLiteral("billToAccountId"))
            ? d.value(QStringLiteral("billToAccountId")).toString()
            : state.billToAccountId;
        if (state.status == ShipmentStatus::Assigned)
            needs.truckId = state.assignedToTruck;
        break;
    default:
        break;
    }
    return needs;
}

CrossStreamNeeds accountCommandNeeds(const Command &command)
{
    CrossStreamNeeds needs;
    if (command.type == CommandType::ReversePayment)
        needs.paymentCommandId = command.data.value(QStringLiteral("paymentCommandId")).toString();
    needs.invoiceNumber = command.type == CommandType::Invoice;
    return needs;
}

} // namespace waybill
