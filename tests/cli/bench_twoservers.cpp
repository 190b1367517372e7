// Two servers against one: wrk posts submit commands with fresh ids at one waybill-server, then at
// a real HAProxy in front of two, each on a fresh database of the same throwaway PostgreSQL
// cluster, in the same run, alternating which goes first round by round. The end-to-end rate
// counts only commands processed into shipments (accept for a while, then drain until nothing is
// pending); medians of the rounds and their ratio are printed.
//
//   bench_twoservers [--seconds 10] [--connections 64] [--threads 2] [--rounds 3]
//                    [--single-behind-haproxy] [--new-cluster-wal]
//
// The cluster's write-ahead log is first made that of a cluster in service
// (PostgresCluster::recycleWalSegments), unless --new-cluster-wal.
#include "cliprocess.h"
#include "haproxyrun.h"
#include "historychecks.h"
#include "postgrescluster.h"
#include "wrkload.h"

#include "store/database.h"
#include "store/sql.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <csignal>
#include <memory>

#include <unistd.h>

using namespace waybill;
using namespace waybill::test;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

// A round's figures, beside wrk's summary of its load.
struct Round : WrkSummary
{
    bool ok = false;
    double acceptedPerSecond = 0;
    double processedPerSecond = 0;
    qint64 shipments = 0;
    qint64 inboxTransactions = 0; // of every server, from their logs at exit
    qint64 processingTransactions = 0;
    qint64 decidedAgain = 0; // processing transactions decided again under the writer lock
    qint64 restamped = 0; // processing transactions planned again to move their time up
    double serverCpu = 0; // seconds, every server together, over the load and the drain
    double balancerCpu = 0;
    QString why;
};

double median(QVector<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

// CPU seconds a process has used so far (user and system), from /proc; 0 when it is gone.
double cpuSeconds(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    // The fields after the command name, which is in parentheses and may hold blanks.
    const QByteArray text = file.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after the name.
    return (fields.value(11).toDouble() + fields.value(12).toDouble())
        / double(sysconf(_SC_CLK_TCK));
}

QByteArray loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly) ? file.readAll().split(' ').value(0) : QByteArray("?");
}

