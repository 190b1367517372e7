// The planning queries on a large office: 100,000 shipments with pickup and delivery windows over
// 100 days (1,000 a day, most of them delivered, the last ten days' still open), served by a real
// server over loopback. Medians of GET /shipments?windowFrom=&windowTo= for one day in the middle
// of the history and for "today" near its end, and of ?late=true; beside them, in the same run,
// the unfiltered first page (the baseline every board asks for) and the same window query once
// the window indexes are dropped (what the indexes buy). Target: a day's window query in under
// 50 ms (median) on SQLite and on PostgreSQL. Not a test: build the benchmarks target, then
//
//   bench_windowquery [--backend sqlite|postgres|both] [--shipments N] [--runs R]
#include "domain/address.h"
#include "store/readmodels.h"
#include "store/sql.h"
#include "testdatabases.h"
#include "testserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTimeZone>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace waybill;
using namespace waybill::test;

namespace {

constexpr int kDays = 100;
// Day kDays - 5 of the history is today, so that ?late=true, judged now, has late ones to find.
const QDateTime kFirstDay(
    QDateTime::currentDateTimeUtc().date().addDays(5 - kDays), QTime(0, 0), QTimeZone::utc());

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

void say(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

Address address(int i)
{
    static const char *const cities[] = { "Austin", "Dallas", "Houston", "El Paso", "Waco" };
    Address a;
    a.name = QStringLiteral("Customer %1").arg(i % 5000);
    a.line1 = QStringLiteral("%1 Main St").arg(100 + i % 900);
    a.city = QString::fromLatin1(cities[i % 5]);
    a.state = QStringLiteral("TX");
    a.zip = QStringLiteral("7%1").arg(i % 10000, 4, 10, QLatin1Char('0'));
    return a;
}

// Shipment i: picked up on day i * kDays / count in a two-to-four-hour window, delivered by the
// end of the next day; the days before the last ten are delivered, the rest spread over the open
// statuses.
ShipmentState shipment(int i, int count)
{
    const int day = int(qint64(i) * kDays / count);
    const QDateTime morning = kFirstDay.addDays(day);
    ShipmentState s;
    s.id = QStringLiteral("s%1").arg(i, 6, 10, QLatin1Char('0'));
    s.shipFrom = address(i);
    s.shipTo = address(i + 7);
    s.weightInPounds = 100 + i % 4000;
    s.billToAccountId = QStringLiteral("acct-%1").arg(i % 2000);
    s.costCents = qint64(s.weightInPounds) * 28;
    s.createdTimestamp = morning.addDays(-2);
    s.lastCommandTimestamp = morning;
    const int startHour = 6 + i % 10;
    s.pickupWindow = TimeWindow { morning.addSecs(3600 * startHour),
        morning.addSecs(3600 * (startHour + 2 + i % 3)) };
    s.deliveryWindow
        = TimeWindow { morning.addDays(1).addSecs(3600 * 8), morning.addDays(2).addMSecs(-1) };
    if (day < kDays - 10) {
        s.status = ShipmentStatus::Delivered;
        s.assignedToTruck = QStringLiteral("T-%1").arg(i % 200);
        s.shipDate = s.pickupWindow->to;
        s.deliveredDate = s.deliveryWindow->from.addSecs(3600 * (i % 40));
        s.version = 4;
    } else {
        static const ShipmentStatus open[]
            = { ShipmentStatus::Submitted, ShipmentStatus::Assigned, ShipmentStatus::Shipped };
        s.status = open[i % 3];
        if (s.status != ShipmentStatus::Submitted)
            s.assignedToTruck = QStringLiteral("T-%1").arg(i % 200);
        s.version = 1 + i % 3;
    }
    return s;
}

void seed(Database &database, int count)
{
    constexpr int kBatch = 5000;
    for (int first = 0; first < count; first += kBatch) {
        WriteTransaction tx(database);
        for (int i = first; i < std::min(count, first + kBatch); ++i)
            ReadModels::saveShipment(tx.db(), shipment(i, count));
        tx.commit();
    }
}

QString iso(const QDateTime &t)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(t.toString(Qt::ISODateWithMs)));
}

QString dayQuery(int day)
{
    return QStringLiteral("/shipments?windowFrom=%1&windowTo=%2")
        .arg(iso(kFirstDay.addDays(day)), iso(kFirstDay.addDays(day + 1)));
}

struct Measured
{
    double medianMs = 0;
    QByteArray total;
};

