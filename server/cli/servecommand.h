// Serving the HTTP API until SIGINT or SIGTERM, then draining what is in flight; SIGHUP reads the
// config again (inputs say where from) and takes what can change without a restart.
#pragma once

#include "serverconfig.h"

namespace waybill::cli {

int serve(const ServerConfig &config, const ConfigInputs &inputs);

// The settings that differ between two configs and take effect only after a restart (all but
// the TLS files and the trusted proxies), by their config key; for SIGHUP's log line.
QStringList settingsNeedingRestart(const ServerConfig &running, const ServerConfig &reloaded);

} // namespace waybill::cli
