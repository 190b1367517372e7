// The durable command inbox table: what was accepted, and what became of it.
#pragma once

#include "domain/command.h"
#include "domain/event.h"
#include "rowbatch.h"

#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <optional>

namespace waybill {

enum class CommandStatus { Pending, Succeeded, Rejected };
QString commandStatusName(CommandStatus status); // "pending", "succeeded", "rejected"

struct CommandOutcome
{
    QString commandId;
    QString streamId;
    CommandType type = CommandType::Submit;
    CommandStatus status = CommandStatus::Pending;
    QString message; // why it was rejected
    EventList events; // what it recorded

    // {"commandId", "status", "message"?, "events"?}
    QJsonObject toJson() const;
};

struct IdempotentMatch
{
    QString commandId;
    QString requestHash;
};

namespace CommandStore {

// Inserts a pending command and fills in its sequence. Throws UniqueViolation when the id exists.
void insert(const QSqlDatabase &db, Command &command, const QString &requestHash);
// What insertAll does with a command whose id is in the inbox already.
enum class IfExists {
    Fail, // throws UniqueViolation and inserts none
    Skip // inserts the others; the one skipped keeps its sequence
};
// Inserts pending commands in one statement (one round trip on PostgreSQL), in their order,
// and fills in their sequences; requestHashes[i] belongs to commands[i] (empty: none).
// acceptedBy is the server that took them and dispatches them (see ServerLeases). Throws
// UniqueViolation, and inserts none, when an idempotency key exists.
void insertAll(const QSqlDatabase &db, QVector<Command> &commands, const QStringList &requestHashes,
    const QString &acceptedBy = {}, IfExists ifExists = IfExists::Fail);
// insertAll in two steps: the rows, made from the commands alone (so before the writer lock is
// taken), then their insert, of exactly those commands in the same order.
RowBatch commandRows(const QVector<Command> &commands, const QStringList &requestHashes,
    const QString &acceptedBy = {});
void insertRows(const QSqlDatabase &db, QVector<Command> &commands, const RowBatch &rows,
    IfExists ifExists = IfExists::Fail);
std::optional<IdempotentMatch> findByIdempotencyKey(
    const QSqlDatabase &db, const QString &user, const QString &key);
// The commands that took these (user, idempotency key) pairs, in one statement; pairs no
// command took are missing.
QHash<std::pair<QString, QString>, IdempotentMatch> findByIdempotencyKeys(
    const QSqlDatabase &db, const QVector<std::pair<QString, QString>> &userKeys);
// Status as it is now; reading it inside a write transaction makes it final for that transaction.
std::optional<CommandStatus> status(const QSqlDatabase &db, const QString &commandId);
// Of these commands, the ones that are in the inbox (in one query per 64 ids).
QSet<QString> existing(const QSqlDatabase &db, const QStringList &commandIds);
// Of these commands, the ones that are no longer pending (in one query per 64 ids).
QSet<QString> notPending(const QSqlDatabase &db, const QStringList &commandIds);
void markRejected(
    const QSqlDatabase &db, const QString &commandId, const QString &message, const QDateTime &at);
// Records a batch's outcomes in one statement: succeeded ones with the positions of their first
// and last events, rejected ones with their message. Only a command still pending takes its
// outcome: returns how many of the outcomes recorded found their command no longer pending (or
// missing), 0 unless another writer settled one first (the caller then rolls back).
qint64 recordOutcomes(
    const QSqlDatabase &db, const QVector<CommandOutcome> &outcomes, const QDateTime &at);
// The columns a command is read from, and how a row becomes a command.
QString selectColumns();
Command fromRow(const QSqlQuery &query);
// Pending commands in acceptance order, after a sequence number.
QVector<Command> pending(const QSqlDatabase &db, qint64 afterSequence, int limit);
qint64 pendingCount(const QSqlDatabase &db);
std::optional<CommandOutcome> outcome(const QSqlDatabase &db, const QString &commandId);

} // namespace CommandStore

} // namespace waybill
