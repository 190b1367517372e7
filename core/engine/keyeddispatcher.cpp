#include "keyeddispatcher.h"

#include <QHash>
#include <QThread>

namespace waybill {

KeyedDispatcher::KeyedDispatcher(
    QThreadPool *pool, int lanes, int workers, int maxBatch, Handler handler)
    : m_pool(pool)
    , m_maxWorkers(qMax(1, workers))
    , m_maxBatch(qMax(1, maxBatch))
    , m_handler(std::move(handler))
    , m_lanes(static_cast<size_t>(qMax(1, lanes)))
{ }

KeyedDispatcher::~KeyedDispatcher()
{
    waitIdle();
}

int KeyedDispatcher::laneOf(const QString &key, int lanes)
{
    // A fixed seed: the lane of a key must not change while the process runs.
    return static_cast<int>(qHash(key, 0x5eed) % static_cast<size_t>(lanes));
}

void KeyedDispatcher::dispatch(const QVector<Command> &commands)
{
    QMutexLocker lock(&m_mutex);
    for (const Command &c : commands) {
        const int index = laneOf(c.streamId, static_cast<int>(m_lanes.size()));
        Lane &lane = m_lanes[index];
        lane.queue.push_back(c);
        ++m_queued;
        if (!lane.claimed && !lane.ready) {
            lane.ready = true;
            m_ready.push_back(index);
        }
    }
    startWorkersLocked();
}

void KeyedDispatcher::startWorkersLocked()
{
    // One worker per ready lane at most: a worker takes several lanes when it can.
    while (m_activeWorkers<m_maxWorkers &&static_cast<int>(m_ready.size())> m_activeWorkers) {
        ++m_activeWorkers;
        m_pool->start([this] { work(); });
    }
}

void KeyedDispatcher::work()
{
    QVector<Command> batch;
    std::vector<int> claimed;
    QMutexLocker lock(&m_mutex);
    for (;;) {
        batch.clear();
        claimed.clear();
        while (!m_ready.empty() && batch.size() < m_maxBatch) {
            const int index = m_ready.front();
            m_ready.pop_front();
            Lane &lane = m_lanes[index];
            lane.ready = false;
            lane.claimed = true;
            claimed.push_back(index);
            while (!lane.queue.empty() && batch.size() < m_maxBatch) {
                batch.append(std::move(lane.queue.front()));
                lane.queue.pop_front();
            }
        }
        if (batch.isEmpty()) {
            --m_activeWorkers;
            return;
        }
        m_queued -= batch.size();
        lock.unlock();
        m_handler(batch);
        lock.relock();
        for (int index : claimed) {
            Lane &lane = m_lanes[index];
            lane.claimed = false;
            if (!lane.queue.empty() && !lane.ready) {
                lane.ready = true;
                m_ready.push_back(index);
            }
        }
        startWorkersLocked();
    }
}

void KeyedDispatcher::waitIdle()
{
    for (;;) {
        {
            QMutexLocker lock(&m_mutex);
            if (m_activeWorkers == 0 && m_ready.empty() && m_queued == 0)
                return;
        }
        QThread::msleep(1);
    }
}

} // namespace waybill
