// A handle to Waybill's database that gives each thread its own QSqlDatabase connection, and
// opens it again when the database dropped it.
#pragma once

#include "databaseurl.h"
#include "walcheckpointer.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QString>

#include <atomic>
#include <memory>

namespace waybill {

enum class Durability {
    Full, // an acknowledged write is on disk (survives power loss): the default
    Process // survives a crash of the process, not of the machine (SQLite synchronous=NORMAL)
};

class Database final
{
public:
    // How long a writer waits for the database's lock while another connection or program
    // holds it, unless setLockTimeout says otherwise.
    static constexpr int kDefaultLockTimeoutMs = 30000;
    // After a failed attempt to open a connection, the next waits this long, doubling up to
    // kMaxReconnectPauseMs, so that a database that went away is not hammered by every thread.
    static constexpr int kFirstReconnectPauseMs = 50;
    static constexpr int kMaxReconnectPauseMs = 1000;

    explicit Database(DatabaseUrl url, Durability durability = Durability::Full);
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    const DatabaseUrl &url() const { return m_url; }
    bool isPostgres() const { return m_url.kind == DatabaseUrl::Kind::Postgres; }

    // The longest a writer waits for the database's lock (SQLite's busy timeout, PostgreSQL's
    // lock_timeout) before it fails with StoreError::Kind::Busy. Applies to connections opened
    // afterwards.
    void setLockTimeout(int ms) { m_lockTimeoutMs = ms; }
    int lockTimeout() const { return m_lockTimeoutMs; }

    // This thread's connection, opened (and set up: WAL, timeouts) on first use. Once a
    // statement failed anywhere in the process, each connection is checked before it is next
    // handed out, and opened again if the database dropped it. Throws StoreError (Unavailable)
    // when the database cannot be reached; after a failed attempt, the next one waits for a
    // growing pause (see kFirstReconnectPauseMs) and fails at once until then.
    QSqlDatabase connection();
    // This thread's connection for lookups by key made for every request (a pre-check's one
    // statement): on PostgreSQL a second connection of the thread, on which each statement is
    // planned once (a generic plan) and never as a scan of a whole table, so that only lookups
    // by one indexed key belong on it (a plan made once cannot choose between two indexes by
    // the data); on SQLite, where planning is cheap and every connection keeps a large page
    // cache, the thread's connection itself.
    QSqlDatabase lookupConnection();
    // Closes this thread's connections, if any (threads that end do this themselves).
    void closeConnection();

    // Creates or upgrades the schema; safe when several processes start at once: the whole
    // sequence, from the first statement on a fresh file, waits for the database's lock.
    void migrate();

    // Whether the database answers now, for GET /health: a read through this thread's
    // connection and, while writers are failing for want of the lock or the connection, a
    // moment's hold of the writer lock. On false, why (if given) says what failed.
    bool probe(QString *why = nullptr);

    // SQLite: the checkpoints run so far, on the checkpointer's thread and on writers' (see
    // WalCheckpointer). PostgreSQL: none.
    WalCheckpointer::Stats checkpointStats() const;

private:
    enum class Purpose { General, Lookups };
    QSqlDatabase threadConnection(Purpose purpose);
    quint64 connectionKey(Purpose purpose) const;
    QSqlDatabase open(const QString &name, Purpose purpose);
    QSqlDatabase openWithBackoff(const QString &name, Purpose purpose);
    void switchToWriteAheadLog(const QSqlDatabase &db) const;
    void takeWriterLockBriefly(const QSqlDatabase &db);
    friend class WriteTransaction;

    DatabaseUrl m_url;
    // Writers of this process take turns here before they take the database's own lock, so
    // that they queue instead of polling (SQLite's busy handler sleeps in steps of up to 100 ms).
    QMutex m_writerMutex;
    Durability m_durability;
    quint64 m_id;
    std::atomic<int> m_lockTimeoutMs { kDefaultLockTimeoutMs };
    // Reconnection backoff, shared by every thread: no attempt before m_nextOpenAtMs (steady
    // clock), m_reconnectPauseMs is the pause after the next failure.
    std::atomic<qint64> m_nextOpenAtMs { 0 };
    std::atomic<int> m_reconnectPauseMs { 0 };
    QMutex m_lastOpenErrorMutex;
    QString m_lastOpenError;
    // A writer failed for want of the lock or of the connection, and none succeeded since.
    std::atomic<bool> m_writesBlocked { false };
    // SQLite: copies the log into the file off the writers' threads. Last, so that it is
    // destroyed first.
    std::unique_ptr<WalCheckpointer> m_checkpointer;
};

// One write transaction. SQLite: BEGIN IMMEDIATE. PostgreSQL: BEGIN plus a transaction-level
// advisory lock, so that writers commit one at a time in global-position order and no reader
// can ever see position N+1 before N (the gap problem of SQL event stores is designed out).
// A transaction that could not take the lock leaves nothing open on its connection.
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
    Database &m_database;
    QMutexLocker<QMutex> m_turn;
    QSqlDatabase m_db;
    bool m_open = false;
};

// For a walk that reads each page of the history once (an export, a verification, a copy): while
// it lives, this thread's SQLite connection keeps a page cache of SQLite's default size (2 MiB)
// rather than 64 MiB, so that the walk's memory does not grow with the history. A cache only
// helps pages read again. Nothing on PostgreSQL.
class HistoryWalk final
{
public:
    explicit HistoryWalk(Database &database);
    ~HistoryWalk();
    Q_DISABLE_COPY_MOVE(HistoryWalk)

private:
    Database &m_database;
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
