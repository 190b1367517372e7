#include "commandprocessor.h"

#include "domain/accountreducer.h"
#include "domain/expectedversion.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "domain/standing.h"
#include "domain/timeformat.h"
#include "domain/truckreducer.h"
#include "domain/upcasting.h"
#include "faultinjection.h"
#include "store/eventstore.h"
#include "store/readmodels.h"
#include "store/sql.h"

#include <QFuture>
#include <QHash>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <variant>

namespace waybill {

namespace {

using StreamState = std::variant<ShipmentState, AccountState, TruckState>;

StreamState emptyState(const QString &streamId)
{
    switch (streamKind(streamId)) {
    case StreamKind::Account:
        return AccountState {};
    case StreamKind::Truck:
        return TruckState {};
    default:
        return ShipmentState {};
    }
}

int versionOf(const StreamState &s)
{
    return std::visit([](const auto &state) { return state.version; }, s);
}

StreamState applyEvent(const StreamState &s, const RecordedEvent &e)
{
    if (const auto *shipment = std::get_if<ShipmentState>(&s))
        return applyShipment(*shipment, e);
    if (const auto *account = std::get_if<AccountState>(&s))
        return applyAccount(*account, e);
    return applyTruck(std::get<TruckState>(s), e);
}

QString bodyOf(const StreamState &s)
{
    return std::visit([](const auto &state) { return ReadModels::bodyOf(state); }, s);
}

// What a batch is decided against, read at one moment: the states of its streams and of the
// streams its commands must see (a bill-to account, a truck), what the shipments hold of those
// accounts and trucks, and the payments a reverse-payment names.
struct Snapshot
{
    QSet<QString> processed; // commands of the batch that are no longer pending
    QHash<QString, StreamState> states; // by stream id; missing: the stream has no events
    QHash<QString, Cents> committed; // by account id
    QHash<QString, qint64> loads; // by truck id
    QHash<QString, RecordedPayment> payments; // by command id
    // Of the streams, accounts, trucks and payments read (also those found missing).
    QStringList streams, accounts, trucks, paymentCommands;
    // The last invoice number given in the log, read when the batch issues invoices.
    std::optional<qint64> lastInvoiceNumber;
    // The log's last position, read before anything else of a batch's snapshot.
    std::optional<qint64> headPosition;
    // A pre-check's token rows, when it was asked to read them (see CommandProcessor::precheck).
    QVector<TokenTable::TokenRow> tokens;
};

QHash<QString, int> storedVersions(const QSqlDatabase &db, const QStringList &streams)
{
    ReadModels::StateReads ids;
    for (const QString &stream : streams)
        ids.addState(stream);
    QHash<QString, int> versions;
    const auto shipments = ReadModels::shipmentVersions(db, ids.shipments);
    const auto accounts = ReadModels::accountVersions(db, ids.accounts);
    const auto trucks = ReadModels::truckVersions(db, ids.trucks);
    for (auto it = shipments.begin(); it != shipments.end(); ++it)
        versions.insert(shipmentStreamId(it.key()), it.value());
    for (auto it = accounts.begin(); it != accounts.end(); ++it)
        versions.insert(accountStreamId(it.key()), it.value());
    for (auto it = trucks.begin(); it != trucks.end(); ++it)
        versions.insert(truckStreamId(it.key()), it.value());
    return versions;
}

// Keeps the states and sums read, by stream id, account id and truck id.
void takeRows(ReadModels::StateRows &&rows, Snapshot *s)
{
    s->tokens += rows.tokens;
    for (auto it = rows.shipments.begin(); it != rows.shipments.end(); ++it)
        s->states.insert(shipmentStreamId(it.key()), std::move(it.value()));
    for (auto it = rows.accounts.begin(); it != rows.accounts.end(); ++it)
        s->states.insert(accountStreamId(it.key()), std::move(it.value()));
    for (auto it = rows.trucks.begin(); it != rows.trucks.end(); ++it)
        s->states.insert(truckStreamId(it.key()), std::move(it.value()));
    s->committed.insert(rows.committed);
    s->loads.insert(rows.loads);
}

// The other streams a command needs, judged against its stream's stored state, or, without one,
// against none: what the command names itself, always a part of what it needs with the state.
CrossStreamNeeds needsOf(const Command &c, const ShipmentState *state)
{
    switch (streamKind(c.streamId)) {
    case StreamKind::Shipment:
        return shipmentCommandNeeds(state ? *state : ShipmentState {}, c);
    case StreamKind::Account:
        return accountCommandNeeds(c);
    default:
        return {};
    }
}

// What a snapshot reads of the commands and the log. Read: the log's head and which commands of
// the batch are no longer pending. Assumed: the head, and every command taken as pending (the
// outcome's update then says whether one was not). Skipped: neither (a pre-check).
enum class Processed { Read, Assumed, Skipped };

// tokenSalt: also an API token's rows, read with the first pass (a pre-check's).
Snapshot readSnapshot(const QSqlDatabase &db, const QVector<Command> &batch, Processed processed,
    const QString &tokenSalt = {})
{
    Snapshot s;
    QStringList commandIds;
    QSet<QString> streams; // read, or asked for
    QSet<QString> accounts, trucks, payments; // needed
    ReadModels::StateReads reads;
    const auto readStream = [&](const QString &streamId) {
        if (streams.contains(streamId))
            return;
        streams.insert(streamId);
        reads.addState(streamId);
    };
    bool invoices = false;
    const auto need = [&](const CrossStreamNeeds &needs) {
        if (!needs.accountId.isEmpty() && !accounts.contains(needs.accountId)) {
            accounts.insert(needs.accountId);
            readStream(accountStreamId(needs.accountId));
            reads.committedOf << needs.accountId;
        }
        if (!needs.truckId.isEmpty() && !trucks.contains(needs.truckId)) {
            trucks.insert(needs.truckId);
            readStream(truckStreamId(needs.truckId));
            reads.loadsOf << needs.truckId;
        }
        if (!needs.paymentCommandId.isEmpty())
            payments.insert(needs.paymentCommandId);
        invoices = invoices || needs.invoiceNumber;
    };
    for (const Command &c : batch) {
        commandIds << c.id;
        readStream(c.streamId);
    }
    if (processed != Processed::Skipped)
        s.headPosition = EventStore::readHead(db).position;
    if (processed == Processed::Read)
        s.processed = CommandStore::notPending(db, commandIds);

    // Two passes over the read models. The first reads the batch's own streams together with
    // what its commands name themselves (a bill-to account, a truck): a request's pre-check is
    // then one statement on PostgreSQL. The second reads what the stored states add (the account
    // and truck an amended shipment holds), usually nothing. The other streams any command names
    // are read too: the only way a state can come to name another stream while the batch runs.
    for (const Command &c : batch)
        need(needsOf(c, nullptr));
    reads.tokenSalt = tokenSalt;
    takeRows(ReadModels::loadStateRows(db, reads), &s);
    reads = {};
    for (const Command &c : batch) {
        if (streamKind(c.streamId) != StreamKind::Shipment)
            continue;
        const auto stored = s.states.constFind(c.streamId);
        if (stored != s.states.constEnd())
            need(needsOf(c, &std::get<ShipmentState>(*stored)));
    }
    if (!reads.isEmpty())
        takeRows(ReadModels::loadStateRows(db, reads), &s);

    s.streams = QStringList(streams.begin(), streams.end());
    s.accounts = QStringList(accounts.begin(), accounts.end());
    s.trucks = QStringList(trucks.begin(), trucks.end());
    s.paymentCommands = QStringList(payments.begin(), payments.end());
    s.payments = ReadModels::recordedPayments(db, s.paymentCommands);
    if (invoices)
        s.lastInvoiceNumber = ReadModels::lastInvoiceNumber(db);
    return s;
}

// What the batch will write, worked out from the snapshot it was read against: every event with
// its data already serialized, the final state of every stream with its body, each outcome, and
// what the batch changed in the sums the shipments hold of accounts and trucks.
struct Plan
{
    QDateTime now;
    Snapshot read; // what the plan was made against
    QHash<QString, int> versionsBefore; // streams of the batch -> version before it
    QVector<CommandOutcome> outcomes; // events without position and hash yet
    QVector<QString> dataTexts; // of every event, in the outcomes' order, then the events'
    QHash<QString, StreamState> finalStates;
    QHash<QString, QString> finalBodies; // streams whose state changed -> its row's body
    QStringList streamOrder; // streams in the order first touched
    QHash<QString, Cents> committedDelta; // by account id
    QHash<QString, qint64> loadDelta; // by truck id
    qint64 invoicesNumbered = 0; // invoices of the batch so far: each takes the next number
    // The accounts whose committed sum and the trucks whose load a decision of the plan depended
    // on: those with a credit limit or a capacity when it was decided. Without one the sum
    // decides nothing, and what the batch adds to it is written as a difference.
    QSet<QString> committedUsed, loadsUsed;
};

// The decision for one command, with the other streams as they stand at this point of the plan.
class Decider final
{
public:
    Decider(const Rules &rules, Plan &plan, const QHash<QString, StreamState> &states)
        : m_rules(rules)
        , m_plan(plan)
        , m_states(states)
    { }

