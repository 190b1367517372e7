// Runs work keyed by stream: one key's commands one at a time in arrival order, other keys in
// parallel, on a dedicated QThreadPool.
//
// Keys map to lanes. A lane with work is "ready"; a worker claims ready lanes (a claimed lane is
// never given to a second worker), takes their commands in order, and hands them to the handler
// as one batch, so that one transaction carries the work of many streams: under load, batches
// grow and the cost of a durable commit is shared, as with the inbox's group commit.
#pragma once

#include "domain/command.h"

#include <QMutex>
#include <QThreadPool>
#include <QVector>

#include <deque>
#include <functional>
#include <vector>

namespace waybill {

class KeyedDispatcher final
{
public:
    using Handler = std::function<void(const QVector<Command> &batch)>;

    // lanes: how many independent queues; workers: batches processed at once (at most the
    // pool's threads); maxBatch: the most commands in one batch.
    KeyedDispatcher(QThreadPool *pool, int lanes, int workers, int maxBatch, Handler handler);
    ~KeyedDispatcher();
    Q_DISABLE_COPY_MOVE(KeyedDispatcher)

    void dispatch(const QVector<Command> &commands);
    // Blocks until every lane is empty and no batch is running.
    void waitIdle();

    static int laneOf(const QString &key, int lanes);

private:
    struct Lane
    {
        std::deque<Command> queue;
        bool claimed = false; // a worker is processing this lane's commands
        bool ready = false; // in m_ready
    };
    void startWorkersLocked();
    void work();

    QThreadPool *m_pool;
    int m_maxWorkers;
    int m_maxBatch;
    Handler m_handler;
    mutable QMutex m_mutex;
    std::vector<Lane> m_lanes;
    std::deque<int> m_ready;
    int m_activeWorkers = 0;
    qint64 m_queued = 0;
};

} // namespace waybill
