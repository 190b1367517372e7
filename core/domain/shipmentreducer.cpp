#include "shipmentreducer.h"

#include "ids.h"
#include "weight.h"

#include <utility>

namespace waybill {

namespace {

QString statusPhrase(const ShipmentState &s)
{
    return shipmentStatusName(s.status);
}

QString dollars(Cents cents)
{
    return QStringLiteral("$") + formatCents(cents);
}

// Whether the account named may take `addedCents` more of exposure; a rejection if not.
// newlyBilled: the shipment is billed to it from now on (so its registration matters).
Decision checkAccount(const QString &shipmentId, const QString &accountId,
    const std::optional<AccountStanding> &standing, Cents addedCents, bool newlyBilled,
    const Rules &rules)
{
    const AccountStanding s = standing.value_or(AccountStanding {});
    if (newlyBilled && rules.requireRegisteredAccounts && !s.registered)
        return Decision::reject(Refusal::AccountNotRegisteredForShipment, { accountId });
    if (s.onHold)
        return Decision::reject(Refusal::AccountOnHold, { accountId, s.holdReason });
    if (s.creditLimitCents && addedCents > 0 && s.exposureCents + addedCents > *s.creditLimitCents)
        return Decision::reject(Refusal::CreditLimitExceeded,
            { shipmentId, accountId, dollars(s.exposureCents + addedCents),
                dollars(*s.creditLimitCents) });
    return {};
}

Decision checkTruckCapacity(const QString &shipmentId, const QString &truckId,
    const std::optional<TruckStanding> &standing, qint64 addedHundredths)
{
    const TruckStanding s = standing.value_or(TruckStanding {});
    if (!s.capacityPounds || addedHundredths <= 0)
        return {};
    const qint64 load = s.loadHundredths + addedHundredths;
    if (load > qint64(*s.capacityPounds) * 100)
        return Decision::reject(Refusal::CapacityExceeded,
            { shipmentId, truckId, formatPounds(load),
                formatPounds(qint64(*s.capacityPounds) * 100) });
    return {};
}

// The delivery window may not end before the pickup window starts.
bool windowsAgree(
    const std::optional<TimeWindow> &pickup, const std::optional<TimeWindow> &delivery)
{
    return !pickup || !delivery || delivery->to >= pickup->from;
}

std::optional<TimeWindow> windowIn(const QJsonObject &data, const QString &key)
{
    return TimeWindow::fromJson(data.value(key).toObject());
}

// The pickup and delivery windows a shipment has once a command's windows apply; each one that
// changes goes into the event's data.
std::pair<std::optional<TimeWindow>, std::optional<TimeWindow>> windowsAfter(
    const ShipmentState &state, const QJsonObject &command, QJsonObject *data)
{
    std::optional<TimeWindow> pickup = state.pickupWindow;
    std::optional<TimeWindow> delivery = state.deliveryWindow;
    if (const auto w = windowIn(command, QStringLiteral("pickupWindow"));
        w && w != state.pickupWindow) {
        pickup = w;
        data->insert(QStringLiteral("pickupWindow"), w->toJson());
    }
    if (const auto w = windowIn(command, QStringLiteral("deliveryWindow"));
        w && w != state.deliveryWindow) {
        delivery = w;
        data->insert(QStringLiteral("deliveryWindow"), w->toJson());
    }
    return { pickup, delivery };
}

Decision decideSubmit(const ShipmentState &state, const Command &command, const Rules &rules,
    const ShipmentContext &context)
{
    const QString id = entityIdOfStream(command.streamId);
    if (state.exists())
        return Decision::reject(Refusal::ShipmentExists, { state.id, statusPhrase(state) });
    const QJsonObject &d = command.data;
    const double weight = d.value(QStringLiteral("weightInPounds")).toDouble();
    const QStringList accessorials = accessorialsFromJson(d.value(QStringLiteral("accessorials")));
    const PriceQuote price = priceOfSubmit(rules.rates, d, command.acceptedAt);
    if (!price.ok())
        return Decision::reject(price.error);
    const Cents cost = price.totalCents;
    const QString account = d.value(QStringLiteral("billToAccountId")).toString();
    if (auto refused = checkAccount(id, account, context.account, cost, true, rules);
        refused.isRejected())
        return refused;
    QJsonObject data {
        { QStringLiteral("shipFrom"), d.value(QStringLiteral("shipFrom")) },
        { QStringLiteral("shipTo"), d.value(QStringLiteral("shipTo")) },
        { QStringLiteral("weightInPounds"), weight },
        { QStringLiteral("billToAccountId"), account },
        { QStringLiteral("cost"), centsToDollarsJson(cost) },
        { QStringLiteral("costCents"), static_cast<double>(cost) },
        { QStringLiteral("charges"), chargesToJson(price.charges) },
        { QStringLiteral("rateTableVersion"), price.rateTableVersion },
    };
    if (!accessorials.isEmpty())
        data.insert(QStringLiteral("accessorials"), QJsonArray::fromStringList(accessorials));
    // Recorded in UTC with milliseconds, whatever offset the client wrote them with.
    for (const QString &key :
        { QStringLiteral("pickupWindow"), QStringLiteral("deliveryWindow") }) {
        if (const auto w = windowIn(d, key))
            data.insert(key, w->toJson());
    }
    return Decision::accept({ NewEvent { EventType::Submitted, data } });
}

Decision requireExisting(const ShipmentState &state, const Command &command)
{
    if (!state.exists())
        return Decision::reject(Refusal::ShipmentMissing, { entityIdOfStream(command.streamId) });
    return {};
}

Decision decideAssign(const ShipmentState &state, const Command &command, const Rules &rules,
    const ShipmentContext &context)
{
    if (auto missing = requireExisting(state, command); missing.isRejected())
        return missing;
    const QString truck = command.data.value(QStringLiteral("truckId")).toString();
    if (state.status != ShipmentStatus::Submitted && state.status != ShipmentStatus::Assigned)
        return Decision::reject(Refusal::AssignNotAllowed, { state.id, statusPhrase(state) });
    if (state.assignedToTruck == truck)
        return Decision::reject(Refusal::AlreadyOnTheTruck, { state.id, truck });
    const TruckStanding standing = context.truck.value_or(TruckStanding {});
    if (rules.requireRegisteredTrucks && !standing.registered)
        return Decision::reject(Refusal::TruckNotRegisteredForLoads, { truck });
    if (!standing.inService)
        return Decision::reject(Refusal::TruckOutOfService, { truck, standing.outOfServiceReason });
    if (auto full = checkTruckCapacity(
            state.id, truck, context.truck, toHundredthsOfPound(state.weightInPounds));
        full.isRejected())
        return full;
    QJsonObject data { { QStringLiteral("truckId"), truck } };
    if (!state.assignedToTruck.isEmpty())
        data.insert(QStringLiteral("previousTruckId"), state.assignedToTruck);
    return Decision::accept({ NewEvent { EventType::Assigned, data } });
}

Decision decideShip(const ShipmentState &state, const Command &command)
{
    if (auto missing = requireExisting(state, command); missing.isRejected())
        return missing;
    if (state.status != ShipmentStatus::Assigned)
        return Decision::reject(Refusal::ShipNotAllowed, { state.id, statusPhrase(state) });
    return Decision::accept({ NewEvent { EventType::Shipped, {} } });
}

Decision decideDeliver(const ShipmentState &state, const Command &command)
{
    if (auto missing = requireExisting(state, command); missing.isRejected())
        return missing;
    if (state.status != ShipmentStatus::Shipped)
        return Decision::reject(Refusal::DeliverNotAllowed, { state.id, statusPhrase(state) });
    QJsonObject data;
    const QString signedBy = command.data.value(QStringLiteral("signedBy")).toString();
    if (!signedBy.isEmpty())
        data.insert(QStringLiteral("signedBy"), signedBy);
    return Decision::accept({ NewEvent { EventType::Delivered, data } });
}

Decision decideCancel(const ShipmentState &state, const Command &command)
{
    if (auto missing = requireExisting(state, command); missing.isRejected())
        return missing;
    if (state.status != ShipmentStatus::Submitted && state.status != ShipmentStatus::Assigned)
        return Decision::reject(Refusal::CancelNotAllowed, { state.id, statusPhrase(state) });
    QJsonObject data { { QStringLiteral("reason"),
        command.data.value(QStringLiteral("reason")).toString() } };
    return Decision::accept({ NewEvent { EventType::Cancelled, data } });
}

Decision decideAmend(const ShipmentState &state, const Command &command, const Rules &rules,
    const ShipmentContext &context)
{
    if (auto missing = requireExisting(state, command); missing.isRejected())
        return missing;
    if (state.status != ShipmentStatus::Submitted && state.status != ShipmentStatus::Assigned)
        return Decision::reject(Refusal::AmendNotAllowed, { state.id, statusPhrase(state) });
    const QJsonObject &d = command.data;
    QJsonObject data;
    for (const QString &key : { QStringLiteral("shipFrom"), QStringLiteral("shipTo") }) {
        if (!d.contains(key))
            continue;
        const Address now = Address::fromJson(d.value(key).toObject());
        const Address &before = key == QLatin1String("shipFrom") ? state.shipFrom : state.shipTo;
        if (!(now == before))
            data.insert(key, now.toJson());
    }
    double weight = state.weightInPounds;
    if (d.contains(QStringLiteral("weightInPounds"))
        && d.value(QStringLiteral("weightInPounds")).toDouble() != state.weightInPounds) {
        weight = d.value(QStringLiteral("weightInPounds")).toDouble();
        data.insert(QStringLiteral("weightInPounds"), weight);
    }
    QString account = state.billToAccountId;
    if (d.contains(QStringLiteral("billToAccountId"))
        && d.value(QStringLiteral("billToAccountId")).toString() != state.billToAccountId) {
        account = d.value(QStringLiteral("billToAccountId")).toString();
        data.insert(QStringLiteral("billToAccountId"), account);
    }
    QStringList accessorials = state.accessorials;
    if (d.contains(QStringLiteral("accessorials"))
        && accessorialsFromJson(d.value(QStringLiteral("accessorials"))) != state.accessorials) {
        accessorials = accessorialsFromJson(d.value(QStringLiteral("accessorials")));
        data.insert(QStringLiteral("accessorials"), QJsonArray::fromStringList(accessorials));
    }
    const auto [pickup, delivery] = windowsAfter(state, d, &data);
    if (data.isEmpty())
        return Decision::reject(Refusal::AmendChangesNothing, { state.id });
    if (!windowsAgree(pickup, delivery))
        return Decision::reject(Refusal::DeliveryBeforePickup, { state.id });

    // A shipment keeps the price it was given unless what it is priced on changes (its weight,
    // the states of its lane, its accessorials); then the table of the day prices it anew.
    const Address from = data.contains(QStringLiteral("shipFrom"))
        ? Address::fromJson(data.value(QStringLiteral("shipFrom")).toObject())
        : state.shipFrom;
    const Address to = data.contains(QStringLiteral("shipTo"))
        ? Address::fromJson(data.value(QStringLiteral("shipTo")).toObject())
        : state.shipTo;
    const bool repriced = weight != state.weightInPounds
        || laneState(from.state) != laneState(state.shipFrom.state)
        || laneState(to.state) != laneState(state.shipTo.state)
        || accessorials != state.accessorials;
    PriceQuote price;
    price.totalCents = state.costCents;
    price.charges = state.charges;
    price.rateTableVersion = state.rateTableVersion;
    if (repriced) {
        price = rules.rates.quote(from.state, to.state, weight, accessorials, command.acceptedAt);
        if (!price.ok())
            return Decision::reject(price.error);
    }
    const Cents cost = price.totalCents;
    const bool accountChanged = account != state.billToAccountId;
    if (accountChanged || cost != state.costCents) {
        const Cents added = accountChanged ? cost : cost - state.costCents;
        if (auto refused
            = checkAccount(state.id, account, context.account, added, accountChanged, rules);
            refused.isRejected())
            return refused;
    }
    if (state.status == ShipmentStatus::Assigned) {
        const qint64 added
            = toHundredthsOfPound(weight) - toHundredthsOfPound(state.weightInPounds);
        if (auto full = checkTruckCapacity(state.id, state.assignedToTruck, context.truck, added);
            full.isRejected())
            return full;
    }
    if (cost != state.costCents || price.charges != state.charges
        || price.rateTableVersion != state.rateTableVersion) {
        data.insert(QStringLiteral("cost"), centsToDollarsJson(cost));
        data.insert(QStringLiteral("costCents"), static_cast<double>(cost));
        data.insert(QStringLiteral("charges"), chargesToJson(price.charges));
        data.insert(QStringLiteral("rateTableVersion"), price.rateTableVersion);
    }
    data.insert(QStringLiteral("reason"), d.value(QStringLiteral("reason")).toString());
    return Decision::accept({ NewEvent { EventType::Amended, data } });
}

Decision decideReschedule(const ShipmentState &state, const Command &command)
{
    if (auto missing = requireExisting(state, command); missing.isRejected())
        return missing;
    if (state.status != ShipmentStatus::Submitted && state.status != ShipmentStatus::Assigned
        && state.status != ShipmentStatus::Shipped)
        return Decision::reject(Refusal::RescheduleNotAllowed, { state.id, statusPhrase(state) });
    const QJsonObject &d = command.data;
    if (d.contains(QStringLiteral("pickupWindow")) && state.status == ShipmentStatus::Shipped)
        return Decision::reject(Refusal::PickupFixedOnceShipped, { state.id });
    QJsonObject data;
    const auto [pickup, delivery] = windowsAfter(state, d, &data);
    if (data.isEmpty())
        return Decision::reject(Refusal::RescheduleChangesNothing, { state.id });
    if (!windowsAgree(pickup, delivery))
        return Decision::reject(Refusal::DeliveryBeforePickup, { state.id });
    if (d.contains(QStringLiteral("reason")))
        data.insert(QStringLiteral("reason"), d.value(QStringLiteral("reason")).toString());
    return Decision::accept({ NewEvent { EventType::Rescheduled, data } });
}

} // namespace

Decision decideShipment(const ShipmentState &state, const Command &command, const Rules &rules,
    const ShipmentContext &context)
{
    switch (command.type) {
    case CommandType::Submit:
        return decideSubmit(state, command, rules, context);
    case CommandType::Assign:
        return decideAssign(state, command, rules, context);
    case CommandType::Ship:
        return decideShip(state, command);
    case CommandType::Deliver:
        return decideDeliver(state, command);
    case CommandType::Cancel:
        return decideCancel(state, command);
    case CommandType::Amend:
        return decideAmend(state, command, rules, context);
    case CommandType::Reschedule:
        return decideReschedule(state, command);
    default:
        break;
    }
    return Decision::reject(Refusal::NotAShipmentCommand, { commandTypeName(command.type) });
}

PriceQuote priceOfSubmit(const RateTable &rates, const QJsonObject &d, const QDateTime &at)
{
    // Only the states price a lane: the rest of the addresses is not read here.
    const auto stateOf = [&d](const QString &key) {
        return d.value(key).toObject().value(QStringLiteral("state")).toString();
    };
    return rates.quote(stateOf(QStringLiteral("shipFrom")), stateOf(QStringLiteral("shipTo")),
        d.value(QStringLiteral("weightInPounds")).toDouble(),
        accessorialsFromJson(d.value(QStringLiteral("accessorials"))), at);
}

ShipmentState applyShipment(ShipmentState s, const RecordedEvent &e)
{
    const QJsonObject &d = e.data;
    s.version = e.version;
    s.lastCommandTimestamp = e.timestamp;
    if (e.type == EventType::Submitted) {
        s.id = entityIdOfStream(e.streamId);
        s.status = ShipmentStatus::Submitted;
        s.shipFrom = Address::fromJson(d.value(QStringLiteral("shipFrom")).toObject());
        s.shipTo = Address::fromJson(d.value(QStringLiteral("shipTo")).toObject());
        s.weightInPounds = d.value(QStringLiteral("weightInPounds")).toDouble();
        s.billToAccountId = d.value(QStringLiteral("billToAccountId")).toString();
        s.costCents = static_cast<Cents>(d.value(QStringLiteral("costCents")).toDouble());
        s.accessorials = accessorialsFromJson(d.value(QStringLiteral("accessorials")));
        s.charges = chargesFromJson(d.value(QStringLiteral("charges")));
        s.rateTableVersion = d.value(QStringLiteral("rateTableVersion")).toString();
        s.createdTimestamp = e.timestamp;
        s.pickupWindow = windowIn(d, QStringLiteral("pickupWindow"));
        s.deliveryWindow = windowIn(d, QStringLiteral("deliveryWindow"));
    } else if (e.type == EventType::Assigned) {
        s.status = ShipmentStatus::Assigned;
        s.assignedToTruck = d.value(QStringLiteral("truckId")).toString();
    } else if (e.type == EventType::Shipped) {
        s.status = ShipmentStatus::Shipped;
        s.shipDate = e.timestamp;
    } else if (e.type == EventType::Delivered) {
        s.status = ShipmentStatus::Delivered;
        s.deliveredDate = e.timestamp;
        s.signedBy = d.value(QStringLiteral("signedBy")).toString();
    } else if (e.type == EventType::Cancelled) {
        s.status = ShipmentStatus::Cancelled;
        s.cancelReason = d.value(QStringLiteral("reason")).toString();
    } else if (e.type == EventType::Amended) {
        if (d.contains(QStringLiteral("shipFrom")))
            s.shipFrom = Address::fromJson(d.value(QStringLiteral("shipFrom")).toObject());
        if (d.contains(QStringLiteral("shipTo")))
            s.shipTo = Address::fromJson(d.value(QStringLiteral("shipTo")).toObject());
        if (d.contains(QStringLiteral("weightInPounds")))
            s.weightInPounds = d.value(QStringLiteral("weightInPounds")).toDouble();
        if (d.contains(QStringLiteral("billToAccountId")))
            s.billToAccountId = d.value(QStringLiteral("billToAccountId")).toString();
        if (d.contains(QStringLiteral("costCents")))
            s.costCents = static_cast<Cents>(d.value(QStringLiteral("costCents")).toDouble());
        if (d.contains(QStringLiteral("accessorials")))
            s.accessorials = accessorialsFromJson(d.value(QStringLiteral("accessorials")));
        if (d.contains(QStringLiteral("rateTableVersion"))) {
            s.charges = chargesFromJson(d.value(QStringLiteral("charges")));
            s.rateTableVersion = d.value(QStringLiteral("rateTableVersion")).toString();
        }
        if (d.contains(QStringLiteral("pickupWindow")))
            s.pickupWindow = windowIn(d, QStringLiteral("pickupWindow"));
        if (d.contains(QStringLiteral("deliveryWindow")))
            s.deliveryWindow = windowIn(d, QStringLiteral("deliveryWindow"));
    } else if (e.type == EventType::Rescheduled) {
        if (d.contains(QStringLiteral("pickupWindow")))
            s.pickupWindow = windowIn(d, QStringLiteral("pickupWindow"));
        if (d.contains(QStringLiteral("deliveryWindow")))
            s.deliveryWindow = windowIn(d, QStringLiteral("deliveryWindow"));
    }
    return s;
}

} // namespace waybill