    Decision decide(const StreamState &state, const Command &c) const
    {
        if (const auto *shipment = std::get_if<ShipmentState>(&state)) {
            const CrossStreamNeeds needs = shipmentCommandNeeds(*shipment, c);
            ShipmentContext context;
            if (!needs.accountId.isEmpty())
                context.account = accountStanding(needs.accountId);
            if (!needs.truckId.isEmpty())
                context.truck = truckStanding(needs.truckId);
            return decideShipment(*shipment, c, m_rules, context);
        }
        if (const auto *account = std::get_if<AccountState>(&state)) {
            const CrossStreamNeeds needs = accountCommandNeeds(c);
            AccountContext context;
            const auto payment = m_plan.read.payments.constFind(needs.paymentCommandId);
            if (payment != m_plan.read.payments.constEnd())
                context.payment = *payment;
            if (needs.invoiceNumber && m_plan.read.lastInvoiceNumber)
                context.invoiceNumber
                    = *m_plan.read.lastInvoiceNumber + m_plan.invoicesNumbered + 1;
            context.now = m_plan.now;
            return decideAccount(*account, c, m_rules, context);
        }
        return decideTruck(std::get<TruckState>(state), c);
    }

private:
    AccountStanding accountStanding(const QString &accountId) const
    {
        const StreamState state = m_states.value(accountStreamId(accountId), AccountState {});
        const Cents committed
            = m_plan.read.committed.value(accountId) + m_plan.committedDelta.value(accountId);
        AccountStanding standing
            = AccountStanding::of(accountId, std::get<AccountState>(state), committed);
        if (standing.creditLimitCents)
            m_plan.committedUsed.insert(accountId);
        return standing;
    }
    TruckStanding truckStanding(const QString &truckId) const
    {
        const StreamState state = m_states.value(truckStreamId(truckId), TruckState {});
        const qint64 load = m_plan.read.loads.value(truckId) + m_plan.loadDelta.value(truckId);
        TruckStanding standing = TruckStanding::of(truckId, std::get<TruckState>(state), load);
        if (standing.capacityPounds)
            m_plan.loadsUsed.insert(truckId);
        return standing;
    }

