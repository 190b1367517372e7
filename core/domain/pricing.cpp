#include "pricing.h"

#include <algorithm>
#include <cmath>

namespace waybill {

Cents RateTable::quote(double weightInPounds) const
{
    const qint64 hundredthsOfPound = std::llround(weightInPounds * 100.0);
    const Cents raw = (hundredthsOfPound * centsPerPound + 50) / 100;
    return std::max(raw, minimumCents);
}

} // namespace waybill
