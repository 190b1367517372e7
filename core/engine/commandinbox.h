// The durable command inbox: records commands before they are acknowledged, many requests per
// transaction (group commit), so that durability costs one sync per batch.
#pragma once

#include "domain/command.h"
#include "store/database.h"
#include "store/loopthread.h"
#include "store/sql.h"

#include <QMutex>
#include <QSet>

#include <atomic>
#include <deque>
#include <functional>
#include <optional>

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
    QString correlationId; // ties commands sent together (Correlation-Id); empty: its own id
};

// The command the inbox records for a request, accepted at acceptedAt: with id, or a new one when
// id is empty; its correlation id is the request's, or its own id.
Command commandFor(const AcceptRequest &request, const QDateTime &acceptedAt, QString id = {});

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
    QString error; // why it failed, in plain words (no SQL): said to the client
};

class CommandInbox final
{
public:
    using Done = std::function<void(const AcceptResult &)>;
    // Called on the inbox's thread with the commands just made durable, in acceptance order.
    using Recorded = std::function<void(const QVector<Command> &)>;

    // acceptedBy: the server the recorded commands belong to until they are processed.
    CommandInbox(Database &database, int maxBatch, QString acceptedBy, Recorded recorded);
    ~CommandInbox();
    Q_DISABLE_COPY_MOVE(CommandInbox)

    void start();
    // Records what is queued, then stops; later submissions fail with "shutting down".
    void stop();
    // Thread-safe. done runs on the inbox's thread once the command is durable (or refused).
    void submit(AcceptRequest request, Done done);
    // Submitted and not yet handed on: queued, or in the batch being recorded (a command leaves
    // this count only after the Recorded callback has taken it).
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
    // Records batch[first, first + count) in one transaction and fills in their results; the
    // commands recorded. Throws StoreError when none was.
    QVector<Command> record(const std::vector<Entry> &batch, size_t first, size_t count,
        std::vector<AcceptResult> &results);
    // Which of these commands are in the database, once it answers; nothing if it does not
    // within a limit (or the inbox stops).
    std::optional<QSet<QString>> confirmRecorded(const QVector<Command> &commands);
    static QString failureReason(const StoreError &error);

    Database &m_database;
    int m_maxBatch;
    QString m_acceptedBy;
    Recorded m_recorded;
    mutable QMutex m_mutex;
    std::deque<Entry> m_queue;
    qint64 m_recording = 0; // taken off m_queue, not yet handed on
    bool m_accepting = false; // between start() and stop()
    std::atomic<bool> m_stopping { false };
    LoopThread m_thread; // last: it stops before the rest goes
};

} // namespace waybill
