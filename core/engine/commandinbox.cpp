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
{
}

CommandInbox::~CommandInbox()
{
    stop();
}

void CommandInbox::start()
{
    QMutexLocker lock(&m_mutex);
    if (m_thread)
        return;
    m_stopping = false;
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("waybill-inbox"));
    m_thread->start();
}

void CommandInbox::stop()
{
    {
        QMutexLocker lock(&m_mutex);
        if (!m_thread)
            return;
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
    m_thread.reset();
}

void CommandInbox::submit(AcceptRequest request, Done done)
{
    QMutexLocker lock(&m_mutex);
    if (m_stopping || !m_thread) {
        lock.unlock();
        done({ AcceptResult::Status::Failed, {}, QStringLiteral("the server is shutting down") });
        return;
    }
    m_queue.push_back({ std::move(request), std::move(done) });
    m_wake.wakeOne();
}

qint64 CommandInbox::queued() const
{
    QMutexLocker lock(&m_mutex);
    return static_cast<qint64>(m_queue.size());
}

void CommandInbox::run()
{
    for (;;) {
        std::vector<Entry> batch;
        {
            QMutexLocker lock(&m_mutex);
            while (m_queue.empty() && !m_stopping)
                m_wake.wait(&m_mutex);
            if (m_queue.empty() && m_stopping)
                break;
            // Everything that arrived while the last batch was syncing goes in this one.
            while (!m_queue.empty() && static_cast<int>(batch.size()) < m_maxBatch) {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        writeBatch(batch);
    }
    m_database.closeConnection();
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
                if (auto match = CommandStore::findByIdempotencyKey(tx.db(), r.user, r.idempotencyKey)) {
                    const bool same = match->requestHash == r.requestHash;
                    results[i] = { same ? AcceptResult::Status::Duplicate : AcceptResult::Status::KeyReused,
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
