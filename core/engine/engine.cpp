#include "engine.h"

#include "commandprocessor.h"
#include "deliveryinvoicer.h"
#include "keyeddispatcher.h"
#include "store/eventstore.h"
#include "store/serverleases.h"
#include "store/sql.h"

#include <QElapsedTimer>

#include <QLoggingCategory>
#include <QThread>
#include <QUuid>

namespace waybill {

Q_LOGGING_CATEGORY(lcEngine, "waybill.engine")

namespace {
// A batch that failed for want of the database is tried again after these pauses, doubling:
// short enough that processing resumes within about a second of the database's return.
constexpr int kFirstRetryPauseMs = 5;
constexpr int kMaxRetryPauseMs = 1000;
} // namespace

Engine::Engine(Database &database, EngineOptions options, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_options(options)
    , m_serverId(QUuid::createUuid().toString(QUuid::WithoutBraces))
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
        m_database, m_options.maxBatch, m_serverId, [this](const QVector<Command> &c) {
            m_inFlight += c.size();
            m_accepted += c.size();
            ++m_inboxTransactions;
            m_dispatcher->dispatch(c);
        });
    if (m_options.invoicer) {
        m_invoicer = std::make_unique<DeliveryInvoicer>(
            m_database, m_serverId, [this](const QVector<Command> &c) {
                m_inFlight += c.size();
                m_dispatcher->dispatch(c);
            });
    }
    m_leaseThread = std::make_unique<LoopThread>(
        QStringLiteral("waybill-lease"), LoopThread::AtStop::NoPass, [this] { leasePass(); },
        [this] { m_database.closeConnection(); }, qMax(10, m_options.leaseRenewMs));
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
    m_startedAt = QDateTime::currentDateTimeUtc();
    // The lease first, so that no other server takes over what this one is about to take; the
    // commands of dead servers taken over now are dispatched by the recovery with the rest.
    renewLeaseAndAdopt();
    recoverPending();
    m_inbox->start();
    if (m_invoicer)
        m_invoicer->start();
    m_leaseThread->start();
    m_running = true;
}

QVector<Command> Engine::renewLeaseAndAdopt()
{
    WriteTransaction tx(m_database);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    ServerLeases::renew(tx.db(), { m_serverId, m_startedAt, now.addMSecs(m_options.leaseMs) });
    // A lease counts as expired only a renewal after its end: a server that renews a little late
    // (a busy machine, a slow commit) keeps its commands.
    const QVector<Command> adopted
        = ServerLeases::adoptOrphans(tx.db(), m_serverId, now.addMSecs(-m_options.leaseRenewMs));
    tx.commit();
    return adopted;
}

void Engine::leasePass()
{
    if (m_stopping)
        return;
    try {
        const QVector<Command> adopted = renewLeaseAndAdopt();
        if (adopted.isEmpty())
            return;
        qCInfo(lcEngine) << "taking over" << adopted.size()
                         << "pending commands of servers whose lease expired";
        m_inFlight += adopted.size();
        m_dispatcher->dispatch(adopted);
    } catch (const StoreError &e) {
        qCWarning(lcEngine) << "could not renew this server's lease, will retry:" << e.message();
    }
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
    m_leaseThread->stop();
    // A lease pass that began before m_stopping was set may have adopted commands and handed them
    // over after the waits above: they are processed before the lease ends.
    m_dispatcher->waitIdle();
    m_pool.waitForDone();
    // Gone cleanly: anything still pending (a database that failed to the end) is taken over by
    // a live server at once rather than after the lease.
    try {
        WriteTransaction tx(m_database);
        ServerLeases::drop(tx.db(), m_serverId);
        tx.commit();
    } catch (const StoreError &e) {
        qCWarning(lcEngine) << "could not end this server's lease:" << e.message();
    }
    m_running = false;
}

void Engine::accept(AcceptRequest request, CommandInbox::Done done)
{
    m_inbox->submit(std::move(request), std::move(done));
}

