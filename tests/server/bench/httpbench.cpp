// HTTP load benchmark: wrk posts submit commands with fresh ids at a real Waybill server on a
// fresh database (a SQLite file, a database in a throwaway PostgreSQL cluster, or an empty one
// named by --db); the end-to-end rate counts only commands processed into shipments (accept for a
// while, then drain until every accepted command is processed, then count the shipments),
// beside the same server's GET /health rate (no token) and GET /me rate (a token, nothing else)
// in the same run. Then a paced load at half the end-to-end rate (or --paced-rate): each
// connection waits its share of the interval before each request, and the accept latency is
// read at that fixed offered rate rather than at saturation. The throwaway cluster's write-ahead
// log is first made that of a cluster in service (PostgresCluster::recycleWalSegments), unless
// --new-cluster-wal.
//
//   waybill-http-bench [--backend sqlite|postgres] [--db URL] [--seconds 10] [--connections 64]
//                      [--threads 2] [--durability full|process] [--workers 4] [--lanes 64]
//                      [--batch 256] [--paced-rate N | --no-paced] [--keep DIR]
//                      [--new-cluster-wal]
#include "engine/engine.h"
#include "httpapiserver.h"
#include "postgrescluster.h"
#include "store/database.h"
#include "store/sql.h"
#include "testdatabases.h"
#include "tokenstore.h"
#include "wrkload.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

#include <sys/resource.h>

using namespace waybill;

namespace {

// wrk's summary of a run, with its whole output and whether it ran.
struct WrkResult : test::WrkSummary
{
    bool ok = false;
    QString output;
};

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

// Runs wrk while this thread's event loop keeps serving (the server lives in this thread).
WrkResult runWrk(const QStringList &arguments)
{
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    wrk.start(QStringLiteral("wrk"), arguments);
    WrkResult result;
    if (!wrk.waitForStarted(5000)) {
        result.output = QStringLiteral("wrk did not start (is it installed? apt-get install wrk)");
        return result;
    }
    // A real event loop (processEvents() in a loop would spin and steal the server's CPU).
    QEventLoop loop;
    QObject::connect(&wrk, &QProcess::finished, &loop, &QEventLoop::quit);
    if (wrk.state() != QProcess::NotRunning)
        loop.exec();
    result.output = QString::fromUtf8(wrk.readAll());
    static_cast<test::WrkSummary &>(result) = test::readWrkSummary(result.output);
    result.ok = wrk.exitCode() == 0 && result.requests > 0;
    return result;
}

// CPU time used by this process (the server: every thread), in seconds; wrk is not counted.
double processCpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec
        + usage.ru_stime.tv_usec / 1e6;
}

QByteArray loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly) ? file.readAll().split(' ').value(0) : QByteArray("?");
}

