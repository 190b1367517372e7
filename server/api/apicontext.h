// What the route handlers share: the engine, the workers that read the database, the
// counters, the requests waiting for outcomes and the live feed. All on the HTTP thread.
#pragma once

#include "commandwaiters.h"
#include "engine/engine.h"
#include "metrics.h"
#include "workers.h"

#include <functional>

namespace waybill::api {

class LiveFeed;

struct ApiContext
{
    Engine &engine;
    Database &database;
    Workers &workers;
    Metrics &metrics;
    CommandWaiters &waiters;
    LiveFeed &live;
    std::function<int()> openConnections;
};

} // namespace waybill::api
