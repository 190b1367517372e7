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
    m_stopping = true;
    m_longPool.clear();
    m_pool.waitForDone();
    m_longPool.waitForDone();
    m_poster.close();
}

} // namespace waybill::api
