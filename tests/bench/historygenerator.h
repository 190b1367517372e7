// Writes a long, realistic history straight through the store (reducers, chain, read models),
// far faster than through the engine: for benchmarks that need a million events already there.
#pragma once

#include "store/database.h"

#include <functional>

namespace waybill::bench {

struct HistoryShape
{
    qint64 shipments = 1000;
    qint64 events = 5000; // padded with payments when the shipments' own events are fewer
    int perTransaction = 5000;
};

// Appends to whatever is there. Returns the number of events written. Throws StoreError.
qint64 generateHistory(Database &database, const HistoryShape &shape,
                       const std::function<void(qint64 written)> &progress = {});

} // namespace waybill::bench
