// Crash tests: a child process running the engine dies at a fault point (as with kill -9), is
// started again, and then nothing it acknowledged is lost and nothing is applied twice.
#include "invariants.h"
#include "testdatabases.h"

#include "store/commandstore.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include <csignal>

using namespace waybill;
using namespace waybill::test;

namespace {

constexpr int kFaultExitCode = 86;
constexpr int kShipments = 12;

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

QStringList acknowledged(const QByteArray &output)
{
    QStringList ids;
    for (const QByteArray &line : output.split('\n')) {
        if (line.startsWith("ACK "))
            ids << QString::fromLatin1(line.mid(4).trimmed());
    }
    return ids;
}

} // namespace

class TestCrashRecovery final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void crashAtAFaultPointLosesNothingAcknowledgedAndAppliesNothingTwice_data();
    void crashAtAFaultPointLosesNothingAcknowledgedAndAppliesNothingTwice();
    void killMinusNineDuringLoadLosesNothingAcknowledged_data()
    {
        TestDatabases::addBackendColumn();
    }
    void killMinusNineDuringLoadLosesNothingAcknowledged();
    void crashWhileInvoicingLeavesInvoiceNumbersGapFreeAndUnique_data();
    void crashWhileInvoicingLeavesInvoiceNumbersGapFreeAndUnique();

private:
    void recoverAndCheck(const DatabaseUrl &url, const QStringList &acked);
    TestDatabases m_databases;
};

void TestCrashRecovery::initTestCase()
{
    QVERIFY2(QFile::exists(harness()), qPrintable(QStringLiteral("missing ") + harness()));
}

void TestCrashRecovery::crashAtAFaultPointLosesNothingAcknowledgedAndAppliesNothingTwice_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("point");
    QTest::addColumn<int>("hit"); // which time the point is met
    const QList<QPair<const char *, int>> points {
        { "after-inbox-commit", 3 },
        { "after-reduce", 5 },
        // A batch's events, outcomes and states are each written at once: these points are met
        // once per batch, like after-commit.
        { "after-append", 2 },
        { "after-state", 2 },
        { "after-outcome", 2 },
        { "after-commit", 2 },
        { "invoicer-before-checkpoint", 1 },
        { "invoicer-after-commit", 1 },
    };
    for (const char *backend : { "sqlite", "postgres" }) {
        for (const auto &[point, hit] : points)
            QTest::addRow("%s %s", backend, point)
                << QString::fromLatin1(backend) << QString::fromLatin1(point) << hit;
    }
}

void TestCrashRecovery::crashAtAFaultPointLosesNothingAcknowledgedAndAppliesNothingTwice()
{
    QFETCH(QString, backend);
    QFETCH(QString, point);
    QFETCH(int, hit);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);

    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("WAYBILL_FAULT"), point);
    env.insert(QStringLiteral("WAYBILL_FAULT_AFTER"), QString::number(hit));
    child.setProcessEnvironment(env);
    child.start(harness(), { urlText(url), QStringLiteral("load"), QString::number(kShipments) });
    QVERIFY(child.waitForFinished(60000));
    QVERIFY2(child.exitCode() == kFaultExitCode,
        qPrintable(QStringLiteral("the child should have died at %1, it exited %2: %3")
                       .arg(point)
                       .arg(child.exitCode())
                       .arg(QString::fromLocal8Bit(child.readAllStandardError()))));
    recoverAndCheck(url, acknowledged(child.readAllStandardOutput()));
}

void TestCrashRecovery::killMinusNineDuringLoadLosesNothingAcknowledged()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    QProcess child;
    QByteArray output;
    connect(&child, &QProcess::readyReadStandardOutput, this,
        [&] { output += child.readAllStandardOutput(); });
    child.start(harness(), { urlText(url), QStringLiteral("load"), QString::number(200) });
    QVERIFY(child.waitForStarted());
    // Kill it once it has promised something, in the middle of its work.
    QTRY_VERIFY_WITH_TIMEOUT(output.count("ACK ") >= 40, 30000);
    QTest::qWait(QRandomGenerator::global()->bounded(30));
    // A child that already ended has no id any more, and kill(0) would hit the whole group.
    QVERIFY2(child.processId() > 0, "the harness ended before it was killed");
    ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
    QVERIFY(child.waitForFinished(10000));
    output += child.readAllStandardOutput();
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);
    recoverAndCheck(url, acknowledged(output));
}

