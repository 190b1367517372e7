// The engine's loop thread (the inbox's and the invoicer's): passes on its own named thread, a
// stop that lets the pass in flight finish, and, where asked, does the work handed over before it.
#include "store/loopthread.h"

#include <QMutex>
#include <QSemaphore>
#include <QStringList>
#include <QTest>

#include <thread>
#include <vector>

using namespace waybill;

namespace {

// What happened, in order, from any thread.
class Log final
{
public:
    void add(const QString &entry)
    {
        QMutexLocker lock(&m_mutex);
        m_entries << entry;
    }
    QStringList entries() const
    {
        QMutexLocker lock(&m_mutex);
        return m_entries;
    }

private:
    mutable QMutex m_mutex;
    QStringList m_entries;
};

} // namespace

class TestLoopThread final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passesRunOnTheNamedThreadAndFinishedRunsThereLast();
    void stopReturnsOnlyAfterThePassInFlightAndFinished();
    void lastPassDoesEveryItemHandedOverBeforeStop();
    void pollIntervalRunsPassesWithoutAWake();
    void stoppedLoopStartsAgain();
};

void TestLoopThread::passesRunOnTheNamedThreadAndFinishedRunsThereLast()
{
    Log log;
    QSemaphore passed;
    LoopThread loop(
        QStringLiteral("test-loop"), LoopThread::AtStop::NoPass,
        [&] {
            log.add(QStringLiteral("pass on ") + QThread::currentThread()->objectName());
            passed.release();
        },
        [&] { log.add(QStringLiteral("finished on ") + QThread::currentThread()->objectName()); });
    loop.start();
    loop.wake();
    QVERIFY2(passed.tryAcquire(1, 30000), "no pass after a wake");
    loop.stop();
    const QStringList expected { QStringLiteral("pass on test-loop"),
        QStringLiteral("finished on test-loop") };
    QCOMPARE(log.entries(), expected);
}

void TestLoopThread::stopReturnsOnlyAfterThePassInFlightAndFinished()
{
    Log log;
    QSemaphore entered;
    QSemaphore gate;
    LoopThread loop(
        QStringLiteral("test-loop"), LoopThread::AtStop::NoPass,
        [&] {
            entered.release();
            gate.acquire();
            log.add(QStringLiteral("pass ended"));
        },
        [&] { log.add(QStringLiteral("finished")); });
    loop.start();
    loop.wake();
    QVERIFY2(entered.tryAcquire(1, 30000), "no pass after a wake");
    std::thread stopper([&] {
        loop.stop();
        log.add(QStringLiteral("stop returned"));
    });
    gate.release();
    stopper.join();
    const QStringList expected { QStringLiteral("pass ended"), QStringLiteral("finished"),
        QStringLiteral("stop returned") };
    QCOMPARE(log.entries(), expected);
}

void TestLoopThread::lastPassDoesEveryItemHandedOverBeforeStop()
{
    // As the inbox uses it: items queued and a wake for each, then stop() at once, at every
    // moment the thread may be in (not started yet, waiting, mid-pass).
    for (int round = 0; round < 200; ++round) {
        QMutex mutex;
        std::vector<int> queue;
        std::vector<int> done;
        LoopThread loop(
            QStringLiteral("test-loop"), LoopThread::AtStop::LastPass,
            [&] {
                QMutexLocker lock(&mutex);
                done.insert(done.end(), queue.begin(), queue.end());
                queue.clear();
            },
            [] {});
        loop.start();
        const int items = 1 + round % 7;
        for (int i = 0; i < items; ++i) {
            {
                QMutexLocker lock(&mutex);
                queue.push_back(i);
            }
            loop.wake();
        }
        loop.stop();
        QVERIFY2(int(done.size()) == items,
            qPrintable(QStringLiteral("round %1: %2 of %3 items done")
                           .arg(round)
                           .arg(done.size())
                           .arg(items)));
    }
}

void TestLoopThread::pollIntervalRunsPassesWithoutAWake()
{
    QSemaphore passed;
    LoopThread loop(
        QStringLiteral("test-loop"), LoopThread::AtStop::NoPass, [&] { passed.release(); }, [] {},
        1);
    loop.start();
    QVERIFY2(passed.tryAcquire(3, 30000), "fewer than three passes, and no wake was given");
    loop.stop();
}

void TestLoopThread::stoppedLoopStartsAgain()
{
    QSemaphore passed;
    QSemaphore finished;
    LoopThread loop(
        QStringLiteral("test-loop"), LoopThread::AtStop::NoPass, [&] { passed.release(); },
        [&] { finished.release(); });
    for (int run = 1; run <= 2; ++run) {
        loop.start();
        loop.start(); // a second start while running does nothing
        loop.wake();
        QVERIFY2(
            passed.tryAcquire(1, 30000), qPrintable(QStringLiteral("run %1: no pass").arg(run)));
        loop.stop();
        loop.stop(); // a second stop does nothing
        QCOMPARE(finished.available(), 1);
        finished.acquire();
    }
}

QTEST_GUILESS_MAIN(TestLoopThread)
#include "tst_loopthread.moc"
