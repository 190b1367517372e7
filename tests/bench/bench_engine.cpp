// Commands per second through the engine (no HTTP), beside the raw store baseline in the same
// run: the same rows, the same durability and batching, written by the simplest possible loop.
// Then the per-command cost with a thousand and with a million events already stored.
//
//   bench_engine [--backend sqlite|postgres|both] [--commands N] [--rounds R] [--history N]
//                [--workers N] [--new-cluster-wal]
//
// The throwaway PostgreSQL cluster's write-ahead log is first made that of a cluster in service
// (PostgresCluster::recycleWalSegments), unless --new-cluster-wal.
#include "historywriter.h"
#include "postgrescluster.h"
#include "testdatabases.h"

#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "domain/timeformat.h"
#include "engine/engine.h"
#include "store/eventhash.h"
#include "store/eventstore.h"
#include "store/rowbatch.h"
#include "store/sql.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QSemaphore>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <thread>
#include <vector>

using namespace waybill;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

// CPU time of the whole process, every thread, in seconds (the database server's own is not
// counted on PostgreSQL).
double processCpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

QJsonObject submitData(int n)
{
    const QJsonObject a { { QStringLiteral("name"), QStringLiteral("Acme") },
        { QStringLiteral("line1"), QStringLiteral("1 Main") },
        { QStringLiteral("city"), QStringLiteral("Ames") },
        { QStringLiteral("state"), QStringLiteral("IA") },
        { QStringLiteral("zip"), QStringLiteral("50010") } };
    return { { QStringLiteral("shipFrom"), a }, { QStringLiteral("shipTo"), a },
        { QStringLiteral("weightInPounds"), 10 + n % 100 },
        { QStringLiteral("billToAccountId"), QStringLiteral("acct-%1").arg(n % 50) } };
}

// A new database for each measured run, from the suites' own fixture; no database is fatal.
struct Fresh
{
    test::TestDatabases databases;
    DatabaseUrl make(const QString &backend)
    {
        const std::optional<DatabaseUrl> url = databases.fresh(backend, QStringLiteral("bench"));
        if (!url)
            qFatal("no %s database: %s", qPrintable(backend), qPrintable(databases.why()));
        return *url;
    }
};

// Sends the requests from several client threads at once, as HTTP handlers would, and waits
// until every one is processed. Returns seconds.
double runEngine(Engine &engine, const std::vector<AcceptRequest> &requests, int clients = 4)
{
    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            QSemaphore window(512); // at most this many unanswered requests per client
            for (size_t i = c; i < requests.size(); i += clients) {
                window.acquire();
                engine.accept(requests[i], [&window](const AcceptResult &r) {
                    if (r.status != AcceptResult::Status::Accepted)
                        qFatal("a command was not accepted: %s", qPrintable(r.error));
                    window.release();
                });
            }
            window.acquire(512);
        });
    }
    for (auto &t : threads)
        t.join();
    engine.waitIdle();
    return timer.nsecsElapsed() / 1e9;
}

AcceptRequest request(CommandType type, const QString &shipment, const QJsonObject &body)
{
    AcceptRequest r;
    r.type = type;
    r.streamId = shipmentStreamId(shipment);
    if (!validateCommandBody(type, body, &r.data).isEmpty())
        qFatal("invalid benchmark body");
    r.user = QStringLiteral("bench");
    return r;
}

struct EngineRun
{
    double seconds = 0;
    double cpuSeconds = 0;
    EngineStats stats;
};

EngineRun engineSubmits(const DatabaseUrl &url, int n, const QString &prefix, int workers)
{
    std::vector<AcceptRequest> requests;
    for (int i = 0; i < n; ++i)
        requests.push_back(
            request(CommandType::Submit, prefix + QString::number(i), submitData(i)));
    Database db(url);
    EngineOptions options;
    if (workers > 0)
        options.workerThreads = workers;
    Engine engine(db, options);
    engine.start();
    EngineRun run;
    const double cpuBefore = processCpuSeconds();
    run.seconds = runEngine(engine, requests);
    run.cpuSeconds = processCpuSeconds() - cpuBefore;
    run.stats = engine.stats();
    engine.stop();
    if (run.stats.succeeded != n)
        qFatal("expected %d processed, got %lld", n, run.stats.succeeded);
    return run;
}

