#pragma once

#include <QString>

#include <memory>

QT_BEGIN_NAMESPACE
class QTemporaryDir;
QT_END_NAMESPACE

namespace waybill::test {

// A throwaway PostgreSQL cluster for tests: a fresh data directory in a
// temporary folder, a superuser "waybill" with trust authentication, and a
// server that listens only on 127.0.0.1 on a port nobody else was using.
// Nothing is shared with a system cluster or with other test processes, so
// tests can run in parallel and start from a known-empty state.
//
// Typical use in a Qt Test:
//
//     QString error;
//     if (!m_cluster.start(&error)) {
//         if (PostgresCluster::requirePostgres())
//             QFAIL(qPrintable(error));
//         QSKIP(qPrintable(error));
//     }
//
// Binaries are taken from $WAYBILL_PG_BINDIR, else the newest
// /usr/lib/postgresql/*/bin, else PATH. When the test runs as root the server
// runs as the "postgres" user, because PostgreSQL refuses to run as root.
class PostgresCluster final
{
public:
    PostgresCluster();
    ~PostgresCluster(); // always stops the server and deletes its files

    // Creates the cluster, starts the server and creates the database
    // "waybill". Returns true at once if already running. On failure returns
    // false and, if error is non-null, describes what went wrong, including
    // the tool output and the tail of the server log.
    bool start(QString *error);

    // Immediate shutdown (no checkpoint: the data is thrown away anyway),
    // then removes the temporary directory. Safe to call at any time.
    void stop();

    // "postgresql://waybill@127.0.0.1:PORT/waybill"; empty when not running.
    QString url() const;

    // Creates a new empty database owned by "waybill" and returns its URL, in
    // the same form as url(). name must match [A-Za-z_][A-Za-z0-9_]* (at most
    // 63 characters) so the URL needs no escaping. Returns an empty string and
    // sets error on failure.
    QString createDatabase(const QString &name, QString *error);

    // Runs a plain-SQL dump (pg_dump --format=plain) into an existing database with psql,
    // stopping at the first error. The dump's \restrict lines are left out, so that a dump made
    // by a newer pg_dump of the same major version loads with any psql.
    bool restorePlainDump(const QString &database, const QString &dumpFile, QString *error);

    // An outage of this cluster, for tests of what its clients go through: interrupt() shuts
    // the server down as a crash or maintenance would (fast mode: sessions are cut, nothing
    // committed is lost), resume() starts it again on the same port with the same data.
    bool interrupt(QString *error);
    bool resume(QString *error);

    // The write-ahead log as in a cluster that has been in service. At each checkpoint
    // PostgreSQL keeps the segments it expects the next cycle to need, to be written again
    // under new names; a new cluster has none, and creates each 16 MiB segment the first time it
    // writes into it: zero-filled and synced in the path of the commit that needs it, while every
    // other commit waits (about 50 ms on the reference machine, once per 16 MiB of writes, which
    // was the whole of the p99 of a PostgreSQL benchmark's paced load). This writes through
    // `segments` segments and checkpoints, so that the writes after it reuse segments rather
    // than create them, as they would on a cluster in service. Benchmarks call it; tests need not.
    bool recycleWalSegments(int segments, QString *error);
    // What benchmarks recycle: 768 MiB, more than a benchmark's load writes before the
    // checkpoints its own writes bring go on recycling (one each 540 MiB or so with the default
    // max_wal_size), as a busy cluster's do.
    static constexpr int InServiceWalSegments = 48;
    // The segment files pg_wal holds, written or kept for reuse; -1 when it cannot be read.
    int walSegmentFiles() const;

    int port() const; // 0 when not running
    // The folder of the server's Unix socket (libpq's host=FOLDER); empty when not running.
    QString socketDirectory() const;
    bool isRunning() const;

    // True when $WAYBILL_REQUIRE_POSTGRES is set to something other than ""
    // or "0": a cluster that cannot start must then fail the test instead of
    // skipping it, so CI cannot silently lose database coverage.
    static bool requirePostgres();

private:
    Q_DISABLE_COPY_MOVE(PostgresCluster)

    QString dataDirectory() const;
    QString urlFor(const QString &database) const;
    bool createDatabaseOnServer(const QString &name, QString *error);
    bool startServer(QString *error);
    QString serverOptions(int port) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_initdb;
    QString m_pgCtl;
    QString m_createdb;
    QString m_runuser; // non-empty when running as root: server tools run via runuser as "postgres"
    qint64 m_watchdogPid = 0;
    int m_port = 0;
    bool m_running = false;
};

} // namespace waybill::test