qint64 count(Database &database, const QString &sql)
{
    QSqlQuery q = runQuery(database.connection(), sql);
    return q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("End-to-end HTTP benchmark of the Waybill server"));
    parser.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
        QStringLiteral("Load duration."), QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption connectionsOption(QStringLiteral("connections"),
        QStringLiteral("wrk connections."), QStringLiteral("n"), QStringLiteral("64"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
        QStringLiteral("wrk threads."), QStringLiteral("n"), QStringLiteral("2"));
    const QCommandLineOption durabilityOption(QStringLiteral("durability"),
        QStringLiteral("full or process."), QStringLiteral("d"), QStringLiteral("full"));
    const QCommandLineOption workersOption(QStringLiteral("workers"),
        QStringLiteral("Engine worker threads (default: the product's)."), QStringLiteral("n"),
        QString::number(EngineOptions().workerThreads));
    const QCommandLineOption lanesOption(QStringLiteral("lanes"), QStringLiteral("Engine lanes."),
        QStringLiteral("n"), QStringLiteral("64"));
    const QCommandLineOption batchOption(QStringLiteral("batch"),
        QStringLiteral("Engine batch size."), QStringLiteral("n"), QStringLiteral("256"));
    const QCommandLineOption httpWorkersOption(QStringLiteral("http-workers"),
        QStringLiteral("HTTP database worker threads (default: the product's)."),
        QStringLiteral("n"), QString::number(ServerOptions().workerThreads));
    const QCommandLineOption noHealthOption(
        QStringLiteral("no-health"), QStringLiteral("Skip the GET /health baseline (profiling)."));
    const QCommandLineOption pacedRateOption(QStringLiteral("paced-rate"),
        QStringLiteral("Requests per second of the paced load (default: half the end-to-end "
                       "rate)."),
        QStringLiteral("n"));
    const QCommandLineOption noPacedOption(
        QStringLiteral("no-paced"), QStringLiteral("Skip the paced load."));
    const QCommandLineOption keepOption(QStringLiteral("keep"),
        QStringLiteral("Keep the database in this folder."), QStringLiteral("dir"));
    const QCommandLineOption backendOption(QStringLiteral("backend"),
        QStringLiteral("sqlite (a fresh file) or postgres (a fresh database in a throwaway "
                       "cluster)."),
        QStringLiteral("name"), QStringLiteral("sqlite"));
    const QCommandLineOption dbOption(QStringLiteral("db"),
        QStringLiteral("An empty database to use instead: sqlite:PATH or postgresql://..."),
        QStringLiteral("url"));
    const QCommandLineOption newClusterWalOption(QStringLiteral("new-cluster-wal"),
        QStringLiteral("With --backend postgres: leave the throwaway cluster's write-ahead log "
                       "as a new cluster's, each segment created in a commit's path (by "
                       "default its segments are recycled first, as in a cluster in service)."));
    parser.addOptions({ backendOption, dbOption, newClusterWalOption });
    parser.addOptions({ secondsOption, connectionsOption, threadsOption, durabilityOption,
        workersOption, lanesOption, batchOption, httpWorkersOption, noHealthOption, pacedRateOption,
        noPacedOption, keepOption });
    parser.process(app);
    // One log line per request would measure the terminal.
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false"));

    QTemporaryDir temporary;
    const QString folder = parser.isSet(keepOption) ? parser.value(keepOption) : temporary.path();
    const QString file = folder + QStringLiteral("/bench.db");
    QFile::remove(file);
    const Durability durability = parser.value(durabilityOption) == QLatin1String("process")
        ? Durability::Process
        : Durability::Full;
    test::TestDatabases databases;
    std::optional<DatabaseUrl> databaseUrl = DatabaseUrl::sqlite(file);
    if (parser.isSet(dbOption)) {
        QString error;
        databaseUrl = DatabaseUrl::parse(parser.value(dbOption), &error);
        if (!databaseUrl) {
            out() << "--db: " << error << Qt::endl;
            return 1;
        }
    } else if (parser.value(backendOption) == QLatin1String("postgres")) {
        databaseUrl = databases.fresh(test::TestDatabases::postgres(), QStringLiteral("httpbench"));
        if (!databaseUrl) {
            out() << "no PostgreSQL: " << databases.why() << Qt::endl;
            return 1;
        }
        QString error;
        if (!parser.isSet(newClusterWalOption)
            && !databases.recyclePostgresWal(test::PostgresCluster::InServiceWalSegments, &error)) {
            out() << "cannot recycle the cluster's WAL: " << error << Qt::endl;
            return 1;
        }
    }
    Database database(*databaseUrl, durability);
    EngineOptions engineOptions;
    engineOptions.workerThreads = parser.value(workersOption).toInt();
    engineOptions.lanes = parser.value(lanesOption).toInt();
    engineOptions.maxBatch = parser.value(batchOption).toInt();
    Engine engine(database, engineOptions);
    engine.start();
    const QString token
        = TokenStore(database).create(QStringLiteral("bench"), Role::CustomerService);
    ServerOptions options;
    options.workerThreads = parser.value(httpWorkersOption).toInt();
    HttpApiServer server(engine, options);
    QString error;
    if (!server.listen(&error)) {
        out() << "cannot listen: " << error << Qt::endl;
        return 1;
    }
    const QString url = server.url().toString();

    // The two loads' ids are kept apart by their prefix.
    auto writeScript = [&](const QString &name, const QString &prefix, int delayMs) {
        const QString path = folder + QLatin1Char('/') + name;
        return test::writeSubmitScript(path, token, prefix, delayMs) ? path : QString();
    };
    const QString script = writeScript(QStringLiteral("submit.lua"), QStringLiteral("b"), 0);

    const QString seconds = parser.value(secondsOption) + QLatin1Char('s');
    const QStringList common { QStringLiteral("-t"), parser.value(threadsOption),
        QStringLiteral("-c"), parser.value(connectionsOption), QStringLiteral("-d"), seconds,
        QStringLiteral("--latency") };

    const bool throwawayCluster
        = !parser.isSet(dbOption) && parser.value(backendOption) == QLatin1String("postgres");
    out() << "Waybill HTTP benchmark: " << (database.isPostgres() ? "PostgreSQL " : "SQLite ")
          << (!throwawayCluster ? ""
                     : parser.isSet(newClusterWalOption)
                     ? "(a new cluster's WAL) "
                     : "(WAL segments recycled, as in service) ")
          << (durability == Durability::Full ? "durability=full" : "durability=process")
          << ", engine workers=" << engineOptions.workerThreads
          << " readers=" << options.workerThreads << " lanes=" << engineOptions.lanes
          << " batch=" << engineOptions.maxBatch << ", wrk " << common.join(QLatin1Char(' '))
          << Qt::endl;

    // Answers still in flight are written while the engine finishes what it accepted.
    auto drain = [&database, &engine] {
        QDeadlineTimer deadline(600 * 1000);
        while (count(database,
                   QStringLiteral("SELECT COUNT(*) FROM commands WHERE status = 'pending'"))
                > 0
            && !deadline.hasExpired()) {
            QEventLoop pause;
            QTimer::singleShot(5, &pause, &QEventLoop::quit);
            pause.exec();
        }
        engine.waitIdle();
    };
    // Requests wrk sent just before it stopped may still be on their way into the inbox (read
    // by the server, not yet recorded) when drain() returns: the counts wait, after the clock
    // has stopped, until nothing is pending and the number of commands has stopped moving, and
    // they are read in one statement, at one moment.
    struct Counts
    {
        qint64 shipments = -1, recorded = -1, notSucceeded = -1;
    };
    auto settledCounts = [&database, &drain] {
        qint64 before = -1;
        for (;;) {
            drain();
            const qint64 now = count(database, QStringLiteral("SELECT COUNT(*) FROM commands"));
            if (now == before)
                break;
            before = now;
            QEventLoop pause;
            QTimer::singleShot(100, &pause, &QEventLoop::quit);
            pause.exec();
        }
        QSqlQuery q = runQuery(database.connection(),
            QStringLiteral("SELECT (SELECT COUNT(*) FROM shipments), (SELECT COUNT(*) FROM "
                           "commands), (SELECT COUNT(*) FROM commands WHERE status <> "
                           "'succeeded')"));
        Counts counts;
        if (q.next())
            counts = { q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong() };
        return counts;
    };

    // 1. Accept, 2. drain, 3. count what became shipments.
    QElapsedTimer clock;
    clock.start();
    const double cpuBefore = processCpuSeconds();
    const WrkResult submit = runWrk(common + QStringList { QStringLiteral("-s"), script, url });
    const double acceptSeconds = clock.nsecsElapsed() / 1e9;
    if (!submit.ok) {
        out() << submit.output << Qt::endl;
        return 1;
    }
    drain();
    const double totalSeconds = clock.nsecsElapsed() / 1e9;
    const double serverCpu = processCpuSeconds() - cpuBefore;
    const Counts afterSubmit = settledCounts();
    const qint64 shipments = afterSubmit.shipments;
    const qint64 recorded = afterSubmit.recorded;
    const qint64 rejected = afterSubmit.notSucceeded;

    // The same server's baseline: the cheapest route, no database.
    const WrkResult health = parser.isSet(noHealthOption)
        ? WrkResult {}
        : runWrk(common + QStringList { url + QStringLiteral("/health") });
    // The cost of authenticating a request: the cheapest route that needs a token.
    const WrkResult me = parser.isSet(noHealthOption)
        ? WrkResult {}
        : runWrk(common
            + QStringList { QStringLiteral("-H"), QStringLiteral("Authorization: Bearer ") + token,
                url + QStringLiteral("/me") });

    out() << "\nsubmit load: " << submit.requests << " requests in "
          << QString::number(acceptSeconds, 'f', 2)
          << " s = " << qRound64(submit.requests / submit.seconds)
          << " accepted/s; accept latency p50 " << submit.p50 << ", p99 " << submit.p99
          << "; non-2xx " << submit.non2xx << ", socket errors " << submit.socketErrors << Qt::endl;
    out() << "drained after " << QString::number(totalSeconds, 'f', 2) << " s: " << recorded
          << " commands recorded, " << shipments << " shipments, " << rejected << " not succeeded"
          << Qt::endl;
    const qint64 endToEnd = qRound64(shipments / totalSeconds);
    out() << "END-TO-END: " << endToEnd
          << " processed commands/s (shipments / (accept + drain) time)" << Qt::endl;
    out() << "server CPU: " << QString::number(serverCpu, 'f', 2) << " s for " << shipments
          << " commands = " << qRound64(serverCpu * 1e6 / qMax<qint64>(1, shipments))
          << " us per command, all threads (load average " << QString::fromLatin1(loadAverage())
          << ")" << Qt::endl;
    out() << "GET /health: " << qRound64(health.requests / qMax(health.seconds, 1e-9))
          << " requests/s; latency p50 " << health.p50 << ", p99 " << health.p99 << "; non-2xx "
          << health.non2xx << ", socket errors " << health.socketErrors << Qt::endl;
    out() << "GET /me (authenticated): " << qRound64(me.requests / qMax(me.seconds, 1e-9))
          << " requests/s; latency p50 " << me.p50 << ", p99 " << me.p99 << "; non-2xx "
          << me.non2xx << ", socket errors " << me.socketErrors << Qt::endl;

    // 4. The paced load: latency at a fixed offered rate below saturation.
    WrkResult paced;
    qint64 pacedShipments = 0;
    if (!parser.isSet(noPacedOption)) {
        const int connections = parser.value(connectionsOption).toInt();
        const qint64 rate = parser.isSet(pacedRateOption)
            ? parser.value(pacedRateOption).toLongLong()
            : qMax<qint64>(1, endToEnd / 2);
        const int delayMs = int(qMax<qint64>(1, qRound64(1000.0 * connections / rate)));
        const QString pacedScript
            = writeScript(QStringLiteral("paced.lua"), QStringLiteral("p"), delayMs);
        paced = runWrk(common + QStringList { QStringLiteral("-s"), pacedScript, url });
        pacedShipments = settledCounts().shipments - shipments;
        out() << "PACED at " << rate << " requests/s offered (" << connections
              << " connections, each waiting " << delayMs << " ms before each request): "
              << qRound64(paced.requests / qMax(paced.seconds, 1e-9))
              << " accepted/s; ACCEPT LATENCY p50 " << paced.p50 << ", p99 " << paced.p99
              << "; non-2xx " << paced.non2xx << ", socket errors " << paced.socketErrors << ", "
              << pacedShipments << " shipments" << Qt::endl;
    }
    // wrk counts the answers it read; requests still in flight when it stopped may be recorded too.
    const Counts atEnd = settledCounts();
    const bool lossless = submit.non2xx == 0 && submit.socketErrors == 0
        && shipments >= submit.requests && recorded == shipments && rejected == 0
        && paced.non2xx == 0 && paced.socketErrors == 0 && pacedShipments >= paced.requests
        && atEnd.recorded == atEnd.shipments && atEnd.notSucceeded == 0;
    out() << (lossless ? "nothing lost or refused" : "LOST OR REFUSED COMMANDS (see above)")
          << Qt::endl;
    server.close();
    engine.stop();
    return lossless ? 0 : 2;
}
