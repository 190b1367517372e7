// Export and verify rates, and the peak resident memory of an export, for histories of
// different lengths: memory must stay flat (within 1.5x from 10 thousand to 1 million events).
//
//   bench_audit_export [--sizes 10000,1000000] [--runs 5] [--dir DIR]
//
// Each history is generated once (EventStore::append in big transactions); every measurement
// then runs in a child process of its own, which reports its own getrusage() ru_maxrss, so no
// measurement inherits another's peak. Medians of the runs are printed; the exit code is 1 when
// the memory target is missed.
#include "audit/chainverifier.h"
#include "audit/csvexport.h"
#include "domain/ids.h"
#include "historywriter.h"
#include "store/eventstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

using namespace waybill;

namespace {

// The peak resident set of this process image. getrusage()'s ru_maxrss is not used alone: Linux
// carries the parent's peak at fork() into the child's, while VmHWM starts afresh at exec().
qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmHWM:"))
                return line.mid(6).trimmed().split(' ').first().toLongLong();
        }
    }
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // KiB on Linux
}

QJsonObject address(int i)
{
    return { { QStringLiteral("name"), QStringLiteral("Customer %1, Inc.").arg(i) },
        { QStringLiteral("line1"), QStringLiteral("%1 Commerce St").arg(100 + i % 900) },
        { QStringLiteral("city"), QStringLiteral("Austin") },
        { QStringLiteral("state"), QStringLiteral("TX") },
        { QStringLiteral("zip"), QStringLiteral("787%1").arg(i % 100, 2, 10, QLatin1Char('0')) } };
}

