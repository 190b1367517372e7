#include "engine.h"

#include "commandprocessor.h"
#include "deliveryinvoicer.h"
#include "keyeddispatcher.h"
#include "store/eventstore.h"
#include "store/sql.h"

#include <QElapsedTimer>
#include <QSqlQuery>

#include <QLoggingCategory>
#include <QThread>

namespace waybill {

Q_LOGGING_CATEGORY(lcEngine, "waybill.engine")

namespace {
constexpr int kMaxBackoffMs = 2000;
}

Engine::Engine(Database &database, EngineOptions options, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_options(options)
{
    qRegisterMetaType<waybill::CommandOutcome>();
    m_pool.setMaxThreadCount(qMax(1, m_options.workerThreads));
    // Threads, and with them their database connections, live as long as the engine.
    m_pool.setExpiryTimeout(-1);
    m_processor = std::make_unique<CommandProcessor>(m_database,
        Rules { m_options.rates, m_options.requireRegisteredAccounts,
            m_options.requireRegisteredTrucks });
    m_dispatcher
        = std::make_unique<KeyedDispatcher>(&m_pool, m_options.lanes, m_options.workerThreads,
            m_options.maxBatch, [this](const QVector<Command> &b) { processBatch(b); });
    m_inbox = std::make_unique<CommandInbox>(
        m_database, m_options.maxBatch, [this](const QVector<Command> &c) {
            m_inFlight += c.size();
            m_accepted += c.size();
            ++m_inboxTransactions;
            m_dispatcher->dispatch(c);
        });
    if (m_options.invoicer) {
        m_invoicer
            = std::make_unique<DeliveryInvoicer>(m_database, [this](const QVector<Command> &c) {
                  m_inFlight += c.size();
                  m_dispatcher->dispatch(c);
              });
    }
}

Engine::~Engine()
{
    stop();
}

void Engine::start()
{
    if (m_running)
        return;
    m_database.migrate();
    m_stopping = false;
    recoverPending();
    m_inbox->start();
    if (m_invoicer)
        m_invoicer->start();
    m_running = true;
}

void Engine::recoverPending()
{
    const QSqlDatabase db = m_database.connection();
    qint64 after = 0;
    int recovered = 0;
    for (;;) {
        const QVector<Command> page = CommandStore::pending(db, after, 1000);
        if (page.isEmpty())
            break;
        m_inFlight += page.size();
        m_dispatcher->dispatch(page);
        recovered += page.size();
        after = page.last().sequence;
    }
    if (recovered > 0)
        qCInfo(lcEngine) << "dispatching" << recovered << "commands left pending by an earlier run";
}

void Engine::stop()
{
    if (!m_running)
        return;
    m_stopping = true;
    m_inbox->stop(); // records and dispatches what it had taken
    waitIdle();
    if (m_invoicer)
        m_invoicer->stop();
    m_dispatcher->waitIdle();
    m_pool.waitForDone();
    m_running = false;
}

void Engine::accept(AcceptRequest request, CommandInbox::Done done)
{
    m_inbox->submit(std::move(request), std::move(done));
}

PrecheckAnswer Engine::precheck(const Command &command)
{
    return m_processor->precheck(command);
}

void Engine::processBatch(const QVector<Command> &batch)
{
    int backoffMs = 5;
    for (int attempt = 1;; ++attempt) {
        try {
            const QVector<CommandOutcome> outcomes = m_processor->process(batch);
            ++m_processingTransactions;
            bool delivered = false;
            for (const CommandOutcome &o : outcomes) {
                if (o.status == CommandStatus::Succeeded)
                    ++m_succeeded;
                else
                    ++m_rejected;
                for (const RecordedEvent &e : o.events)
                    delivered = delivered || e.type == EventType::Delivered;
                Q_EMIT commandFinished(o);
            }
            if (delivered && m_invoicer)
                m_invoicer->wake();
            break;
        } catch (const StoreError &e) {
            // Nothing of the batch was applied; its commands are still pending in the inbox.
            // Another server may have written the same stream (a version conflict), or the
            // database is briefly unavailable: try again, with growing pauses.
            qCWarning(lcEngine) << "processing" << batch.size()
                                << "commands failed, retrying:" << e.message();
            if (m_stopping && attempt >= 3)
                break; // still pending in the inbox: the next start processes them
            QThread::msleep(backoffMs);
            backoffMs = qMin(backoffMs * 2, kMaxBackoffMs);
        }
    }
    m_inFlight -= batch.size();
}

void Engine::waitIdle()
{
    while (m_inFlight.load() > 0 || (m_inbox && m_inbox->queued() > 0))
        QThread::msleep(1);
    m_dispatcher->waitIdle();
}

bool Engine::waitSettled(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    do {
        waitIdle();
        const QSqlDatabase db = m_database.connection();
        QSqlQuery cp
            = runQuery(db, QStringLiteral("SELECT position FROM checkpoints WHERE name = ?"),
                { DeliveryInvoicer::checkpointName() });
        const qint64 checkpoint = cp.next() ? cp.value(0).toLongLong() : 0;
        cp.finish();
        if (CommandStore::pendingCount(db) == 0 && checkpoint >= EventStore::lastPosition(db))
            return true;
        QThread::msleep(10);
    } while (timer.elapsed() < timeoutMs);
    return false;
}

EngineStats Engine::stats() const
{
    return { m_accepted.load(), m_succeeded.load(), m_rejected.load(), m_inFlight.load(),
        m_inboxTransactions.load(), m_processingTransactions.load() };
}

} // namespace waybill
