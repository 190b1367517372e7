// What authenticating every request against the database costs, now that no token is cached:
// per authentication (one indexed lookup of the token's row and one SHA-256), beside the cheapest
// read the database can answer (SELECT 1) and the in-memory lookup that the former cache made,
// alternating in the same process, on each backend.
//
//   bench_tokenauth [--backend sqlite|postgres|both] [--tokens N] [--calls N] [--rounds R]
#include "store/sql.h"
#include "testdatabases.h"
#include "tokenstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace waybill;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

// Microseconds per call of f over `calls` calls.
template<typename F> double perCall(int calls, F f)
{
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < calls; ++i)
        f(i);
    return clock.nsecsElapsed() / 1000.0 / calls;
}

int run(const QString &backend, int tokenCount, int calls, int rounds)
{
    test::TestDatabases databases;
    std::unique_ptr<Database> database = databases.open(backend, QStringLiteral("bench"));
    if (!database) {
        fprintf(stderr, "%s: %s\n", qPrintable(backend), qPrintable(databases.why()));
        return 1;
    }
    TokenStore store(*database);
    QVector<QString> tokens;
    QHash<QString, TokenInfo> cache; // what the former cache kept
    QMutex cacheMutex;
    for (int i = 0; i < tokenCount; ++i) {
        tokens << store.create(QStringLiteral("user%1").arg(i), Role::Dispatch);
        cache.insert(tokens.last(), *store.authenticate(tokens.last()));
    }
    const QSqlDatabase db = database->connection();
    std::vector<double> lookup;
    std::vector<double> select1;
    std::vector<double> memory;
    int failures = 0;
    QRandomGenerator random(7);
    for (int r = 0; r < rounds; ++r) {
        lookup.push_back(perCall(calls, [&](int) {
            failures += store.authenticate(tokens.at(random.bounded(tokenCount))) ? 0 : 1;
        }));
        select1.push_back(perCall(calls, [&](int) {
            QSqlQuery &q = runPrepared(db, QStringLiteral("SELECT 1"));
            q.next();
            q.finish();
        }));
        memory.push_back(perCall(calls, [&](int) {
            QMutexLocker lock(&cacheMutex);
            failures += cache.contains(tokens.at(random.bounded(tokenCount))) ? 0 : 1;
        }));
    }
    const double l = median(lookup);
    const double s = median(select1);
    const double m = median(memory);
    printf("%-8s %d tokens, %d calls x %d rounds: authenticate %.1f us (%.2fx SELECT 1 at "
           "%.1f us); former cache hit %.2f us\n",
        qPrintable(backend), tokenCount, calls, rounds, l, l / s, s, m);
    return failures == 0 ? 0 : 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The cost of authenticating a request"));
    parser.addHelpOption();
    const QCommandLineOption backendOption(QStringLiteral("backend"),
        QStringLiteral("sqlite, postgres or both."), QStringLiteral("b"), QStringLiteral("both"));
    const QCommandLineOption tokensOption(QStringLiteral("tokens"),
        QStringLiteral("Tokens in the table."), QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption callsOption(QStringLiteral("calls"),
        QStringLiteral("Calls per round."), QStringLiteral("n"), QStringLiteral("5000"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"), QStringLiteral("Rounds."),
        QStringLiteral("n"), QStringLiteral("5"));
    parser.addOptions({ backendOption, tokensOption, callsOption, roundsOption });
    parser.process(app);
    const QString backend = parser.value(backendOption);
    int status = 0;
    for (const QString &b : { QStringLiteral("sqlite"), QStringLiteral("postgres") }) {
        if (backend == b || backend == QLatin1String("both"))
            status = qMax(status,
                run(b, parser.value(tokensOption).toInt(), parser.value(callsOption).toInt(),
                    parser.value(roundsOption).toInt()));
    }
    return status;
}
