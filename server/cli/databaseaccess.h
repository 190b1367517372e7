// Opening the configured database for a command: where the default file goes, and refusing to
// conjure an empty SQLite file for commands that only make sense on existing data.
#pragma once

#include "serverconfig.h"

namespace waybill::cli {

// For commands that may create a SQLite database (serving, token create): creates its missing
// folders and the file itself, readable and writable by this user only.
bool prepareDatabaseLocation(const ServerConfig &config, QString *error);
// For commands that read existing data (verify, export, ...): a SQLite file must exist.
bool requireExistingDatabase(const ServerConfig &config, QString *error);

} // namespace waybill::cli
