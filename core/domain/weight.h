// Weights are JSON numbers of pounds; sums and comparisons (a truck's load against its capacity)
// are made in whole hundredths of a pound, exact like money in cents.
#pragma once

#include <QString>

namespace waybill {

// 1234.567 -> 123457 (rounded half away from zero).
qint64 toHundredthsOfPound(double pounds);
// 123457 -> "1234.57 lb", 4000000 -> "40000 lb".
QString formatPounds(qint64 hundredths);
// 123457 -> 1234.57 as a JSON number.
double hundredthsToPounds(qint64 hundredths);

} // namespace waybill
