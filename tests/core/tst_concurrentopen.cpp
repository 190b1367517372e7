// Several threads, and several processes, opening and migrating one fresh database at the same
// moment (the desktop starting while `waybill-server token create` runs, two servers started
// together): each waits for the database's lock like any writer, and none fails.
//
// Each test runs WAYBILL_OPEN_RACE_ROUNDS rounds (default 3), each on a new database. The
// `soak` target runs hundreds, outside the default ctest.
#include "testdatabases.h"

#include "store/schema.h"
#include "store/sql.h"

#include <QDateTime>
#include <QMutex>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using namespace waybill;
using namespace waybill::test;

namespace {

constexpr int kThreads = 4;
constexpr int kProcesses = 4;

int rounds()
{
    bool ok = false;
    const int n = qEnvironmentVariableIntValue("WAYBILL_OPEN_RACE_ROUNDS", &ok);
    return ok && n > 0 ? n : 3;
}

QString harness()
{
    return qEnvironmentVariable("WAYBILL_TEST_BINARY_DIR")
        + QStringLiteral("/tests/core/waybill-engine-harness");
}

QString urlText(const DatabaseUrl &url)
{
    if (url.kind == DatabaseUrl::Kind::Sqlite)
        return QStringLiteral("sqlite:") + url.path;
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(url.user, url.host)
        .arg(url.port)
        .arg(url.databaseName);
}

// Empty when the database holds exactly one schema at the current version (and, on SQLite, is
// in WAL mode); otherwise what is wrong.
QString schemaProblem(const DatabaseUrl &url)
{
    try {
        Database db(url);
        const QSqlDatabase conn = db.connection();
        if (schemaVersion(conn) != kSchemaVersion)
            return QStringLiteral("schema version %1, expected %2")
                .arg(schemaVersion(conn))
                .arg(kSchemaVersion);
        QSqlQuery rows = runQuery(conn, QStringLiteral("SELECT COUNT(*) FROM schema_migrations"));
        if (!rows.next() || rows.value(0).toInt() != kSchemaVersion)
            return QStringLiteral("%1 migrations recorded, expected %2")
                .arg(rows.value(0).toInt())
                .arg(kSchemaVersion);
        if (url.kind == DatabaseUrl::Kind::Sqlite) {
            QSqlQuery mode = runQuery(conn, QStringLiteral("PRAGMA journal_mode"));
            if (!mode.next() || mode.value(0).toString() != QLatin1String("wal"))
                return QStringLiteral("journal mode %1, expected wal")
                    .arg(mode.value(0).toString());
        }
    } catch (const StoreError &e) {
        return e.message();
    }
    return {};
}

} // namespace

class TestConcurrentOpen final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void threadsOpeningOneFreshDatabaseAtOnceAllSucceed_data()
    {
        TestDatabases::addBackendColumn();
    }
    void threadsOpeningOneFreshDatabaseAtOnceAllSucceed();
    void processesOpeningOneFreshDatabaseAtOnceAllSucceed_data()
    {
        TestDatabases::addBackendColumn();
    }
    void processesOpeningOneFreshDatabaseAtOnceAllSucceed();
    void aProcessWhoseThreadsOpenTheirFirstConnectionsAtOnceEnds();

private:
    TestDatabases m_databases;
};

void TestConcurrentOpen::initTestCase()
{
    QVERIFY2(QFile::exists(harness()), qPrintable(QStringLiteral("missing ") + harness()));
}

void TestConcurrentOpen::threadsOpeningOneFreshDatabaseAtOnceAllSucceed()
{
    QFETCH(QString, backend);
    const int n = rounds();
    for (int round = 1; round <= n; ++round) {
        WAYBILL_FRESH_DATABASE(m_databases, backend, url);
        std::atomic<int> ready { 0 };
        QMutex failuresMutex;
        QStringList failures;
        std::vector<std::thread> openers;
        for (int i = 0; i < kThreads; ++i) {
            openers.emplace_back([&] {
                // Each its own Database, as separate programs would have: nothing in the
                // process makes them take turns but the database itself.
                Database db(url);
                ++ready;
                while (ready.load() < kThreads)
                    std::this_thread::yield();
                try {
                    db.migrate();
                } catch (const StoreError &e) {
                    QMutexLocker lock(&failuresMutex);
                    failures << e.message();
                }
            });
        }
        for (auto &t : openers)
            t.join();
        QVERIFY2(failures.isEmpty(),
            qPrintable(QStringLiteral("round %1 of %2: %3")
                           .arg(round)
                           .arg(n)
                           .arg(failures.join(QStringLiteral("; ")))));
        const QString problem = schemaProblem(url);
        QVERIFY2(
            problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
    }
}

void TestConcurrentOpen::processesOpeningOneFreshDatabaseAtOnceAllSucceed()
{
    QFETCH(QString, backend);
    const int n = rounds();
    for (int round = 1; round <= n; ++round) {
        WAYBILL_FRESH_DATABASE(m_databases, backend, url);
        // Every process waits for the same moment, late enough for all of them to have started,
        // so that they open the database together rather than in the order they were started.
        const qint64 startAt = QDateTime::currentMSecsSinceEpoch() + 400;
        std::vector<std::unique_ptr<QProcess>> children;
        for (int i = 0; i < kProcesses; ++i) {
            children.push_back(std::make_unique<QProcess>());
            children.back()->start(
                harness(), { urlText(url), QStringLiteral("migrate"), QString::number(startAt) });
        }
        for (auto &child : children)
            child->waitForFinished(60000);
        for (auto &child : children) {
            QVERIFY2(child->state() == QProcess::NotRunning,
                qPrintable(QStringLiteral("round %1: a process did not finish").arg(round)));
            QVERIFY2(child->exitStatus() == QProcess::NormalExit && child->exitCode() == 0,
                qPrintable(QStringLiteral("round %1 of %2: a process exited %3: %4")
                               .arg(round)
                               .arg(n)
                               .arg(child->exitCode())
                               .arg(QString::fromLocal8Bit(child->readAllStandardError()))));
        }
        const QString problem = schemaProblem(url);
        QVERIFY2(
            problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
    }
}

void TestConcurrentOpen::aProcessWhoseThreadsOpenTheirFirstConnectionsAtOnceEnds()
{
    // QtSql 6.4 registers the cleanup of its driver registry at the registry's first use, behind
    // a flag with no lock: two threads using it first at once can register it twice, and at exit
    // the second run of the cleanup registers itself again, forever. The process never ends
    // (about one start in a hundred, when nothing opened a connection before the threads did).
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    constexpr int kStarts = 300;
    for (int start = 1; start <= kStarts; ++start) {
        QProcess child;
        child.start(harness(), { urlText(url), QStringLiteral("first-open"), QStringLiteral("4") });
        const bool ended = child.waitForFinished(20000);
        if (!ended) {
            child.kill();
            child.waitForFinished(5000);
        }
        QVERIFY2(ended,
            qPrintable(QStringLiteral("start %1 of %2 never ended after its threads had opened "
                                      "their connections")
                           .arg(start)
                           .arg(kStarts)));
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
            qPrintable(QStringLiteral("start %1: exit %2: %3")
                           .arg(start)
                           .arg(child.exitCode())
                           .arg(QString::fromLocal8Bit(child.readAllStandardError()))));
    }
}

QTEST_GUILESS_MAIN(TestConcurrentOpen)
#include "tst_concurrentopen.moc"