PrecheckAnswer Engine::precheck(
    const Command &command, const QString &tokenSalt, QVector<TokenTable::TokenRow> *tokens)
{
    return m_processor->precheck(command, tokenSalt, tokens);
}

QString Engine::setAsideMessage()
{
    return QStringLiteral("The database refused to store this command, every time it was tried, "
                          "so it was set aside with no effect; the server's log says why.");
}

void Engine::processBatch(const QVector<Command> &batch)
{
    processIsolating(batch);
    m_inFlight -= batch.size();
}

void Engine::processIsolating(const QVector<Command> &commands)
{
    int pauseMs = kFirstRetryPauseMs;
    QString lastFailure;
    for (int attempt = 1;; ++attempt) {
        try {
            publish(m_processor->process(commands));
            return;
        } catch (const StoreError &e) {
            // Nothing of the batch was applied; its commands are still pending in the inbox.
            if (m_stopping && attempt >= 3)
                return; // the next start processes them
            // The database is away or its lock held elsewhere: not the commands' fault, however
            // often it happens. Another server may also have moved a stream (then the next try
            // plans again under the lock and succeeds).
            const bool repeated = !e.isTransient() && e.message() == lastFailure;
            if (repeated && m_database.probe()) {
                if (commands.size() == 1) {
                    setAside(commands.first(), e.message());
                    return;
                }
                // Halves in acceptance order: one stream's commands keep their order, and the
                // commands that are not at fault are processed with the other half.
                const qsizetype half = commands.size() / 2;
                qCWarning(lcEngine)
                    << commands.size() << "commands fail the same way twice; trying them in halves";
                processIsolating(commands.mid(0, half));
                processIsolating(commands.mid(half));
                return;
            }
            qCWarning(lcEngine) << "processing" << commands.size()
                                << "commands failed, retrying:" << e.message();
            lastFailure = e.isTransient() ? QString() : e.message();
            pauseBeforeRetry(&pauseMs);
        }
    }
}

void Engine::setAside(const Command &command, const QString &failure)
{
    qCWarning(lcEngine).noquote() << "command" << command.id << "on" << command.streamId
                                  << "fails the same way on its own; it is set aside as rejected:"
                                  << failure;
    int pauseMs = kFirstRetryPauseMs;
    QString lastFailure;
    for (int attempt = 1;; ++attempt) {
        try {
            if (const auto outcome = m_processor->reject(command, setAsideMessage()))
                publish({ *outcome });
            return;
        } catch (const StoreError &e) {
            if ((m_stopping && attempt >= 3) || (!e.isTransient() && e.message() == lastFailure)) {
                qCCritical(lcEngine).noquote()
                    << "command" << command.id
                    << "could not be set aside; it stays pending:" << e.message();
                return;
            }
            lastFailure = e.isTransient() ? QString() : e.message();
            pauseBeforeRetry(&pauseMs);
        }
    }
}

void Engine::publish(const QVector<CommandOutcome> &outcomes)
{
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
}

void Engine::pauseBeforeRetry(int *pauseMs)
{
    QThread::msleep(static_cast<unsigned long>(*pauseMs));
    *pauseMs = qMin(*pauseMs * 2, kMaxRetryPauseMs);
}

void Engine::waitIdle()
{
    // The inbox first: a command leaves its count only after joining m_inFlight, so read in this
    // order the two never both miss it.
    while ((m_inbox && m_inbox->queued() > 0) || m_inFlight.load() > 0)
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
        const qint64 invoiced = EventStore::checkpoint(db, DeliveryInvoicer::checkpointName());
        if (CommandStore::pendingCount(db) == 0 && invoiced >= EventStore::lastPosition(db))
            return true;
        QThread::msleep(10);
    } while (timer.elapsed() < timeoutMs);
    return false;
}

EngineStats Engine::stats() const
{
    return { m_accepted.load(), m_succeeded.load(), m_rejected.load(), m_inFlight.load(),
        m_inboxTransactions.load(), m_processingTransactions.load(),
        m_processor->batchesReadAgain(), m_processor->batchesRestamped() };
}

} // namespace waybill
