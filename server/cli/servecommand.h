// Serving the HTTP API until SIGINT or SIGTERM, then draining what is in flight.
#pragma once

#include "serverconfig.h"

namespace waybill::cli {

int serve(const ServerConfig &config);

} // namespace waybill::cli
