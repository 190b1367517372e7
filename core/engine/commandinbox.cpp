#include "commandinbox.h"

#include "faultinjection.h"
#include "store/commandstore.h"
#include "store/sql.h"

#include <QLoggingCategory>
#include <QUuid>

namespace waybill {

Q_LOGGING_CATEGORY(lcInbox, "waybill.inbox")

CommandInbox::CommandInbox(Database &database, int maxBatch, Recorded recorded)
    : m_database(database)
    , m_maxBatch(qMax(1, maxBatch))
    , m_recorded(std::move(recorded))
    , m_thread(
          QStringLiteral("waybill-inbox"), LoopThread::AtStop::LastPass, [this] { writeQueued(); },
          [this] { m_database.closeConnection(); })
{ }

CommandInbox::~CommandInbox()
{
    stop();
}

void CommandInbox::start()
{
    m_thread.start();
    QMutexLocker lock(&m_mutex);
    m_accepting = true;
}

void CommandInbox::stop()
{
    {
        QMutexLocker lock(&m_mutex);
        m_accepting = false;
    }
    m_thread.stop(); // its last pass writes what was queued before
}

void CommandInbox::submit(AcceptRequest request, Done done)
{
    QMutexLocker lock(&m_mutex);
    if (!m_accepting) {
        lock.unlock();
        done({ AcceptResult::Status::Failed, {}, QStringLiteral("the server is shutting down") });
        return;
    }
    m_queue.push_back({ std::move(request), std::move(done) });
    m_thread.wake(); // under the lock: stop() cannot come between the push and the wake
}

qint64 CommandInbox::queued() const
{
    QMutexLocker lock(&m_mutex);
    return static_cast<qint64>(m_queue.size());
}

void CommandInbox::writeQueued()
{
    for (;;) {
        std::vector<Entry> batch;
        {
            QMutexLocker lock(&m_mutex);
            // Everything that arrived while the last batch was syncing goes in this one.
            while (!m_queue.empty() && static_cast<int>(batch.size()) < m_maxBatch) {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        if (batch.empty())
            return;
        writeBatch(batch);
    }
}

void CommandInbox::writeBatch(std::vector<Entry> &batch)
{
    std::vector<AcceptResult> results(batch.size());
    QVector<Command> recorded;
    try {
        WriteTransaction tx(m_database);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (size_t i = 0; i < batch.size(); ++i) {
            const AcceptRequest &r = batch[i].request;
            if (!r.idempotencyKey.isEmpty()) {
                if (auto match
                    = CommandStore::findByIdempotencyKey(tx.db(), r.user, r.idempotencyKey)) {
                    const bool same = match->requestHash == r.requestHash;
                    results[i] = { same ? AcceptResult::Status::Duplicate
                                        : AcceptResult::Status::KeyReused,
                        match->commandId, {} };
                    continue;
                }
            }
            Command c;
            c.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            c.type = r.type;
            c.streamId = r.streamId;
            c.data = r.data;
            c.user = r.user;
            c.acceptedAt = now;
            c.idempotencyKey = r.idempotencyKey;
            c.correlationId = c.id;
            c.expectedVersion = r.expectedVersion;
            CommandStore::insert(tx.db(), c, r.requestHash);
            results[i] = { AcceptResult::Status::Accepted, c.id, {} };
            recorded.append(c);
        }
        tx.commit();
    } catch (const StoreError &e) {
        qCWarning(lcInbox) << "could not record" << batch.size() << "commands:" << e.message();
        for (auto &r : results)
            r = { AcceptResult::Status::Failed, {}, e.message() };
        recorded.clear();
    }
    Fault::point(Fault::AfterInboxCommit);
    // Dispatch before answering: a client that hears 202 and asks at once finds it queued.
    if (!recorded.isEmpty())
        m_recorded(recorded);
    for (size_t i = 0; i < batch.size(); ++i)
        batch[i].done(results[i]);
}

} // namespace waybill