// The floor: the rows the engine writes for a submit (command row; then event with its chain
// link, state row, outcome, and the account's committed sum), byte for byte as the engine writes
// them (checked after each round), in batches of the engine's maximum size, each kind of row in
// one statement (multi-row, as the engine writes them), by the simplest loop that makes those
// rows: no inbox, no dispatch, no reducer, no checks, no reads but the chain's head. The texts
// are filled into templates made once, the cheapest simple way to make them.
struct RawRun
{
    double seconds = 0;
    double cpuSeconds = 0;
};

RawRun rawSubmits(const DatabaseUrl &url, int n, const QString &prefix)
{
    Database db(url);
    db.migrate();
    const RateTable rates;
    auto compact = [](const QJsonObject &o) {
        return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    };
    // Every submit of the benchmark ships between the same two addresses.
    const QJsonObject address = submitData(0).value(QStringLiteral("shipFrom")).toObject();
    const QString addressJson = compact(address);
    QStringList addressWords;
    for (const char *key : { "name", "line1", "city", "state", "zip" })
        addressWords << address.value(QLatin1String(key)).toString();
    const QString addressSearch = addressWords.join(QLatin1Char('\n')).toLower();
    const QString acceptedBy = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto number
        = [](double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); };
    const int batch = EngineOptions {}.maxBatch;
    QElapsedTimer timer;
    timer.start();
    const double cpuBefore = processCpuSeconds();
    std::vector<QString> commandIds(static_cast<size_t>(n));
    for (int start = 0; start < n; start += batch) {
        const int end = std::min(n, start + batch);
        const QDateTime acceptedAt = QDateTime::currentDateTimeUtc();
        const QString now = toIsoUtc(acceptedAt);
        {
            WriteTransaction tx(db);
            RowBatch commands { { QStringLiteral("id"), ColumnType::Text },
                { QStringLiteral("stream_id"), ColumnType::Text },
                { QStringLiteral("data"), ColumnType::Text },
                { QStringLiteral("accepted_at"), ColumnType::Text } };
            for (int i = start; i < end; ++i) {
                commandIds[i] = newCommandId(acceptedAt); // as the inbox makes them
                commands.add({ commandIds[i], shipmentStreamId(prefix + QString::number(i)),
                    compact(submitData(i)), now });
            }
            runForRows(tx.db(),
                QStringLiteral(
                    "INSERT INTO commands (id, stream_id, type, data, user_name, accepted_at, "
                    "correlation_id, status, accepted_by) SELECT id, stream_id, 'submit', data, "
                    "'bench', accepted_at, id, 'pending', '%1' FROM %ROWS% WHERE true")
                    .arg(acceptedBy),
                commands);
            tx.commit();
        }
        WriteTransaction tx(db);
        ChainHead head = EventStore::readHead(tx.db());
        RowBatch events { { QStringLiteral("position"), ColumnType::BigInt },
            { QStringLiteral("stream_id"), ColumnType::Text },
            { QStringLiteral("command_id"), ColumnType::Text },
            { QStringLiteral("data"), ColumnType::Text },
            { QStringLiteral("hash"), ColumnType::Text },
            { QStringLiteral("at"), ColumnType::Text } };
        RowBatch states { { QStringLiteral("id"), ColumnType::Text },
            { QStringLiteral("account_id"), ColumnType::Text },
            { QStringLiteral("body"), ColumnType::Text },
            { QStringLiteral("search_text"), ColumnType::Text },
            { QStringLiteral("at"), ColumnType::Text } };
        RowBatch outcomes { { QStringLiteral("id"), ColumnType::Text },
            { QStringLiteral("position"), ColumnType::BigInt },
            { QStringLiteral("at"), ColumnType::Text } };
        QHash<QString, qint64> committed;
        for (int i = start; i < end; ++i) {
            const QString id = prefix + QString::number(i);
            const QString stream = shipmentStreamId(id);
            const int weight = 10 + i % 100; // as submitData makes it
            const QString account = QStringLiteral("acct-%1").arg(i % 50);
            const qint64 cost = rates.lanes.first().linehaul(weight);
            const QString cents = QString::number(cost);
            const QString priced = QStringLiteral("{\"billToAccountId\":\"") + account
                + QStringLiteral("\",\"charges\":[{\"amountCents\":") + cents
                + QStringLiteral(",\"code\":\"linehaul\"}],\"cost\":") + number(cost / 100.0)
                + QStringLiteral(",\"costCents\":") + cents;
            const QString tail = QStringLiteral(",\"shipFrom\":") + addressJson
                + QStringLiteral(",\"shipTo\":") + addressJson;
            const QString eventData = priced + QStringLiteral(",\"rateTableVersion\":\"")
                + rates.version + QLatin1Char('"') + tail + QStringLiteral(",\"weightInPounds\":")
                + QString::number(weight) + QLatin1Char('}');
            const QString body = priced + QStringLiteral(",\"createdTimestamp\":\"") + now
                + QStringLiteral("\",\"id\":\"") + id
                + QStringLiteral("\",\"lastCommandTimestamp\":\"") + now
                + QStringLiteral("\",\"rateTableVersion\":\"") + rates.version + QLatin1Char('"')
                + tail
                + QStringLiteral(",\"status\":\"Submitted\",\"version\":1,\"weightInPounds\":")
                + QString::number(weight) + QLatin1Char('}');
            const QString search = id.toLower() + QLatin1Char('\n') + addressSearch
                + QLatin1Char('\n') + addressSearch;
            const QString &commandId = commandIds[i];
            const qint64 position = head.position + 1;
            const QString hash = chainHash(head.hash,
                { position, stream, 1, QStringLiteral("submitted"), now, commandId,
                    QStringLiteral("bench"), commandId, eventData });
            events.add({ position, stream, commandId, eventData, hash, now });
            states.add({ id, account, body, search, now });
            outcomes.add({ commandId, position, now });
            committed[account] += cost;
            head = { position, hash };
        }
        RowBatch commitments { { QStringLiteral("account_id"), ColumnType::Text },
            { QStringLiteral("delta"), ColumnType::BigInt } };
        for (auto it = committed.cbegin(); it != committed.cend(); ++it)
            commitments.add({ it.key(), it.value() });
        runForRows(tx.db(),
            QStringLiteral("INSERT INTO events (position, stream_id, version, type, timestamp, "
                           "command_id, user_name, correlation_id, data, hash) "
                           "SELECT position, stream_id, 1, 'submitted', at, command_id, "
                           "'bench', command_id, data, hash FROM %ROWS% WHERE true"),
            events);
        runForRows(tx.db(),
            QStringLiteral("INSERT INTO shipments (id, status, truck_id, account_id, created_at, "
                           "version, body, search_text) SELECT id, 'Submitted', NULL, "
                           "account_id, at, 1, body, search_text FROM %ROWS% WHERE true"),
            states);
        runForRows(tx.db(),
            QStringLiteral("UPDATE commands SET status = 'succeeded', first_position = "
                           "batch.position, last_position = batch.position, "
                           "processed_at = batch.at FROM %ROWS% WHERE commands.id = batch.id"),
            outcomes);
        runForRows(tx.db(),
            QStringLiteral("INSERT INTO account_commitments (account_id, committed_cents) "
                           "SELECT account_id, delta FROM %ROWS% WHERE true "
                           "ON CONFLICT (account_id) DO UPDATE SET committed_cents = "
                           "account_commitments.committed_cents + excluded.committed_cents"),
            commitments);
        tx.commit();
    }
    return { timer.nsecsElapsed() / 1e9, processCpuSeconds() - cpuBefore };
}

