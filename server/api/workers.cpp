#include "workers.h"

namespace waybill::api {

Workers::Workers(QObject *home, Database &database, int threads, int longThreads)
    : m_database(database)
    , m_poster(home)
{
    // Threads live as long as the server, and with them their database connections.
    m_pool.setMaxThreadCount(qMax(1, threads));
    m_pool.setExpiryTimeout(-1);
    m_pool.setObjectName(QStringLiteral("waybill-http-workers"));
    m_longPool.setMaxThreadCount(qMax(1, longThreads));
    m_longPool.setExpiryTimeout(-1);
    m_longPool.setObjectName(QStringLiteral("waybill-http-long-workers"));
}

Workers::~Workers()
{
    shutDown();
}

void Workers::enqueue(std::function<void()> work)
{
    QMutexLocker lock(&m_queueMutex);
    if (m_stopping)
        return;
    m_queue.push_back(std::move(work));
    // Another drainer when none runs, or when work piles up faster than the running ones take it.
    const bool more = m_drainers == 0
        || (m_drainers < m_pool.maxThreadCount() && m_queue.size() > size_t(4 * m_drainers));
    if (!more)
        return;
    ++m_drainers;
    lock.unlock();
    m_pool.start([this] { drain(); });
}

bool Workers::idle() const
{
    QMutexLocker lock(&m_queueMutex);
    return m_drainers == 0 && m_queue.empty() && m_longPool.activeThreadCount() == 0;
}

void Workers::drain()
{
    for (;;) {
        std::function<void()> work;
        {
            QMutexLocker lock(&m_queueMutex);
            if (m_queue.empty()) {
                --m_drainers;
                return;
            }
            work = std::move(m_queue.front());
            m_queue.pop_front();
        }
        work();
        releaseSnapshot(m_database);
    }
}

void Workers::releaseSnapshot(Database &database)
{
    try {
        finishStatements(database.connection());
    } catch (const StoreError &) {
        // No connection: nothing is held open.
    }
}

void Workers::shutDown()
{
    std::deque<std::function<void()>> dropped;
    {
        QMutexLocker lock(&m_queueMutex);
        m_stopping = true;
        dropped.swap(m_queue);
    }
    dropped.clear(); // here, on the HTTP thread, where the replies they hold belong
    m_longPool.clear();
    m_pool.waitForDone();
    m_longPool.waitForDone();
    m_poster.close();
}

} // namespace waybill::api
