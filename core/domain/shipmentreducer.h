// The shipment's business rules as pure functions: no I/O, no clock, no globals.
#pragma once

#include "command.h"
#include "decision.h"
#include "rules.h"
#include "shipment.h"
#include "standing.h"

namespace waybill {

// (state, command) -> events or a rejection that says why. The rules that cross streams (the
// bill-to account's hold and credit limit, the truck's service and capacity) are decided on the
// context, which the engine reads for the streams shipmentCommandNeeds() names.
Decision decideShipment(const ShipmentState &state, const Command &command, const Rules &rules,
    const ShipmentContext &context = {});
// The price a submit's data (as validated) gets from the table at that time: what the submit
// records when accepted then, and what POST /quotes answers for the same body.
PriceQuote priceOfSubmit(
    const RateTable &rates, const QJsonObject &submitData, const QDateTime &at);
// (state, event) -> state. The event's recorded timestamp is the only time it uses.
ShipmentState applyShipment(ShipmentState state, const RecordedEvent &event);

} // namespace waybill
