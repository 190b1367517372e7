#include "postgrescluster.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QUrl>
#include <QtTest>

using waybill::test::PostgresCluster;

namespace {

// Runs one query returning a single value over a fresh QPSQL connection
// configured from a cluster URL, the way product code will connect. The
// connection is removed again so connection names never collide.
QVariant queryValue(const QString &url, const QString &sql, QString *error)
{
    static int connectionCounter = 0;
    const QString connectionName
        = QStringLiteral("tst_postgrescluster_%1").arg(++connectionCounter);
    const QUrl parsed(url);
    QVariant value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
        db.setHostName(parsed.host());
        db.setPort(parsed.port());
        db.setUserName(parsed.userName());
        db.setDatabaseName(parsed.path().mid(1));
        if (!db.open()) {
            *error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            if (!query.exec(sql) || !query.next())
                *error = query.lastError().text();
            else
                value = query.value(0);
        }
    }
    QSqlDatabase::removeDatabase(connectionName);
    return value;
}

// Writes a row and switches to the next WAL segment, `times` times: each switch starts a segment
// that a new cluster has to create.
void switchWalSegments(const QString &url, int times, QString *error)
{
    for (int i = 0; i < times && error->isEmpty(); ++i)
        queryValue(url,
            QStringLiteral("INSERT INTO wal_switches VALUES (%1); SELECT pg_switch_wal()").arg(i),
            error);
}

bool acceptsTcpConnections(int port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(port));
    return socket.waitForConnected(2'000);
}

} // namespace

class TestPostgresCluster final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void requirePostgresIsTrueOnlyForANonZeroValue();
    void startedClusterAnswersQueriesAtItsUrl();
    void createDatabaseReturnsUrlOfAnEmptyDatabaseOwnedByWaybill();
    void createDatabaseRejectsNamesThatWouldNeedEscaping();
    void destructorStopsTheServer();
    void stopClosesThePortAndClearsTheUrl();
    void writesAfterRecyclingReuseWalSegmentsInsteadOfCreatingThem();

private:
    // Either starts the cluster or ends the test: skipped normally, failed
    // when the environment demands PostgreSQL.
    static bool startOrGiveUp(PostgresCluster &cluster, QString *error);

    PostgresCluster m_cluster;
};

void TestPostgresCluster::initTestCase()
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        const char message[] = "Qt's QPSQL driver is not installed";
        if (PostgresCluster::requirePostgres())
            QFAIL(message);
        QSKIP(message);
    }
    QElapsedTimer timer;
    timer.start();
    QString error;
    if (!startOrGiveUp(m_cluster, &error))
        return;
    qInfo("cluster started in %lld ms at %s", timer.elapsed(), qPrintable(m_cluster.url()));
}

void TestPostgresCluster::requirePostgresIsTrueOnlyForANonZeroValue()
{
    const QByteArray saved = qgetenv("WAYBILL_REQUIRE_POSTGRES");
    const bool wasSet = qEnvironmentVariableIsSet("WAYBILL_REQUIRE_POSTGRES");

    qunsetenv("WAYBILL_REQUIRE_POSTGRES");
    const bool whenUnset = PostgresCluster::requirePostgres();
    qputenv("WAYBILL_REQUIRE_POSTGRES", "");
    const bool whenEmpty = PostgresCluster::requirePostgres();
    qputenv("WAYBILL_REQUIRE_POSTGRES", "0");
    const bool whenZero = PostgresCluster::requirePostgres();
    qputenv("WAYBILL_REQUIRE_POSTGRES", "1");
    const bool whenOne = PostgresCluster::requirePostgres();

    if (wasSet)
        qputenv("WAYBILL_REQUIRE_POSTGRES", saved);
    else
        qunsetenv("WAYBILL_REQUIRE_POSTGRES");

    QVERIFY(!whenUnset);
    QVERIFY(!whenEmpty);
    QVERIFY(!whenZero);
    QVERIFY(whenOne);
}

