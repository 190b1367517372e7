#include "commandinbox.h"

#include "domain/ids.h"
#include "faultinjection.h"
#include "store/commandstore.h"
#include "store/inboxtransaction.h"
#include "store/sql.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QThread>

namespace waybill {

Command commandFor(const AcceptRequest &request, const QDateTime &acceptedAt, QString id)
{
    Command c;
    c.id = id.isEmpty() ? newCommandId(acceptedAt) : std::move(id);
    c.type = request.type;
    c.streamId = request.streamId;
    c.data = request.data;
    c.user = request.user;
    c.acceptedAt = acceptedAt;
    c.idempotencyKey = request.idempotencyKey;
    c.correlationId = request.correlationId.isEmpty() ? c.id : request.correlationId;
    c.expectedVersion = request.expectedVersion;
    return c;
}

Q_LOGGING_CATEGORY(lcInbox, "waybill.inbox")

namespace {
// How long the inbox waits for the database to say whether a commit that failed was made.
constexpr qint64 kConfirmLimitMs = 15000;
} // namespace

CommandInbox::CommandInbox(Database &database, int maxBatch, QString acceptedBy, Recorded recorded)
    : m_database(database)
    , m_maxBatch(qMax(1, maxBatch))
    , m_acceptedBy(std::move(acceptedBy))
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
    m_stopping = false;
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
    m_stopping = true;
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
    return static_cast<qint64>(m_queue.size()) + m_recording;
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
            m_recording = static_cast<qint64>(batch.size());
        }
        if (batch.empty())
            return;
        writeBatch(batch);
        QMutexLocker lock(&m_mutex);
        m_recording = 0;
    }
}

void CommandInbox::writeBatch(std::vector<Entry> &batch)
{
    std::vector<AcceptResult> results(batch.size());
    QVector<Command> recorded;
    try {
        recorded = record(batch, 0, batch.size(), results);
    } catch (const StoreError &e) {
        qCWarning(lcInbox) << "could not record" << batch.size() << "commands:" << e.message();
        if (e.isTransient() || batch.size() == 1) {
            for (auto &r : results)
                r = { AcceptResult::Status::Failed, {}, failureReason(e) };
        } else {
            // One request may hold what the database refuses: each is recorded on its own, so
            // that it alone is refused.
            for (size_t i = 0; i < batch.size(); ++i) {
                try {
                    recorded += record(batch, i, 1, results);
                } catch (const StoreError &one) {
                    qCWarning(lcInbox) << "could not record a command:" << one.message();
                    results[i] = { AcceptResult::Status::Failed, {}, failureReason(one) };
                }
            }
        }
    }
    Fault::point(Fault::AfterInboxCommit);
    // Dispatch before answering: a client that hears 202 and asks at once finds it queued.
    if (!recorded.isEmpty())
        m_recorded(recorded);
    for (size_t i = 0; i < batch.size(); ++i)
        batch[i].done(results[i]);
}

