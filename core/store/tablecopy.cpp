#include "tablecopy.h"

#include "domain/timeformat.h"

#include <QCoreApplication>
#include <QSqlDriver>
#include <QSqlField>
#include <QSqlIndex>
#include <QSqlQuery>
#include <QSqlRecord>

#include <algorithm>

namespace waybill::TableCopy {

namespace {

const QString kMarkerTable = QStringLiteral("copy_in_progress");

class CopyText final
{
    Q_DECLARE_TR_FUNCTIONS(TableCopy)
};

// Tables that hold no history: what the running servers own, and the marker.
bool isCopied(const QString &table)
{
    return table != kMarkerTable && table != QLatin1String("server_leases")
        && !table.startsWith(QLatin1String("sqlite_"));
}

QString quoted(const QSqlDatabase &db, const QString &identifier)
{
    return db.driver()->escapeIdentifier(identifier, QSqlDriver::FieldName);
}

QString quotedList(const QSqlDatabase &db, const QStringList &identifiers)
{
    QStringList names;
    for (const QString &name : identifiers)
        names << quoted(db, name);
    return names.join(QStringLiteral(", "));
}

bool hasRow(const QSqlDatabase &db, const QString &sql, const QVariantList &bindings = {})
{
    QSqlQuery q = runQuery(db, sql, bindings);
    return q.next();
}

ColumnType columnType(const QString &table, const QSqlField &field)
{
    switch (field.metaType().id()) {
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return ColumnType::BigInt;
    case QMetaType::Int:
    case QMetaType::UInt:
        return ColumnType::Integer;
    case QMetaType::QString:
        return ColumnType::Text;
    default:
        throw StoreError(
            QStringLiteral("cannot copy %1.%2: its type (%3) is not one the copy "
                           "carries (text, integer, bigint)")
                .arg(table, field.name(), QString::fromLatin1(field.metaType().name())));
    }
}

} // namespace

QVector<Table> tables(const QSqlDatabase &db)
{
    QStringList names = db.tables();
    std::sort(names.begin(), names.end());
    QVector<Table> result;
    for (const QString &name : std::as_const(names)) {
        if (!isCopied(name))
            continue;
        Table table;
        table.name = name;
        const QSqlRecord record = db.record(name);
        for (int i = 0; i < record.count(); ++i) {
            table.columns << record.fieldName(i);
            table.types << columnType(name, record.field(i));
        }
        const QSqlIndex key = db.primaryIndex(name);
        for (int i = 0; i < key.count(); ++i)
            table.key << key.fieldName(i);
        if (table.key.isEmpty())
            throw StoreError(
                QStringLiteral("cannot copy %1: it has no primary key to read it by").arg(name));
        result.append(table);
    }
    return result;
}

QString whyNotEmpty(const QSqlDatabase &db)
{
    if (hasMarker(db))
        return CopyText::tr("an earlier copy into it did not finish, so it holds part of a "
                            "history; empty it (drop and create the database again, or delete "
                            "the file) and copy again");
    const QStringList names = db.tables();
    for (const QString &name : names) {
        if (!isCopied(name) || name == QLatin1String("schema_migrations")
            || name == QLatin1String("window_lengths"))
            continue;
        // A server that started once on an empty database leaves its subscribers' checkpoints
        // at the start of the log: still empty.
        const QString sql = name == QLatin1String("checkpoints")
            ? QStringLiteral("SELECT 1 FROM checkpoints WHERE position > 0 LIMIT 1")
            : QStringLiteral("SELECT 1 FROM %1 LIMIT 1").arg(quoted(db, name));
        if (hasRow(db, sql))
            return CopyText::tr("it is not empty: its table \"%1\" has rows").arg(name);
    }
    if (names.contains(QLatin1String("server_leases"))) {
        QSqlQuery live = runQuery(db,
            QStringLiteral("SELECT id, expires_at FROM server_leases WHERE expires_at >= ? "
                           "ORDER BY id LIMIT 1"),
            { toIsoUtc(QDateTime::currentDateTimeUtc()) });
        if (live.next())
            return CopyText::tr("a server is running on it (%1, its lease runs until %2): stop "
                                "every server that uses it first")
                .arg(live.value(0).toString(), live.value(1).toString());
    }
    return {};
}

qint64 rowCount(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery q
        = runQuery(db, QStringLiteral("SELECT COUNT(*) FROM %1").arg(quoted(db, table)), {});
    return q.next() ? q.value(0).toLongLong() : 0;
}

int copyPage(const QSqlDatabase &source, const QSqlDatabase &target, const Table &table,
    QVariantList *after, int limit)
{
    const QString columns = quotedList(source, table.columns);
    const QString key = quotedList(source, table.key);
    QString where;
    if (!after->isEmpty()) {
        QStringList marks;
        for (int i = 0; i < table.key.size(); ++i)
            marks << QStringLiteral("?");
        where = table.key.size() == 1
            ? QStringLiteral(" WHERE %1 > ?").arg(key)
            : QStringLiteral(" WHERE (%1) > (%2)").arg(key, marks.join(QStringLiteral(", ")));
    }
    QSqlQuery page = runQuery(source,
        QStringLiteral("SELECT %1 FROM %2%3 ORDER BY %4 LIMIT %5")
            .arg(columns, quoted(source, table.name), where, key)
            .arg(limit),
        *after);

    QVector<std::pair<QString, ColumnType>> batchColumns;
    for (int c = 0; c < table.columns.size(); ++c)
        batchColumns.append({ quoted(target, table.columns.at(c)), table.types.at(c) });
    RowBatch rows(batchColumns);
    QVector<int> keyColumns;
    for (const QString &k : table.key)
        keyColumns << table.columns.indexOf(k);
    QVariantList lastKey;
    while (page.next()) {
        QVariantList row;
        row.reserve(table.columns.size());
        for (int c = 0; c < table.columns.size(); ++c)
            row << page.value(c);
        lastKey.clear();
        for (const int c : std::as_const(keyColumns))
            lastKey << row.at(c);
        rows.add(row);
    }
    page.finish();

    if (after->isEmpty()) {
        runQuery(target, QStringLiteral("DELETE FROM %1").arg(quoted(target, table.name)), {});
    }
    const QString targetColumns = quotedList(target, table.columns);
    runForRows(target,
        QStringLiteral("INSERT INTO %1 (%2) SELECT %2 FROM %ROWS% WHERE true")
            .arg(quoted(target, table.name), targetColumns),
        rows);
    if (!lastKey.isEmpty())
        *after = lastKey;
    return rows.size();
}

void finishTarget(const QSqlDatabase &target)
{
    if (isPostgres(target)) {
        for (const Table &table : tables(target)) {
            for (const QString &column : table.columns) {
                QSqlQuery serial = runQuery(target,
                    QStringLiteral("SELECT pg_get_serial_sequence(?, ?)"), { table.name, column });
                if (!serial.next() || serial.value(0).isNull())
                    continue;
                const QString sequence = serial.value(0).toString();
                serial.finish();
                runQuery(target,
                    QStringLiteral("SELECT setval(?, COALESCE((SELECT MAX(%1) FROM %2), 0) + 1, "
                                   "false)")
                        .arg(quoted(target, column), quoted(target, table.name)),
                    { sequence });
            }
        }
    }
    runQuery(target,
        QStringLiteral("UPDATE commands SET accepted_by = NULL WHERE status = 'pending'"), {});
}

void writeMarker(const QSqlDatabase &db, const QString &source, const QString &startedAt)
{
    runStatement(db,
        QStringLiteral("CREATE TABLE %1 (source TEXT NOT NULL, started_at TEXT NOT NULL)")
            .arg(kMarkerTable));
    runQuery(db,
        QStringLiteral("INSERT INTO %1 (source, started_at) VALUES (?, ?)").arg(kMarkerTable),
        { source, startedAt });
}

void removeMarker(const QSqlDatabase &db)
{
    runStatement(db, QStringLiteral("DROP TABLE %1").arg(kMarkerTable));
}

bool hasMarker(const QSqlDatabase &db)
{
    return db.tables().contains(kMarkerTable);
}

void refuseUnfinishedCopy(const QSqlDatabase &db)
{
    if (!hasMarker(db))
        return;
    QSqlQuery q
        = runQuery(db, QStringLiteral("SELECT source, started_at FROM %1").arg(kMarkerTable), {});
    const bool known = q.next();
    const QString source = known ? q.value(0).toString() : QString();
    const QString startedAt = known ? q.value(1).toString() : QString();
    throw UnfinishedCopyError(
        CopyText::tr("a copy into this database (from %1, begun %2) did not finish: it holds "
                     "part of a history and must not be used. Empty it (drop and create the "
                     "database again, or delete the file) and run \"waybill-server copy\" again "
                     "into the empty database")
            .arg(source, startedAt),
        StoreError::Kind::Other);
}

} // namespace waybill::TableCopy
