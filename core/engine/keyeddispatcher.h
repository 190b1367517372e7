// Runs work keyed by stream: one key's items one at a time in arrival order, other keys in
// parallel, on a dedicated QThreadPool.
#pragma once

#include "domain/command.h"

#include <QMutex>
#include <QThreadPool>
#include <QVector>

#include <deque>
#include <functional>
#include <memory>

namespace waybill {

class KeyedDispatcher final
{
public:
    using Handler = std::function<void(const QVector<Command> &batch)>;

    // lanes: how many independent queues; a key always maps to the same lane, so a lane's
    // batches never overlap in time. maxBatch: the most commands handed over at once.
    KeyedDispatcher(QThreadPool *pool, int lanes, int maxBatch, Handler handler);
    ~KeyedDispatcher();
    Q_DISABLE_COPY_MOVE(KeyedDispatcher)

    void dispatch(const Command &command);
    void dispatch(const QVector<Command> &commands);
    // Commands queued but not yet handed to the handler (a metric).
    qint64 queued() const;
    // Blocks until every lane is empty and idle.
    void waitIdle();

    static int laneOf(const QString &key, int lanes);

private:
    struct Lane
    {
        QMutex mutex;
        std::deque<Command> queue;
        bool scheduled = false;
    };
    void schedule(Lane &lane);
    void drainOnce(Lane &lane);

    QThreadPool *m_pool;
    int m_maxBatch;
    Handler m_handler;
    std::vector<std::unique_ptr<Lane>> m_lanes;
    std::atomic<qint64> m_queued { 0 };
};

} // namespace waybill
