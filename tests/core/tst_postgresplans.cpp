// PostgreSQL keeps a prepared statement's plan. The driver prepares every statement on the
// server, and after a few executions PostgreSQL may settle on one generic plan made from the
// statistics of that moment. A server that starts on a new database would then look up each
// batch's commands by a whole-table scan for as long as the connection lives, however large the
// table has grown, comparing each row with each of the batch's ids in turn: 138 ms a batch at
// 25,000 commands, until autovacuum happened to analyze the table.
// These tests grow a table under a connection that already ran its lookups while the table was
// empty, with autovacuum off so that no ANALYZE can rescue the plan, and count the table scans.
// A request's pre-check, the one statement made for every request, is planned once per
// connection instead: its connection rules scans out, and these tests show the plan it made on
// empty tables reading the indexes of full ones.
#include "testcommands.h"
#include "testdatabases.h"

#include "engine/engine.h"
#include "store/commandstore.h"
#include "store/sql.h"

#include <QSqlQuery>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

class TestPostgresPlans final : public QObject
{
    Q_OBJECT
private slots:
    void batchLookupsUseTheIndexOnceTheTableHasGrown_data();
    void batchLookupsUseTheIndexOnceTheTableHasGrown();
    void aPrecheckIsPlannedOnceAndReadsTheIndexesOnceTheTablesHaveGrown();
    void aReversalIsPrecheckedByItsPaymentsCommandNotByEveryPayment();
    void theEnginesOwnConnectionStillPlansEachExecution();

private:
    TestDatabases m_databases;
};

using Lookup = QSet<QString> (*)(const QSqlDatabase &, const QStringList &);
Q_DECLARE_METATYPE(Lookup)

void TestPostgresPlans::batchLookupsUseTheIndexOnceTheTableHasGrown_data()
{
    QTest::addColumn<Lookup>("lookup");
    QTest::newRow("commands that exist") << Lookup(&CommandStore::existing);
    QTest::newRow("commands no longer pending") << Lookup(&CommandStore::notPending);
}

namespace {

qint64 scansNotYetReported(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = ?"),
        { table });
    return q.next() ? q.value(0).toLongLong() : 0;
}

qint64 scansOfCommandsNotYetReported(const QSqlDatabase &db)
{
    return scansNotYetReported(db, QStringLiteral("commands"));
}

struct Plans
{
    qint64 generic = 0;
    qint64 custom = 0;
};

// How this connection planned the statements it prepared that read the given table.
Plans plansOfStatementsReading(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT COALESCE(SUM(generic_plans), 0), COALESCE(SUM(custom_plans), 0) "
                       "FROM pg_prepared_statements WHERE statement LIKE ?"),
        { QStringLiteral("%FROM ") + table + QStringLiteral(" %") });
    if (!q.next())
        return {};
    return { q.value(0).toLongLong(), q.value(1).toLongLong() };
}

const QStringList kStateTables { QStringLiteral("shipments"), QStringLiteral("accounts"),
    QStringLiteral("account_commitments"), QStringLiteral("tokens") };

} // namespace

void TestPostgresPlans::batchLookupsUseTheIndexOnceTheTableHasGrown()
{
    QFETCH(Lookup, lookup);
    WAYBILL_OPEN_DATABASE(
        database, m_databases, TestDatabases::postgres(), QTest::currentDataTag());
    const QSqlDatabase db = database->connection();
    runStatement(db, QStringLiteral("ALTER TABLE commands SET (autovacuum_enabled = false)"));

    QStringList batch;
    for (int i = 0; i < 256; ++i)
        batch << QStringLiteral("c-%1").arg(i * 97);
    // Enough runs on the empty table for PostgreSQL to consider a generic plan.
    for (int run = 0; run < 10; ++run)
        QVERIFY(lookup(db, batch).isEmpty());

    // Below some tens of thousands of rows a scan that hashes the list really is the cheaper
    // plan; at this size only the index is.
    constexpr int kCommands = 100000;
    runStatement(db,
        QStringLiteral("INSERT INTO commands (id, stream_id, type, data, user_name, accepted_at, "
                       "correlation_id, status) SELECT 'c-' || n, 'S-' || n, 'submit', '{}', "
                       "'clerk', '2026-11-30T00:00:00Z', 'k-' || n, 'succeeded' "
                       "FROM generate_series(0, %1) AS n")
            .arg(kCommands - 1));

    // The counters hold what this connection did and has not reported yet: compare before and
    // after, in one transaction.
    runStatement(db, QStringLiteral("BEGIN"));
    const qint64 scansBefore = scansOfCommandsNotYetReported(db);
    const QSet<QString> found = lookup(db, batch);
    const qint64 scans = scansOfCommandsNotYetReported(db) - scansBefore;
    runStatement(db, QStringLiteral("ROLLBACK"));
    QCOMPARE(found.size(), batch.size());
    QCOMPARE(scans, 0);
}

