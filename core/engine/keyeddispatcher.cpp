#include "keyeddispatcher.h"

#include <QHash>
#include <QThread>

#include <algorithm>
#include <functional>
#include <queue>
#include <utility>

namespace waybill {

KeyedDispatcher::KeyedDispatcher(
    QThreadPool *pool, int lanes, int workers, int maxBatch, Handler handler)
    : m_pool(pool)
    , m_maxWorkers(qMax(1, workers))
    , m_maxBatch(qMax(1, maxBatch))
    , m_lanesPerBatch(qMax(1, qMax(1, lanes) / m_maxWorkers))
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
    const int lanes = static_cast<int>(m_lanes.size());
    for (const Command &c : commands) {
        m_lanes[static_cast<size_t>(laneOf(c.streamId, lanes))].queue.push_back(
            { c, m_arrivals++ });
    }
    m_queued += commands.size();
    startWorkersLocked();
}

void KeyedDispatcher::startWorkersLocked()
{
    // One worker per ready lane (waiting commands, no worker holds it) at most: a worker takes
    // several lanes when it can.
    if (m_activeWorkers >= m_maxWorkers)
        return;
    const auto ready = std::count_if(m_lanes.cbegin(), m_lanes.cend(),
        [](const Lane &lane) { return !lane.held && !lane.queue.empty(); });
    while (m_activeWorkers < m_maxWorkers && ready > m_activeWorkers) {
        ++m_activeWorkers;
        m_pool->start([this] { work(); });
    }
}

void KeyedDispatcher::work()
{
    using Front = std::pair<quint64, int>; // a lane's first command's arrival, the lane
    QVector<Command> batch;
    std::vector<int> claimed;
    QMutexLocker lock(&m_mutex);
    for (;;) {
        batch.clear();
        claimed.clear();
        // The lanes no worker holds, by their first command's arrival: the oldest command first.
        // A lane this batch may not hold (it holds its share already) is left for another
        // worker, with every later command of it, so one stream's commands keep their order.
        std::priority_queue<Front, std::vector<Front>, std::greater<Front>> fronts;
        for (size_t l = 0; l < m_lanes.size(); ++l) {
            const Lane &lane = m_lanes[l];
            if (!lane.held && !lane.queue.empty())
                fronts.push({ lane.queue.front().arrival, static_cast<int>(l) });
        }
        while (!fronts.empty() && batch.size() < m_maxBatch) {
            const int index = fronts.top().second;
            fronts.pop();
            Lane &lane = m_lanes[static_cast<size_t>(index)];
            if (!lane.held) {
                if (static_cast<int>(claimed.size()) >= m_lanesPerBatch)
                    continue;
                lane.held = true;
                claimed.push_back(index);
            }
            batch.append(std::move(lane.queue.front().command));
            lane.queue.pop_front();
            if (!lane.queue.empty())
                fronts.push({ lane.queue.front().arrival, index });
        }
        if (batch.isEmpty()) {
            --m_activeWorkers;
            return;
        }
        m_queued -= batch.size();
        lock.unlock();
        m_handler(batch);
        lock.relock();
        for (int index : claimed)
            m_lanes[static_cast<size_t>(index)].held = false;
        startWorkersLocked();
    }
}

void KeyedDispatcher::waitIdle()
{
    for (;;) {
        {
            QMutexLocker lock(&m_mutex);
            if (m_activeWorkers == 0 && m_queued == 0)
                return;
        }
        QThread::msleep(1);
    }
}

} // namespace waybill