void TestPostgresCluster::startedClusterAnswersQueriesAtItsUrl()
{
    QVERIFY(m_cluster.isRunning());
    QVERIFY(m_cluster.port() > 0);
    QCOMPARE(m_cluster.url(),
        QStringLiteral("postgresql://waybill@127.0.0.1:%1/waybill").arg(m_cluster.port()));

    QString error;
    const QVariant one = queryValue(m_cluster.url(), QStringLiteral("SELECT 1"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(one.toInt(), 1);
}

void TestPostgresCluster::createDatabaseReturnsUrlOfAnEmptyDatabaseOwnedByWaybill()
{
    QString error;
    const QString url = m_cluster.createDatabase(QStringLiteral("Second_db"), &error);
    QVERIFY2(!url.isEmpty(), qPrintable(error));
    QCOMPARE(
        url, QStringLiteral("postgresql://waybill@127.0.0.1:%1/Second_db").arg(m_cluster.port()));

    const QVariant database = queryValue(url, QStringLiteral("SELECT current_database()"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(database.toString(), QStringLiteral("Second_db"));

    const QVariant owner = queryValue(url,
        QStringLiteral("SELECT pg_get_userbyid(datdba) FROM pg_database "
                       "WHERE datname = current_database()"),
        &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(owner.toString(), QStringLiteral("waybill"));

    const QVariant tables = queryValue(url,
        QStringLiteral("SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                       "ON n.oid = c.relnamespace WHERE n.nspname NOT IN "
                       "('pg_catalog', 'information_schema', 'pg_toast')"),
        &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(tables.toInt(), 0);
}

void TestPostgresCluster::createDatabaseRejectsNamesThatWouldNeedEscaping()
{
    for (const QString &name : { QStringLiteral(""), QStringLiteral("1abc"), QStringLiteral("a b"),
             QStringLiteral("x/y"), QStringLiteral("db;drop"), QString(64, QLatin1Char('a')) }) {
        QString error;
        QVERIFY2(m_cluster.createDatabase(name, &error).isEmpty(), qPrintable(name));
        QVERIFY2(error.contains(QLatin1String("invalid database name")), qPrintable(error));
    }
}

void TestPostgresCluster::destructorStopsTheServer()
{
    int port = 0;
    {
        PostgresCluster cluster;
        QString error;
        if (!startOrGiveUp(cluster, &error))
            return;
        port = cluster.port();
        QVERIFY(acceptsTcpConnections(port));
    }
    QVERIFY(!acceptsTcpConnections(port));
}

// A cluster of its own: stopping the shared one would leave nothing for the functions after it.
void TestPostgresCluster::stopClosesThePortAndClearsTheUrl()
{
    PostgresCluster cluster;
    QString error;
    if (!startOrGiveUp(cluster, &error))
        return;
    const int port = cluster.port();
    QVERIFY(acceptsTcpConnections(port));

    cluster.stop();

    QVERIFY(!cluster.isRunning());
    QCOMPARE(cluster.port(), 0);
    QVERIFY(cluster.url().isEmpty());
    QVERIFY(!acceptsTcpConnections(port));
}

bool TestPostgresCluster::startOrGiveUp(PostgresCluster &cluster, QString *error)
{
    if (cluster.start(error))
        return true;
    if (PostgresCluster::requirePostgres())
        QTest::qFail(qPrintable(*error), __FILE__, __LINE__);
    else
        QTest::qSkip(qPrintable(*error), __FILE__, __LINE__);
    return false;
}

// A benchmark measures a cluster in service: one whose next writes go to WAL segments kept from
// its last checkpoint, not to segments created (zero-filled and synced) in a commit's path.
void TestPostgresCluster::writesAfterRecyclingReuseWalSegmentsInsteadOfCreatingThem()
{
    PostgresCluster cluster;
    QString error;
    if (!startOrGiveUp(cluster, &error))
        return;
    queryValue(
        cluster.url(), QStringLiteral("CREATE TABLE wal_switches (n integer); SELECT 1"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    // A new cluster creates a segment for each one it starts.
    const int fresh = cluster.walSegmentFiles();
    QVERIFY(fresh > 0);
    switchWalSegments(cluster.url(), 4, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(cluster.walSegmentFiles(), fresh + 4);

    QVERIFY2(cluster.recycleWalSegments(16, &error), qPrintable(error));
    const int kept = cluster.walSegmentFiles();
    QVERIFY2(kept >= 16, qPrintable(QString::number(kept)));

    // The next writes fill the kept segments: none is created.
    switchWalSegments(cluster.url(), 8, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(cluster.walSegmentFiles(), kept);
}

QTEST_GUILESS_MAIN(TestPostgresCluster)

#include "tst_postgrescluster.moc"