void TestPostgresPlans::aPrecheckIsPlannedOnceAndReadsTheIndexesOnceTheTablesHaveGrown()
{
    WAYBILL_OPEN_DATABASE(database, m_databases, TestDatabases::postgres(), QStringLiteral("pre"));
    const QSqlDatabase db = database->connection();
    for (const QString &table : kStateTables) {
        runStatement(
            db, QStringLiteral("ALTER TABLE %1 SET (autovacuum_enabled = false)").arg(table));
    }
    Engine engine(*database);
    // Not started: a pre-check needs no processing, and this thread's connections are the
    // pre-check's.
    Command submit;
    submit.id = QStringLiteral("c-probe");
    submit.type = CommandType::Submit;
    submit.streamId = shipmentStreamId(QStringLiteral("s-5000"));
    submit.data = test::validatedData(CommandType::Submit, test::submitBody(QStringLiteral("a-7")));
    submit.user = QStringLiteral("clerk");
    submit.acceptedAt = QDateTime::currentDateTimeUtc();
    submit.expectedVersion = 1; // an If-Match: the answer then says the version it read
    const QString salt = QStringLiteral("salt-3");
    for (int run = 0; run < 10; ++run) {
        QVector<TokenTable::TokenRow> tokens;
        QCOMPARE(engine.precheck(submit, salt, &tokens).currentVersion, std::optional<int>(0));
        QVERIFY(tokens.isEmpty());
    }

    constexpr int kRows = 50000;
    runStatement(db,
        QStringLiteral("INSERT INTO shipments (id, status, account_id, created_at, version, body) "
                       "SELECT 's-' || n, 'Submitted', 'a-' || (n % 100), "
                       "'2026-11-30T00:00:00.000Z', 3, '{\"status\":\"Submitted\",\"version\":3}' "
                       "FROM generate_series(0, %1) AS n")
            .arg(kRows - 1));
    runStatement(db,
        QStringLiteral("INSERT INTO accounts (id, balance_cents, version, body) "
                       "SELECT 'a-' || n, 0, 1, '{}' FROM generate_series(0, %1) AS n")
            .arg(kRows - 1));
    runStatement(db,
        QStringLiteral("INSERT INTO account_commitments (account_id, committed_cents) "
                       "SELECT 'a-' || n, 100 FROM generate_series(0, %1) AS n")
            .arg(kRows - 1));
    runStatement(db,
        QStringLiteral("INSERT INTO tokens (name, role, salt, hash, created_at) "
                       "SELECT 'token-' || n, 'clerk', 'salt-' || n, 'h', "
                       "'2026-11-30T00:00:00.000Z' FROM generate_series(0, %1) AS n")
            .arg(kRows - 1));

    // On the pre-check's own connection, so that the counters are its statement's.
    const QSqlDatabase lookups = database->lookupConnection();
    QVERIFY(lookups.connectionName() != db.connectionName());
    runStatement(lookups, QStringLiteral("BEGIN"));
    QHash<QString, qint64> scansBefore;
    for (const QString &table : kStateTables)
        scansBefore.insert(table, scansNotYetReported(lookups, table));
    QVector<TokenTable::TokenRow> tokens;
    const PrecheckAnswer answer = engine.precheck(submit, salt, &tokens);
    for (const QString &table : kStateTables) {
        QVERIFY2(scansNotYetReported(lookups, table) == scansBefore.value(table),
            qPrintable(QStringLiteral("the pre-check scanned the whole of ") + table));
    }
    runStatement(lookups, QStringLiteral("ROLLBACK"));
    // It read what the grown tables hold: the shipment's state and the token's row.
    QCOMPARE(answer.currentVersion, std::optional<int>(3));
    QCOMPARE(tokens.size(), 1);
    QCOMPARE(tokens.first().name, QStringLiteral("token-3"));

    // Eleven executions, one plan: the generic one, made while the tables were empty.
    const Plans plans = plansOfStatementsReading(lookups, QStringLiteral("shipments"));
    QCOMPARE(plans.custom, 0);
    QCOMPARE(plans.generic, 11);
}

