// The suites' fresh databases: new and migrated each time, on either backend, and a test may
// skip only because PostgreSQL is missing (never when it is required, never for anything else).
#include "testdatabases.h"

#include "historywriter.h"
#include "store/eventstore.h"
#include "testcertificate.h"

#include <QFileInfo>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

namespace {

// Sets an environment variable for one scope, then puts back what was there.
class ScopedEnvironment final
{
public:
    // nullopt: unset for the scope.
    ScopedEnvironment(const char *name, const std::optional<QByteArray> &value)
        : m_name(name)
        , m_wasSet(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name))
    {
        if (value)
            qputenv(name, *value);
        else
            qunsetenv(name);
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
    void tlsIsRequiredWhenAskedOrUnderCi_data();
    void tlsIsRequiredWhenAskedOrUnderCi();
};

void TestTestDatabases::tlsIsRequiredWhenAskedOrUnderCi_data()
{
    QTest::addColumn<QByteArray>("requireTls"); // "unset": not in the environment
    QTest::addColumn<QByteArray>("ci");
    QTest::addColumn<bool>("required");
    QTest::newRow("neither set: optional") << QByteArray("unset") << QByteArray("unset") << false;
    QTest::newRow("asked for") << QByteArray("1") << QByteArray("unset") << true;
    QTest::newRow("asked for with a word") << QByteArray("yes") << QByteArray("unset") << true;
    QTest::newRow("turned off") << QByteArray("0") << QByteArray("unset") << false;
    QTest::newRow("empty is off") << QByteArray("") << QByteArray("unset") << false;
    QTest::newRow("CI=true") << QByteArray("unset") << QByteArray("true") << true;
    QTest::newRow("CI=1") << QByteArray("unset") << QByteArray("1") << true;
    QTest::newRow("CI=false") << QByteArray("unset") << QByteArray("false") << false;
    QTest::newRow("CI empty") << QByteArray("unset") << QByteArray("") << false;
    QTest::newRow("turned off under CI") << QByteArray("0") << QByteArray("true") << false;
    QTest::newRow("asked for outside CI") << QByteArray("1") << QByteArray("false") << true;
}

void TestTestDatabases::tlsIsRequiredWhenAskedOrUnderCi()
{
    QFETCH(QByteArray, requireTls);
    QFETCH(QByteArray, ci);
    QFETCH(bool, required);
    const auto value = [](const QByteArray &v) {
        return v == "unset" ? std::nullopt : std::optional<QByteArray>(v);
    };
    const ScopedEnvironment tls("WAYBILL_REQUIRE_TLS", value(requireTls));
    const ScopedEnvironment onCi("CI", value(ci));
    QCOMPARE(waybill::test::requireTls(), required);
}

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
