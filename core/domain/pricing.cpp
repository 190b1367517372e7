#include "pricing.h"

#include "weight.h"

#include <algorithm>

namespace waybill {

Cents RateTable::quote(double weightInPounds) const
{
    const qint64 hundredthsOfPound = toHundredthsOfPound(weightInPounds);
    const Cents raw = (hundredthsOfPound * centsPerPound + 50) / 100;
    return std::max(raw, minimumCents);
}

} // namespace waybill
