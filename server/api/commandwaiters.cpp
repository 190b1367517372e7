#include "commandwaiters.h"

#include <QTcpSocket>

namespace waybill::api {

CommandWaiters::CommandWaiters(Answer answer)
    : m_answer(std::move(answer))
{ }

CommandWaiters::~CommandWaiters() = default;

void CommandWaiters::add(const QString &commandId, const http::ReplyPtr &reply, int waitMs)
{
    auto waiter = std::make_unique<Waiter>();
    waiter->reply = reply;
    waiter->deadline = std::make_unique<QTimer>();
    waiter->deadline->setSingleShot(true);
    const Waiter *key = waiter.get();
    QObject::connect(waiter->deadline.get(), &QTimer::timeout, waiter->deadline.get(),
        [this, commandId, key] { expire(commandId, key); });
    // A client that leaves stops its wait at once rather than at the deadline.
    if (QTcpSocket *socket = reply->socket()) {
        QObject::connect(socket, &QObject::destroyed, waiter->deadline.get(),
            [this, commandId, key] { expire(commandId, key); });
    }
    waiter->deadline->start(waitMs);
    m_waiters[commandId].push_back(std::move(waiter));
    QMutexLocker lock(&m_idsMutex);
    m_ids.insert(commandId);
}

void CommandWaiters::forget(const QString &commandId)
{
    QMutexLocker lock(&m_idsMutex);
    m_ids.remove(commandId);
}

bool CommandWaiters::isWaitedFor(const QString &commandId) const
{
    QMutexLocker lock(&m_idsMutex);
    return m_ids.contains(commandId);
}

void CommandWaiters::expire(const QString &commandId, const Waiter *waiter)
{
    const auto it = m_waiters.find(commandId);
    if (it == m_waiters.end())
        return;
    auto &list = it->second;
    for (auto w = list.begin(); w != list.end(); ++w) {
        if (w->get() != waiter)
            continue;
        std::unique_ptr<Waiter> taken = std::move(*w);
        list.erase(w);
        if (list.empty()) {
            m_waiters.erase(it);
            forget(commandId);
        }
        taken->deadline->stop();
        m_answer(taken->reply, commandId, nullptr);
        // The timer may be the sender of the signal being handled: delete it later.
        taken->deadline.release()->deleteLater();
        return;
    }
}

void CommandWaiters::resolve(const CommandOutcome &outcome)
{
    if (outcome.status == CommandStatus::Pending)
        return;
    const auto it = m_waiters.find(outcome.commandId);
    if (it == m_waiters.end())
        return;
    std::vector<std::unique_ptr<Waiter>> list = std::move(it->second);
    m_waiters.erase(it);
    forget(outcome.commandId);
    for (auto &waiter : list) {
        waiter->deadline->stop();
        m_answer(waiter->reply, outcome.commandId, &outcome);
    }
}

int CommandWaiters::count() const
{
    int n = 0;
    for (const auto &entry : m_waiters)
        n += int(entry.second.size());
    return n;
}

} // namespace waybill::api
