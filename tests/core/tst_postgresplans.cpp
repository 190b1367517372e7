// PostgreSQL keeps a prepared statement's plan. The driver prepares every statement on the
// server, and after a few executions PostgreSQL may settle on one generic plan made from the
// statistics of that moment. A server that starts on a new database would then look up each
// batch's commands by a whole-table scan for as long as the connection lives, however large the
// table has grown, comparing each row with each of the batch's ids in turn: 138 ms a batch at
// 25,000 commands, until autovacuum happened to analyze the table.
// These tests grow a table under a connection that already ran its lookups while the table was
// empty, with autovacuum off so that no ANALYZE can rescue the plan, and count the table scans.
#include "testdatabases.h"

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

qint64 scansOfCommandsNotYetReported(const QSqlDatabase &db)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'commands'"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

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

QTEST_GUILESS_MAIN(TestPostgresPlans)
#include "tst_postgresplans.moc"
