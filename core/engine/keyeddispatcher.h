// Runs work keyed by stream: one key's commands one at a time in arrival order, other keys in
// parallel, on a dedicated QThreadPool.
//
// Keys map to lanes; each lane queues its commands in the order they arrived. A worker takes the
// oldest waiting commands of the lanes no other worker holds (a merge of those lanes' queues by
// arrival), holds those lanes while it runs them (a held lane is never given to a second worker),
// and hands them to the handler as one batch, so that one transaction carries the work of many
// streams: under load, batches grow and the cost of a durable commit is shared, as with the
// inbox's group commit.
//
// Batches follow the order of arrival, not the lanes: a batch is a run of commands accepted one
// after the other, so its rows sit together in the tables and their indexes (the rows of the
// commands it settles, the events it appends, the states it writes), and a command waits behind
// the commands that arrived before it, not behind a lane's backlog. With several workers, a batch
// holds at most its share of the lanes (lanes / workers), so that the next worker still finds
// lanes to take. Choosing a batch costs a heap of the ready lanes' first commands: no scan of what
// waits in lanes another worker holds, however long their backlog.
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
        quint64 arrival = 0; // its place in the order of arrival, across every lane
    };
    struct Lane
    {
        std::deque<Waiting> queue; // in order of arrival
        bool held = false; // a worker is running this lane's commands
    };
    void startWorkersLocked();
    void work();

    QThreadPool *m_pool;
    int m_maxWorkers;
    int m_maxBatch;
    int m_lanesPerBatch; // the most lanes one batch may hold
    Handler m_handler;
    mutable QMutex m_mutex;
    std::vector<Lane> m_lanes;
    quint64 m_arrivals = 0;
    int m_activeWorkers = 0;
    qint64 m_queued = 0; // waiting, not yet in a batch
};

} // namespace waybill
