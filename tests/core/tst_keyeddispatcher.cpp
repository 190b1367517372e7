// The engine's dispatch of commands to its workers: the oldest commands first, in batches of
// commands that arrived one after the other; one stream's commands in the order they arrived and
// never in two batches at once; several workers busy at once when there is work for them.
#include "engine/keyeddispatcher.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QSemaphore>
#include <QTest>
#include <QThreadPool>
#include <QWaitCondition>

#include <thread>
#include <vector>

using namespace waybill;

namespace {

Command commandOf(const QString &stream, qint64 sequence)
{
    Command c;
    c.id = QStringLiteral("c%1").arg(sequence);
    c.streamId = stream;
    c.sequence = sequence;
    return c;
}

} // namespace

class TestKeyedDispatcher final : public QObject
{
    Q_OBJECT

private slots:
    void oneWorkerTakesTheOldestCommandsInBatchesOfConsecutiveArrivals();
    void aStreamsCommandsRunInArrivalOrderAndNeverInTwoBatchesAtOnce();
    void twoWorkersRunTwoBatchesAtOnceUnderABacklog();
};

void TestKeyedDispatcher::oneWorkerTakesTheOldestCommandsInBatchesOfConsecutiveArrivals()
{
    // The first batch holds the worker until a backlog of 400 commands over 200 streams (so over
    // every lane) has arrived; the batches after it must take that backlog in arrival order,
    // each a full run of consecutive commands.
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    QSemaphore firstBatchMayEnd;
    QMutex mutex;
    std::vector<std::vector<qint64>> batches;
    KeyedDispatcher dispatcher(&pool, 64, 1, 16, [&](const QVector<Command> &batch) {
        std::vector<qint64> sequences;
        for (const Command &c : batch)
            sequences.push_back(c.sequence);
        bool first = false;
        {
            QMutexLocker lock(&mutex);
            first = batches.empty();
            batches.push_back(sequences);
        }
        if (first)
            firstBatchMayEnd.acquire();
    });
    dispatcher.dispatch({ commandOf(QStringLiteral("shipment-first"), 0) });
    QTRY_VERIFY([&] {
        QMutexLocker lock(&mutex);
        return !batches.empty();
    }());
    qint64 next = 1;
    for (int call = 0; call < 8; ++call) {
        QVector<Command> arrivals;
        for (int k = 0; k < 50; ++k, ++next)
            arrivals.append(commandOf(QStringLiteral("shipment-%1").arg(next % 200), next));
        dispatcher.dispatch(arrivals);
    }
    firstBatchMayEnd.release();
    dispatcher.waitIdle();

    QCOMPARE(batches.size(), size_t(1 + 400 / 16));
    QCOMPARE(batches.front(), std::vector<qint64> { 0 });
    qint64 expected = 1;
    for (size_t b = 1; b < batches.size(); ++b) {
        QCOMPARE(batches[b].size(), size_t(16));
        for (qint64 sequence : batches[b])
            QCOMPARE(sequence, expected++);
    }
}

void TestKeyedDispatcher::aStreamsCommandsRunInArrivalOrderAndNeverInTwoBatchesAtOnce()
{
    // Four workers, eight lanes, thirty streams, commands arriving from three threads at once:
    // every stream belongs to one sending thread, so its order of arrival is known.
    constexpr int senders = 3, streams = 30, perSender = 1200;
    QThreadPool pool;
    pool.setMaxThreadCount(4);
    QMutex mutex;
    QHash<QString, int> runningIn; // stream -> the batch running its commands
    QHash<QString, qint64> lastSeen; // stream -> the last number of it that ran
    QStringList faults;
    int processed = 0, batchCount = 0, running = 0, mostAtOnce = 0;
    KeyedDispatcher dispatcher(&pool, 8, 4, 8, [&](const QVector<Command> &batch) {
        int me = 0;
        {
            QMutexLocker lock(&mutex);
            me = ++batchCount;
            mostAtOnce = qMax(mostAtOnce, ++running);
            for (const Command &c : batch) {
                const auto other = runningIn.constFind(c.streamId);
                if (other != runningIn.constEnd() && *other != me)
                    faults << QStringLiteral("%1 in two batches at once").arg(c.streamId);
                runningIn.insert(c.streamId, me);
                const qint64 previous = lastSeen.value(c.streamId, -1);
                if (c.sequence != previous + 1)
                    faults << QStringLiteral("%1: %2 ran after %3")
                                  .arg(c.streamId)
                                  .arg(c.sequence)
                                  .arg(previous);
                lastSeen.insert(c.streamId, c.sequence);
            }
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200)); // so that batches overlap
        QMutexLocker lock(&mutex);
        for (const Command &c : batch) {
            if (runningIn.value(c.streamId) == me)
                runningIn.remove(c.streamId);
        }
        processed += static_cast<int>(batch.size());
        --running;
    });
    std::vector<std::thread> threads;
    for (int s = 0; s < senders; ++s) {
        threads.emplace_back([&dispatcher, s] {
            QHash<QString, qint64> numbered;
            for (int i = 0; i < perSender;) {
                QVector<Command> arrivals;
                for (int k = 0; k < 1 + i % 7 && i < perSender; ++k, ++i) {
                    const QString stream = QStringLiteral("shipment-%1")
                                               .arg(s + senders * (i % (streams / senders)));
                    arrivals.append(commandOf(stream, numbered[stream]++));
                }
                dispatcher.dispatch(arrivals);
            }
        });
    }
    for (auto &t : threads)
        t.join();
    dispatcher.waitIdle();

    QMutexLocker lock(&mutex);
    QCOMPARE(faults, QStringList());
    QVERIFY2(mostAtOnce >= 2, "the workers never ran two batches at once: nothing was checked");
    QCOMPARE(processed, senders * perSender);
    QCOMPARE(lastSeen.size(), streams);
    for (auto it = lastSeen.cbegin(); it != lastSeen.cend(); ++it)
        QCOMPARE(it.value(), qint64(perSender / (streams / senders) - 1));
}

void TestKeyedDispatcher::twoWorkersRunTwoBatchesAtOnceUnderABacklog()
{
    // A backlog of commands over every lane, in batches large enough to hold every lane: a batch
    // must still leave lanes for the second worker, or one worker would run everything.
    QThreadPool pool;
    pool.setMaxThreadCount(2);
    QMutex mutex;
    QWaitCondition changed;
    int running = 0, mostAtOnce = 0, processed = 0;
    KeyedDispatcher dispatcher(&pool, 8, 2, 256, [&](const QVector<Command> &batch) {
        QMutexLocker lock(&mutex);
        ++running;
        mostAtOnce = qMax(mostAtOnce, running);
        changed.wakeAll();
        // Wait (a little) for the other worker to be running too.
        QElapsedTimer waited;
        waited.start();
        while (mostAtOnce < 2 && waited.elapsed() < 2000)
            changed.wait(&mutex, 50);
        --running;
        processed += static_cast<int>(batch.size());
    });
    QVector<Command> backlog;
    for (int i = 0; i < 2000; ++i)
        backlog.append(commandOf(QStringLiteral("shipment-%1").arg(i), i));
    dispatcher.dispatch(backlog);
    dispatcher.waitIdle();
    QCOMPARE(processed, 2000);
    QCOMPARE(mostAtOnce, 2);
}

QTEST_GUILESS_MAIN(TestKeyedDispatcher)
#include "tst_keyeddispatcher.moc"
