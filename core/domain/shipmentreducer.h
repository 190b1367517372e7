// The shipment's business rules as pure functions: no I/O, no clock, no globals.
#pragma once

#include "command.h"
#include "decision.h"
#include "pricing.h"
#include "shipment.h"

namespace waybill {

// (state, command) -> events or a rejection that says why.
Decision decideShipment(const ShipmentState &state, const Command &command, const RateTable &rates);
// (state, event) -> state. The event's recorded timestamp is the only time it uses.
ShipmentState applyShipment(ShipmentState state, const RecordedEvent &event);

} // namespace waybill
