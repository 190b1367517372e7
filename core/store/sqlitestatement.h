// A statement run on SQLite's own interface, under a QtSql connection (the same handle, the same
// transaction). QSqlResult::bindValue formats and hashes a placeholder name for every value it
// binds: on the engine's multi-row writes that cost more than SQLite's work of writing the rows.
// These statements bind straight to SQLite, the way QtSql's SQLite driver does.
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QVariant>

#include <deque>
#include <functional>

struct sqlite3;
struct sqlite3_stmt;

namespace waybill {

class SqliteStatement final
{
public:
    // Prepares sql on the connection's handle. Throws StoreError.
    SqliteStatement(sqlite3 *handle, const QString &sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // index counts from 0. Null (and a null string) binds SQL NULL, as QtSql's driver binds it;
    // a byte array must live until run() returns (it is bound without a copy).
    void bind(int index, const QVariant &value);
    // Runs the statement to its end and makes it ready to bind again, passing each result row,
    // if any, to row() while the statement is on it (read with text() and integer()). Returns
    // the rows it inserted, updated or deleted, or, for a statement with result rows (a SELECT, a
    // RETURNING), the rows it returned. Throws StoreError, classified as for a QtSql error;
    // whatever row() throws is thrown on, with the statement made ready again.
    qint64 run(const std::function<void(const SqliteStatement &)> &row = {});
    // A column of the result row run() is on, counted from 0.
    QString text(int column) const;
    qint64 integer(int column) const;

private:
    int bindText(int at, const QString &text);
    void makeReady();
    QSqlError lastError() const;
    [[noreturn]] void fail(const QString &what, const QSqlError &error) const;

    sqlite3 *m_handle = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    QString m_sql;
    std::deque<QByteArray> m_texts; // the bound texts, until run()
};

// The SQLite handle under a QtSql connection, or nullptr (PostgreSQL, or a driver that does not
// give its handle).
sqlite3 *sqliteHandle(const QSqlDatabase &db);

// The cached statement for this connection and SQL, prepared on its first use (defined with the
// connections, which finalize their statements before they close), or nullptr when the
// connection has no SQLite handle.
SqliteStatement *sqliteStatement(const QSqlDatabase &db, const QString &sql);

} // namespace waybill