// Posts submits with fresh shipment ids: each wrk thread numbers its own, prefixed by the thread.
Round runRound(PostgresCluster &cluster, const QString &folder, int servers, bool balanced,
    int round, const QStringList &wrkArguments)
{
    Round result;
    QString error;
    const QString dbText = cluster.createDatabase(
        QStringLiteral("bench_r%1_s%2_%3").arg(round).arg(servers).arg(int(balanced)), &error);
    const std::optional<DatabaseUrl> url = DatabaseUrl::parse(dbText, &error);
    if (!url) {
        result.why = error;
        return result;
    }
    QProcessEnvironment env = isolatedEnvironment(folder + QStringLiteral("/xdg"));
    env.insert(QStringLiteral("WAYBILL_DB"), dbText);
    // One log line per request would measure the log.
    env.insert(
        QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("waybill.http.request.info=false"));
    const QString token = createTokenWithCli(
        env, QStringLiteral("bench"), QStringLiteral("customer-service"), &error);
    if (token.isEmpty()) {
        result.why = error;
        return result;
    }
    const QString config = folder + QStringLiteral("/server.ini");
    {
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            result.why = QStringLiteral("cannot write ") + config;
            return result;
        }
        // Behind a proxy every connection comes from one address.
        file.write("[limits]\nmax-connections-per-address = 0\n");
    }
    std::vector<std::unique_ptr<ServerRun>> running;
    QVector<BalancedServer> backends;
    for (int i = 0; i < servers; ++i) {
        running.push_back(std::make_unique<ServerRun>(
            QStringList { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                QStringLiteral("--config"), config },
            env));
        if (!running.back()->start(&error)) {
            result.why = error;
            return result;
        }
        backends.append({ QStringLiteral("s%1").arg(i), running.back()->url() });
    }
    std::unique_ptr<QTemporaryDir> haproxyFolder;
    std::unique_ptr<HaproxyRun> balancer;
    QUrl target = running.front()->url();
    if (balanced) {
        haproxyFolder
            = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/hap-XXXXXX"));
        balancer = std::make_unique<HaproxyRun>(haproxyFolder->path(), backends, 2000);
        if (!balancer->start(&error)) {
            result.why = error;
            return result;
        }
        target = balancer->url();
    }

    const QString script = folder + QStringLiteral("/submit.lua");
    if (!writeSubmitScript(script, token, QStringLiteral("b"))) {
        result.why = QStringLiteral("cannot write %1").arg(script);
        return result;
    }
    const auto serversCpu = [&running] {
        double sum = 0;
        for (const auto &server : running)
            sum += cpuSeconds(server->process().processId());
        return sum;
    };
    const double serverCpuBefore = serversCpu();
    const double balancerCpuBefore = balancer ? cpuSeconds(balancer->processId()) : 0;
    Database db(*url);
    QElapsedTimer clock;
    clock.start();
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    wrk.start(QStringLiteral("wrk"),
        wrkArguments + QStringList { QStringLiteral("-s"), script, target.toString() });
    if (!wrk.waitForStarted(5000) || !wrk.waitForFinished(-1)) {
        result.why = QStringLiteral("wrk did not run (apt-get install wrk)");
        return result;
    }
    const double acceptSeconds = clock.nsecsElapsed() / 1e9;
    const QString text = QString::fromUtf8(wrk.readAll());
    static_cast<WrkSummary &>(result) = readWrkSummary(text);
    result.acceptedPerSecond = result.requests / acceptSeconds;

    // Drain: the servers finish what they acknowledged.
    while (countOf(db, QStringLiteral("SELECT COUNT(*) FROM commands WHERE status = 'pending'")) > 0
        && clock.elapsed() < 600000)
        QThread::msleep(5);
    const double totalSeconds = clock.nsecsElapsed() / 1e9;
    // Requests wrk sent just before it stopped may still be on their way into an inbox (read by
    // a server, not yet recorded): the counts wait, after the clock has stopped, until nothing
    // is pending and the number of commands has stopped moving, and are read in one statement.
    for (qint64 before = -1;;) {
        const qint64 now = countOf(db, QStringLiteral("SELECT COUNT(*) FROM commands"));
        if (now == before
            && countOf(db, QStringLiteral("SELECT COUNT(*) FROM commands WHERE status = 'pending'"))
                == 0)
            break;
        before = now;
        QThread::msleep(100);
    }
    qint64 recorded = -1, failed = -1;
    {
        QSqlQuery q = runQuery(db.connection(),
            QStringLiteral("SELECT (SELECT COUNT(*) FROM shipments), (SELECT COUNT(*) FROM "
                           "commands), (SELECT COUNT(*) FROM commands WHERE status <> "
                           "'succeeded')"));
        if (q.next()) {
            result.shipments = q.value(0).toLongLong();
            recorded = q.value(1).toLongLong();
            failed = q.value(2).toLongLong();
        }
    }
    result.processedPerSecond = result.shipments / totalSeconds;
    // The history the servers wrote together: one event per command, versions contiguous in
    // every stream (a submit load delivers nothing, so there is no invoice to count).
    const QStringList problems = historyProblems(db, {}, 0);
    result.serverCpu = serversCpu() - serverCpuBefore;
    result.balancerCpu = balancer ? cpuSeconds(balancer->processId()) - balancerCpuBefore : 0;
    db.closeConnection();
    for (const auto &server : running)
        server->sendSignal(SIGTERM);
    static const QRegularExpression stopped(
        QStringLiteral("(\\d+) inbox and (\\d+) processing transactions \\((\\d+) decided "
                       "again under the writer lock, (\\d+) restamped\\)"));
    for (const auto &server : running) {
        server->waitForExit(60000);
        const QRegularExpressionMatch match = stopped.match(QString::fromUtf8(server->stdErr()));
        result.inboxTransactions += match.captured(1).toLongLong();
        result.processingTransactions += match.captured(2).toLongLong();
        result.decidedAgain += match.captured(3).toLongLong();
        result.restamped += match.captured(4).toLongLong();
    }
    // wrk counts the answers it read; requests in flight when it stopped may be recorded too.
    result.ok = result.requests > 0 && result.non2xx == 0 && result.socketErrors == 0
        && result.shipments >= result.requests && recorded == result.shipments && failed == 0
        && problems.isEmpty();
    if (!problems.isEmpty())
        result.why = problems.join(QLatin1Char('\n'));
    else if (!result.ok)
        result.why = QStringLiteral("lost or refused: %1 answered, %2 non-2xx, %3 socket errors, "
                                    "%4 recorded, %5 shipments, %6 not succeeded\n%7")
                         .arg(result.requests)
                         .arg(result.non2xx)
                         .arg(result.socketErrors)
                         .arg(recorded)
                         .arg(result.shipments)
                         .arg(failed)
                         .arg(text);
    return result;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "End-to-end rate of two waybill-servers behind HAProxy against one, on PostgreSQL"));
    parser.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
        QStringLiteral("Load duration per run."), QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption connectionsOption(QStringLiteral("connections"),
        QStringLiteral("wrk connections."), QStringLiteral("n"), QStringLiteral("64"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
        QStringLiteral("wrk threads."), QStringLiteral("n"), QStringLiteral("2"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"),
        QStringLiteral("Rounds (one server and two servers each)."), QStringLiteral("n"),
        QStringLiteral("3"));
    const QCommandLineOption singleBehindOption(QStringLiteral("single-behind-haproxy"),
        QStringLiteral("Also one server behind HAProxy (the balancer's own cost)."));
    const QCommandLineOption newClusterWalOption(QStringLiteral("new-cluster-wal"),
        QStringLiteral("Leave the cluster's write-ahead log as a new cluster's, each segment "
                       "created in a commit's path (by default its segments are recycled first, "
                       "as in a cluster in service)."));
    parser.addOptions({ secondsOption, connectionsOption, threadsOption, roundsOption,
        singleBehindOption, newClusterWalOption });
    parser.process(app);
    if (qEnvironmentVariableIsEmpty("WAYBILL_TEST_BINARY_DIR"))
        qputenv("WAYBILL_TEST_BINARY_DIR", WAYBILL_BINARY_DIR);
    QString error;
    if (!serverBinaryIsBuilt(&error) || HaproxyRun::binary(&error).isEmpty()) {
        out() << error << Qt::endl;
        return 1;
    }
    PostgresCluster cluster;
    if (!cluster.start(&error)) {
        out() << "no PostgreSQL: " << error << Qt::endl;
        return 1;
    }
    if (!parser.isSet(newClusterWalOption)
        && !cluster.recycleWalSegments(PostgresCluster::InServiceWalSegments, &error)) {
        out() << "cannot recycle the cluster's WAL: " << error << Qt::endl;
        return 1;
    }
    QTemporaryDir folder;
    const QStringList wrkArguments { QStringLiteral("-t"), parser.value(threadsOption),
        QStringLiteral("-c"), parser.value(connectionsOption), QStringLiteral("-d"),
        parser.value(secondsOption) + QLatin1Char('s'), QStringLiteral("--latency") };
    out() << "Two waybill-servers behind HAProxy against one, PostgreSQL " << cluster.url()
          << (parser.isSet(newClusterWalOption) ? " (a new cluster's WAL)"
                                                : " (WAL segments recycled, as in service)")
          << ", wrk " << wrkArguments.join(QLatin1Char(' ')) << Qt::endl;
    out() << "load average at start: " << loadAverage() << Qt::endl;

    struct Setup
    {
        int servers;
        bool balanced;
        const char *name;
        QVector<double> rates;
    };
    QVector<Setup> setups { { 1, false, "1 server", {} }, { 2, true, "2 servers + HAProxy", {} } };
    // The balancer's own cost, apart from the second server's.
    if (parser.isSet(singleBehindOption))
        setups.append({ 1, true, "1 server + HAProxy", {} });
    bool lossless = true;
    const int rounds = parser.value(roundsOption).toInt();
    for (int round = 0; round < rounds; ++round) {
        // Alternating which goes first, so that a machine growing busier favours none.
        for (int k = 0; k < setups.size(); ++k) {
            Setup &setup = setups[round % 2 ? setups.size() - 1 - k : k];
            const Round r = runRound(
                cluster, folder.path(), setup.servers, setup.balanced, round, wrkArguments);
            if (!r.ok) {
                out() << "round " << round + 1 << ", " << setup.name << ": " << r.why << Qt::endl;
                lossless = false;
                continue;
            }
            setup.rates.append(r.processedPerSecond);
            out() << "round " << round + 1 << ", "
                  << QString::fromLatin1(setup.name).leftJustified(20) << ": "
                  << qRound64(r.processedPerSecond) << " processed/s end to end ("
                  << qRound64(r.acceptedPerSecond) << " accepted/s, accept p99 " << r.p99 << ", "
                  << r.shipments << " shipments, "
                  << QString::number(
                         double(r.shipments) / qMax<qint64>(1, r.inboxTransactions), 'f', 1)
                  << " commands per inbox and "
                  << QString::number(
                         double(r.shipments) / qMax<qint64>(1, r.processingTransactions), 'f', 1)
                  << " per processing transaction (" << r.processingTransactions
                  << " transactions: " << r.decidedAgain << " decided again and " << r.restamped
                  << " restamped under the lock); CPU per command: servers "
                  << qRound64(r.serverCpu * 1e6 / qMax<qint64>(1, r.shipments)) << " us, HAProxy "
                  << qRound64(r.balancerCpu * 1e6 / qMax<qint64>(1, r.shipments))
                  << " us); load average " << loadAverage() << Qt::endl;
        }
    }
    for (const Setup &setup : std::as_const(setups))
        out() << "\nmedian " << setup.name << ": " << qRound64(median(setup.rates))
              << " processed/s";
    const QVector<double> one = setups.at(0).rates;
    const QVector<double> two = setups.at(1).rates;
    const double medianOne = median(one);
    const double medianTwo = median(two);
    out() << "\nratio two servers behind HAProxy / one server: "
          << QString::number(medianOne > 0 ? medianTwo / medianOne : 0, 'f', 2) << Qt::endl;
    out() << (lossless ? "nothing lost or refused" : "LOST OR REFUSED COMMANDS (see above)")
          << Qt::endl;
    return lossless ? 0 : 2;
}
