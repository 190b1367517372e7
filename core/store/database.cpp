#include "database.h"

#include "schema.h"
#include "sql.h"

#include <QElapsedTimer>
#include <QHash>

#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QThreadStorage>
#include <memory>

namespace waybill {

namespace {

std::atomic<quint64> g_nextDatabaseId { 1 };
// Key of the advisory lock that serializes all event writers on PostgreSQL.
constexpr qint64 kWriterLockKey = 7420001;
// How long a SQLite connection waits for another's lock before it gives up.
constexpr int kSqliteBusyTimeoutMs = 30000;

// The connections one thread has opened; removed when the thread ends, because a QSqlDatabase
// may only be used, and closed, by the thread that opened it.
struct ThreadConnections
{
    QHash<quint64, QString> names; // database id -> connection name
    // Prepared statements per connection, so that hot statements are parsed (and, on
    // PostgreSQL, prepared on the server) once per connection instead of once per use.
    QHash<QString, QHash<QString, std::shared_ptr<QSqlQuery>>>
        statements; // connection name -> sql -> query
    ~ThreadConnections()
    {
        statements.clear(); // before the connections they use are removed
        for (const QString &name : std::as_const(names)) {
            {
                QSqlDatabase db = QSqlDatabase::database(name, false);
                db.close();
            }
            QSqlDatabase::removeDatabase(name);
        }
    }
};

QThreadStorage<ThreadConnections *> g_threadConnections;

ThreadConnections &threadConnections()
{
    if (!g_threadConnections.hasLocalData())
        g_threadConnections.setLocalData(new ThreadConnections);
    return *g_threadConnections.localData();
}

} // namespace

QSqlQuery &preparedStatement(const QSqlDatabase &db, const QString &sql)
{
    auto &cache = threadConnections().statements[db.connectionName()];
    auto it = cache.find(sql);
    if (it == cache.end()) {
        auto query = std::make_shared<QSqlQuery>(db);
        query->setForwardOnly(true);
        if (!query->prepare(sql))
            throwQueryError(*query, QStringLiteral("cannot prepare \"%1\"").arg(sql.left(80)));
        it = cache.insert(sql, query);
    }
    return **it;
}

void finishStatements(const QSqlDatabase &db)
{
    if (!g_threadConnections.hasLocalData())
        return;
    const auto it = threadConnections().statements.find(db.connectionName());
    if (it == threadConnections().statements.end())
        return;
    for (const auto &q : std::as_const(*it))
        q->finish();
}

Database::Database(DatabaseUrl url, Durability durability)
    : m_url(std::move(url))
    , m_durability(durability)
    , m_id(g_nextDatabaseId++)
{ }

Database::~Database()
{
    // Connections of other threads are removed when those threads end; this thread's now.
    closeConnection();
}

QSqlDatabase Database::connection()
{
    ThreadConnections &mine = threadConnections();
    const auto it = mine.names.constFind(m_id);
    if (it != mine.names.constEnd()) {
        QSqlDatabase db = QSqlDatabase::database(*it, false);
        if (db.isOpen())
            return db;
    }
    const QString name = QStringLiteral("waybill-%1-%2")
                             .arg(m_id)
                             .arg(reinterpret_cast<quintptr>(QThread::currentThread()), 0, 16);
    QSqlDatabase db = open(name);
    mine.names.insert(m_id, name);
    return db;
}

void Database::closeConnection()
{
    if (!g_threadConnections.hasLocalData())
        return;
    ThreadConnections &mine = threadConnections();
    const QString name = mine.names.take(m_id);
    if (name.isEmpty())
        return;
    mine.statements.remove(name);
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

void Database::switchToWriteAheadLog(const QSqlDatabase &db) const
{
    // Switching a fresh file to WAL needs an exclusive lock. When another connection is doing
    // the same (two processes, or threads, opening a new database at once), SQLite answers
    // "database is locked" at once instead of calling the busy handler, since waiting there
    // could deadlock. So this waits for the lock itself, as long as any other writer would.
    QElapsedTimer waited;
    waited.start();
    int pauseMs = 1;
    for (;;) {
        QSqlQuery wal(db);
        if (wal.exec(QStringLiteral("PRAGMA journal_mode=WAL")) && wal.next()) {
            const QString mode = wal.value(0).toString();
            if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0)
                return;
            throw StoreError(QStringLiteral("cannot switch %1 to write-ahead logging: it stays in "
                                            "%2 mode")
                                 .arg(m_url.toDisplayString(), mode));
        }
        const bool busy = isBusy(wal.lastError());
        if (!busy || waited.elapsed() >= kSqliteBusyTimeoutMs) {
            throw StoreError(QStringLiteral("cannot switch %1 to write-ahead logging: %2")
                                 .arg(m_url.toDisplayString(), wal.lastError().text()),
                busy ? StoreError::Kind::Busy : StoreError::Kind::Other);
        }
        wal.finish();
        QThread::msleep(pauseMs);
        pauseMs = qMin(pauseMs * 2, 50);
    }
}

QSqlDatabase Database::open(const QString &name)
{
    const bool sqlite = m_url.kind == DatabaseUrl::Kind::Sqlite;
    QSqlDatabase db = QSqlDatabase::contains(name)
        ? QSqlDatabase::database(name, false)
        : QSqlDatabase::addDatabase(
            sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), name);
    if (sqlite) {
        db.setDatabaseName(m_url.path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kSqliteBusyTimeoutMs));
    } else {
        db.setHostName(m_url.host);
        db.setPort(m_url.port);
        db.setUserName(m_url.user);
        db.setPassword(m_url.password);
        db.setDatabaseName(m_url.databaseName);
        db.setConnectOptions(QStringLiteral("connect_timeout=10"));
    }
    if (!db.open()) {
        const QString why = db.lastError().text();
        throw StoreError(QStringLiteral("cannot open %1: %2").arg(m_url.toDisplayString(), why));
    }
    if (sqlite) {
        switchToWriteAheadLog(db);
        runStatement(db,
            m_durability == Durability::Full ? QStringLiteral("PRAGMA synchronous=FULL")
                                             : QStringLiteral("PRAGMA synchronous=NORMAL"));
        runStatement(db, QStringLiteral("PRAGMA foreign_keys=OFF"));
        // The default page cache (2 MiB) stops holding the indexes' inner pages once the log
        // has some hundred thousand events; then every insert reads pages again. 64 MiB per
        // connection and a memory map keep the per-command cost flat as the history grows.
        runStatement(db, QStringLiteral("PRAGMA cache_size=-65536"));
        runStatement(db, QStringLiteral("PRAGMA mmap_size=1073741824"));
    } else {
        runStatement(db, QStringLiteral("SET TIME ZONE 'UTC'"));
        runStatement(db, QStringLiteral("SET client_min_messages = warning"));
        runStatement(db,
            m_durability == Durability::Full ? QStringLiteral("SET synchronous_commit=on")
                                             : QStringLiteral("SET synchronous_commit=off"));
    }
    return db;
}

