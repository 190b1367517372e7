#include "sql.h"

#include "rowbatch.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QStringList>

#include <iterator>

namespace waybill {

namespace {

bool isPostgresDriver(const QSqlDriver *driver)
{
    return driver && driver->dbmsType() == QSqlDriver::PostgreSQL;
}

} // namespace

bool isPostgres(const QSqlDatabase &db)
{
    return isPostgresDriver(db.driver());
}

bool isSqlNull(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString:
        return static_cast<const QString *>(value.constData())->isNull();
    case QMetaType::QByteArray:
        return static_cast<const QByteArray *>(value.constData())->isNull();
    default:
        return value.isNull();
    }
}

StoreError::Kind classifyError(const QSqlError &error, bool postgres)
{
    const QString code = error.nativeErrorCode();
    const QString text = error.text();
    if (postgres) {
        if (code == QLatin1String("23505"))
            return StoreError::Kind::UniqueViolation;
        // Lock not available (lock_timeout), serialization failure, deadlock.
        if (code == QLatin1String("55P03") || code == QLatin1String("40001")
            || code == QLatin1String("40P01"))
            return StoreError::Kind::Busy;
        // Connection exceptions, insufficient resources (disk full, out of memory, too many
        // connections), operator intervention (shutdown, cancel), system and internal errors.
        for (const char *unavailableClass : { "08", "53", "57", "58", "XX" }) {
            if (code.startsWith(QLatin1String(unavailableClass)))
                return StoreError::Kind::Unavailable;
        }
        // libpq's own errors carry no SQLSTATE: a connection that broke under the statement.
        if (error.type() == QSqlError::ConnectionError || code.isEmpty())
            return StoreError::Kind::Unavailable;
        return StoreError::Kind::Other;
    }
    // SQLite: extended result codes; the primary code is the low byte.
    bool numeric = false;
    const int primary = code.toInt(&numeric) & 0xff;
    if (!numeric) {
        if (text.contains(QLatin1String("database is locked")))
            return StoreError::Kind::Busy;
        if (text.contains(QLatin1String("UNIQUE constraint failed")))
            return StoreError::Kind::UniqueViolation;
        return error.type() == QSqlError::ConnectionError ? StoreError::Kind::Unavailable
                                                          : StoreError::Kind::Other;
    }
    switch (primary) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return StoreError::Kind::Busy;
    case 7: // SQLITE_NOMEM
    case 8: // SQLITE_READONLY
    case 10: // SQLITE_IOERR
    case 11: // SQLITE_CORRUPT: not the command's fault either
    case 13: // SQLITE_FULL
    case 14: // SQLITE_CANTOPEN
    case 15: // SQLITE_PROTOCOL
    case 26: // SQLITE_NOTADB
        return StoreError::Kind::Unavailable;
    case 19: // SQLITE_CONSTRAINT
        // 2067 UNIQUE and 1555 PRIMARY KEY; other constraints are the statement's own.
        return code == QLatin1String("2067") || code == QLatin1String("1555")
            ? StoreError::Kind::UniqueViolation
            : StoreError::Kind::Other;
    default:
        return StoreError::Kind::Other;
    }
}

void throwQueryError(const QSqlQuery &query, const QString &what)
{
    noteFailedStatement();
    const QSqlError error = query.lastError();
    throw StoreError(QStringLiteral("%1: %2").arg(what, error.text().trimmed()),
        classifyError(error, isPostgresDriver(query.driver())));
}

int execPrepared(QSqlQuery &query, const QString &sql, const std::function<void(QSqlQuery &)> &row)
{
    if (!query.exec())
        throwQueryError(query, QStringLiteral("cannot run \"%1\"").arg(sql.left(80)));
    // A statement with result rows is counted by its rows: PostgreSQL's driver, reading them
    // one at a time, counts none (and a RETURNING gives one row per row it changed).
    int changed = query.isSelect() ? 0 : query.numRowsAffected();
    if (query.isSelect()) {
        while (query.next()) {
            ++changed;
            if (row)
                row(query);
        }
    }
    query.finish();
    return changed;
}

QSqlQuery runQuery(
    const QSqlDatabase &db, const QString &sql, std::initializer_list<QVariant> bindings)
{
    return runQuery(db, sql, QVariantList(bindings));
}

QSqlQuery runQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &bindings)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        throwQueryError(query, QStringLiteral("cannot prepare \"%1\"").arg(sql.left(80)));
    for (const QVariant &value : bindings)
        query.addBindValue(value);
    if (!query.exec())
        throwQueryError(query, QStringLiteral("cannot run \"%1\"").arg(sql.left(80)));
    return query;
}

QSqlQuery &runPrepared(
    const QSqlDatabase &db, const QString &sql, std::initializer_list<QVariant> bindings)
{
    QSqlQuery &query = preparedStatement(db, sql);
    int i = 0;
    for (const QVariant &value : bindings)
        query.bindValue(i++, value);
    if (!query.exec())
        throwQueryError(query, QStringLiteral("cannot run \"%1\"").arg(sql.left(80)));
    return query;
}

void forEachInChunks(const QSqlDatabase &db, const QString &sqlBeforeList, const QStringList &keys,
    const std::function<void(QSqlQuery &)> &row)
{
    if (keys.isEmpty())
        return;
    if (isPostgres(db)) {
        // One statement whatever the number of keys: each statement is a round trip.
        const QString sql = sqlBeforeList + QStringLiteral(" = ANY(CAST(? AS text[]))");
        QSqlQuery &query = preparedStatement(db, sql);
        query.bindValue(0, postgresArrayLiteral(keys));
        execPrepared(query, sql, row);
        return;
    }
    // Each bound value costs a QSqlResult some string work of its own: a lookup of one key (as
    // every request's pre-check makes) binds one value, not a whole chunk of padding.
    constexpr int kSizes[] = { 1, 8, 64 };
    static const QStringList placeholders = [&] {
        QStringList lists;
        for (int size : kSizes) {
            QStringList marks;
            for (int i = 0; i < size; ++i)
                marks << QStringLiteral("?");
            lists << QStringLiteral(" IN (") + marks.join(QStringLiteral(", ")) + QLatin1Char(')');
        }
        return lists;
    }();
    for (qsizetype start = 0; start < keys.size();) {
        const qsizetype left = keys.size() - start;
        int which = 0;
        while (which + 1 < int(std::size(kSizes)) && kSizes[which] < left)
            ++which;
        const int chunk = kSizes[which];
        const QString sql = sqlBeforeList + placeholders.at(which);
        QSqlQuery &query = preparedStatement(db, sql);
        for (int i = 0; i < chunk; ++i) {
            // An empty key: ids are never empty, so padding matches nothing.
            query.bindValue(
                i, start + i < keys.size() ? keys.at(start + i) : QString(QLatin1String("")));
        }
        execPrepared(query, sql, row);
        start += chunk;
    }
}

void runStatement(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        throwQueryError(query, QStringLiteral("cannot run \"%1\"").arg(sql.left(80)));
}

} // namespace waybill
