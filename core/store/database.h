// A handle to Waybill's database that gives each thread its own QSqlDatabase connection.
#pragma once

#include "databaseurl.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QString>

#include <atomic>

namespace waybill {

enum class Durability {
    Full, // an acknowledged write is on disk (survives power loss): the default
    Process // survives a crash of the process, not of the machine (SQLite synchronous=NORMAL)
};

class Database final
{
public:
    explicit Database(DatabaseUrl url, Durability durability = Durability::Full);
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    const DatabaseUrl &url() const { return m_url; }
    bool isPostgres() const { return m_url.kind == DatabaseUrl::Kind::Postgres; }

    // This thread's connection, opened (and set up: WAL, busy timeout) on first use.
    // Throws StoreError when the database cannot be opened.
    QSqlDatabase connection();
    // Closes this thread's connection, if any (threads that end do this themselves).
    void closeConnection();

    // Creates or upgrades the schema; safe when several processes start at once: the whole
    // sequence, from the first statement on a fresh file, waits for the database's lock.
    void migrate();

private:
    QSqlDatabase open(const QString &name);
    void switchToWriteAheadLog(const QSqlDatabase &db) const;
    friend class WriteTransaction;

    DatabaseUrl m_url;
    // Writers of this process take turns here before they take the database's own lock, so
    // that they queue instead of polling (SQLite's busy handler sleeps in steps of up to 100 ms).
    QMutex m_writerMutex;
    Durability m_durability;
    quint64 m_id;
};

// One write transaction. SQLite: BEGIN IMMEDIATE. PostgreSQL: BEGIN plus a transaction-level
// advisory lock, so that writers commit one at a time in global-position order and no reader
// can ever see position N+1 before N (the gap problem of SQL event stores is designed out).
class WriteTransaction final
{
public:
    explicit WriteTransaction(Database &database);
    ~WriteTransaction();
    Q_DISABLE_COPY_MOVE(WriteTransaction)

    QSqlDatabase &db() { return m_db; }
    void commit();
    void rollback();

private:
    void release();

    QMutexLocker<QMutex> m_turn;
    QSqlDatabase m_db;
    bool m_open = false;
};

// A read transaction giving one consistent snapshot (used by paged exports and rebuilds).
class ReadTransaction final
{
public:
    explicit ReadTransaction(Database &database);
    ~ReadTransaction();
    Q_DISABLE_COPY_MOVE(ReadTransaction)
    QSqlDatabase &db() { return m_db; }

private:
    QSqlDatabase m_db;
    bool m_open = false;
};

} // namespace waybill
