// The engine's dispatch of a backlog (KeyedDispatcher, as the engine configures it: 64 lanes,
// batches of 256), with a handler that only waits a fixed time per batch, as a transaction
// would:
// - a hot stream: one stream's backlog of N and of 2N commands, two workers. The dispatch must
//   stay linear in the backlog (the baseline is the backlog of N in the same run: linear gives a
//   ratio of time per command near 1; a scan of the held lane's backlog per batch, as a first
//   version of the oldest-first dispatch had, gives about 2);
// - many streams: how far apart in acceptance a batch's commands are (the span from its first
//   to its last, in acceptances), with one worker and with two. Batches of consecutive
//   acceptances put their rows on neighbouring pages; lanes' backlogs used to span thousands.
//
//   bench_dispatch [BACKLOG [ROUNDS]]   (200000 commands, 5 rounds: an odd number, for the median)
#include "engine/keyeddispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMutex>
#include <QThreadPool>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace waybill;

namespace {

constexpr int kLanes = 64;
constexpr int kBatch = 256;
constexpr auto kPerBatch = std::chrono::microseconds(500);

// Of an odd number of figures.
double median(std::vector<double> v)
{
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
    return v[v.size() / 2];
}

Command commandOf(const QString &stream, qint64 sequence)
{
    Command c;
    c.id = QString::number(sequence);
    c.streamId = stream;
    c.sequence = sequence;
    return c;
}

// Seconds to run a backlog of one stream's commands, dispatched in pages of 1,000 as the engine
// recovers them, with two workers.
double hotStream(int backlog)
{
    QThreadPool pool;
    pool.setMaxThreadCount(2);
    KeyedDispatcher dispatcher(&pool, kLanes, 2, kBatch,
        [](const QVector<Command> &) { std::this_thread::sleep_for(kPerBatch); });
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < backlog; i += 1000) {
        QVector<Command> page;
        for (int k = i; k < std::min(backlog, i + 1000); ++k)
            page.append(commandOf(QStringLiteral("shipment-hot"), k));
        dispatcher.dispatch(page);
    }
    dispatcher.waitIdle();
    return timer.nsecsElapsed() / 1e9;
}

// The median span, in acceptances, of the batches that run a backlog of many streams' commands.
double medianSpan(int backlog, int workers)
{
    QThreadPool pool;
    pool.setMaxThreadCount(workers);
    QMutex mutex;
    std::vector<double> spans;
    KeyedDispatcher dispatcher(&pool, kLanes, workers, kBatch, [&](const QVector<Command> &b) {
        qint64 first = b.first().sequence, last = first;
        for (const Command &c : b) {
            first = std::min(first, c.sequence);
            last = std::max(last, c.sequence);
        }
        {
            QMutexLocker lock(&mutex);
            spans.push_back(double(last - first + 1));
        }
        std::this_thread::sleep_for(kPerBatch);
    });
    QVector<Command> all;
    for (int k = 0; k < backlog; ++k)
        all.append(commandOf(QStringLiteral("shipment-%1").arg(k), k));
    dispatcher.dispatch(all);
    dispatcher.waitIdle();
    if (spans.size() % 2 == 0)
        spans.pop_back();
    return median(spans);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int backlog = argc > 1 ? std::max(1000, atoi(argv[1])) : 200000;
    const int rounds = argc > 2 ? std::max(1, atoi(argv[2])) | 1 : 5;
    std::printf("dispatch: %d lanes, batches of %d, %lld us per batch; %d rounds\n", kLanes, kBatch,
        static_cast<long long>(kPerBatch.count()), rounds);
    std::vector<double> baseline, doubled, ratio;
    for (int r = 0; r < rounds; ++r) {
        baseline.push_back(hotStream(backlog));
        doubled.push_back(hotStream(2 * backlog));
        ratio.push_back(doubled.back() / (2 * baseline.back()));
    }
    std::printf("hot stream, two workers: %d commands %.0f ms, %d commands %.0f ms; time per "
                "command, doubled over baseline: %.2f (median; linear is 1)\n",
        backlog, median(baseline) * 1e3, 2 * backlog, median(doubled) * 1e3, median(ratio));
    const int many = std::min(backlog, 50000);
    std::printf("many streams, %d commands: median span of a batch, in acceptances: one worker "
                "%.0f, two workers %.0f (a batch holds %d)\n",
        many, medianSpan(many, 1), medianSpan(many, 2), kBatch);
    return 0;
}
