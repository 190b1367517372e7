// Runs database work off the HTTP thread, on threads that keep their own database connections,
// and brings each result back to the HTTP thread.
#pragma once

#include "store/database.h"
#include "store/sql.h"

#include <QMetaObject>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <atomic>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

namespace waybill::api {

template<typename T> struct WorkResult
{
    std::optional<T> value;
    QString error; // why value is missing (a database error)
};

// Posts functions to the HTTP thread from any thread, including threads that outlive the
// server (the engine's inbox calls back after the server may be gone): once the server shut
// down, posts are dropped.
class Poster final
{
public:
    explicit Poster(QObject *home)
        : m_home(std::make_shared<Home>())
    {
        m_home->object = home;
    }

    template<typename F> void operator()(F f) const
    {
        QMutexLocker lock(&m_home->mutex);
        if (m_home->object)
            QMetaObject::invokeMethod(m_home->object, std::move(f), Qt::QueuedConnection);
    }
    void close() const
    {
        QMutexLocker lock(&m_home->mutex);
        m_home->object = nullptr;
    }

private:
    struct Home
    {
        QMutex mutex;
        QObject *object = nullptr;
    };
    std::shared_ptr<Home> m_home;
};

class Workers final
{
public:
    // home: an object of the HTTP thread; results are delivered in its thread, and dropped if
    // it is gone. threads: for short reads; longThreads: for exports and verification, so that
    // a long one never holds up the others.
    Workers(QObject *home, Database &database, int threads, int longThreads);
    ~Workers();
    Q_DISABLE_COPY_MOVE(Workers)

    // work() runs on a worker thread; then(WorkResult) on the HTTP thread.
    template<typename Work, typename Then> void run(Work work, Then then)
    {
        enqueue(job(std::move(work), std::move(then)));
    }
    // The same on a thread of its own kind, for work that may take long.
    template<typename Work, typename Then> void runLong(Work work, Then then)
    {
        m_longPool.start(job(std::move(work), std::move(then)));
    }
    // work() runs on a worker thread and answers for itself (through the poster).
    template<typename Work> void runDetached(Work work)
    {
        enqueue(std::function<void()>(std::move(work)));
    }

    // Runs f on the HTTP thread (from any thread); copy it to threads that may outlive the server.
    const Poster &poster() const { return m_poster; }

    // No work queued or running: whatever requests handed over (a command to the engine) has been
    // handed over.
    bool idle() const;
    // Set while the server shuts down: long work should give up.
    bool stopping() const { return m_stopping.load(); }
    // Stops taking work, waits for what runs and drops results not yet delivered.
    void shutDown();

private:
    template<typename Work, typename Then> std::function<void()> job(Work work, Then then)
    {
        using T = std::invoke_result_t<Work &>;
        const Poster poster = m_poster;
        Database *database = &m_database;
        return [work, then, poster, database]() mutable {
            WorkResult<T> result;
            try {
                result.value = work();
            } catch (const StoreError &e) {
                result.error = e.message();
            } catch (const std::exception &e) {
                result.error = QString::fromUtf8(e.what());
            }
            releaseSnapshot(*database);
            // Moved, so that what `then` holds (a reply) is let go on the HTTP thread.
            poster(
                [then = std::move(then), result = std::move(result)]() mutable { then(result); });
        };
    }

    // Short work waits in one queue that a few drainers take turns at: a burst of requests wakes
    // a worker thread once, not once per request.
    void enqueue(std::function<void()> work);
    void drain();

    // A statement left unfinished keeps a SQLite read snapshot open on this thread's connection,
    // and the thread's next job would read the past: every job ends by finishing them.
    static void releaseSnapshot(Database &database);

    Database &m_database;
    Poster m_poster;
    QThreadPool m_pool;
    QThreadPool m_longPool;
    mutable QMutex m_queueMutex;
    std::deque<std::function<void()>> m_queue;
    int m_drainers = 0;
    std::atomic<bool> m_stopping { false };
};

} // namespace waybill::api
