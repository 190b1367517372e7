// waybill-server copy and backup: moving a whole history to another database, and a consistent
// copy of a SQLite database while it serves.
#pragma once

#include "store/database.h"

#include <QString>

namespace waybill::cli {

// copy --from URL --to URL: progress on stderr, the verified end of the chain on stdout.
int copyDatabase(const QString &from, const QString &to);
// backup --out FILE, of the database given by --db.
int backupDatabase(Database &database, const QString &outFile);

} // namespace waybill::cli
