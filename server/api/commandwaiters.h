// Requests that asked to wait for their command's outcome (Prefer: wait=N).
#pragma once

#include "http/reply.h"
#include "store/commandstore.h"

#include <QMutex>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace waybill::api {

// Lives on the HTTP thread. A waiter is answered once: by the first of the outcome (from the
// engine's signal, or from a look at the database) and its deadline. isWaitedFor() may be asked
// from any thread, so that outcomes nobody waits for stay where they were made.
class CommandWaiters final
{
public:
    using Answer = std::function<void(
        const http::ReplyPtr &reply, const QString &commandId, const CommandOutcome *outcome)>;

    // answer(reply, id, outcome) when the outcome is known; answer(reply, id, nullptr) at the
    // deadline.
    explicit CommandWaiters(Answer answer);
    ~CommandWaiters();
    Q_DISABLE_COPY_MOVE(CommandWaiters)

    void add(const QString &commandId, const http::ReplyPtr &reply, int waitMs);
    // Answers every waiter of that command, if it is finished.
    void resolve(const CommandOutcome &outcome);
    int count() const;
    // Thread-safe.
    bool isWaitedFor(const QString &commandId) const;

private:
    struct Waiter
    {
        http::ReplyPtr reply;
        std::unique_ptr<QTimer> deadline;
    };
    void expire(const QString &commandId, const Waiter *waiter);
    void forget(const QString &commandId);

    Answer m_answer;
    mutable QMutex m_idsMutex;
    QSet<QString> m_ids; // the keys of m_waiters, for other threads
    std::unordered_map<QString, std::vector<std::unique_ptr<Waiter>>> m_waiters;
};

} // namespace waybill::api
