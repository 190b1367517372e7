// waybill-server's exit codes, which scripts and service managers rely on.
#pragma once

namespace waybill::cli {

enum ExitCode : int {
    ExitSuccess = 0, // done; for serving: stopped by SIGINT or SIGTERM after draining
    ExitFailure = 1, // could not do it (database, port, file), or verify found the chain broken
    ExitUsage = 2, // bad flag, command, URL, listen address, config file, or TLS files
    // The database was written by a newer Waybill: only an upgrade mends it, so the systemd
    // unit does not restart on it (RestartPreventExitStatus).
    ExitDatabaseTooNew = 3
};

} // namespace waybill::cli