namespace {

struct IndexReads
{
    qint64 scans = 0;
    qint64 tuples = 0; // fetched through an index
};

IndexReads indexReadsNotYetReported(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT COALESCE(idx_scan, 0), COALESCE(idx_tup_fetch, 0) "
                       "FROM pg_stat_xact_user_tables WHERE relname = ?"),
        { table });
    if (!q.next())
        return {};
    return { q.value(0).toLongLong(), q.value(1).toLongLong() };
}

} // namespace

void TestPostgresPlans::aReversalIsPrecheckedByItsPaymentsCommandNotByEveryPayment()
{
    WAYBILL_OPEN_DATABASE(database, m_databases, TestDatabases::postgres(), QStringLiteral("rev"));
    const QSqlDatabase db = database->connection();
    runStatement(db, QStringLiteral("ALTER TABLE events SET (autovacuum_enabled = false)"));
    Engine engine(*database);
    Command reversal;
    reversal.id = QStringLiteral("c-reverse");
    reversal.type = CommandType::ReversePayment;
    reversal.streamId = accountStreamId(QStringLiteral("a-7"));
    reversal.data = test::validatedData(CommandType::ReversePayment,
        { { QStringLiteral("paymentCommandId"), QStringLiteral("pay-7") },
            { QStringLiteral("reason"), QStringLiteral("bounced") } });
    reversal.user = QStringLiteral("finance");
    reversal.acceptedAt = QDateTime::currentDateTimeUtc();
    for (int run = 0; run < 10; ++run)
        engine.precheck(reversal);

    // A history of payments: the reversal's own and 50,000 others.
    constexpr int kPayments = 50000;
    runStatement(db,
        QStringLiteral("INSERT INTO events (position, stream_id, version, type, timestamp, "
                       "command_id, user_name, correlation_id, data, hash) "
                       "SELECT n + 1, 'account-a-' || n, 1, 'paymentReceived', "
                       "'2026-11-30T00:00:00.000Z', 'pay-' || n, 'finance', 'pay-' || n, "
                       "'{\"amountCents\":100}', repeat('0', 64) "
                       "FROM generate_series(0, %1) AS n")
            .arg(kPayments - 1));

    const QSqlDatabase lookups = database->lookupConnection();
    runStatement(lookups, QStringLiteral("BEGIN"));
    const IndexReads before = indexReadsNotYetReported(lookups, QStringLiteral("events"));
    const qint64 scansBefore = scansNotYetReported(lookups, QStringLiteral("events"));
    engine.precheck(reversal);
    const IndexReads after = indexReadsNotYetReported(lookups, QStringLiteral("events"));
    const qint64 scans = scansNotYetReported(lookups, QStringLiteral("events")) - scansBefore;
    runStatement(lookups, QStringLiteral("ROLLBACK"));
    QCOMPARE(scans, 0);
    // It found the payment, through the index of the events' commands: one event, not every
    // payment's.
    QVERIFY(after.scans > before.scans);
    QVERIFY2(after.tuples - before.tuples >= 1 && after.tuples - before.tuples <= 5,
        qPrintable(QStringLiteral("the pre-check read %1 events through an index")
                       .arg(after.tuples - before.tuples)));
}

void TestPostgresPlans::theEnginesOwnConnectionStillPlansEachExecution()
{
    WAYBILL_OPEN_DATABASE(database, m_databases, TestDatabases::postgres(), QStringLiteral("own"));
    const QSqlDatabase db = database->connection();
    QStringList batch { QStringLiteral("c-1"), QStringLiteral("c-2") };
    for (int run = 0; run < 10; ++run)
        QVERIFY(CommandStore::notPending(db, batch).isEmpty());
    const Plans plans = plansOfStatementsReading(db, QStringLiteral("commands"));
    QCOMPARE(plans.generic, 0);
    QCOMPARE(plans.custom, 10);
    // The two purposes are two connections of this thread; on SQLite, one.
    QVERIFY(database->lookupConnection().connectionName() != db.connectionName());
    WAYBILL_OPEN_DATABASE(sqlite, m_databases, TestDatabases::sqlite(), QStringLiteral("one"));
    QCOMPARE(sqlite->lookupConnection().connectionName(), sqlite->connection().connectionName());
}

QTEST_GUILESS_MAIN(TestPostgresPlans)
#include "tst_postgresplans.moc"