    const Rules &m_rules;
    Plan &m_plan;
    const QHash<QString, StreamState> &m_states;
};

void noteCommitments(Plan &plan, const StreamState &before, const StreamState &after)
{
    const auto *b = std::get_if<ShipmentState>(&before);
    const auto *a = std::get_if<ShipmentState>(&after);
    if (!b || !a)
        return;
    const ShipmentCommitment was = commitmentOf(*b);
    const ShipmentCommitment now = commitmentOf(*a);
    if (was == now)
        return;
    if (!was.accountId.isEmpty())
        plan.committedDelta[was.accountId] -= was.committedCents;
    if (!now.accountId.isEmpty())
        plan.committedDelta[now.accountId] += now.committedCents;
    if (!was.truckId.isEmpty())
        plan.loadDelta[was.truckId] -= was.loadHundredths;
    if (!now.truckId.isEmpty())
        plan.loadDelta[now.truckId] += now.loadHundredths;
}

// Runs work(i) for every i below n: on the calling thread and, for a large enough n, half of
// them on the helper pool's thread at the same time. The work must touch nothing shared but what
// it reads.
template<typename Work> void onTwoThreads(QThreadPool *helper, qsizetype n, const Work &work)
{
    // Below this, handing half to another thread costs more than it saves.
    constexpr qsizetype kSplitFrom = 32;
    const qsizetype half = (helper && n >= kSplitFrom) ? n / 2 : 0;
    if (half == 0) {
        for (qsizetype i = 0; i < n; ++i)
            work(i);
        return;
    }
    QFuture<void> other = QtConcurrent::run(helper, [&work, half, n] {
        for (qsizetype i = half; i < n; ++i)
            work(i);
    });
    try {
        for (qsizetype i = 0; i < half; ++i)
            work(i);
    } catch (...) {
        // The other half uses this frame's work: it ends before the frame does.
        try {
            other.waitForFinished();
        } catch (...) { // this half's exception is the one on its way out
        }
        throw;
    }
    other.waitForFinished(); // rethrows what the other half threw
}

// helper: a pool whose thread serializes half of a large batch's texts (the events' data and the
// states' bodies) while this thread does the other half; null: all on this thread.
Plan makePlan(const QVector<Command> &batch, const QDateTime &now, Snapshot snapshot,
    const Rules &rules, QThreadPool *helper = nullptr)
{
    Plan plan;
    plan.now = now;
    QHash<QString, StreamState> states = snapshot.states;
    plan.read = std::move(snapshot);
    const Decider decider(rules, plan, states);
    QSet<QString> seen;
    // Every event as decided, in the order of plan.dataTexts: serialized once every decision is
    // made.
    std::vector<NewEvent> decided;
    for (const Command &command : batch) {
        // A command that is not pending was processed already (a redelivery, or another
        // server got to it first) and must not run twice; nor may a repeat within the batch.
        if (plan.read.processed.contains(command.id) || seen.contains(command.id))
            continue;
        seen.insert(command.id);
        auto it = states.find(command.streamId);
        if (it == states.end())
            it = states.insert(command.streamId, emptyState(command.streamId));
        if (!plan.versionsBefore.contains(command.streamId)) {
            plan.versionsBefore.insert(command.streamId, versionOf(*it));
            plan.streamOrder << command.streamId;
        }
        const QString conflict = expectedVersionConflict(command, versionOf(*it));
        const Decision decision
            = conflict.isEmpty() ? decider.decide(*it, command) : Decision::reject(conflict);
        Fault::point(Fault::AfterReduce);

        CommandOutcome outcome;
        outcome.commandId = command.id;
        outcome.streamId = command.streamId;
        outcome.type = command.type;
        if (decision.isRejected()) {
            outcome.status = CommandStatus::Rejected;
            outcome.message = decision.rejection;
        } else {
            outcome.status = CommandStatus::Succeeded;
            const StreamState before = *it;
            int version = versionOf(*it);
            for (const NewEvent &event : decision.events) {
                RecordedEvent e;
                e.streamId = command.streamId;
                e.version = ++version;
                e.type = event.type;
                e.timestamp = now;
                e.commandId = command.id;
                e.user = command.user;
                e.correlationId
                    = command.correlationId.isEmpty() ? command.id : command.correlationId;
                // Stored as decided; read, like every stored event, in today's shape.
                e.data = upcastEventData(event.type, event.data);
                *it = applyEvent(*it, e);
                decided.push_back(event);
                if (event.type == EventType::Invoiced)
                    ++plan.invoicesNumbered;
                outcome.events.append(std::move(e));
            }
            noteCommitments(plan, before, *it);
        }
        plan.outcomes.append(std::move(outcome));
    }
    std::vector<std::pair<QString, const StreamState *>> changed;
    for (const QString &stream : std::as_const(plan.streamOrder)) {
        const StreamState &state = states[stream];
        plan.finalStates.insert(stream, state);
        if (versionOf(state) != plan.versionsBefore.value(stream))
            changed.emplace_back(stream, &state);
    }
    // The texts, each written into its own slot (taken here, so that the threads detach nothing):
    // the events' data, then the states' bodies.
    const qsizetype events = static_cast<qsizetype>(decided.size());
    plan.dataTexts.resize(events);
    QString *const dataTexts = plan.dataTexts.data();
    std::vector<QString> bodies(changed.size());
    onTwoThreads(helper, events + static_cast<qsizetype>(changed.size()), [&](qsizetype i) {
        if (i < events) {
            dataTexts[i] = EventStore::dataTextOf(decided[static_cast<size_t>(i)]);
        } else {
            const size_t k = static_cast<size_t>(i - events);
            bodies[k] = bodyOf(*changed[k].second);
        }
    });
    for (size_t k = 0; k < changed.size(); ++k)
        plan.finalBodies.insert(changed[k].first, std::move(bodies[k]));
    return plan;
}

// Under the writer lock, with the log's head at headPosition: is what the plan was made against
// still true of the database? Where events were appended since, only versions and sums are
// compared: a stream's state cannot change without its version. Whether the commands are still
// pending is not read here: the outcomes' update takes only pending commands and says how many.
bool stillHolds(const QSqlDatabase &db, const Plan &plan, qint64 headPosition)
{
    const Snapshot &read = plan.read;
    // States, sums, payments and invoice numbers change only in the transaction that appends
    // the events they come from: if no event was appended since the snapshot began, every read
    // of it still holds.
    if (read.headPosition && *read.headPosition == headPosition)
        return true;
    const QHash<QString, int> versions = storedVersions(db, read.streams);
    for (const QString &stream : read.streams) {
        const auto state = read.states.constFind(stream);
        const int planned = state == read.states.constEnd() ? 0 : versionOf(*state);
        if (versions.value(stream, 0) != planned)
            return false;
    }
    if (read.lastInvoiceNumber && ReadModels::lastInvoiceNumber(db) != *read.lastInvoiceNumber)
        return false;
    // Only the sums a decision depended on: another lane's batch moves the sums of the accounts
    // and trucks both bill and load, and comparing those the decisions never looked at would make
    // every lane plan twice whenever two run at once.
    const auto sameSums
        = [&db](const QSet<QString> &used, const QHash<QString, qint64> &planned,
              QHash<QString, qint64> (*stored)(const QSqlDatabase &, const QStringList &)) {
              if (used.isEmpty())
                  return true;
              const QHash<QString, qint64> now = stored(db, QStringList(used.begin(), used.end()));
              return std::all_of(used.begin(), used.end(),
                  [&](const QString &id) { return now.value(id) == planned.value(id); });
          };
    if (!sameSums(plan.committedUsed, read.committed, &ReadModels::committedCents)
        || !sameSums(plan.loadsUsed, read.loads, &ReadModels::truckLoads))
        return false;
    return ReadModels::recordedPayments(db, read.paymentCommands).size() == read.payments.size();
}

// The rows of the streams whose state changed, a statement per kind of stream.
void saveStates(const QSqlDatabase &db, const Plan &plan)
{
    QVector<ShipmentState> shipments;
    QVector<AccountState> accounts;
    QVector<TruckState> trucks;
    QStringList shipmentBodies, accountBodies, truckBodies;
    for (const QString &stream : plan.streamOrder) {
        const auto body = plan.finalBodies.constFind(stream);
        if (body == plan.finalBodies.constEnd())
            continue;
        const StreamState &state = plan.finalStates[stream];
        if (const auto *shipment = std::get_if<ShipmentState>(&state)) {
            shipments.append(*shipment);
            shipmentBodies.append(*body);
        } else if (const auto *account = std::get_if<AccountState>(&state)) {
            accounts.append(*account);
            accountBodies.append(*body);
        } else {
            trucks.append(std::get<TruckState>(state));
            truckBodies.append(*body);
        }
    }
    ReadModels::saveShipments(db, shipments, shipmentBodies);
    ReadModels::saveAccounts(db, accounts, accountBodies);
    ReadModels::saveTrucks(db, trucks, truckBodies);
}

} // namespace

CommandProcessor::CommandProcessor(Database &database, Rules rules)
    : m_database(database)
    , m_rules(std::move(rules))
{
    m_helper.setMaxThreadCount(1);
}

QVector<CommandOutcome> CommandProcessor::process(const QVector<Command> &batch)
{
    // The work of reducing and serializing is done before taking the writer lock, against the
    // states as they are now, so that it overlaps with another batch's writing. Under the lock
    // the plan is checked (same versions and sums) and redone only if something moved: rules
    // that cross streams are thus decided on the other streams as they are when the events are
    // written. The commands are planned as pending, as they almost always are (the inbox has just
    // recorded them): the outcomes' update takes only pending ones, and if it finds one that is
    // not (a redelivery, or another server got to it first), the transaction is rolled back and
    // the batch is read and planned again under the lock, its commands' status included.
    QDateTime now = QDateTime::currentDateTimeUtc();
    Plan plan;
    {
        const QSqlDatabase db = m_database.connection();
        plan
            = makePlan(batch, now, readSnapshot(db, batch, Processed::Assumed), m_rules, &m_helper);
        finishStatements(db);
    }

    // readUnderLock: an outcome found its command no longer pending; the next try reads all.
    for (bool readUnderLock = false;;) {
        WriteTransaction tx(m_database);
        const QSqlDatabase &db = tx.db();
        // Timestamps never go backwards along the log, even if two servers' clocks disagree, so
        // that "as of" a time and "up to" a position tell the same story.
        QDateTime previous;
        ChainHead head = EventStore::readHead(db, &previous);
        const bool clockBehind = previous.isValid() && previous > now;
        if (clockBehind)
            now = previous;
        bool statusesRead = false;
        const auto planAgain = [&] {
            ++m_readAgain;
            statusesRead = true;
            plan = makePlan(
                batch, now, readSnapshot(db, batch, Processed::Read), m_rules, &m_helper);
        };
        if (readUnderLock || !stillHolds(db, plan, head.position)) {
            planAgain();
        } else if (clockBehind) {
            // What the plan was decided against still holds; only its time moves up to the log's
            // last (another lane that started later committed first). Should the later time lead
            // a decision to a sum the check did not compare, the batch is read again after all.
            ++m_restamped;
            Plan restamped = makePlan(batch, now, plan.read, m_rules, &m_helper);
            if (plan.committedUsed.contains(restamped.committedUsed)
                && plan.loadsUsed.contains(restamped.loadsUsed))
                plan = std::move(restamped);
            else
                planAgain();
        }

        // Each kind of row in one statement: on PostgreSQL every statement is a round trip.
        QVector<RecordedEvent *> events;
        for (CommandOutcome &outcome : plan.outcomes) {
            for (RecordedEvent &event : outcome.events)
                events.append(&event);
        }
        EventStore::appendAll(db, head, events, plan.dataTexts);
        ReadModels::noteEvents(db, QVector<const RecordedEvent *>(events.begin(), events.end()));
        Fault::point(Fault::AfterAppend);
        if (const qint64 missed = CommandStore::recordOutcomes(db, plan.outcomes, now)) {
            // Under the lock with the statuses read, every planned command is pending, unless
            // something outside Waybill removed or settled one: the batch fails (and is then
            // split, as for any failure of a batch).
            if (statusesRead)
                throw StoreError(QStringLiteral("%1 of %2 outcomes found their command no longer "
                                                "pending under the writer lock")
                                     .arg(missed)
                                     .arg(plan.outcomes.size()));
            tx.rollback();
            readUnderLock = true;
            continue;
        }
        Fault::point(Fault::AfterOutcome);
        saveStates(db, plan);
        ReadModels::addCommitted(db, plan.committedDelta);
        ReadModels::addLoads(db, plan.loadDelta);
        Fault::point(Fault::AfterState);
        tx.commit();
        Fault::point(Fault::AfterCommit);
        return plan.outcomes;
    }
}

std::optional<CommandOutcome> CommandProcessor::reject(
    const Command &command, const QString &message)
{
    WriteTransaction tx(m_database);
    if (CommandStore::status(tx.db(), command.id) != CommandStatus::Pending)
        return std::nullopt;
    CommandStore::markRejected(tx.db(), command.id, message, QDateTime::currentDateTimeUtc());
    tx.commit();
    CommandOutcome outcome;
    outcome.commandId = command.id;
    outcome.streamId = command.streamId;
    outcome.type = command.type;
    outcome.status = CommandStatus::Rejected;
    outcome.message = message;
    return outcome;
}

PrecheckAnswer CommandProcessor::precheck(
    const Command &command, const QString &tokenSalt, QVector<TokenTable::TokenRow> *tokens)
{
    // Lookups by key alone: on PostgreSQL the statement is planned once per connection.
    const QSqlDatabase db = m_database.lookupConnection();
    // A pre-check decides the command as if it were new.
    Snapshot snapshot = readSnapshot(db, { command }, Processed::Skipped, tokenSalt);
    finishStatements(db);
    if (tokens)
        *tokens = std::move(snapshot.tokens);
    const StreamState state = snapshot.states.value(command.streamId, emptyState(command.streamId));
    const QString conflict = expectedVersionConflict(command, versionOf(state));
    if (!conflict.isEmpty())
        return { conflict, versionOf(state) };
    // Only the decision: a pre-check records nothing, so neither the events' texts nor the state
    // they lead to are made (no fault point applies either).
    Plan plan;
    plan.now = QDateTime::currentDateTimeUtc();
    plan.read = std::move(snapshot);
    const Decision decision = Decider(m_rules, plan, plan.read.states).decide(state, command);
    return { decision.rejection, std::nullopt };
}

} // namespace waybill
