#include "walcheckpointer.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMutex>

#include <sqlite3.h>

namespace waybill {

Q_DECLARE_LOGGING_CATEGORY(lcDatabase)

namespace {

// The hooks find their checkpointer by key: a connection may outlive its Database on a thread
// that has not ended yet, and its hook must then find nothing rather than a freed object.
QMutex g_registryMutex;
QHash<quintptr, WalCheckpointer *> g_registry;
std::atomic<quintptr> g_nextKey { 1 };

} // namespace

WalCheckpointer::WalCheckpointer(QString path, bool fullSync)
    : m_path(std::move(path))
    , m_fullSync(fullSync)
    , m_key(g_nextKey++)
{
    QMutexLocker lock(&g_registryMutex);
    g_registry.insert(m_key, this);
}

WalCheckpointer::~WalCheckpointer()
{
    {
        // After this no hook reaches this object; a hook that already has it holds the
        // registry's mutex until it is done with it.
        QMutexLocker lock(&g_registryMutex);
        g_registry.remove(m_key);
    }
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wanted.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void WalCheckpointer::attach(sqlite3 *connection) const
{
    // Replaces SQLite's automatic checkpoint for this connection (sqlite3_wal_autocheckpoint
    // is itself such a hook).
    sqlite3_wal_hook(connection, &WalCheckpointer::afterCommit,
        reinterpret_cast<void *>(m_key)); // NOLINT(performance-no-int-to-ptr)
}

WalCheckpointer::Stats WalCheckpointer::stats() const
{
    return { m_background.load(), m_onWriters.load() };
}

int WalCheckpointer::afterCommit(void *key, sqlite3 *connection, const char *schema, int pages)
{
    // Called by SQLite on the writer's thread after its commit, with the database's locks
    // released; pages is the length of the log.
    if (pages < kCheckpointPages)
        return SQLITE_OK;
    {
        QMutexLocker lock(&g_registryMutex);
        WalCheckpointer *self = g_registry.value(reinterpret_cast<quintptr>(key), nullptr);
        if (self && pages < kBackstopPages) {
            self->wake();
            return SQLITE_OK;
        }
        if (self)
            ++self->m_onWriters;
    }
    // No checkpointer (its Database is gone), or one that fell behind: as SQLite would.
    sqlite3_wal_checkpoint_v2(connection, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
}

void WalCheckpointer::wake()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
        m_pending = true;
        if (!m_thread.joinable())
            m_thread = std::thread([this] { run(); });
    }
    m_wanted.notify_one();
}

void WalCheckpointer::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wanted.wait(lock, [this] { return m_pending || m_stopping; });
        if (m_stopping)
            break;
        // Commits while this one runs ask for the next: it copies what they added.
        m_pending = false;
        lock.unlock();
        if (checkpoint())
            ++m_background;
        lock.lock();
    }
    lock.unlock();
    sqlite3_close_v2(m_connection);
    m_connection = nullptr;
}

bool WalCheckpointer::checkpoint()
{
    if (!m_connection) {
        const QByteArray path = m_path.toUtf8();
        if (sqlite3_open_v2(path.constData(), &m_connection, SQLITE_OPEN_READWRITE, nullptr)
            != SQLITE_OK) {
            if (m_failuresLogged++ == 0) {
                qCWarning(lcDatabase).noquote()
                    << "the checkpointer cannot open" << m_path << ":"
                    << (m_connection ? sqlite3_errmsg(m_connection) : "out of memory");
            }
            sqlite3_close_v2(m_connection);
            m_connection = nullptr;
            return false;
        }
        // A checkpoint syncs the log before it copies and the file after, as the writers'
        // setting asks (both FULL and NORMAL sync at checkpoints).
        sqlite3_exec(m_connection,
            m_fullSync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", nullptr, nullptr,
            nullptr);
    }
    // PASSIVE: copies what no reader still needs, without waiting for any lock; a writer may
    // commit meanwhile.
    const int rc = sqlite3_wal_checkpoint_v2(
        m_connection, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc == SQLITE_OK)
        return true;
    if (rc != SQLITE_BUSY && m_failuresLogged++ == 0) {
        qCWarning(lcDatabase).noquote()
            << "a checkpoint of" << m_path << "failed:" << sqlite3_errmsg(m_connection);
    }
    return false;
}

} // namespace waybill
