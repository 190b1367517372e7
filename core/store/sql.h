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
    enum class Kind {
        Other, // the statement itself failed (what it was given, or a bug): retrying repeats it
        UniqueViolation, // a unique constraint refused a row
        Busy, // the database's lock is held elsewhere for too long (or a deadlock was broken)
        Unavailable // the database cannot be reached or cannot work (connection lost, server
                    // down, disk full, I/O error): retrying once it is back may succeed
    };
    StoreError(const QString &message, Kind kind = Kind::Other)
        : std::runtime_error(message.toStdString())
        , m_message(message)
        , m_kind(kind)
    { }
    const QString &message() const { return m_message; }
    Kind kind() const { return m_kind; }
    // A failure of the database rather than of what was asked of it: the same request may
    // succeed later, and says nothing about its content.
    bool isTransient() const { return m_kind == Kind::Busy || m_kind == Kind::Unavailable; }

private:
    QString m_message;
    Kind m_kind;
};

// Prepares and runs a statement with positional bindings; throws StoreError on failure.
QSqlQuery runQuery(
    const QSqlDatabase &db, const QString &sql, std::initializer_list<QVariant> bindings = {});
// The same, for bindings gathered at run time.
QSqlQuery runQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &bindings);
// Like runQuery, but the statement is prepared once per connection and kept (the hot paths of
// the engine). The result must be read before the same SQL runs again on this connection.
QSqlQuery &runPrepared(
    const QSqlDatabase &db, const QString &sql, std::initializer_list<QVariant> bindings = {});
// The cached statement for this connection and SQL (defined with the connections).
QSqlQuery &preparedStatement(const QSqlDatabase &db, const QString &sql);
// Releases the cached statements' results (at the end of a transaction), so that SQLite
// holds no read snapshot open between transactions.
void finishStatements(const QSqlDatabase &db);
// Runs "<prefix> IN (?, ?, ...)" over the keys in chunks of 1, 8 or 64 (padded with a key that
// matches nothing), so that three prepared statements serve every batch; calls row() per result.
// On PostgreSQL it is one statement, "<prefix> = ANY(array)", whatever the number of keys.
void forEachInChunks(const QSqlDatabase &db, const QString &sqlBeforeList, const QStringList &keys,
    const std::function<void(QSqlQuery &)> &row);
// Runs a prepared statement whose values are bound, passes each result row, if any, to row() and
// releases the result; sql names the statement in the error. Returns the rows it inserted,
// updated or deleted, or, for a statement with result rows (a SELECT, a RETURNING), the rows it
// returned. Throws StoreError.
int execPrepared(
    QSqlQuery &query, const QString &sql, const std::function<void(QSqlQuery &)> &row = {});
// Whether the connection is to PostgreSQL (else SQLite).
bool isPostgres(const QSqlDatabase &db);

// Whether QtSql binds the value as NULL: a null QVariant of any type, and also a null string or
// byte array, which a Qt 6 QVariant does not call null.
bool isSqlNull(const QVariant &value);
// Runs a statement that takes no bindings (DDL, BEGIN, COMMIT) without preparing it.
void runStatement(const QSqlDatabase &db, const QString &sql);
// What kind of failure a QtSql error is, on either database.
StoreError::Kind classifyError(const QSqlError &error, bool postgres);
[[noreturn]] void throwQueryError(const QSqlQuery &query, const QString &what);
// Called for every failed statement (defined with the connections): every thread checks its
// connection before it next uses it, so that a connection the database dropped is opened
// again instead of failing a request.
void noteFailedStatement();

} // namespace waybill
