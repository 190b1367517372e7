// The suites' fresh databases: new and migrated each time, on either backend, and a test may
// skip only because PostgreSQL is missing (never when it is required, never for anything else).
#include "testdatabases.h"

#include "historywriter.h"
#include "store/eventstore.h"

#include <QFileInfo>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

namespace {

// Sets an environment variable for one scope, then puts back what was there.
class ScopedEnvironment final
{
public:
    ScopedEnvironment(const char *name, const QByteArray &value)
        : m_name(name)
        , m_wasSet(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnvironment()
    {
        if (m_wasSet)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    Q_DISABLE_COPY_MOVE(ScopedEnvironment)

private:
    const char *m_name;
    bool m_wasSet;
    QByteArray m_old;
};

} // namespace

class TestTestDatabases final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachDatabaseIsNewMigratedAndEmpty_data() { TestDatabases::addBackendColumn(); }
    void eachDatabaseIsNewMigratedAndEmpty();
    void sqliteFileIsNamedAfterItsLabel();
    void missingPostgresMaySkipOnlyWhenNotRequired_data();
    void missingPostgresMaySkipOnlyWhenNotRequired();
    void unknownBackendFailsEvenWhenPostgresIsOptional();
};

void TestTestDatabases::eachDatabaseIsNewMigratedAndEmpty()
{
    QFETCH(QString, backend);
    TestDatabases databases;
    WAYBILL_OPEN_DATABASE(first, databases, backend, QStringLiteral("first"));
    WAYBILL_OPEN_DATABASE(second, databases, backend, QStringLiteral("first"));
    QVERIFY2(first->url().toDisplayString() != second->url().toDisplayString(),
        qPrintable(QStringLiteral("both at ") + first->url().toDisplayString()));
    QCOMPARE(first->isPostgres(), backend == TestDatabases::postgres());
    // Migrated, empty, and apart: what is written to one is not in the other.
    QCOMPARE(EventStore::count(first->connection()), 0);
    HistoryWriter(*first).append({ { QStringLiteral("shipment-1"), EventType::Shipped, {},
        QStringLiteral("dispatch"), QDateTime::currentDateTimeUtc(), {} } });
    QCOMPARE(EventStore::count(first->connection()), 1);
    QCOMPARE(EventStore::count(second->connection()), 0);
}

void TestTestDatabases::sqliteFileIsNamedAfterItsLabel()
{
    TestDatabases databases;
    WAYBILL_FRESH_DATABASE(databases, TestDatabases::sqlite(), url);
    const std::optional<DatabaseUrl> labelled
        = databases.fresh(TestDatabases::sqlite(), QStringLiteral("Two servers, at once"));
    QVERIFY2(labelled, qPrintable(databases.why()));
    QCOMPARE(QFileInfo(url.path).fileName(), QStringLiteral("t1.db"));
    QCOMPARE(QFileInfo(labelled->path).fileName(), QStringLiteral("t2_two_servers_at_once.db"));
    QVERIFY2(!QFileInfo::exists(labelled->path), "a fresh database must not exist yet");
}

void TestTestDatabases::missingPostgresMaySkipOnlyWhenNotRequired_data()
{
    QTest::addColumn<QByteArray>("require");
    QTest::addColumn<bool>("maySkip");
    QTest::newRow("not required") << QByteArray() << true;
    QTest::newRow("required as 0") << QByteArrayLiteral("0") << true;
    QTest::newRow("required") << QByteArrayLiteral("1") << false;
}

void TestTestDatabases::missingPostgresMaySkipOnlyWhenNotRequired()
{
    QFETCH(QByteArray, require);
    QFETCH(bool, maySkip);
    const ScopedEnvironment noServer("WAYBILL_PG_BINDIR", QByteArrayLiteral("/nonexistent"));
    const ScopedEnvironment required("WAYBILL_REQUIRE_POSTGRES", require);
    TestDatabases databases;
    QVERIFY(!databases.open(TestDatabases::postgres(), QStringLiteral("x")));
    QVERIFY2(databases.why().contains(QStringLiteral("PostgreSQL is not available")),
        qPrintable(databases.why()));
    QCOMPARE(databases.maySkip(), maySkip);
    // The next row does not try again, and says the same.
    QVERIFY(!databases.fresh(TestDatabases::postgres()));
    QCOMPARE(databases.maySkip(), maySkip);
    // SQLite is still there, and clears the reason.
    QVERIFY(databases.fresh(TestDatabases::sqlite()));
    QCOMPARE(databases.why(), QString());
}

void TestTestDatabases::unknownBackendFailsEvenWhenPostgresIsOptional()
{
    const ScopedEnvironment optional("WAYBILL_REQUIRE_POSTGRES", QByteArray());
    TestDatabases databases;
    QVERIFY(!databases.fresh(QStringLiteral("mysql")));
    QCOMPARE(databases.why(), QStringLiteral("unknown backend mysql"));
    QVERIFY(!databases.maySkip());
}

QTEST_GUILESS_MAIN(TestTestDatabases)
#include "tst_testdatabases.moc"
