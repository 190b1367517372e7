#include "commandprocessor.h"

#include "domain/accountreducer.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "domain/timeformat.h"
#include "faultinjection.h"
#include "store/eventstore.h"
#include "store/readmodels.h"
#include "store/sql.h"

#include <QHash>

#include <variant>

namespace waybill {

namespace {

using StreamState = std::variant<ShipmentState, AccountState>;

StreamState emptyState(const QString &streamId)
{
    return streamKind(streamId) == StreamKind::Account ? StreamState(AccountState {})
                                                       : StreamState(ShipmentState {});
}

StreamState loadState(const QSqlDatabase &db, const QString &streamId)
{
    const QString id = entityIdOfStream(streamId);
    if (streamKind(streamId) == StreamKind::Account)
        return ReadModels::loadAccount(db, id).value_or(AccountState {});
    return ReadModels::loadShipment(db, id).value_or(ShipmentState {});
}

int versionOf(const StreamState &s)
{
    return std::visit([](const auto &state) { return state.version; }, s);
}

Decision decideCommand(const StreamState &s, const Command &c, const RateTable &rates)
{
    if (const auto *shipment = std::get_if<ShipmentState>(&s))
        return decideShipment(*shipment, c, rates);
    return decideAccount(std::get<AccountState>(s), c);
}

StreamState applyEvent(const StreamState &s, const RecordedEvent &e)
{
    if (const auto *shipment = std::get_if<ShipmentState>(&s))
        return applyShipment(*shipment, e);
    return applyAccount(std::get<AccountState>(s), e);
}

QString bodyOf(const StreamState &s)
{
    return std::visit([](const auto &state) { return ReadModels::bodyOf(state); }, s);
}

void saveState(const QSqlDatabase &db, const StreamState &s, const QString &body)
{
    if (const auto *shipment = std::get_if<ShipmentState>(&s))
        ReadModels::saveShipment(db, *shipment, body);
    else
        ReadModels::saveAccount(db, std::get<AccountState>(s), body);
}

struct Ids
{
    QStringList commands, shipments, accounts;
};

Ids idsOf(const QVector<Command> &batch)
{
    Ids ids;
    for (const Command &command : batch) {
        ids.commands << command.id;
        const QString id = entityIdOfStream(command.streamId);
        (streamKind(command.streamId) == StreamKind::Account ? ids.accounts : ids.shipments) << id;
    }
    return ids;
}

// What the batch will write, worked out from the states it was read against: every event with
// its data already serialized, the final state of every stream with its body, each outcome.
struct Plan
{
    QDateTime now;
    QSet<QString> processed; // commands found not pending: skipped
    QHash<QString, int> versionsBefore; // stream -> version the plan was made against
    QVector<CommandOutcome> outcomes; // events without position and hash yet
    QVector<QVector<QString>> dataTexts; // per outcome, per event
    QHash<QString, StreamState> finalStates;
    QHash<QString, QString> finalBodies; // streams whose state changed -> its row's body
    QStringList streamOrder; // streams in the order first touched
};

Plan makePlan(const QVector<Command> &batch, const QDateTime &now, QSet<QString> processed,
    QHash<QString, StreamState> states, const RateTable &rates)
{
    Plan plan;
    plan.now = now;
    plan.processed = std::move(processed);
    QSet<QString> seen;
    for (const Command &command : batch) {
        // A command that is not pending was processed already (a redelivery, or another
        // server got to it first) and must not run twice; nor may a repeat within the batch.
        if (plan.processed.contains(command.id) || seen.contains(command.id))
            continue;
        seen.insert(command.id);
        auto it = states.find(command.streamId);
        if (it == states.end())
            it = states.insert(command.streamId, emptyState(command.streamId));
        if (!plan.versionsBefore.contains(command.streamId)) {
            plan.versionsBefore.insert(command.streamId, versionOf(*it));
            plan.streamOrder << command.streamId;
        }
        const Decision decision = decideCommand(*it, command, rates);
        Fault::point(Fault::AfterReduce);

        CommandOutcome outcome;
        outcome.commandId = command.id;
        outcome.streamId = command.streamId;
        outcome.type = command.type;
        QVector<QString> texts;
        if (decision.isRejected()) {
            outcome.status = CommandStatus::Rejected;
            outcome.message = decision.rejection;
        } else {
            outcome.status = CommandStatus::Succeeded;
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
                e.data = event.data;
                *it = applyEvent(*it, e);
                texts.append(EventStore::dataTextOf(event));
                outcome.events.append(std::move(e));
            }
        }
        plan.outcomes.append(std::move(outcome));
        plan.dataTexts.append(std::move(texts));
    }
    for (const QString &stream : std::as_const(plan.streamOrder)) {
        const StreamState &state = states[stream];
        plan.finalStates.insert(stream, state);
        if (versionOf(state) != plan.versionsBefore.value(stream))
            plan.finalBodies.insert(stream, bodyOf(state));
    }
    return plan;
}

QHash<QString, StreamState> loadStates(const QSqlDatabase &db, const Ids &ids)
{
    QHash<QString, StreamState> states;
    const auto shipments = ReadModels::loadShipments(db, ids.shipments);
    const auto accounts = ReadModels::loadAccounts(db, ids.accounts);
    for (auto it = shipments.begin(); it != shipments.end(); ++it)
        states.insert(shipmentStreamId(it.key()), it.value());
    for (auto it = accounts.begin(); it != accounts.end(); ++it)
        states.insert(accountStreamId(it.key()), it.value());
    return states;
}

// Under the writer lock: is the plan still true of the database?
bool stillHolds(const QSqlDatabase &db, const Plan &plan, const Ids &ids)
{
    if (CommandStore::notPending(db, ids.commands) != plan.processed)
        return false;
    QHash<QString, int> stored;
    const auto shipments = ReadModels::shipmentVersions(db, ids.shipments);
    const auto accounts = ReadModels::accountVersions(db, ids.accounts);
    for (auto it = shipments.begin(); it != shipments.end(); ++it)
        stored.insert(shipmentStreamId(it.key()), it.value());
    for (auto it = accounts.begin(); it != accounts.end(); ++it)
        stored.insert(accountStreamId(it.key()), it.value());
    for (auto it = plan.versionsBefore.begin(); it != plan.versionsBefore.end(); ++it) {
        if (stored.value(it.key(), 0) != it.value())
            return false;
    }
    return true;
}

} // namespace

