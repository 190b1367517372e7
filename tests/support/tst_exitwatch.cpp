// The watch on a test process's end (exitwatch.h): a process that hangs after its tests says where
// each of its threads waits and ends with exit code 70, instead of sitting until ctest's timeout.
#include "exitwatch.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>

#include <cstring>
#include <thread>

namespace {

bool g_hangAtExit = false;

// Destroyed after main has returned and the application object is gone: where the runtime's
// own clean-up runs.
struct HangsAtExit
{
    ~HangsAtExit()
    {
        while (g_hangAtExit)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
} g_hangsAtExit;

} // namespace

class TestExitWatch final : public QObject
{
    Q_OBJECT
private slots:
    void aProcessHungAfterItsTestsSaysWhereAndEnds();
    void aProcessThatEndsInTimeEndsAsItWould();
};

namespace {

struct ChildRun
{
    bool finished = false;
    int exitCode = -1;
    QByteArray stderrText;
};

ChildRun runChild(const QString &mode)
{
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("WAYBILL_TEST_END_SECONDS"), QStringLiteral("1"));
    child.setProcessEnvironment(environment);
    child.start(QCoreApplication::applicationFilePath(), { mode });
    ChildRun run;
    run.finished = child.waitForFinished(30000);
    if (!run.finished) {
        child.kill();
        child.waitForFinished(5000);
    }
    run.exitCode = child.exitStatus() == QProcess::NormalExit ? child.exitCode() : -1;
    run.stderrText = child.readAllStandardError();
    return run;
}

} // namespace

void TestExitWatch::aProcessHungAfterItsTestsSaysWhereAndEnds()
{
    const ChildRun run = runChild(QStringLiteral("--hang-at-exit"));
    QVERIFY2(run.finished, "the watch did not end a process that hung at its end");
    QCOMPARE(run.exitCode, 70);
    QVERIFY2(run.stderrText.contains("the process still runs 1 s after its tests ended"),
        run.stderrText.constData());
    // The main thread, by the name the kernel knows it by, and what it waits in.
    QVERIFY2(run.stderrText.contains("tst_exitwatch"), run.stderrText.constData());
    QVERIFY2(run.stderrText.contains("the main thread's stack"), run.stderrText.constData());
}

void TestExitWatch::aProcessThatEndsInTimeEndsAsItWould()
{
    const ChildRun run = runChild(QStringLiteral("--end-at-once"));
    QVERIFY2(run.finished, "a process that ends at once did not end");
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(!run.stderrText.contains("still runs"), run.stderrText.constData());
}

int main(int argc, char *argv[])
{
    if (argc == 2
        && (std::strcmp(argv[1], "--hang-at-exit") == 0
            || std::strcmp(argv[1], "--end-at-once") == 0)) {
        QCoreApplication app(argc, argv);
        waybill::test::watchTheProcessEnd();
        g_hangAtExit = std::strcmp(argv[1], "--hang-at-exit") == 0;
        return 0;
    }
    QCoreApplication app(argc, argv);
    TestExitWatch test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_exitwatch.moc"
