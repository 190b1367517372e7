// GET /health, GET /metrics, GET /me and GET /openapi.json.
#pragma once

#include "apicontext.h"
#include "apirequest.h"

namespace waybill::api {

// {"status": "ok"} when the server takes commands and its database answers; otherwise 503
// {"status": "unavailable", "reason": "database unavailable" or "shutting down"}, so that a load
// balancer sends the work elsewhere.
void health(ApiContext &context, const ApiRequest &request);
// Prometheus text format.
void metrics(ApiContext &context, const ApiRequest &request);
// GET /openapi.json: docs/openapi.json, compiled in.
void openApiDocument(ApiContext &context, const ApiRequest &request);
// GET /me: the token's name and role, so that a client offers only what the role may do.
void me(ApiContext &context, const ApiRequest &request);

} // namespace waybill::api
