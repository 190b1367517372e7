// Finance's reads (api.md, "Finance"): an account's invoices as open items, and the aging of
// what is open, both as the history stood at a time.
#pragma once

#include "apicontext.h"
#include "apirequest.h"

namespace waybill::api {

// GET /accounts/{id}/invoices?asOf=
void listAccountInvoices(ApiContext &context, const ApiRequest &request);
// GET /reports/aging?asOf=
void agingReport(ApiContext &context, const ApiRequest &request);

} // namespace waybill::api
