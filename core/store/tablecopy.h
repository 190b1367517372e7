// Copying Waybill's tables row for row from one database to another, of either kind, in pages
// along each table's primary key; and the marker that says a copy into a database has not
// finished, which every opening of the database refuses.
#pragma once

#include "rowbatch.h"
#include "sql.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVector>

namespace waybill {

// The database holds part of a copied history: a copy into it began and did not finish.
class UnfinishedCopyError final : public StoreError
{
public:
    using StoreError::StoreError;
};

namespace TableCopy {

// A table as the copy reads and writes it, from the schema of a migrated database.
struct Table
{
    QString name;
    QStringList columns; // as named in the schema, in its order
    QVector<ColumnType> types;
    QStringList key; // the primary key's columns, which the pages follow
};

// Every table that a copy carries over, in the order it copies them: all of the schema's but the
// servers' leases (they belong to the servers running on a database, not to its history) and the
// marker. Tables added by later migrations come along without a change here. Throws StoreError
// for a table that has no primary key or a column of a type the copy cannot carry.
QVector<Table> tables(const QSqlDatabase &db);

// Why a copy may not write into this database (before it is migrated): it holds a history, or
// part of one, or a server runs on it; empty when it may. Throws StoreError.
QString whyNotEmpty(const QSqlDatabase &db);

qint64 rowCount(const QSqlDatabase &db, const QString &table);

// Reads the page of at most limit rows that follows `after` (the key of the last row copied;
// empty: from the first), in key order, on source; writes them to target; moves `after` on.
// Returns the number of rows copied. The first page of a table (empty after) first deletes what
// the target's migration put there (schema_migrations, window_lengths). Throws StoreError.
int copyPage(const QSqlDatabase &source, const QSqlDatabase &target, const Table &table,
    QVariantList *after, int limit);

// After the rows: PostgreSQL's serial columns continue after the copied values, and commands
// still pending go to whichever server starts first on the target (they were taken by servers of
// the source, which will never run there). Throws StoreError.
void finishTarget(const QSqlDatabase &target);

// The marker: written (with where the copy comes from) before the first row, dropped after the
// chain is verified at the end. Throws StoreError.
void writeMarker(const QSqlDatabase &db, const QString &source, const QString &startedAt);
void removeMarker(const QSqlDatabase &db);
bool hasMarker(const QSqlDatabase &db);
// Throws UnfinishedCopyError, saying what to do, when the database has the marker.
void refuseUnfinishedCopy(const QSqlDatabase &db);

} // namespace TableCopy

} // namespace waybill
