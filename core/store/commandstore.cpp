#include "commandstore.h"

#include "domain/jsontext.h"
#include "domain/timeformat.h"
#include "eventstore.h"
#include "rowbatch.h"
#include "sql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace waybill {

QString commandStatusName(CommandStatus status)
{
    switch (status) {
    case CommandStatus::Pending:
        return QStringLiteral("pending");
    case CommandStatus::Succeeded:
        return QStringLiteral("succeeded");
    case CommandStatus::Rejected:
        return QStringLiteral("rejected");
    }
    return {};
}

QJsonObject CommandOutcome::toJson() const
{
    QJsonObject json { { QStringLiteral("commandId"), commandId },
        { QStringLiteral("status"), commandStatusName(status) },
        { QStringLiteral("type"), commandTypeName(type) },
        { QStringLiteral("streamId"), streamId } };
    if (status == CommandStatus::Rejected)
        json.insert(QStringLiteral("message"), message);
    if (status == CommandStatus::Succeeded) {
        QJsonArray array;
        for (const RecordedEvent &e : events)
            array.append(e.toJson());
        json.insert(QStringLiteral("events"), array);
    }
    return json;
}

namespace CommandStore {

namespace {

QString compact(const QJsonObject &o)
{
    // Qt's compact JSON, byte for byte (tst_jsontext), without a QJsonDocument.
    return JsonText().value(o).toString();
}

QVariant nullable(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

std::optional<CommandStatus> parseStatus(const QString &s)
{
    if (s == QLatin1String("pending"))
        return CommandStatus::Pending;
    if (s == QLatin1String("succeeded"))
        return CommandStatus::Succeeded;
    if (s == QLatin1String("rejected"))
        return CommandStatus::Rejected;
    return std::nullopt;
}

QVariant nullableVersion(const std::optional<int> &version)
{
    return version ? QVariant(*version) : QVariant(QMetaType::fromType<int>());
}

} // namespace

void insert(const QSqlDatabase &db, Command &c, const QString &requestHash)
{
    QVector<Command> one { c };
    insertAll(db, one, { requestHash });
    c.sequence = one.first().sequence;
}

RowBatch commandRows(
    const QVector<Command> &commands, const QStringList &requestHashes, const QString &acceptedBy)
{
    RowBatch rows { { QStringLiteral("ord"), ColumnType::Integer },
        { QStringLiteral("id"), ColumnType::Text },
        { QStringLiteral("stream_id"), ColumnType::Text },
        { QStringLiteral("type"), ColumnType::Text }, { QStringLiteral("data"), ColumnType::Text },
        { QStringLiteral("user_name"), ColumnType::Text },
        { QStringLiteral("accepted_at"), ColumnType::Text },
        { QStringLiteral("idempotency_key"), ColumnType::Text },
        { QStringLiteral("request_hash"), ColumnType::Text },
        { QStringLiteral("correlation_id"), ColumnType::Text },
        { QStringLiteral("expected_version"), ColumnType::Integer },
        { QStringLiteral("accepted_by"), ColumnType::Text } };
    QDateTime lastTime;
    QString lastTimeText;
    for (qsizetype i = 0; i < commands.size(); ++i) {
        const Command &c = commands.at(i);
        if (i == 0 || c.acceptedAt != lastTime) {
            lastTime = c.acceptedAt;
            lastTimeText = toIsoUtc(c.acceptedAt);
        }
        rows.add({ static_cast<int>(i), c.id, c.streamId, commandTypeName(c.type), compact(c.data),
            c.user, lastTimeText, nullable(c.idempotencyKey), nullable(requestHashes.value(i)),
            c.correlationId, nullableVersion(c.expectedVersion), nullable(acceptedBy) });
    }
    return rows;
}

void insertAll(const QSqlDatabase &db, QVector<Command> &commands, const QStringList &requestHashes,
    const QString &acceptedBy, IfExists ifExists)
{
    insertRows(db, commands, commandRows(commands, requestHashes, acceptedBy), ifExists);
}

void insertRows(
    const QSqlDatabase &db, QVector<Command> &commands, const RowBatch &rows, IfExists ifExists)
{
    Q_ASSERT(rows.size() == commands.size());
    QHash<QString, qsizetype> indexOf;
    indexOf.reserve(commands.size());
    for (qsizetype i = 0; i < commands.size(); ++i)
        indexOf.insert(commands.at(i).id, i);
    // In the given order, so that sequences follow acceptance.
    runForRowsReturning(db,
        QStringLiteral("INSERT INTO commands (id, stream_id, type, data, user_name, accepted_at, "
                       "idempotency_key, request_hash, correlation_id, expected_version, "
                       "accepted_by, status) "
                       "SELECT id, stream_id, type, data, user_name, accepted_at, idempotency_key, "
                       "request_hash, correlation_id, expected_version, accepted_by, 'pending' "
                       "FROM %ROWS% WHERE true ORDER BY ord ")
            + (ifExists == IfExists::Skip ? QStringLiteral("ON CONFLICT (id) DO NOTHING ")
                                          : QString())
            + QStringLiteral("RETURNING id, seq"),
        rows, [&](const ResultRow &r) {
            const auto it = indexOf.constFind(r.text(0));
            if (it != indexOf.constEnd())
                commands[*it].sequence = r.integer(1);
        });
}

std::optional<IdempotentMatch> findByIdempotencyKey(
    const QSqlDatabase &db, const QString &user, const QString &key)
{
    QSqlQuery &q = runPrepared(db,
        QStringLiteral("SELECT id, request_hash FROM commands "
                       "WHERE user_name = ? AND idempotency_key = ?"),
        { user, key });
    if (!q.next())
        return std::nullopt;
    IdempotentMatch match { q.value(0).toString(), q.value(1).toString() };
    // A cached statement left on a row keeps SQLite's read snapshot open: later reads on this
    // thread would see the past.
    q.finish();
    return match;
}

QHash<std::pair<QString, QString>, IdempotentMatch> findByIdempotencyKeys(
    const QSqlDatabase &db, const QVector<std::pair<QString, QString>> &userKeys)
{
    RowBatch rows { { QStringLiteral("user_name"), ColumnType::Text },
        { QStringLiteral("idempotency_key"), ColumnType::Text } };
    for (const auto &[user, key] : userKeys)
        rows.add({ user, key });
    QHash<std::pair<QString, QString>, IdempotentMatch> matches;
    runForRowsReturning(db,
        QStringLiteral("SELECT commands.user_name, commands.idempotency_key, commands.id, "
                       "commands.request_hash FROM %ROWS% JOIN commands "
                       "ON commands.user_name = batch.user_name "
                       "AND commands.idempotency_key = batch.idempotency_key "
                       "WHERE commands.idempotency_key IS NOT NULL"),
        rows, [&](const ResultRow &r) {
            matches.insert({ r.text(0), r.text(1) }, { r.text(2), r.text(3) });
        });
    return matches;
}

std::optional<CommandStatus> status(const QSqlDatabase &db, const QString &commandId)
{
    QSqlQuery &q = runPrepared(
        db, QStringLiteral("SELECT status FROM commands WHERE id = ?"), { commandId });
    if (!q.next())
        return std::nullopt;
    const QString text = q.value(0).toString();
    q.finish();
    return parseStatus(text);
}

QSet<QString> existing(const QSqlDatabase &db, const QStringList &commandIds)
{
    QSet<QString> found;
    forEachInChunks(db, QStringLiteral("SELECT id FROM commands WHERE id"), commandIds,
        [&](QSqlQuery &q) { found.insert(q.value(0).toString()); });
    return found;
}

QSet<QString> notPending(const QSqlDatabase &db, const QStringList &commandIds)
{
    QSet<QString> done;
    forEachInChunks(db, QStringLiteral("SELECT id FROM commands WHERE status <> 'pending' AND id"),
        commandIds, [&](QSqlQuery &q) { done.insert(q.value(0).toString()); });
    return done;
}

void markRejected(
    const QSqlDatabase &db, const QString &commandId, const QString &message, const QDateTime &at)
{
    runPrepared(db,
        QStringLiteral("UPDATE commands SET status = 'rejected', message = ?, processed_at = ? "
                       "WHERE id = ?"),
        { message, toIsoUtc(at), commandId });
}

qint64 recordOutcomes(
    const QSqlDatabase &db, const QVector<CommandOutcome> &outcomes, const QDateTime &at)
{
    RowBatch rows { { QStringLiteral("id"), ColumnType::Text },
        { QStringLiteral("status"), ColumnType::Text },
        { QStringLiteral("message"), ColumnType::Text },
        { QStringLiteral("first_position"), ColumnType::BigInt },
        { QStringLiteral("last_position"), ColumnType::BigInt },
        { QStringLiteral("processed_at"), ColumnType::Text } };
    const QString when = toIsoUtc(at);
    const QVariant noText(QMetaType::fromType<QString>());
    const QVariant noPosition(QMetaType::fromType<qint64>());
    for (const CommandOutcome &o : outcomes) {
        if (o.status == CommandStatus::Succeeded) {
            rows.add({ o.commandId, commandStatusName(o.status), noText,
                o.events.isEmpty() ? noPosition : QVariant(o.events.first().position),
                o.events.isEmpty() ? noPosition : QVariant(o.events.last().position), when });
        } else if (o.status == CommandStatus::Rejected) {
            rows.add({ o.commandId, commandStatusName(o.status), o.message, noPosition, noPosition,
                when });
        }
    }
    const qint64 taken = runForRows(db,
        QStringLiteral("UPDATE commands SET status = batch.status, message = batch.message, "
                       "first_position = batch.first_position, "
                       "last_position = batch.last_position, "
                       "processed_at = batch.processed_at "
                       "FROM %ROWS% WHERE commands.id = batch.id "
                       "AND commands.status = 'pending'"),
        rows);
    return rows.size() - taken;
}

QString selectColumns()
{
    return QStringLiteral("seq, id, stream_id, type, data, user_name, accepted_at, "
                          "idempotency_key, correlation_id, expected_version");
}

Command fromRow(const QSqlQuery &q)
{
    Command c;
    c.sequence = q.value(0).toLongLong();
    c.id = q.value(1).toString();
    c.streamId = q.value(2).toString();
    commandTypeFromName(q.value(3).toString(), &c.type);
    c.data = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object();
    c.user = q.value(5).toString();
    c.acceptedAt = parseIsoUtc(q.value(6).toString()).value_or(QDateTime());
    c.idempotencyKey = q.value(7).toString();
    c.correlationId = q.value(8).toString();
    if (!q.value(9).isNull())
        c.expectedVersion = q.value(9).toInt();
    return c;
}

QVector<Command> pending(const QSqlDatabase &db, qint64 afterSequence, int limit)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT ") + selectColumns()
            + QStringLiteral(" FROM commands WHERE status = 'pending' AND seq > ? ORDER BY seq "
                             "LIMIT ?"),
        { afterSequence, limit });
    QVector<Command> result;
    while (q.next())
        result.append(fromRow(q));
    return result;
}

qint64 pendingCount(const QSqlDatabase &db)
{
    QSqlQuery q
        = runQuery(db, QStringLiteral("SELECT COUNT(*) FROM commands WHERE status = 'pending'"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

std::optional<CommandOutcome> outcome(const QSqlDatabase &db, const QString &commandId)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT stream_id, type, status, message FROM commands WHERE id = ?"),
        { commandId });
    if (!q.next())
        return std::nullopt;
    CommandOutcome o;
    o.commandId = commandId;
    o.streamId = q.value(0).toString();
    commandTypeFromName(q.value(1).toString(), &o.type);
    o.status = parseStatus(q.value(2).toString()).value_or(CommandStatus::Pending);
    o.message = q.value(3).toString();
    if (o.status == CommandStatus::Succeeded) {
        QSqlQuery e = runQuery(db,
            QStringLiteral("SELECT ") + EventStore::selectColumns()
                + QStringLiteral(" FROM events WHERE command_id = ? ORDER BY position"),
            { commandId });
        while (e.next())
            o.events.append(EventStore::fromRow(e));
    }
    return o;
}

} // namespace CommandStore

} // namespace waybill
