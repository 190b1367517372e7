#include "keyeddispatcher.h"

#include <QHash>
#include <QThread>

namespace waybill {

KeyedDispatcher::KeyedDispatcher(QThreadPool *pool, int lanes, int maxBatch, Handler handler)
    : m_pool(pool)
    , m_maxBatch(qMax(1, maxBatch))
    , m_handler(std::move(handler))
{
    for (int i = 0; i < qMax(1, lanes); ++i)
        m_lanes.push_back(std::make_unique<Lane>());
}

KeyedDispatcher::~KeyedDispatcher()
{
    waitIdle();
}

int KeyedDispatcher::laneOf(const QString &key, int lanes)
{
    // A fixed seed: the lane of a key must not change between calls.
    return static_cast<int>(qHash(key, 0x5eed) % static_cast<size_t>(lanes));
}

void KeyedDispatcher::dispatch(const Command &command)
{
    Lane &lane = *m_lanes[laneOf(command.streamId, static_cast<int>(m_lanes.size()))];
    QMutexLocker lock(&lane.mutex);
    lane.queue.push_back(command);
    ++m_queued;
    if (!lane.scheduled) {
        lane.scheduled = true;
        lock.unlock();
        schedule(lane);
    }
}

void KeyedDispatcher::dispatch(const QVector<Command> &commands)
{
    for (const Command &c : commands)
        dispatch(c);
}

qint64 KeyedDispatcher::queued() const
{
    return m_queued.load();
}

void KeyedDispatcher::schedule(Lane &lane)
{
    m_pool->start([this, &lane] { drainOnce(lane); });
}

void KeyedDispatcher::drainOnce(Lane &lane)
{
    QVector<Command> batch;
    {
        QMutexLocker lock(&lane.mutex);
        const int n = qMin<int>(m_maxBatch, static_cast<int>(lane.queue.size()));
        batch.reserve(n);
        for (int i = 0; i < n; ++i) {
            batch.append(std::move(lane.queue.front()));
            lane.queue.pop_front();
        }
        m_queued -= n;
    }
    if (!batch.isEmpty())
        m_handler(batch);
    // One batch per turn, then back of the pool's queue: other lanes get their turn.
    QMutexLocker lock(&lane.mutex);
    if (lane.queue.empty()) {
        lane.scheduled = false;
        return;
    }
    lock.unlock();
    schedule(lane);
}

void KeyedDispatcher::waitIdle()
{
    for (;;) {
        bool idle = true;
        for (auto &lane : m_lanes) {
            QMutexLocker lock(&lane->mutex);
            idle = idle && !lane->scheduled && lane->queue.empty();
        }
        if (idle)
            return;
        QThread::msleep(2);
    }
}

} // namespace waybill
