#include "sql.h"

#include <QSqlError>
#include <QStringList>

namespace waybill {

bool isBusy(const QSqlError &error)
{
    // Extended result codes: the primary code is the low byte (SQLITE_BUSY 5, SQLITE_LOCKED 6).
    bool numeric = false;
    const int primary = error.nativeErrorCode().toInt(&numeric) & 0xff;
    return (numeric && (primary == 5 || primary == 6))
        || error.text().contains(QLatin1String("database is locked"));
}

void throwQueryError(const QSqlQuery &query, const QString &what)
{
    const QSqlError error = query.lastError();
    const QString code = error.nativeErrorCode();
    const QString text = error.text();
    auto kind = StoreError::Kind::Other;
    // SQLite extended code 2067 / PostgreSQL SQLSTATE 23505: a unique constraint refused a row.
    if (code == QLatin1String("2067") || code == QLatin1String("1555")
        || code == QLatin1String("23505")
        || text.contains(QLatin1String("UNIQUE constraint failed")))
        kind = StoreError::Kind::UniqueViolation;
    else if (isBusy(error))
        kind = StoreError::Kind::Busy;
    throw StoreError(QStringLiteral("%1: %2").arg(what, text.trimmed()), kind);
}

QSqlQuery runQuery(
    const QSqlDatabase &db, const QString &sql, std::initializer_list<QVariant> bindings)
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
    constexpr int kChunk = 64;
    static const QString placeholders = [] {
        QStringList marks;
        for (int i = 0; i < kChunk; ++i)
            marks << QStringLiteral("?");
        return QStringLiteral(" IN (") + marks.join(QStringLiteral(", ")) + QLatin1Char(')');
    }();
    const QString sql = sqlBeforeList + placeholders;
    for (int start = 0; start < keys.size(); start += kChunk) {
        QSqlQuery &query = preparedStatement(db, sql);
        for (int i = 0; i < kChunk; ++i) {
            // An empty key: ids are never empty, so padding matches nothing.
            query.bindValue(
                i, start + i < keys.size() ? keys.at(start + i) : QString(QLatin1String("")));
        }
        if (!query.exec())
            throwQueryError(query, QStringLiteral("cannot run \"%1\"").arg(sql.left(80)));
        while (query.next())
            row(query);
        query.finish();
    }
}

void runStatement(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        throwQueryError(query, QStringLiteral("cannot run \"%1\"").arg(sql.left(80)));
}

} // namespace waybill
