// The rate table that prices a shipment at submit time.
#pragma once

#include "money.h"

namespace waybill {

struct RateTable
{
    Cents centsPerPound = 28; // the reference implementation's rate
    Cents minimumCents = 0; // minimum charge per shipment

    // Weight is a JSON number; it is taken to the hundredth of a pound and priced in integers,
    // rounding half up to the cent.
    Cents quote(double weightInPounds) const;
};

} // namespace waybill
