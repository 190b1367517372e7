// The truck's record as pure functions: registered, out of service (it broke down), back.
#pragma once

#include "command.h"
#include "decision.h"
#include "truck.h"

namespace waybill {

Decision decideTruck(const TruckState &state, const Command &command);
TruckState applyTruck(TruckState state, const RecordedEvent &event);

} // namespace waybill