// The median of `runs` answers to a GET, after one unmeasured warm-up; fails loudly on anything
// but 200.
Measured measure(TestServer &server, const QString &path, int runs)
{
    std::vector<double> ms;
    QByteArray total;
    for (int r = 0; r <= runs; ++r) {
        QElapsedTimer clock;
        clock.start();
        const HttpResponse answer = server.get(path, Role::Dispatch);
        const double elapsed = clock.nsecsElapsed() / 1e6;
        if (answer.status != 200)
            qFatal("%s: %s", qPrintable(path), answer.describe().constData());
        total = answer.header("X-Total-Count");
        if (r > 0)
            ms.push_back(elapsed);
    }
    return { median(ms), total };
}

int run(const QString &backend, int count, int runs)
{
    TestDatabases databases;
    const std::optional<DatabaseUrl> url = databases.fresh(backend, QStringLiteral("windows"));
    if (!url) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(backend), qPrintable(databases.why()));
        return 1;
    }
    TestServer server(*url);
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(backend), qPrintable(error));
        return 1;
    }
    QElapsedTimer seeding;
    seeding.start();
    seed(server.database(), count);
    if (server.database().isPostgres()) // what autovacuum does soon after such a load
        runStatement(server.database().connection(), QStringLiteral("VACUUM ANALYZE shipments"));
    say(QStringLiteral("%1: %2 shipments seeded in %3 s")
            .arg(backend)
            .arg(count)
            .arg(seeding.elapsed() / 1000.0, 0, 'f', 1));

    const int middle = kDays / 2;
    const int today = kDays - 5;
    const Measured baseline = measure(server, QStringLiteral("/shipments?limit=100"), runs);
    const Measured middleDay = measure(server, dayQuery(middle), runs);
    const Measured todayDay = measure(server, dayQuery(today), runs);
    const Measured late = measure(server, QStringLiteral("/shipments?late=true"), runs);
    const auto line = [&](const QString &what, const Measured &m) {
        say(QStringLiteral("  %1: median %2 ms (%3x the first page), %4 matches")
                .arg(what, -44)
                .arg(m.medianMs, 0, 'f', 2)
                .arg(m.medianMs / baseline.medianMs, 0, 'f', 2)
                .arg(QString::fromLatin1(m.total)));
    };
    line(QStringLiteral("first page, no filter (baseline)"), baseline);
    line(QStringLiteral("a day in the middle of the history"), middleDay);
    line(QStringLiteral("a day near the end (today)"), todayDay);
    line(QStringLiteral("late=true (judged now)"), late);

    for (const char *index : { "shipments_by_pickup_window", "shipments_by_delivery_window",
             "shipments_by_status_pickup_end", "shipments_by_status_delivery_end" })
        runStatement(
            server.database().connection(), QStringLiteral("DROP INDEX ") + QLatin1String(index));
    if (server.database().isPostgres())
        runStatement(server.database().connection(), QStringLiteral("ANALYZE shipments"));
    const Measured middleBare = measure(server, dayQuery(middle), runs);
    const Measured todayBare = measure(server, dayQuery(today), runs);
    line(QStringLiteral("the middle day, window indexes dropped"), middleBare);
    line(QStringLiteral("today, window indexes dropped"), todayBare);
    const bool met = middleDay.medianMs < 50 && todayDay.medianMs < 50;
    say(QStringLiteral("  target (a day's window query under 50 ms): %1")
            .arg(met ? QStringLiteral("met") : QStringLiteral("NOT met")));
    return met ? 0 : 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The planning queries on 100,000 shipments, over HTTP."));
    parser.addHelpOption();
    const QCommandLineOption backendOption(QStringLiteral("backend"),
        QStringLiteral("sqlite, postgres or both"), QStringLiteral("b"), QStringLiteral("both"));
    const QCommandLineOption shipmentsOption(QStringLiteral("shipments"),
        QStringLiteral("How many shipments"), QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("Measured answers per query"), QStringLiteral("r"), QStringLiteral("31"));
    parser.addOptions({ backendOption, shipmentsOption, runsOption });
    parser.process(app);
    const QString backend = parser.value(backendOption);
    const QStringList backends
        = backend == QLatin1String("both") ? TestDatabases::all() : QStringList { backend };
    int status = 0;
    for (const QString &b : backends)
        status = std::max(status,
            run(b, parser.value(shipmentsOption).toInt(), parser.value(runsOption).toInt()));
    return status;
}
