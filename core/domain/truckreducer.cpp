#include "truckreducer.h"

#include "ids.h"

namespace waybill {

namespace {

Decision decideRegister(const TruckState &state, const Command &command)
{
    if (state.registered)
        return Decision::reject(
            Refusal::TruckRegisteredAlready, { entityIdOfStream(command.streamId) });
    return Decision::accept({ NewEvent { EventType::Registered, command.data } });
}

Decision decideOutOfService(const TruckState &state, const Command &command)
{
    const QString id = entityIdOfStream(command.streamId);
    if (!state.registered)
        return Decision::reject(Refusal::TruckNotRegistered, { id });
    if (!state.inService)
        return Decision::reject(
            Refusal::TruckOutOfServiceAlready, { id, state.outOfServiceReason });
    return Decision::accept({ NewEvent { EventType::OutOfService,
        { { QStringLiteral("reason"), command.data.value(QStringLiteral("reason")) } } } });
}

Decision decideReturnToService(const TruckState &state, const Command &command)
{
    if (state.inService)
        return Decision::reject(
            Refusal::TruckNotOutOfService, { entityIdOfStream(command.streamId) });
    return Decision::accept({ NewEvent { EventType::ReturnedToService, {} } });
}

} // namespace

Decision decideTruck(const TruckState &state, const Command &command)
{
    switch (command.type) {
    case CommandType::Register:
        return decideRegister(state, command);
    case CommandType::OutOfService:
        return decideOutOfService(state, command);
    case CommandType::ReturnToService:
        return decideReturnToService(state, command);
    default:
        break;
    }
    return Decision::reject(Refusal::NotATruckCommand, { commandTypeName(command.type) });
}

TruckState applyTruck(TruckState t, const RecordedEvent &e)
{
    const QJsonObject &d = e.data;
    if (t.version == 0)
        t.id = entityIdOfStream(e.streamId);
    t.version = e.version;
    t.lastEventTimestamp = e.timestamp;
    if (e.type == EventType::Registered) {
        t.registered = true;
        t.registeredTimestamp = e.timestamp;
        t.name = d.value(QStringLiteral("name")).toString();
        if (d.contains(QStringLiteral("capacityPounds")))
            t.capacityPounds = d.value(QStringLiteral("capacityPounds")).toInt();
    } else if (e.type == EventType::OutOfService) {
        t.inService = false;
        t.outOfServiceReason = d.value(QStringLiteral("reason")).toString();
    } else if (e.type == EventType::ReturnedToService) {
        t.inService = true;
        t.outOfServiceReason.clear();
    }
    return t;
}

} // namespace waybill