void TestCrashRecovery::crashWhileInvoicingLeavesInvoiceNumbersGapFreeAndUnique_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("point");
    QTest::addColumn<int>("hit");
    // Every point an invoice meets: invoices are recorded by the invoicer, not the inbox. The
    // reduce is met once per command (it dies at the second invoice, after one was numbered in
    // the same transaction); the others once per transaction, which may hold every invoice.
    const QList<QPair<const char *, int>> points {
        { "after-reduce", 2 },
        { "after-append", 1 },
        { "after-state", 1 },
        { "after-outcome", 1 },
        { "after-commit", 1 },
        { "invoicer-before-checkpoint", 1 },
        { "invoicer-after-commit", 1 },
    };
    for (const char *backend : { "sqlite", "postgres" }) {
        for (const auto &[point, hit] : points)
            QTest::addRow("%s %s", backend, point)
                << QString::fromLatin1(backend) << QString::fromLatin1(point) << hit;
    }
}

void TestCrashRecovery::crashWhileInvoicingLeavesInvoiceNumbersGapFreeAndUnique()
{
    QFETCH(QString, backend);
    QFETCH(QString, point);
    QFETCH(int, hit);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);

    // Deliveries first, with no invoicer and no fault: then the only commands the next process
    // processes are invoices, and every point it dies at is met while invoicing.
    QProcess delivering;
    delivering.start(
        harness(), { urlText(url), QStringLiteral("deliver"), QString::number(kShipments) });
    QVERIFY(delivering.waitForFinished(60000));
    QVERIFY2(delivering.exitCode() == 0, delivering.readAllStandardError().constData());

    QProcess invoicing;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("WAYBILL_FAULT"), point);
    env.insert(QStringLiteral("WAYBILL_FAULT_AFTER"), QString::number(hit));
    invoicing.setProcessEnvironment(env);
    invoicing.start(harness(), { urlText(url), QStringLiteral("recover") });
    QVERIFY(invoicing.waitForFinished(60000));
    QVERIFY2(invoicing.exitCode() == kFaultExitCode,
        qPrintable(QStringLiteral("the child should have died at %1, it exited %2")
                       .arg(point)
                       .arg(invoicing.exitCode())));
    recoverAndCheck(url, {});

    // One invoice per delivery, numbered INV-000001 to INV-0000NN in log order (the invariants
    // also check each number against its place in the log).
    Database db(url);
    QSqlQuery q = runQuery(db.connection(),
        QStringLiteral("SELECT data FROM events WHERE type = 'invoiced' ORDER BY position"));
    QStringList numbers;
    while (q.next())
        numbers << QJsonDocument::fromJson(q.value(0).toString().toUtf8())
                       .object()
                       .value(QStringLiteral("invoiceNumber"))
                       .toString();
    QStringList expected;
    for (int n = 1; n <= kShipments; ++n)
        expected << QStringLiteral("INV-%1").arg(n, 6, 10, QLatin1Char('0'));
    QCOMPARE(numbers, expected);
}

void TestCrashRecovery::recoverAndCheck(const DatabaseUrl &url, const QStringList &acked)
{
    QProcess again;
    again.start(harness(), { urlText(url), QStringLiteral("recover") });
    QVERIFY(again.waitForFinished(60000));
    QVERIFY2(again.exitCode() == 0, again.readAllStandardError().constData());

    Database db(url);
    const QSqlDatabase conn = db.connection();
    for (const QString &id : acked) {
        const auto status = CommandStore::status(conn, id);
        QVERIFY2(status.has_value(),
            qPrintable(QStringLiteral("acknowledged command %1 was lost").arg(id)));
        QVERIFY2(*status != CommandStatus::Pending,
            qPrintable(QStringLiteral("command %1 is still pending").arg(id)));
    }
    QCOMPARE(CommandStore::pendingCount(conn), qint64(0));
    const QStringList problems = invariantViolations(db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
