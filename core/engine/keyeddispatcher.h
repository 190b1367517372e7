// Runs work keyed by stream: one key's commands one at a time in arrival order, other keys in
// parallel, on a dedicated QThreadPool.
//
// Keys map to lanes. Commands wait in one queue, in the order they arrived. A worker takes the
// oldest waiting commands whose lanes no other worker holds, claims those lanes while it runs
// them (a claimed lane is never given to a second worker), and hands them to the handler as one
// batch, so that one transaction carries the work of many streams: under load, batches grow and
// the cost of a durable commit is shared, as with the inbox's group commit.
//
// Batches follow the order of arrival, not the lanes: a batch is a run of commands accepted one
// after the other, so its rows sit together in the tables and their indexes (the rows of the
// commands it settles, the events it appends, the states it writes), and a command waits behind
// the commands that arrived before it, not behind a lane's backlog. With several workers, each
// claims at most its share of the lanes (lanes / workers) for one batch, so that the next worker
// still finds lanes to take.
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
    struct Waiting
    {
        Command command;
        int lane = 0;
        bool taken = false; // in a batch already; dropped once it reaches the front
    };
    void startWorkersLocked();
    void work();

    QThreadPool *m_pool;
    int m_maxWorkers;
    int m_maxBatch;
    int m_claimsPerBatch; // the most lanes one batch may hold
    Handler m_handler;
    mutable QMutex m_mutex;
    std::deque<Waiting> m_waiting; // in order of arrival
    std::vector<unsigned> m_holder; // per lane: the worker running its commands, 0 for none
    int m_activeWorkers = 0;
    unsigned m_nextWorker = 0;
    qint64 m_queued = 0; // waiting and not yet taken
};

} // namespace waybill
