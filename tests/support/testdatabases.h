// Gives a test a fresh, real database of either kind: a SQLite file in a temporary folder, or a
// new database in a throwaway PostgreSQL cluster, started on first need once per test executable.
#pragma once

#include "postgrescluster.h"
#include "store/database.h"

#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace waybill::test {

class TestDatabases final
{
public:
    // Also has the process watched as it ends (exitwatch.h).
    TestDatabases();
    Q_DISABLE_COPY_MOVE(TestDatabases)

    static QString sqlite() { return QStringLiteral("sqlite"); }
    static QString postgres() { return QStringLiteral("postgres"); }
    static QStringList all() { return { sqlite(), postgres() }; }
    // Adds a "backend" column with a row for each of all() to a _data function.
    static void addBackendColumn();

    // The URL of a new empty database on backend; label (the test row, say) goes into its name.
    // std::nullopt when there is none; why() then says why.
    std::optional<DatabaseUrl> fresh(const QString &backend, const QString &label = QString());
    // A new database as fresh() gives it, opened and migrated; nullptr when there is none.
    std::unique_ptr<Database> open(const QString &backend, const QString &label = QString());

    // The PostgreSQL cluster's write-ahead log as in a cluster in service, starting the cluster
    // if need be (PostgresCluster::recycleWalSegments): for benchmarks, before they measure.
    bool recyclePostgresWal(int segments, QString *error);

    // Why the last fresh() or open() gave nothing.
    QString why() const { return m_why; }
    // Whether the test may skip for that rather than fail: only PostgreSQL that cannot start
    // may be skipped, and not even that when WAYBILL_REQUIRE_POSTGRES is set.
    bool maySkip() const { return m_maySkip; }

private:
    bool startPostgres();
    void unavailable(const QString &why, bool postgresMissing = false);

    QTemporaryDir m_dir;
    std::unique_ptr<PostgresCluster> m_cluster; // made on the first PostgreSQL row
    QString m_clusterError; // non-empty: it could not start, and will not be tried again
    QString m_why;
    bool m_maySkip = false;
    int m_counter = 0;
};

// Checkpoints a SQLite database's whole log into its file and empties it
// (`wal_checkpoint(TRUNCATE)`), on `db`, a connection of the test's own. While the server's
// checkpointer is copying the log this cannot have the checkpoint lock and answers at once with a
// log of -1: then it is asked again, for up to five seconds. A reader whose snapshot needs the log
// holds it back instead, with the log's real length.
struct TruncatedLog
{
    int busy = 1; // 0: the whole log was copied and emptied
    int log = -1; // pages in the log
    int done = -1; // pages copied
};
TruncatedLog truncateWriteAheadLog(const QSqlDatabase &db);

// Writes about `pages` pages (4 KiB each) of filler to a table `ballast` of the database, in
// write transactions of 100 pages: enough log for SQLite's checkpoints to be asked for.
void writeBallastPages(Database &database, int pages);

// A SQLite connection's page cache as set (`PRAGMA cache_size`: negative is KiB).
int sqlitePageCacheSetting(const QSqlDatabase &db);

} // namespace waybill::test

// Ends the current test when `databases` had no database to give it: skips when only PostgreSQL
// is missing (and not required), fails otherwise.
#define WAYBILL_SKIP_OR_FAIL(databases)                                                            \
    do {                                                                                           \
        if ((databases).maySkip())                                                                 \
            QSKIP(qPrintable((databases).why()));                                                  \
        QFAIL(qPrintable((databases).why()));                                                      \
    } while (false)

// The URL of a fresh database of `backend` for the current test, as `url`; else skips or fails.
#define WAYBILL_FRESH_DATABASE(databases, backend, url)                                            \
    const std::optional<waybill::DatabaseUrl> url##Fresh_ = (databases).fresh(backend);            \
    if (!url##Fresh_)                                                                              \
        WAYBILL_SKIP_OR_FAIL(databases);                                                           \
    const waybill::DatabaseUrl &url = *url##Fresh_

// A fresh, migrated database of `backend` for the current test, as the std::unique_ptr
// `variable`; else skips or fails. label names it.
#define WAYBILL_OPEN_DATABASE(variable, databases, backend, label)                                 \
    std::unique_ptr<waybill::Database> variable = (databases).open((backend), (label));            \
    if (!variable)                                                                                 \
    WAYBILL_SKIP_OR_FAIL(databases)