void Database::migrate()
{
    // connection() opened the file and switched it to WAL (waiting for the lock if another
    // connection was doing the same); from here on every statement, the creation of
    // schema_migrations and the reading of the version included, runs under the writer lock.
    WriteTransaction tx(*this);
    applyMigrations(tx.db(), isPostgres());
    tx.commit();
}

WriteTransaction::WriteTransaction(Database &database)
    : m_turn(&database.m_writerMutex)
    , m_db(database.connection())
{
    if (database.isPostgres()) {
        runStatement(m_db, QStringLiteral("BEGIN"));
        m_open = true;
        runStatement(m_db, QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kWriterLockKey));
    } else {
        runStatement(m_db, QStringLiteral("BEGIN IMMEDIATE"));
        m_open = true;
    }
}

WriteTransaction::~WriteTransaction()
{
    finishStatements(m_db);
    if (m_open) {
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("ROLLBACK"));
    }
}

void WriteTransaction::commit()
{
    finishStatements(m_db);
    runStatement(m_db, QStringLiteral("COMMIT"));
    m_open = false;
    m_turn.unlock();
}

void WriteTransaction::rollback()
{
    if (!m_open)
        return;
    m_open = false;
    finishStatements(m_db);
    runStatement(m_db, QStringLiteral("ROLLBACK"));
    m_turn.unlock();
}

ReadTransaction::ReadTransaction(Database &database)
    : m_db(database.connection())
{
    runStatement(m_db,
        database.isPostgres()
            ? QStringLiteral("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            : QStringLiteral("BEGIN"));
    m_open = true;
}

ReadTransaction::~ReadTransaction()
{
    finishStatements(m_db);
    if (m_open) {
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("COMMIT"));
    }
}

} // namespace waybill