CommandProcessor::CommandProcessor(Database &database, RateTable rates)
    : m_database(database)
    , m_rates(rates)
{ }

QVector<CommandOutcome> CommandProcessor::process(const QVector<Command> &batch)
{
    const Ids ids = idsOf(batch);
    // The work of reducing and serializing is done before taking the writer lock, against the
    // states as they are now, so that it overlaps with another batch's writing. Under the lock
    // the plan is checked (still pending, same versions) and redone only if something moved.
    QDateTime now = QDateTime::currentDateTimeUtc();
    Plan plan;
    {
        const QSqlDatabase db = m_database.connection();
        plan = makePlan(
            batch, now, CommandStore::notPending(db, ids.commands), loadStates(db, ids), m_rates);
        finishStatements(db);
    }

    WriteTransaction tx(m_database);
    const QSqlDatabase &db = tx.db();
    ChainHead head = EventStore::readHead(db);
    // Timestamps never go backwards along the log, even if two servers' clocks disagree, so
    // that "as of" a time and "up to" a position tell the same story.
    const QDateTime previous = EventStore::timestampAt(db, head.position);
    const bool clockBehind = previous.isValid() && previous > now;
    if (clockBehind || !stillHolds(db, plan, ids)) {
        if (clockBehind)
            now = previous;
        plan = makePlan(
            batch, now, CommandStore::notPending(db, ids.commands), loadStates(db, ids), m_rates);
    }

    for (int i = 0; i < plan.outcomes.size(); ++i) {
        CommandOutcome &outcome = plan.outcomes[i];
        if (outcome.status == CommandStatus::Rejected) {
            CommandStore::markRejected(db, outcome.commandId, outcome.message, now);
            continue;
        }
        for (int k = 0; k < outcome.events.size(); ++k) {
            RecordedEvent &e = outcome.events[k];
            e = EventStore::append(db, head, e.streamId, e.version, NewEvent { e.type, e.data },
                { e.commandId, e.user, e.correlationId, e.timestamp }, plan.dataTexts[i][k]);
            ReadModels::noteEvent(db, e);
        }
        Fault::point(Fault::AfterAppend);
        CommandStore::markSucceeded(db, outcome.commandId, outcome.events.first().position,
            outcome.events.last().position, now);
        Fault::point(Fault::AfterOutcome);
    }
    for (const QString &stream : std::as_const(plan.streamOrder)) {
        const auto body = plan.finalBodies.constFind(stream);
        if (body != plan.finalBodies.constEnd())
            saveState(db, plan.finalStates[stream], *body);
    }
    Fault::point(Fault::AfterState);
    tx.commit();
    Fault::point(Fault::AfterCommit);
    return plan.outcomes;
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

QString CommandProcessor::precheck(const Command &command)
{
    const QSqlDatabase db = m_database.connection();
    return decideCommand(loadState(db, command.streamId), command, m_rates).rejection;
}

} // namespace waybill
