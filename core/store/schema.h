// Versioned schema migrations for SQLite and PostgreSQL.
#pragma once

#include <QSqlDatabase>

namespace waybill {

constexpr int kSchemaVersion = 4;

// Runs inside a write transaction; brings the schema to kSchemaVersion. Throws StoreError,
// also when the database was written by a newer Waybill.
void applyMigrations(const QSqlDatabase &db, bool postgres);
int schemaVersion(const QSqlDatabase &db);

} // namespace waybill
