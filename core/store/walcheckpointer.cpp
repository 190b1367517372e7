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
    // A commit during a checkpoint asks for another pass, which copies what it added; a wake
    // still pending at the end is dropped (closing the last connection checkpoints anyway).
    , m_thread(
          QStringLiteral("waybill-ckpt"), LoopThread::AtStop::NoPass, [this] { checkpoint(); },
          [this] { closeConnection(); })
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
    m_thread.stop();
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
    return { m_background.load(), m_onWriters.load(), m_tails.load() };
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
        if (self) {
            // The log starts over only when a write begins after a checkpoint copied all of it
            // (and no reader still reads from it). Under load the next writer of this process
            // is already waiting for its turn when the checkpointer's pass ends, so the log
            // would only grow to the backstop. So when the checkpointer has copied all but the
            // last few commits, this writer copies those itself, while it still has the turn:
            // the next write then starts the log from its beginning.
            const int copied = self->m_copiedThrough.exchange(0);
            if (copied > 0 && pages >= copied && pages - copied <= kTailPages) {
                ++self->m_tails;
            } else if (pages < kBackstopPages) {
                self->wake();
                return SQLITE_OK;
            } else {
                ++self->m_onWriters;
            }
        }
    }
    // The rest of a pass; or no checkpointer (its Database is gone), or one that fell behind:
    // as SQLite would. Not under the registry's mutex, which every Database's hooks share.
    sqlite3_wal_checkpoint_v2(connection, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
}

void WalCheckpointer::wake()
{
    m_thread.start(); // does nothing when it runs already
    m_thread.wake();
}

void WalCheckpointer::closeConnection()
{
    sqlite3_close_v2(m_connection);
    m_connection = nullptr;
}

void WalCheckpointer::checkpoint()
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
            closeConnection();
            return;
        }
        // A checkpoint syncs the log before it copies and the file after, as the writers'
        // setting asks (both FULL and NORMAL sync at checkpoints).
        sqlite3_exec(m_connection,
            m_fullSync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", nullptr, nullptr,
            nullptr);
    }
    // PASSIVE: copies what no reader still needs, without waiting for any lock; a writer may
    // commit meanwhile.
    int logPages = 0;
    int copiedPages = 0;
    const int rc = sqlite3_wal_checkpoint_v2(
        m_connection, "main", SQLITE_CHECKPOINT_PASSIVE, &logPages, &copiedPages);
    if (rc == SQLITE_OK && copiedPages == logPages)
        m_copiedThrough = logPages; // the next commit copies the rest (afterCommit)
    if (rc == SQLITE_OK) {
        ++m_background;
    } else if (rc != SQLITE_BUSY && m_failuresLogged++ == 0) {
        qCWarning(lcDatabase).noquote()
            << "a checkpoint of" << m_path << "failed:" << sqlite3_errmsg(m_connection);
    }
}

} // namespace waybill
