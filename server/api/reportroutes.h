// The management reports' reads (docs/choices.md, "Reports"): revenue by week and by account,
// on-time delivery by week and truck utilisation, each as the history stood at a time.
#pragma once

#include "apicontext.h"
#include "apirequest.h"

namespace waybill::api {

// GET /reports/revenue?asOf=&from=&to=
void revenueReport(ApiContext &context, const ApiRequest &request);
// GET /reports/on-time?asOf=&from=&to=
void onTimeReport(ApiContext &context, const ApiRequest &request);
// GET /reports/utilisation?asOf=&from=&to=
void utilisationReport(ApiContext &context, const ApiRequest &request);

} // namespace waybill::api
