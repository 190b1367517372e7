#include "database.h"

#include "schema.h"
#include "sql.h"
#include "sqlitestatement.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QThreadStorage>

#include <memory>

namespace waybill {

Q_LOGGING_CATEGORY(lcDatabase, "waybill.database")

namespace {

std::atomic<quint64> g_nextDatabaseId { 1 };
// Key of the advisory lock that serializes all event writers on PostgreSQL.
constexpr qint64 kWriterLockKey = 7420001;
// Each SQLite connection's page cache (PRAGMA cache_size: negative is KiB), and the one of a
// connection while it walks the whole history (HistoryWalk).
constexpr int kPageCacheKiB = 65536;
constexpr int kHistoryWalkPageCacheKiB = 2048;
// How long GET /health waits for the writer lock when it checks that writers can have it.
constexpr int kProbeLockWaitMs = 200;

// Statements that failed in this process so far; a connection checked at an older count is
// checked again before it is handed out.
std::atomic<quint64> g_failedStatements { 0 };

qint64 steadyNowMs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed();
}

struct ThreadConnection
{
    QString name;
    quint64 checkedAtFailures = 0; // g_failedStatements when it was last known to work
};

// The connections one thread has opened; removed when the thread ends, because a QSqlDatabase
// may only be used, and closed, by the thread that opened it.
struct ThreadConnections
{
    QHash<quint64, ThreadConnection> connections; // database id -> connection
    // Prepared statements per connection, so that hot statements are parsed (and, on
    // PostgreSQL, prepared on the server) once per connection instead of once per use.
    QHash<QString, QHash<QString, std::shared_ptr<QSqlQuery>>>
        statements; // connection name -> sql -> query
    // The same, for statements run on SQLite's own interface.
    QHash<QString, QHash<QString, std::shared_ptr<SqliteStatement>>> sqliteStatements;
    ~ThreadConnections()
    {
        // Before the connections they use are removed: SQLite closes no connection that has
        // statements left.
        statements.clear();
        sqliteStatements.clear();
        for (const ThreadConnection &c : std::as_const(connections))
            remove(c.name);
    }
    void dropStatements(const QString &name)
    {
        statements.remove(name);
        sqliteStatements.remove(name);
    }
    static void remove(const QString &name)
    {
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
};

QThreadStorage<ThreadConnections *> g_threadConnections;

ThreadConnections &threadConnections()
{
    if (!g_threadConnections.hasLocalData())
        g_threadConnections.setLocalData(new ThreadConnections);
    return *g_threadConnections.localData();
}

// Runs a statement whose failure is not news (a check, a clean-up): it does not count as a
// failed statement.
bool runQuietly(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    return q.exec(sql);
}

} // namespace

void noteFailedStatement()
{
    ++g_failedStatements;
}

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

SqliteStatement *sqliteStatement(const QSqlDatabase &db, const QString &sql)
{
    sqlite3 *handle = sqliteHandle(db);
    if (!handle)
        return nullptr;
    auto &cache = threadConnections().sqliteStatements[db.connectionName()];
    auto it = cache.find(sql);
    if (it == cache.end())
        it = cache.insert(sql, std::make_shared<SqliteStatement>(handle, sql));
    return it->get();
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
{
    if (m_url.kind == DatabaseUrl::Kind::Sqlite) {
        m_checkpointer
            = std::make_unique<WalCheckpointer>(m_url.path, m_durability == Durability::Full);
    }
}

Database::~Database()
{
    // Connections of other threads are removed when those threads end; this thread's now.
    closeConnection();
}

QSqlDatabase Database::connection()
{
    return threadConnection(Purpose::General);
}

QSqlDatabase Database::lookupConnection()
{
    return threadConnection(isPostgres() ? Purpose::Lookups : Purpose::General);
}

QSqlDatabase Database::threadConnection(Purpose purpose)
{
    ThreadConnections &mine = threadConnections();
    const quint64 key = connectionKey(purpose);
    auto it = mine.connections.find(key);
    if (it == mine.connections.end()) {
        const QString name
            = QStringLiteral("waybill-%1-%2%3")
                  .arg(m_id)
                  .arg(reinterpret_cast<quintptr>(QThread::currentThread()), 0, 16)
                  .arg(purpose == Purpose::Lookups ? QStringLiteral("-lookups") : QString());
        it = mine.connections.insert(key, { name, 0 });
    } else {
        QSqlDatabase db = QSqlDatabase::database(it->name, false);
        const quint64 failures = g_failedStatements.load();
        if (db.isOpen() && it->checkedAtFailures == failures)
            return db;
        // A statement failed somewhere since this connection was last known to work: if the
        // database dropped it (a restart, a failover), it is opened again now rather than
        // failing the caller's first statement.
        if (db.isOpen() && runQuietly(db, QStringLiteral("SELECT 1"))) {
            it->checkedAtFailures = failures;
            return db;
        }
        if (db.isOpen()) {
            qCInfo(lcDatabase).noquote()
                << "a connection to" << m_url.toDisplayString() << "was lost; opening it again";
        }
        // Under the same name, so that copies of it held elsewhere on this thread stay valid.
        mine.dropStatements(it->name);
        db.close();
    }
    const quint64 failures = g_failedStatements.load();
    QSqlDatabase db = openWithBackoff(it->name, purpose);
    it->checkedAtFailures = failures;
    return db;
}

quint64 Database::connectionKey(Purpose purpose) const
{
    return m_id * 2 + (purpose == Purpose::Lookups ? 1 : 0);
}

void Database::closeConnection()
{
    if (!g_threadConnections.hasLocalData())
        return;
    ThreadConnections &mine = threadConnections();
    for (const Purpose purpose : { Purpose::General, Purpose::Lookups }) {
        const QString name = mine.connections.take(connectionKey(purpose)).name;
        if (name.isEmpty())
            continue;
        mine.dropStatements(name);
        ThreadConnections::remove(name);
    }
}

QSqlDatabase Database::openWithBackoff(const QString &name, Purpose purpose)
{
    const qint64 now = steadyNowMs();
    const qint64 openAt = m_nextOpenAtMs.load();
    if (now < openAt) {
        QMutexLocker lock(&m_lastOpenErrorMutex);
        throw StoreError(
            QStringLiteral("%1 (next attempt in %2 ms)").arg(m_lastOpenError).arg(openAt - now),
            StoreError::Kind::Unavailable);
    }
    try {
        QSqlDatabase db = open(name, purpose);
        if (m_reconnectPauseMs.exchange(0) != 0) {
            m_nextOpenAtMs = 0;
            qCInfo(lcDatabase).noquote() << m_url.toDisplayString() << "answers again";
        }
        return db;
    } catch (const StoreError &e) {
        // Not left half set up: the next attempt starts afresh.
        QSqlDatabase::database(name, false).close();
        if (!e.isTransient())
            throw;
        const int pause
            = qBound(kFirstReconnectPauseMs, m_reconnectPauseMs.load() * 2, kMaxReconnectPauseMs);
        m_reconnectPauseMs = pause;
        m_nextOpenAtMs = steadyNowMs() + pause;
        {
            QMutexLocker lock(&m_lastOpenErrorMutex);
            m_lastOpenError = e.message();
        }
        qCWarning(lcDatabase).noquote() << e.message() << "- trying again in" << pause << "ms";
        throw;
    }
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
        const StoreError::Kind kind = classifyError(wal.lastError(), false);
        if (kind != StoreError::Kind::Busy || waited.elapsed() >= m_lockTimeoutMs) {
            throw StoreError(QStringLiteral("cannot switch %1 to write-ahead logging: %2")
                                 .arg(m_url.toDisplayString(), wal.lastError().text()),
                kind == StoreError::Kind::Other ? StoreError::Kind::Unavailable : kind);
        }
        wal.finish();
        QThread::msleep(pauseMs);
        pauseMs = qMin(pauseMs * 2, 50);
    }
}

QSqlDatabase Database::open(const QString &name, Purpose purpose)
{
    // QtSql 6.4 registers the cleanup of its registries at their first use, behind a flag with
    // no lock. Two threads using them first at once can register it twice; at exit the second
    // run of the cleanup then registers itself again, forever, and the process never ends. The
    // first use is therefore made once, by one thread, before any connection is added.
    static const bool qtSqlRegistriesReady = [] {
        QSqlDatabase::contains(QString());
        QSqlDatabase::drivers();
        return true;
    }();
    Q_UNUSED(qtSqlRegistriesReady);
    const bool sqlite = m_url.kind == DatabaseUrl::Kind::Sqlite;
    QSqlDatabase db = QSqlDatabase::contains(name)
        ? QSqlDatabase::database(name, false)
        : QSqlDatabase::addDatabase(
            sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), name);
    if (sqlite) {
        db.setDatabaseName(m_url.path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(m_lockTimeoutMs));
    } else {
        db.setHostName(m_url.host);
        db.setPort(m_url.port);
        db.setUserName(m_url.user);
        db.setPassword(m_url.password);
        db.setDatabaseName(m_url.databaseName);
        db.setConnectOptions(m_url.postgresConnectOptions());
    }
    if (!db.open()) {
        const QString why = db.lastError().text();
        throw StoreError(QStringLiteral("cannot open %1: %2").arg(m_url.toDisplayString(), why),
            StoreError::Kind::Unavailable);
    }
    // A connection that cannot be set up is as good as none.
    const auto setUp = [&db](const QString &sql) {
        if (!runQuietly(db, sql)) {
            throw StoreError(
                QStringLiteral("cannot run \"%1\": %2").arg(sql, db.lastError().text()),
                StoreError::Kind::Unavailable);
        }
    };
    if (sqlite) {
        switchToWriteAheadLog(db);
        setUp(m_durability == Durability::Full ? QStringLiteral("PRAGMA synchronous=FULL")
                                               : QStringLiteral("PRAGMA synchronous=NORMAL"));
        setUp(QStringLiteral("PRAGMA foreign_keys=OFF"));
        // The default page cache (2 MiB) stops holding the indexes' inner pages once the log
        // has some hundred thousand events; then every insert reads pages again. 64 MiB per
        // connection keeps the per-command cost nearly flat as the history grows.
        setUp(QStringLiteral("PRAGMA cache_size=-%1").arg(kPageCacheKiB));
        // No memory map: in WAL mode a connection that finds the log changed by another one
        // unmaps the whole file before its next read and faults every page in again after it,
        // so with the inbox, the engine and the readers all on one file, every transaction paid
        // an munmap (with its TLB shootdown on every core) and a page fault per page touched.
        // Reads through the page cache cost a copy instead (design.md, "SQLite").
        setUp(QStringLiteral("PRAGMA mmap_size=0"));
        // A multi-row write inside a transaction keeps a statement journal (to undo that
        // statement alone); past 64 KiB SQLite moved it to a new file in /var/tmp, about once
        // per 130 commands of the engine. In memory it costs a few hundred KiB at most.
        setUp(QStringLiteral("PRAGMA temp_store=MEMORY"));
        // Checkpoints run on the checkpointer's thread, not after this connection's commits.
        if (sqlite3 *handle = sqliteHandle(db))
            m_checkpointer->attach(handle);
    } else {
        setUp(QStringLiteral("SET TIME ZONE 'UTC'"));
        setUp(QStringLiteral("SET client_min_messages = warning"));
        setUp(m_durability == Durability::Full ? QStringLiteral("SET synchronous_commit=on")
                                               : QStringLiteral("SET synchronous_commit=off"));
        // Writers wait for the advisory lock as long as SQLite's wait for its lock, not for ever.
        setUp(QStringLiteral("SET lock_timeout = %1").arg(m_lockTimeoutMs));
        // The driver prepares every statement on the server, and after five executions
        // PostgreSQL may keep one generic plan for good, made from the statistics of that
        // moment: on a new database, a near-empty table. The batch lookups (`id = ANY(list)`)
        // then scanned the whole table comparing each row with each id of the list in turn,
        // 138 ms a batch at 25,000 commands, until autovacuum happened to analyze the table. A
        // plan made for each execution sees the table's real size and the list itself (hashed,
        // or looked up in the index); planning costs far less than one such scan.
        if (purpose == Purpose::Lookups) {
            // A request's pre-check is one statement of lookups by key, made for each request:
            // planned each time, its planning cost five times its execution (52 against 9 us,
            // pg_stat_statements). Here it is planned once per connection, generically; with
            // sequential scans ruled out, that plan reads the indexes however small the tables
            // were when it was made.
            setUp(QStringLiteral("SET plan_cache_mode = force_generic_plan"));
            setUp(QStringLiteral("SET enable_seqscan = off"));
        } else {
            setUp(QStringLiteral("SET plan_cache_mode = force_custom_plan"));
        }
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

bool Database::probe(QString *why)
{
    try {
        const QSqlDatabase db = connection();
        {
            QSqlQuery read = runQuery(db, QStringLiteral("SELECT COUNT(*) FROM schema_migrations"));
            read.next();
        }
        if (m_writesBlocked.load()) {
            takeWriterLockBriefly(db);
            m_writesBlocked = false;
        }
        return true;
    } catch (const StoreError &e) {
        if (why)
            *why = e.message();
        return false;
    }
}

WalCheckpointer::Stats Database::checkpointStats() const
{
    return m_checkpointer ? m_checkpointer->stats() : WalCheckpointer::Stats {};
}

void Database::takeWriterLockBriefly(const QSqlDatabase &db)
{
    // Not through WriteTransaction: this must not queue behind the writers of this process for
    // the whole lock timeout, only see whether the database's lock can be had.
    const auto fail = [](const QString &what) {
        throw StoreError(QStringLiteral("the writer lock could not be taken: %1").arg(what),
            StoreError::Kind::Busy);
    };
    if (isPostgres()) {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("BEGIN")))
            fail(q.lastError().text());
        const bool locked
            = q.exec(QStringLiteral("SET LOCAL lock_timeout = %1").arg(kProbeLockWaitMs))
            && q.exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kWriterLockKey));
        const QString error = q.lastError().text();
        runQuietly(db, QStringLiteral("ROLLBACK"));
        if (!locked)
            fail(error);
        return;
    }
    runQuietly(db, QStringLiteral("PRAGMA busy_timeout=%1").arg(kProbeLockWaitMs));
    QSqlQuery q(db);
    const bool locked = q.exec(QStringLiteral("BEGIN IMMEDIATE"));
    const QString error = q.lastError().text();
    if (locked)
        runQuietly(db, QStringLiteral("ROLLBACK"));
    runQuietly(db, QStringLiteral("PRAGMA busy_timeout=%1").arg(m_lockTimeoutMs));
    if (!locked)
        fail(error);
}