QVector<Command> CommandInbox::record(
    const std::vector<Entry> &batch, size_t first, size_t count, std::vector<AcceptResult> &results)
{
    QVector<Command> recorded;
    std::vector<AcceptResult> answers(count);
    std::optional<StoreError> commitFailure;
    // Each request's command and its row are made before the lock is taken: they depend on
    // nothing stored, and the writer lock is the one every processing lane waits for.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVector<Command> candidates;
    QStringList candidateHashes;
    candidates.reserve(static_cast<qsizetype>(count));
    for (size_t k = 0; k < count; ++k) {
        const AcceptRequest &r = batch[first + k].request;
        candidates.append(commandFor(r, now));
        candidateHashes.append(r.requestHash);
    }
    const RowBatch candidateRows
        = CommandStore::commandRows(candidates, candidateHashes, m_acceptedBy);
    {
        // Whether a key was taken must be decided under the writer lock, against every server's
        // inbox; commands without a key decide nothing from what others wrote.
        bool keyed = false;
        for (size_t k = 0; k < count; ++k)
            keyed = keyed || !batch[first + k].request.idempotencyKey.isEmpty();
        InboxTransaction tx(m_database, keyed);
        QStringList requestHashes;
        // The keys the batch's requests carry that earlier commands took, in one statement.
        QVector<std::pair<QString, QString>> keys;
        for (size_t k = 0; k < count; ++k) {
            const AcceptRequest &r = batch[first + k].request;
            if (!r.idempotencyKey.isEmpty())
                keys.append({ r.user, r.idempotencyKey });
        }
        const QHash<std::pair<QString, QString>, IdempotentMatch> keysStored
            = CommandStore::findByIdempotencyKeys(tx.db(), keys);
        // Keys taken by earlier requests of this batch: (user, key) -> command id, request hash.
        QHash<std::pair<QString, QString>, IdempotentMatch> keysInBatch;
        for (size_t k = 0; k < count; ++k) {
            const AcceptRequest &r = batch[first + k].request;
            if (!r.idempotencyKey.isEmpty()) {
                std::optional<IdempotentMatch> match;
                const std::pair<QString, QString> userKey { r.user, r.idempotencyKey };
                if (const auto earlier = keysInBatch.constFind(userKey);
                    earlier != keysInBatch.constEnd())
                    match = *earlier;
                else if (const auto stored = keysStored.constFind(userKey);
                         stored != keysStored.constEnd())
                    match = *stored;
                if (match) {
                    const bool same = match->requestHash == r.requestHash;
                    answers[k] = { same ? AcceptResult::Status::Duplicate
                                        : AcceptResult::Status::KeyReused,
                        match->commandId, {} };
                    continue;
                }
            }
            const Command &c = candidates.at(static_cast<qsizetype>(k));
            if (!r.idempotencyKey.isEmpty())
                keysInBatch.insert({ r.user, r.idempotencyKey }, { c.id, r.requestHash });
            answers[k] = { AcceptResult::Status::Accepted, c.id, {} };
            recorded.append(c);
            requestHashes.append(r.requestHash);
        }
        // The whole batch in one statement: one round trip on PostgreSQL. The rows made before
        // the lock serve unless a key was found taken (rare), which leaves fewer commands.
        if (recorded.size() == candidates.size())
            CommandStore::insertRows(tx.db(), recorded, candidateRows);
        else
            CommandStore::insertAll(tx.db(), recorded, requestHashes, m_acceptedBy);
        try {
            tx.commit();
        } catch (const StoreError &e) {
            if (recorded.isEmpty())
                throw;
            commitFailure = e;
        } // the transaction, if still open, is rolled back here: what follows reads from outside
    }
    if (commitFailure) {
        // The COMMIT was sent and failed: the database may have made it durable all the same (a
        // connection lost after the commit, before its answer). Nothing is acknowledged, or
        // refused, before the database says which.
        const std::optional<QSet<QString>> stored = confirmRecorded(recorded);
        if (!stored || stored->isEmpty())
            throw *commitFailure;
        qCWarning(lcInbox) << "a commit failed, but" << stored->size() << "of" << recorded.size()
                           << "commands are recorded:" << commitFailure->message();
        for (size_t k = 0; k < count; ++k) {
            if (answers[k].status == AcceptResult::Status::Accepted
                && !stored->contains(answers[k].commandId))
                answers[k] = { AcceptResult::Status::Failed, {}, failureReason(*commitFailure) };
        }
        QVector<Command> confirmed;
        for (const Command &c : std::as_const(recorded)) {
            if (stored->contains(c.id))
                confirmed.append(c);
        }
        recorded = confirmed;
    }
    for (size_t k = 0; k < count; ++k)
        results[first + k] = answers[k];
    return recorded;
}

std::optional<QSet<QString>> CommandInbox::confirmRecorded(const QVector<Command> &commands)
{
    QStringList ids;
    for (const Command &c : commands)
        ids << c.id;
    QElapsedTimer waited;
    waited.start();
    int pauseMs = 20;
    for (;;) {
        try {
            return CommandStore::existing(m_database.connection(), ids);
        } catch (const StoreError &e) {
            if (m_stopping || waited.elapsed() > kConfirmLimitMs) {
                qCCritical(lcInbox) << "could not learn whether" << ids.size()
                                    << "commands were recorded; they are answered as not recorded"
                                    << "and, if they were, processed at the next start:"
                                    << ids.join(QLatin1Char(' '));
                return std::nullopt;
            }
        }
        QThread::msleep(static_cast<unsigned long>(pauseMs));
        pauseMs = qMin(pauseMs * 2, 1000);
    }
}

QString CommandInbox::failureReason(const StoreError &error)
{
    // Said to the client: plain words, never the database's text (which quotes SQL).
    switch (error.kind()) {
    case StoreError::Kind::Unavailable:
        return QStringLiteral("the database is unavailable");
    case StoreError::Kind::Busy:
        return QStringLiteral("the database is busy: its lock is held elsewhere");
    case StoreError::Kind::UniqueViolation:
    case StoreError::Kind::Other:
        break;
    }
    return QStringLiteral("the database refused to record it");
}

} // namespace waybill
