// Copies SQLite's write-ahead log back into the database file on a thread of its own.
//
// By default SQLite checkpoints inside the commit that takes the log past 1,000 pages, on the
// writer's thread: the writer copies some megabytes and waits for two fsyncs before it can
// answer. On the server that writer is the inbox (a client waits for its 202) or a processing
// lane (every command behind it waits). Each connection the Database opens hands its checkpoints
// here instead; a writer checkpoints itself only if the log outgrows kBackstopPages, which
// means this thread cannot keep up (design.md, "Checkpoints off the writers' path").
#pragma once

#include "loopthread.h"

#include <QString>
#include <QtGlobal>

#include <atomic>

struct sqlite3;

namespace waybill {

class WalCheckpointer final
{
public:
    // SQLite's own threshold (wal_autocheckpoint's default): the log's pages after a commit.
    static constexpr int kCheckpointPages = 1000;
    // Past this, the committing connection checkpoints itself, as SQLite would.
    static constexpr int kBackstopPages = 10 * kCheckpointPages;
    // A writer copies the log's last pages itself, when no more than this many are left after
    // the checkpointer's pass, so that the log can start over.
    static constexpr int kTailPages = 500;

    // path: the database file; fullSync: synchronous=FULL (else NORMAL), as the writers'.
    WalCheckpointer(QString path, bool fullSync);
    ~WalCheckpointer(); // waits for a checkpoint under way
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // From now on, this connection's commits hand their checkpoints to this thread.
    void attach(sqlite3 *connection) const;

    struct Stats
    {
        qint64 background = 0; // checkpoints run on the checkpointer's thread
        qint64 onWriters = 0; // checkpoints a writer ran itself, past kBackstopPages
        qint64 tails = 0; // the last pages of a pass, copied by a writer (kTailPages)
    };
    Stats stats() const;

private:
    static int afterCommit(void *key, sqlite3 *connection, const char *schema, int pages);
    void wake();
    void checkpoint(); // a pass of the thread
    void closeConnection(); // the thread's last act

    const QString m_path;
    const bool m_fullSync;
    const quintptr m_key; // this checkpointer in the hooks' registry
    std::atomic<qint64> m_background { 0 };
    std::atomic<qint64> m_onWriters { 0 };
    std::atomic<qint64> m_tails { 0 };
    // The log's length when a pass of the thread copied all of it; 0 once a writer took it up.
    std::atomic<int> m_copiedThrough { 0 };
    // Used by the thread alone:
    sqlite3 *m_connection = nullptr;
    qint64 m_failuresLogged = 0;
    LoopThread m_thread; // started by the first checkpoint asked for; last, so stopped first
};

} // namespace waybill
