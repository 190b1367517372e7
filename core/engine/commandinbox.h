// The durable command inbox: records commands before they are acknowledged, many requests per
// transaction (group commit), so that durability costs one sync per batch.
#pragma once

#include "domain/command.h"
#include "loopthread.h"
#include "store/database.h"

#include <QMutex>

#include <deque>
#include <functional>

namespace waybill {

struct AcceptRequest
{
    CommandType type = CommandType::Submit;
    QString streamId;
    QJsonObject data;
    QString user;
    QString idempotencyKey; // empty: none
    QString requestHash; // what the key is bound to (route and body)
    std::optional<int> expectedVersion; // If-Match
};

struct AcceptResult
{
    enum class Status {
        Accepted, // recorded now: it will be processed
        Duplicate, // the same idempotency key, route and body: the earlier command
        KeyReused, // the same idempotency key with another route or body
        Failed // not recorded (database error or shutting down): the client may retry
    };
    Status status = Status::Failed;
    QString commandId;
    QString error;
};

class CommandInbox final
{
public:
    using Done = std::function<void(const AcceptResult &)>;
    // Called on the inbox's thread with the commands just made durable, in acceptance order.
    using Recorded = std::function<void(const QVector<Command> &)>;

    CommandInbox(Database &database, int maxBatch, Recorded recorded);
    ~CommandInbox();
    Q_DISABLE_COPY_MOVE(CommandInbox)

    void start();
    // Records what is queued, then stops; later submissions fail with "shutting down".
    void stop();
    // Thread-safe. done runs on the inbox's thread once the command is durable (or refused).
    void submit(AcceptRequest request, Done done);
    qint64 queued() const;

private:
    struct Entry
    {
        AcceptRequest request;
        Done done;
    };
    // Writes what is queued, a batch at a time, until the queue is empty.
    void writeQueued();
    void writeBatch(std::vector<Entry> &batch);

    Database &m_database;
    int m_maxBatch;
    Recorded m_recorded;
    mutable QMutex m_mutex;
    std::deque<Entry> m_queue;
    bool m_accepting = false; // between start() and stop()
    LoopThread m_thread; // last: it stops before the rest goes
};

} // namespace waybill
