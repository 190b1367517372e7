// GET /health and GET /metrics.
#pragma once

#include "apicontext.h"
#include "apirequest.h"

namespace waybill::api {

// {"status": "ok"}: answered on the HTTP thread, without the database, so that it measures the
// server itself.
void health(ApiContext &context, const ApiRequest &request);
// Prometheus text format.
void metrics(ApiContext &context, const ApiRequest &request);

} // namespace waybill::api
