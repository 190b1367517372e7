#include "keyeddispatcher.h"

#include <QHash>
#include <QThread>

namespace waybill {

KeyedDispatcher::KeyedDispatcher(
    QThreadPool *pool, int lanes, int workers, int maxBatch, Handler handler)
    : m_pool(pool)
    , m_maxWorkers(qMax(1, workers))
    , m_maxBatch(qMax(1, maxBatch))
    , m_claimsPerBatch(qMax(1, qMax(1, lanes) / m_maxWorkers))
    , m_handler(std::move(handler))
    , m_holder(static_cast<size_t>(qMax(1, lanes)), 0u)
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
    const int lanes = static_cast<int>(m_holder.size());
    for (const Command &c : commands)
        m_waiting.push_back({ c, laneOf(c.streamId, lanes), false });
    m_queued += commands.size();
    startWorkersLocked();
}

void KeyedDispatcher::startWorkersLocked()
{
    // A worker that finds every waiting command's lane held by others ends at once; the one
    // holding them starts workers again when it lets them go.
    while (m_activeWorkers < m_maxWorkers && m_queued > m_activeWorkers) {
        ++m_activeWorkers;
        m_pool->start([this] { work(); });
    }
}

void KeyedDispatcher::work()
{
    QVector<Command> batch;
    std::vector<int> claimed;
    QMutexLocker lock(&m_mutex);
    const unsigned me = ++m_nextWorker == 0 ? ++m_nextWorker : m_nextWorker; // never 0
    for (;;) {
        batch.clear();
        claimed.clear();
        // The oldest commands first. A command is passed over only when another worker holds its
        // lane, or this batch holds its share of lanes and the lane is not among them: either
        // way every later command of that lane is passed over too, so one stream's commands
        // still run in the order they arrived.
        for (auto it = m_waiting.begin(); it != m_waiting.end() && batch.size() < m_maxBatch;
             ++it) {
            if (it->taken)
                continue;
            unsigned &holder = m_holder[static_cast<size_t>(it->lane)];
            if (holder != me) {
                if (holder != 0 || static_cast<int>(claimed.size()) >= m_claimsPerBatch)
                    continue;
                holder = me;
                claimed.push_back(it->lane);
            }
            batch.append(std::move(it->command));
            it->taken = true;
        }
        while (!m_waiting.empty() && m_waiting.front().taken)
            m_waiting.pop_front();
        if (batch.isEmpty()) {
            --m_activeWorkers;
            return;
        }
        m_queued -= batch.size();
        lock.unlock();
        m_handler(batch);
        lock.relock();
        for (int lane : claimed)
            m_holder[static_cast<size_t>(lane)] = 0;
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
