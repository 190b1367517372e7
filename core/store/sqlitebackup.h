// A consistent copy of a SQLite database taken while servers write to it.
#pragma once

#include "database.h"

#include <QString>

namespace waybill {

// Writes the database as it stands at one moment (one read snapshot: every transaction committed
// before it, none after) to a new file at path, readable and writable by this user only, through
// SQLite's VACUUM INTO; writers go on meanwhile. The file must not exist. Throws StoreError
// (and removes what it began to write).
void backupSqlite(Database &database, const QString &path);

} // namespace waybill
