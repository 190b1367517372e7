// Rules that cross streams (a credit limit, a truck's capacity) are decided by a stream's pure
// reducer with the other stream's state as an argument: what the engine reads, under the writer
// lock, of the account a shipment bills or of the truck it is put on.
#pragma once

#include "account.h"
#include "command.h"
#include "money.h"
#include "shipment.h"
#include "truck.h"

#include <QString>

#include <optional>

namespace waybill {

// An account as a submit or an amend that bills it sees it.
struct AccountStanding
{
    QString accountId;
    bool registered = false;
    bool onHold = false;
    QString holdReason;
    std::optional<Cents> creditLimitCents;
    // What it owes (if positive) plus the cost of its shipments not yet invoiced nor cancelled.
    Cents exposureCents = 0;

    // committedCents: the cost of every shipment billed to it and not cancelled (see
    // ShipmentCommitment), invoiced or not.
    static AccountStanding of(
        const QString &accountId, const AccountState &state, Cents committedCents);
};

// Exposure = owed + (committed - invoiced): each invoice bills one delivered shipment at its
// final cost, so the difference is what is billed to the account and not invoiced yet.
Cents exposureOf(const AccountState &state, Cents committedCents);

// A truck as an assign (or an amend of a load on it) sees it.
struct TruckStanding
{
    QString truckId;
    bool registered = false;
    bool inService = true;
    QString outOfServiceReason;
    std::optional<int> capacityPounds;
    qint64 loadHundredths = 0; // the weights of its Assigned and Shipped shipments

    static TruckStanding of(const QString &truckId, const TruckState &state, qint64 loadHundredths);
};

// What a shipment command is told of other streams; absent parts are unknown to the engine
// (neither opened nor named by anything), which is how a standing of nothing reads.
struct ShipmentContext
{
    std::optional<AccountStanding> account; // the account a submit or amend bills
    std::optional<TruckStanding> truck; // the truck an assign names, or carrying an amended load
};

// What one shipment holds of other streams: its cost is committed to its bill-to account unless
// it is cancelled; its weight loads its truck while Assigned or Shipped.
struct ShipmentCommitment
{
    QString accountId;
    Cents committedCents = 0;
    QString truckId;
    qint64 loadHundredths = 0;

    bool operator==(const ShipmentCommitment &o) const
    {
        return accountId == o.accountId && committedCents == o.committedCents
            && truckId == o.truckId && loadHundredths == o.loadHundredths;
    }
};
ShipmentCommitment commitmentOf(const ShipmentState &state);

// Which other streams a command needs to see to be decided (empty ids: none).
struct CrossStreamNeeds
{
    QString accountId; // for the account's standing
    QString truckId; // for the truck's standing
    QString paymentCommandId; // a reverse-payment: the payment it names, as recorded
    bool invoiceNumber = false; // an invoice: the last invoice number given in the whole log
};
CrossStreamNeeds shipmentCommandNeeds(const ShipmentState &state, const Command &command);
CrossStreamNeeds accountCommandNeeds(const Command &command);

} // namespace waybill
