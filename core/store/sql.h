// Small helpers that turn QtSql's error returns into exceptions inside the store and engine.
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <functional>
#include <initializer_list>
#include <stdexcept>

namespace waybill {

class StoreError : public std::runtime_error
{
public:
    enum class Kind { Other, UniqueViolation, Busy };
    StoreError(const QString &message, Kind kind = Kind::Other)
        : std::runtime_error(message.toStdString())
        , m_message(message)
        , m_kind(kind)
    { }
    const QString &message() const { return m_message; }
    Kind kind() const { return m_kind; }

private:
    QString m_message;
    Kind m_kind;
};

// Prepares and runs a statement with positional bindings; throws StoreError on failure.
QSqlQuery runQuery(
    const QSqlDatabase &db, const QString &sql, std::initializer_list<QVariant> bindings = {});
// Like runQuery, but the statement is prepared once per connection and kept (the hot paths of
// the engine). The result must be read before the same SQL runs again on this connection.
QSqlQuery &runPrepared(
    const QSqlDatabase &db, const QString &sql, std::initializer_list<QVariant> bindings = {});
// The cached statement for this connection and SQL (defined with the connections).
QSqlQuery &preparedStatement(const QSqlDatabase &db, const QString &sql);
// Releases the cached statements' results (at the end of a transaction), so that SQLite
// holds no read snapshot open between transactions.
void finishStatements(const QSqlDatabase &db);
// Runs "<prefix> IN (?, ?, ...)" over the keys in chunks of a fixed size (padded with a key that
// matches nothing), so that one prepared statement serves every batch; calls row() per result.
void forEachInChunks(const QSqlDatabase &db, const QString &sqlBeforeList, const QStringList &keys,
    const std::function<void(QSqlQuery &)> &row);
// Runs a statement that takes no bindings (DDL, BEGIN, COMMIT) without preparing it.
void runStatement(const QSqlDatabase &db, const QString &sql);
// Whether the database refused because another connection holds its lock (SQLite's BUSY or
// LOCKED, in their extended forms too).
bool isBusy(const QSqlError &error);
[[noreturn]] void throwQueryError(const QSqlQuery &query, const QString &what);

} // namespace waybill