// The time of the first event; one event a second after it.
const QDateTime &historyStart()
{
    static const QDateTime start(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    return start;
}

// Shipments go through submitted, assigned, shipped and delivered, like a real log.
test::EventDraft benchEvent(qint64 i)
{
    const QDateTime &start = historyStart();
    const int shipment = int(i / 4);
    test::EventDraft d;
    d.streamId = shipmentStreamId(QStringLiteral("bench-%1").arg(shipment));
    d.user = QStringLiteral("dispatch");
    d.timestamp = start.addSecs(i);
    switch (i % 4) {
    case 0:
        d.type = EventType::Submitted;
        d.data = { { QStringLiteral("shipFrom"), address(shipment) },
            { QStringLiteral("shipTo"), address(shipment + 7) },
            { QStringLiteral("weightInPounds"), 100 + shipment % 5000 },
            { QStringLiteral("billToAccountId"), QStringLiteral("acct-%1").arg(shipment % 97) },
            { QStringLiteral("cost"), 28.0 }, { QStringLiteral("costCents"), 2800 } };
        d.user = QStringLiteral("customer-service");
        break;
    case 1:
        d.type = EventType::Assigned;
        d.data = { { QStringLiteral("truckId"), QStringLiteral("truck-%1").arg(shipment % 40) } };
        break;
    case 2:
        d.type = EventType::Shipped;
        break;
    default:
        d.type = EventType::Delivered;
        d.data = { { QStringLiteral("signedBy"), QStringLiteral("Dock, \"B\" shift") } };
        break;
    }
    return d;
}

int runChild(const QString &what, const QString &path, qint64 events)
{
    if (what == QLatin1String("generate")) {
        QElapsedTimer clock;
        clock.start();
        Database database(DatabaseUrl::sqlite(path), Durability::Process);
        database.migrate();
        test::HistoryWriter(database).appendMany(events, 20000, benchEvent);
        std::fprintf(stderr, "generated %lld events in %.1f s (%.0f events/s)\n",
            static_cast<long long>(events), clock.elapsed() / 1000.0,
            events / (clock.elapsed() / 1000.0));
        return 0;
    }
    Database database(DatabaseUrl::sqlite(path));
    QJsonObject report;
    QElapsedTimer clock;
    clock.start();
    if (what == QLatin1String("export") || what == QLatin1String("export-range")) {
        // export-range: the middle half of the history by time, from and to both set.
        EventFilter filter;
        if (what == QLatin1String("export-range")) {
            const qint64 size = EventStore::lastPosition(database.connection());
            filter.from = historyStart().addSecs(size / 4);
            filter.to = historyStart().addSecs(3 * size / 4);
        }
        qint64 bytes = 0;
        const qint64 events = Audit::exportCsv(database, filter, [&bytes](const QByteArray &chunk) {
            bytes += chunk.size();
            return true;
        });
        report.insert(QStringLiteral("events"), double(events));
        report.insert(QStringLiteral("bytes"), double(bytes));
    } else if (what == QLatin1String("verify")) {
        const Audit::VerifyResult result = Audit::verifyChain(database);
        if (!result.ok) {
            std::fprintf(stderr, "verify failed: %s\n", qPrintable(result.reason));
            return 1;
        }
        report.insert(QStringLiteral("events"), double(result.events));
    } else {
        // Opening the database and nothing else: the floor under the other figures.
        report.insert(
            QStringLiteral("events"), double(EventStore::lastPosition(database.connection())));
    }
    report.insert(QStringLiteral("seconds"), clock.nsecsElapsed() / 1e9);
    report.insert(QStringLiteral("maxRssKiB"), double(peakRssKiB()));
    std::printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
    return 0;
}

double median(QVector<double> values)
{
    std::sort(values.begin(), values.end());
    const int n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

struct Measured
{
    double seconds = 0; // median
    double maxRssKiB = 0; // median
    double events = 0;
    double bytes = 0;

    double eventsPerSecond() const { return events / seconds; }
};

bool measure(const QString &what, const QString &path, int runs, Measured *out)
{
    QVector<double> seconds;
    QVector<double> rss;
    for (int r = 0; r < runs; ++r) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
            { QStringLiteral("--child"), what, QStringLiteral("--db"), path });
        if (!child.waitForFinished(-1) || child.exitCode() != 0) {
            std::fprintf(stderr, "the %s child failed\n", qPrintable(what));
            return false;
        }
        const QJsonObject report = QJsonDocument::fromJson(child.readAllStandardOutput()).object();
        seconds << report.value(QStringLiteral("seconds")).toDouble();
        rss << report.value(QStringLiteral("maxRssKiB")).toDouble();
        out->events = report.value(QStringLiteral("events")).toDouble();
        out->bytes = report.value(QStringLiteral("bytes")).toDouble();
    }
    out->seconds = median(seconds);
    out->maxRssKiB = median(rss);
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Audit export and verify benchmark"));
    parser.addHelpOption();
    const QCommandLineOption sizesOption(QStringLiteral("sizes"),
        QStringLiteral("History lengths, comma separated."), QStringLiteral("list"),
        QStringLiteral("10000,1000000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("Runs per measurement (median)."), QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption dirOption(QStringLiteral("dir"),
        QStringLiteral("Keep the generated histories here and reuse them."), QStringLiteral("dir"));
    const QCommandLineOption childOption(QStringLiteral("child"),
        QStringLiteral("(internal) generate, export, export-range, verify or idle."),
        QStringLiteral("what"));
    const QCommandLineOption dbOption(
        QStringLiteral("db"), QStringLiteral("(internal) SQLite file."), QStringLiteral("path"));
    const QCommandLineOption eventsOption(QStringLiteral("events"),
        QStringLiteral("(internal) Events to generate."), QStringLiteral("n"));
    parser.addOptions({ sizesOption, runsOption, dirOption, childOption, dbOption, eventsOption });
    parser.process(app);

    if (parser.isSet(childOption))
        return runChild(parser.value(childOption), parser.value(dbOption),
            parser.value(eventsOption).toLongLong());

    QTemporaryDir temporary;
    const QString dir = parser.isSet(dirOption) ? parser.value(dirOption) : temporary.path();
    QDir().mkpath(dir);
    const int runs = qMax(1, parser.value(runsOption).toInt());

    QVector<qint64> sizes;
    for (const QString &s : parser.value(sizesOption).split(QLatin1Char(','), Qt::SkipEmptyParts))
        sizes << s.toLongLong();
    if (sizes.isEmpty())
        return 2;

    std::printf("%9s | %-31s | %-20s | %-20s | %s\n", "events", "export: ev/s, MiB/s, peak RSS",
        "time range: ev/s, RSS", "verify: ev/s, RSS", "idle RSS");
    QVector<double> exportRss;
    for (const qint64 size : std::as_const(sizes)) {
        const QString path = QDir(dir).filePath(QStringLiteral("history-%1.db").arg(size));
        if (!QFileInfo::exists(path)) {
            // In a child too, so that this process stays small and lends no memory to others.
            QProcess generator;
            generator.setProcessChannelMode(QProcess::ForwardedChannels);
            generator.start(QCoreApplication::applicationFilePath(),
                { QStringLiteral("--child"), QStringLiteral("generate"), QStringLiteral("--db"),
                    path, QStringLiteral("--events"), QString::number(size) });
            if (!generator.waitForFinished(-1) || generator.exitCode() != 0) {
                std::fprintf(stderr, "generating the history failed\n");
                QFile::remove(path);
                return 1;
            }
        }
        Measured exported;
        Measured ranged;
        Measured verified;
        Measured idle;
        if (!measure(QStringLiteral("export"), path, runs, &exported)
            || !measure(QStringLiteral("export-range"), path, runs, &ranged)
            || !measure(QStringLiteral("verify"), path, runs, &verified)
            || !measure(QStringLiteral("idle"), path, 1, &idle))
            return 1;
        if (exported.events != size || verified.events != size || ranged.events != size / 2) {
            std::fprintf(stderr,
                "expected %lld events, exported %.0f, %.0f in the range, verified %.0f\n",
                static_cast<long long>(size), exported.events, ranged.events, verified.events);
            return 1;
        }
        std::printf(
            "%9lld | %9.0f %7.1f %9.1f MiB | %9.0f %6.1f MiB | %9.0f %6.1f MiB | %.1f MiB\n",
            static_cast<long long>(size), exported.eventsPerSecond(),
            exported.bytes / exported.seconds / 1048576.0, exported.maxRssKiB / 1024.0,
            ranged.eventsPerSecond(), ranged.maxRssKiB / 1024.0, verified.eventsPerSecond(),
            verified.maxRssKiB / 1024.0, idle.maxRssKiB / 1024.0);
        std::fflush(stdout);
        exportRss << exported.maxRssKiB;
    }
    const double ratio = exportRss.last() / exportRss.first();
    const bool met = ratio <= 1.5;
    std::printf("peak export memory, longest over shortest history: %.2fx (target 1.5x): %s\n",
        ratio, met ? "met" : "MISSED");
    return met ? 0 : 1;
}
