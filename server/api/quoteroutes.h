// POST /quotes: what a submit's body would cost by this server's rate table now, with its
// breakdown; nothing is recorded.
#pragma once

#include "apicontext.h"
#include "apirequest.h"

namespace waybill::api {

void quoteShipment(ApiContext &context, const ApiRequest &request);

} // namespace waybill::api
