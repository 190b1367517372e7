// Copies SQLite's write-ahead log back into the database file on a thread of its own.
//
// By default SQLite checkpoints inside the commit that takes the log past 1,000 pages, on the
// writer's thread: the writer copies some megabytes and waits for two fsyncs before it can
// answer. On the server that writer is the inbox (a client waits for its 202) or a processing
// lane (every command behind it waits). Each connection the Database opens hands its checkpoints
// here instead; a writer checkpoints itself only if the log outgrows kBackstopPages, which
// means this thread cannot keep up (design.md, "Checkpoints off the writers' path").
#pragma once

#include <QString>
#include <QtGlobal>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

struct sqlite3;

namespace waybill {

class WalCheckpointer final
{
public:
    // SQLite's own threshold (wal_autocheckpoint's default): the log's pages after a commit.
    static constexpr int kCheckpointPages = 1000;
    // Past this, the committing connection checkpoints itself, as SQLite would.
    static constexpr int kBackstopPages = 10 * kCheckpointPages;

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
    };
    Stats stats() const;

private:
    static int afterCommit(void *key, sqlite3 *connection, const char *schema, int pages);
    void wake();
    void run();
    bool checkpoint();

    const QString m_path;
    const bool m_fullSync;
    const quintptr m_key; // this checkpointer in the hooks' registry
    std::mutex m_mutex;
    std::condition_variable m_wanted;
    bool m_pending = false;
    bool m_stopping = false;
    std::thread m_thread; // started by the first checkpoint asked for
    sqlite3 *m_connection = nullptr; // the thread's own
    std::atomic<qint64> m_background { 0 };
    std::atomic<qint64> m_onWriters { 0 };
    qint64 m_failuresLogged = 0;
};

} // namespace waybill
