// What the reducers are told by configuration: the prices, and how strict records are.
#pragma once

#include "pricing.h"

namespace waybill {

struct Rules
{
    RateTable rates;
    // The compatibility switches: off, an account or truck that was never opened or registered
    // may still be billed or assigned, as the reference implementation allowed.
    bool requireRegisteredAccounts = false;
    bool requireRegisteredTrucks = false;
};

} // namespace waybill
