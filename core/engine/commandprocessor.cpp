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
#include <QSqlQuery>

#include <variant>

namespace waybill {

namespace {

using StreamState = std::variant<ShipmentState, AccountState>;

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

Decision decide(const StreamState &s, const Command &c, const RateTable &rates)
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

void saveState(const QSqlDatabase &db, const StreamState &s)
{
    if (const auto *shipment = std::get_if<ShipmentState>(&s))
        ReadModels::saveShipment(db, *shipment);
    else
        ReadModels::saveAccount(db, std::get<AccountState>(s));
}

QDateTime lastTimestamp(const QSqlDatabase &db, qint64 position)
{
    if (position == 0)
        return {};
    QSqlQuery &q = runPrepared(db, QStringLiteral("SELECT timestamp FROM events WHERE position = ?"), { position });
    return q.next() ? parseIsoUtc(q.value(0).toString()).value_or(QDateTime()) : QDateTime();
}

} // namespace

CommandProcessor::CommandProcessor(Database &database, RateTable rates)
    : m_database(database)
    , m_rates(rates)
{
}

QVector<CommandOutcome> CommandProcessor::process(const QVector<Command> &batch)
{
    WriteTransaction tx(m_database);
    const QSqlDatabase &db = tx.db();
    ChainHead head = EventStore::readHead(db);
    // Timestamps never go backwards along the log, even if two servers' clocks disagree, so
    // that "as of" a time and "up to" a position tell the same story.
    QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime previous = lastTimestamp(db, head.position);
    if (previous.isValid() && previous > now)
        now = previous;

    // Read under the writer lock, for the whole batch at once: which commands are still pending
    // (one that is not was processed already, by a redelivery or by another server, and must not
    // run twice) and the current state of every stream the batch touches.
    QStringList commandIds, shipmentIds, accountIds;
    for (const Command &command : batch) {
        commandIds << command.id;
        const QString id = entityIdOfStream(command.streamId);
        (streamKind(command.streamId) == StreamKind::Account ? accountIds : shipmentIds) << id;
    }
    const QSet<QString> processed = CommandStore::notPending(db, commandIds);
    QHash<QString, StreamState> states; // this batch's view of each stream it touches
    {
        const auto shipments = ReadModels::loadShipments(db, shipmentIds);
        const auto accounts = ReadModels::loadAccounts(db, accountIds);
        for (auto it = shipments.begin(); it != shipments.end(); ++it)
            states.insert(shipmentStreamId(it.key()), it.value());
        for (auto it = accounts.begin(); it != accounts.end(); ++it)
            states.insert(accountStreamId(it.key()), it.value());
    }
    QVector<CommandOutcome> outcomes;
    outcomes.reserve(batch.size());
    QSet<QString> seen;
    for (const Command &command : batch) {
        if (processed.contains(command.id) || seen.contains(command.id))
            continue;
        seen.insert(command.id);
        auto it = states.find(command.streamId);
        if (it == states.end()) {
            it = states.insert(command.streamId, streamKind(command.streamId) == StreamKind::Account
                                                     ? StreamState(AccountState {})
                                                     : StreamState(ShipmentState {}));
        }
        const Decision decision = decide(*it, command, m_rates);
        Fault::point(Fault::AfterReduce);

        CommandOutcome outcome;
        outcome.commandId = command.id;
        outcome.streamId = command.streamId;
        outcome.type = command.type;
        if (decision.isRejected()) {
            outcome.status = CommandStatus::Rejected;
            outcome.message = decision.rejection;
            CommandStore::markRejected(db, command.id, decision.rejection, now);
            outcomes.append(outcome);
            continue;
        }
        StreamState state = *it;
        int version = versionOf(state);
        const EventMeta meta { command.id, command.user,
                               command.correlationId.isEmpty() ? command.id : command.correlationId, now };
        for (const NewEvent &event : decision.events) {
            RecordedEvent recorded = EventStore::append(db, head, command.streamId, ++version, event, meta);
            state = applyEvent(state, recorded);
            ReadModels::noteEvent(db, recorded);
            outcome.events.append(std::move(recorded));
        }
        Fault::point(Fault::AfterAppend);
        saveState(db, state);
        *it = state;
        Fault::point(Fault::AfterState);
        outcome.status = CommandStatus::Succeeded;
        CommandStore::markSucceeded(db, command.id, outcome.events.first().position,
                                    outcome.events.last().position, now);
        Fault::point(Fault::AfterOutcome);
        outcomes.append(std::move(outcome));
    }
    tx.commit();
    Fault::point(Fault::AfterCommit);
    return outcomes;
}

QString CommandProcessor::precheck(const Command &command)
{
    const QSqlDatabase db = m_database.connection();
    return decide(loadState(db, command.streamId), command, m_rates).rejection;
}

} // namespace waybill
