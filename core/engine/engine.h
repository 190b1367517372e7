// The engine: the command inbox, the keyed dispatcher with its command processor, and the
// delivery invoicer, wired together over one database.
#pragma once

#include "commandinbox.h"
#include "commandprocessor.h"
#include "domain/pricing.h"
#include "store/commandstore.h"
#include "store/database.h"
#include "store/loopthread.h"

#include <QObject>
#include <QThreadPool>

#include <memory>

namespace waybill {

class DeliveryInvoicer;
class KeyedDispatcher;

struct EngineOptions
{
    RateTable rates;
    // The compatibility switches (api.md, "Records"): off, accounts and trucks never opened or
    // registered may be billed and assigned as the reference implementation allowed.
    bool requireRegisteredAccounts = false;
    bool requireRegisteredTrucks = false;
    int lanes = 64; // independent queues; a stream always uses the same one
    // Threads that process lanes (each keeps its own connection). Writers take turns at the one
    // writer lock, so more threads add contention, not throughput: one is the default
    // (docs/choices.md).
    int workerThreads = 1;
    int maxBatch = 256; // commands per transaction, for the inbox and for a lane
    bool invoicer = true; // run the delivery invoicer
    // Each running engine holds a lease in the database, renewed every leaseRenewMs; another
    // engine takes over the pending commands of one whose lease has been expired for a renewal
    // (docs/design.md, "Several servers").
    int leaseMs = 5000;
    int leaseRenewMs = 1000;
};

struct EngineStats
{
    qint64 accepted = 0;
    qint64 succeeded = 0;
    qint64 rejected = 0;
    qint64 queued = 0; // accepted, not yet processed in this process
    qint64 inboxTransactions = 0; // group commits of the inbox
    qint64 processingTransactions = 0; // batches processed by the lanes
    // Batches decided again under the writer lock because what they were planned against moved
    // (CommandProcessor::batchesReadAgain).
    qint64 batchesReadAgain = 0;
    // Batches planned again only to move their time up (CommandProcessor::batchesRestamped).
    qint64 batchesRestamped = 0;
};

class Engine final : public QObject
{
    Q_OBJECT
public:
    Engine(Database &database, EngineOptions options = {}, QObject *parent = nullptr);
    ~Engine() override;
    Q_DISABLE_COPY_MOVE(Engine)

    // Migrates the schema, dispatches the commands left pending by an earlier run, starts the
    // inbox and the invoicer. Throws StoreError.
    void start();
    // Stops taking commands, records and processes what was taken, stops. Idempotent.
    void stop();
    bool isRunning() const { return m_running; }
    // Takes commands: started and not stopping.
    bool isAccepting() const { return m_running && !m_stopping; }

    // Thread-safe. done runs on the inbox thread once the command is durable, or refused.
    void accept(AcceptRequest request, CommandInbox::Done done);
    // The reducer's answer against the current state, recording nothing (the 412 and 409
    // pre-checks); with a token's public id, also that token's rows, read in the same round trip
    // (CommandProcessor::precheck).
    PrecheckAnswer precheck(const Command &command, const QString &tokenSalt = {},
        QVector<TokenTable::TokenRow> *tokens = nullptr);

    // Blocks until nothing accepted is left unprocessed in this process (tests, benchmarks).
    void waitIdle();
    // Blocks until nothing is pending in the database and the invoicer has read the whole log
    // (then every delivery so far is invoiced); false if that takes longer than timeoutMs.
    bool waitSettled(int timeoutMs);
    EngineStats stats() const;

    Database &database() { return m_database; }
    // This engine's name in the database: the commands it takes carry it, and its lease.
    const QString &serverId() const { return m_serverId; }
    // The rejection message of a command set aside because the database refuses it.
    static QString setAsideMessage();
    const EngineOptions &options() const { return m_options; }

Q_SIGNALS:
    // Emitted from worker threads once a command's transaction committed.
    void commandFinished(const waybill::CommandOutcome &outcome);

private:
    void processBatch(const QVector<Command> &batch);
    // Processes commands until each has an outcome (or the engine stops): failures of the
    // database itself are waited out; a failure that repeats is narrowed down to its command.
    void processIsolating(const QVector<Command> &commands);
    void setAside(const Command &command, const QString &failure);
    void publish(const QVector<CommandOutcome> &outcomes);
    // Sleeps for the pause, and doubles it up to the maximum.
    static void pauseBeforeRetry(int *pauseMs);
    void recoverPending();
    // Renews this engine's lease and takes over the pending commands of servers without one;
    // the commands taken over, in acceptance order. Throws StoreError.
    QVector<Command> renewLeaseAndAdopt();
    void leasePass();

    Database &m_database;
    EngineOptions m_options;
    const QString m_serverId;
    QDateTime m_startedAt;
    QThreadPool m_pool;
    std::unique_ptr<CommandProcessor> m_processor;
    std::unique_ptr<KeyedDispatcher> m_dispatcher;
    std::unique_ptr<CommandInbox> m_inbox;
    std::unique_ptr<DeliveryInvoicer> m_invoicer;
    std::unique_ptr<LoopThread> m_leaseThread;
    std::atomic<bool> m_running { false };
    std::atomic<bool> m_stopping { false };
    std::atomic<qint64> m_accepted { 0 };
    std::atomic<qint64> m_succeeded { 0 };
    std::atomic<qint64> m_rejected { 0 };
    std::atomic<qint64> m_inFlight { 0 };
    std::atomic<qint64> m_inboxTransactions { 0 };
    std::atomic<qint64> m_processingTransactions { 0 };
};

} // namespace waybill

Q_DECLARE_METATYPE(waybill::CommandOutcome)