// What the rows hold, in bytes per command: the raw baseline must write the engine's rows, not
// smaller ones, or the ratio would count their size as the engine's overhead.
struct RowBytes
{
    double command = 0, event = 0, state = 0;
    bool operator==(const RowBytes &o) const
    {
        return command == o.command && event == o.event && state == o.state;
    }
};

RowBytes rowBytes(const DatabaseUrl &url, int n)
{
    Database db(url);
    const auto bytes = [&](const QString &sql) {
        QSqlQuery q = runQuery(db.connection(), sql);
        q.next();
        return q.value(0).toDouble() / n;
    };
    return { bytes(QStringLiteral("SELECT SUM(LENGTH(id) + LENGTH(stream_id) + LENGTH(data) + "
                                  "LENGTH(correlation_id) + COALESCE(LENGTH(accepted_by), 0)) "
                                  "FROM commands")),
        bytes(QStringLiteral("SELECT SUM(LENGTH(stream_id) + LENGTH(data) + LENGTH(hash)) "
                             "FROM events")),
        bytes(QStringLiteral("SELECT SUM(LENGTH(id) + LENGTH(account_id) + LENGTH(body) + "
                             "COALESCE(LENGTH(search_text), 0)) FROM shipments")) };
}

// Whole lifecycles (submit, assign, ship, deliver: the deliveries are invoiced as they go).
double engineLifecycles(Database &db, int shipments, const QString &prefix, EngineStats *stats)
{
    std::vector<AcceptRequest> requests;
    for (int i = 0; i < shipments; ++i) {
        const QString s = prefix + QString::number(i);
        requests.push_back(request(CommandType::Submit, s, submitData(i)));
        requests.push_back(request(CommandType::Assign, s,
            { { QStringLiteral("truckId"), QStringLiteral("t%1").arg(i % 40) } }));
        requests.push_back(request(CommandType::Ship, s, {}));
        requests.push_back(request(CommandType::Deliver, s, {}));
    }
    // One client: a shipment's four commands must be accepted in this order.
    Engine engine(db);
    engine.start();
    const double seconds = runEngine(engine, requests, 1);
    *stats = engine.stats();
    engine.stop();
    return seconds;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("backend"), QStringLiteral("sqlite, postgres or both"),
        QStringLiteral("name"), QStringLiteral("both") });
    parser.addOption({ QStringLiteral("commands"), QStringLiteral("commands per round"),
        QStringLiteral("n"), QStringLiteral("20000") });
    parser.addOption({ QStringLiteral("rounds"), QStringLiteral("rounds"), QStringLiteral("n"),
        QStringLiteral("5") });
    parser.addOption(
        { QStringLiteral("history"), QStringLiteral("large history in events (0: skip)"),
            QStringLiteral("n"), QStringLiteral("1000000") });
    parser.addOption(
        { QStringLiteral("workers"), QStringLiteral("engine threads (0: the product's default)"),
            QStringLiteral("n"), QStringLiteral("0") });
    parser.addOption({ QStringLiteral("new-cluster-wal"),
        QStringLiteral("leave PostgreSQL's write-ahead log as a new cluster's (by default its "
                       "segments are recycled first, as in a cluster in service)") });
    parser.process(app);
    const QString which = parser.value(QStringLiteral("backend"));
    const int n = parser.value(QStringLiteral("commands")).toInt();
    const int rounds = parser.value(QStringLiteral("rounds")).toInt();
    const qint64 history = parser.value(QStringLiteral("history")).toLongLong();
    const int workers = parser.value(QStringLiteral("workers")).toInt();

    Fresh fresh;
    QStringList backends;
    if (which != QLatin1String("postgres"))
        backends << QStringLiteral("sqlite");
    if (which != QLatin1String("sqlite"))
        backends << QStringLiteral("postgres");
    if (backends.contains(QStringLiteral("postgres"))
        && !parser.isSet(QStringLiteral("new-cluster-wal"))) {
        QString error;
        if (!fresh.databases.recyclePostgresWal(
                test::PostgresCluster::InServiceWalSegments, &error))
            qFatal("cannot recycle PostgreSQL's WAL: %s", qPrintable(error));
    }
    std::printf("machine: %u cores; %d commands per round, %d rounds; durability: full (fsync per "
                "commit)\n",
        std::thread::hardware_concurrency(), n, rounds);
    for (const QString &backend : backends) {
        std::vector<double> engineRates, rawRates, ratios, inboxBatch, laneBatch, readAgain,
            restamped, engineCpu, rawCpu;
        for (int r = 0; r < rounds; ++r) {
            const QString prefix = QStringLiteral("r%1-").arg(r);
            const DatabaseUrl engineUrl = fresh.make(backend);
            const DatabaseUrl rawUrl = fresh.make(backend);
            const EngineRun e = engineSubmits(engineUrl, n, prefix, workers);
            const RawRun rawRun = rawSubmits(rawUrl, n, prefix);
            const double raw = rawRun.seconds;
            const RowBytes engineBytes = rowBytes(engineUrl, n);
            const RowBytes rawBytes = rowBytes(rawUrl, n);
            if (!(engineBytes == rawBytes)) {
                std::printf("  bytes per command (command, event, state): engine %.1f %.1f %.1f, "
                            "raw %.1f %.1f %.1f\n",
                    engineBytes.command, engineBytes.event, engineBytes.state, rawBytes.command,
                    rawBytes.event, rawBytes.state);
                std::fflush(stdout);
                qFatal("the raw baseline no longer writes the engine's rows");
            }
            engineRates.push_back(n / e.seconds);
            rawRates.push_back(n / raw);
            ratios.push_back(raw / e.seconds);
            inboxBatch.push_back(double(n) / e.stats.inboxTransactions);
            laneBatch.push_back(double(n) / e.stats.processingTransactions);
            readAgain.push_back(
                100.0 * e.stats.batchesReadAgain / qMax<qint64>(1, e.stats.processingTransactions));
            restamped.push_back(
                100.0 * e.stats.batchesRestamped / qMax<qint64>(1, e.stats.processingTransactions));
            engineCpu.push_back(e.cpuSeconds * 1e6 / n);
            rawCpu.push_back(rawRun.cpuSeconds * 1e6 / n);
            std::printf("  %s round %d: engine %.0f cmd/s, raw %.0f rows-set/s, ratio %.2f; CPU of "
                        "this process per command: engine %.0f us, raw %.0f us\n",
                qPrintable(backend), r + 1, n / e.seconds, n / raw, raw / e.seconds,
                engineCpu.back(), rawCpu.back());
            std::fflush(stdout);
        }
        std::printf(
            "%s throughput (median of %d): engine %.0f commands/s, raw baseline %.0f/s, "
            "engine/raw %.2f "
            "(mean commands per inbox commit %.1f, per processing commit %.1f; batches "
            "decided again under the lock %.0f%%, restamped %.0f%%; CPU of this process per "
            "command: engine %.0f us, raw %.0f us)\n",
            qPrintable(backend), rounds, median(engineRates), median(rawRates), median(ratios),
            median(inboxBatch), median(laneBatch), median(readAgain), median(restamped),
            median(engineCpu), median(rawCpu));
        std::fflush(stdout);
        if (history <= 0)
            continue;
        const int lifecycles = std::max(250, n / 8);
        double perCommand[2] = { 0, 0 };
        const qint64 sizes[2] = { 1000, history };
        for (int k = 0; k < 2; ++k) {
            const DatabaseUrl url = fresh.make(backend);
            Database db(url);
            QElapsedTimer gen;
            gen.start();
            test::HistoryShape shape;
            shape.events = sizes[k];
            shape.shipments = sizes[k] / 5;
            shape.perTransaction = 20000;
            test::HistoryWriter(db).generate(shape);
            std::printf("  %s: %lld events stored in %.1f s\n", qPrintable(backend), sizes[k],
                gen.elapsed() / 1000.0);
            std::fflush(stdout);
            std::vector<double> costs;
            for (int r = 0; r < rounds; ++r) {
                EngineStats stats;
                const double s = engineLifecycles(
                    db, lifecycles, QStringLiteral("h%1-r%2-").arg(k).arg(r), &stats);
                costs.push_back(s * 1e6 / (lifecycles * 4));
            }
            perCommand[k] = median(costs);
            std::printf("  %s with %lld events stored: %.1f us per command (median of %d rounds of "
                        "%d commands)\n",
                qPrintable(backend), sizes[k], perCommand[k], rounds, lifecycles * 4);
            std::fflush(stdout);
        }
        std::printf("%s per-command cost, %lld vs 1000 events stored: %.2fx\n", qPrintable(backend),
            history, perCommand[1] / perCommand[0]);
        std::fflush(stdout);
    }
    return 0;
}
