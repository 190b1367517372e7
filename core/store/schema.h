// Versioned schema migrations for SQLite and PostgreSQL.
#pragma once

#include "sql.h"

#include <QSqlDatabase>

namespace waybill {

constexpr int kSchemaVersion = 6;

// The database was written by a newer Waybill: this build must not touch it, and trying again
// will not help (waybill-server exits with a code of its own that its unit does not restart on).
class SchemaTooNewError final : public StoreError
{
public:
    using StoreError::StoreError;
};

// Runs inside a write transaction; brings the schema to kSchemaVersion. Throws StoreError;
// SchemaTooNewError when the database was written by a newer Waybill; UnfinishedCopyError
// (tablecopy.h) when a copy into it began and did not finish.
void applyMigrations(const QSqlDatabase &db, bool postgres);
// Throws SchemaTooNewError when a newer Waybill wrote the database (which this one might
// misread), and UnfinishedCopyError when it holds an unfinished copy; changes nothing, so
// commands that only read call it first. Returns the schema's
// version (0 for a database never migrated).
int refuseNewerSchema(const QSqlDatabase &db);
int schemaVersion(const QSqlDatabase &db);

} // namespace waybill
