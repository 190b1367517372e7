#include "shipmentreducer.h"

#include "ids.h"

#include <QCoreApplication>

namespace waybill {

namespace {

QString statusPhrase(const ShipmentState &s)
{
    return shipmentStatusName(s.status);
}

Decision decideSubmit(const ShipmentState &state, const Command &command, const RateTable &rates)
{
    if (state.exists())
        return Decision::reject(QStringLiteral("Shipment %1 already exists (it is %2).")
                                    .arg(state.id, statusPhrase(state)));
    const QJsonObject &d = command.data;
    const double weight = d.value(QStringLiteral("weightInPounds")).toDouble();
    const Cents cost = rates.quote(weight);
    QJsonObject data {
        { QStringLiteral("shipFrom"), d.value(QStringLiteral("shipFrom")) },
        { QStringLiteral("shipTo"), d.value(QStringLiteral("shipTo")) },
        { QStringLiteral("weightInPounds"), weight },
        { QStringLiteral("billToAccountId"), d.value(QStringLiteral("billToAccountId")) },
        { QStringLiteral("cost"), centsToDollarsJson(cost) },
        { QStringLiteral("costCents"), static_cast<double>(cost) },
    };
    return Decision::accept({ NewEvent { EventType::Submitted, data } });
}

Decision requireExisting(const ShipmentState &state, const Command &command)
{
    if (!state.exists())
        return Decision::reject(QStringLiteral("Shipment %1 does not exist; submit it first.")
                                    .arg(entityIdOfStream(command.streamId)));
    return {};
}

Decision decideAssign(const ShipmentState &state, const Command &command)
{
    if (auto missing = requireExisting(state, command); missing.isRejected())
        return missing;
    const QString truck = command.data.value(QStringLiteral("truckId")).toString();
    if (state.status != ShipmentStatus::Submitted && state.status != ShipmentStatus::Assigned)
        return Decision::reject(
            QStringLiteral("Shipment %1 is %2; a truck can be assigned only while it is Submitted "
                           "or Assigned.")
                .arg(state.id, statusPhrase(state)));
    if (state.assignedToTruck == truck)
        return Decision::reject(
            QStringLiteral("Shipment %1 is already assigned to truck %2.").arg(state.id, truck));
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
        return Decision::reject(
            QStringLiteral("Shipment %1 is %2; only an Assigned shipment can be shipped.")
                .arg(state.id, statusPhrase(state)));
    return Decision::accept({ NewEvent { EventType::Shipped, {} } });
}

Decision decideDeliver(const ShipmentState &state, const Command &command)
{
    if (auto missing = requireExisting(state, command); missing.isRejected())
        return missing;
    if (state.status != ShipmentStatus::Shipped)
        return Decision::reject(
            QStringLiteral("Shipment %1 is %2; only a Shipped shipment can be delivered.")
                .arg(state.id, statusPhrase(state)));
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
        return Decision::reject(
            QStringLiteral("Shipment %1 is %2; only a Submitted or Assigned shipment can be "
                           "cancelled.")
                .arg(state.id, statusPhrase(state)));
    QJsonObject data { { QStringLiteral("reason"),
        command.data.value(QStringLiteral("reason")).toString() } };
    return Decision::accept({ NewEvent { EventType::Cancelled, data } });
}

} // namespace

Decision decideShipment(const ShipmentState &state, const Command &command, const RateTable &rates)
{
    switch (command.type) {
    case CommandType::Submit:
        return decideSubmit(state, command, rates);
    case CommandType::Assign:
        return decideAssign(state, command);
    case CommandType::Ship:
        return decideShip(state, command);
    case CommandType::Deliver:
        return decideDeliver(state, command);
    case CommandType::Cancel:
        return decideCancel(state, command);
    case CommandType::Payment:
    case CommandType::Invoice:
        break;
    }
    return Decision::reject(QStringLiteral("A %1 command does not apply to a shipment.")
                                .arg(commandTypeName(command.type)));
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
        s.createdTimestamp = e.timestamp;
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
    }
    return s;
}

} // namespace waybill