WriteTransaction::WriteTransaction(Database &database)
    : m_database(database)
    , m_turn(&database.m_writerMutex)
{
    try {
        m_db = database.connection();
        if (database.isPostgres()) {
            runStatement(m_db, QStringLiteral("BEGIN"));
            m_open = true;
            runStatement(
                m_db, QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kWriterLockKey));
        } else {
            runStatement(m_db, QStringLiteral("BEGIN IMMEDIATE"));
            m_open = true;
        }
    } catch (const StoreError &e) {
        // The destructor does not run for a constructor that throws: without this, a failed lock
        // statement would leave PostgreSQL's transaction open, and aborted, on this connection.
        if (m_open) {
            runQuietly(m_db, QStringLiteral("ROLLBACK"));
            m_open = false;
        }
        if (e.isTransient())
            database.m_writesBlocked = true;
        throw;
    }
}

WriteTransaction::~WriteTransaction()
{
    finishStatements(m_db);
    if (m_open)
        runQuietly(m_db, QStringLiteral("ROLLBACK"));
}

void WriteTransaction::commit()
{
    finishStatements(m_db);
    try {
        runStatement(m_db, QStringLiteral("COMMIT"));
    } catch (const StoreError &e) {
        if (e.isTransient())
            m_database.m_writesBlocked = true;
        throw;
    }
    m_open = false;
    m_database.m_writesBlocked = false;
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

HistoryWalk::HistoryWalk(Database &database)
    : m_database(database)
{
    if (!database.isPostgres()) {
        runQuietly(database.connection(),
            QStringLiteral("PRAGMA cache_size=-%1").arg(kHistoryWalkPageCacheKiB));
    }
}

HistoryWalk::~HistoryWalk()
{
    if (m_database.isPostgres())
        return;
    try {
        runQuietly(
            m_database.connection(), QStringLiteral("PRAGMA cache_size=-%1").arg(kPageCacheKiB));
    } catch (const StoreError &) {
        // No connection to give its cache back to: the next one is set up afresh.
    }
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
    if (m_open)
        runQuietly(m_db, QStringLiteral("COMMIT"));
}

} // namespace waybill
