// What the route handlers share: the engine, the workers that read the database, the
// counters, the requests waiting for outcomes and the live feed. All on the HTTP thread, but
// for the handlers of routes added to run on a worker (commands), which use only the engine,
// the database and the workers' poster there.
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
    // Set when the server has been told to stop but still serves for a while, so that a load
    // balancer reading /health sends the requests to come elsewhere before it closes.
    bool draining = false;
};

} // namespace waybill::api
