#include "eventstore.h"

#include "domain/jsontext.h"
#include "domain/timeformat.h"
#include "domain/upcasting.h"
#include "eventhash.h"
#include "rowbatch.h"
#include "sql.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace waybill::EventStore {

QString selectColumns()
{
    return QStringLiteral("position, stream_id, version, type, timestamp, command_id, user_name, "
                          "correlation_id, data, hash");
}

RecordedEvent fromRow(const QSqlQuery &q, QString *dataText)
{
    RecordedEvent e;
    e.position = q.value(0).toLongLong();
    e.streamId = q.value(1).toString();
    e.version = q.value(2).toInt();
    e.type = q.value(3).toString();
    e.timestamp = parseIsoUtc(q.value(4).toString()).value_or(QDateTime());
    e.commandId = q.value(5).toString();
    e.user = q.value(6).toString();
    e.correlationId = q.value(7).toString();
    const QString text = q.value(8).toString();
    // Readers get today's shape; the stored text (for the audit) stays as it was written.
    e.data = upcastEventData(e.type, QJsonDocument::fromJson(text.toUtf8()).object());
    e.hash = q.value(9).toString();
    if (dataText)
        *dataText = text;
    return e;
}

ChainHead readHead(const QSqlDatabase &db, QDateTime *timestamp)
{
    QSqlQuery &q = runPrepared(db,
        QStringLiteral("SELECT position, hash, timestamp FROM events ORDER BY position DESC "
                       "LIMIT 1"));
    if (!q.next()) {
        if (timestamp)
            *timestamp = QDateTime();
        return { 0, genesisHash() };
    }
    const ChainHead head { q.value(0).toLongLong(), q.value(1).toString() };
    if (timestamp)
        *timestamp = parseIsoUtc(q.value(2).toString()).value_or(QDateTime());
    q.finish();
    return head;
}

QString dataTextOf(const NewEvent &event)
{
    // Qt's compact JSON of the data, byte for byte (tst_jsontext), without a QJsonDocument.
    return JsonText().value(event.data).toString();
}

RecordedEvent append(const QSqlDatabase &db, ChainHead &head, const QString &streamId, int version,
    const NewEvent &event, const EventMeta &meta)
{
    return append(db, head, streamId, version, event, meta, dataTextOf(event));
}

RecordedEvent append(const QSqlDatabase &db, ChainHead &head, const QString &streamId, int version,
    const NewEvent &event, const EventMeta &meta, const QString &dataText)
{
    RecordedEvent e;
    e.position = head.position + 1;
    e.streamId = streamId;
    e.version = version;
    e.type = event.type;
    e.timestamp = meta.timestamp;
    e.commandId = meta.commandId;
    e.user = meta.user;
    e.correlationId = meta.correlationId;
    e.data = event.data;
    const QString timestamp = toIsoUtc(meta.timestamp);
    e.hash = chainHash(head.hash,
        { e.position, streamId, version, e.type, timestamp, e.commandId, e.user, e.correlationId,
            dataText });
    runPrepared(db,
        QStringLiteral("INSERT INTO events (position, stream_id, version, type, timestamp, "
                       "command_id, user_name, correlation_id, data, hash) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        { e.position, streamId, version, e.type, timestamp, e.commandId, e.user, e.correlationId,
            dataText, e.hash });
    head = { e.position, e.hash };
    return e;
}

void appendAll(const QSqlDatabase &db, ChainHead &head, const QVector<RecordedEvent *> &events,
    const QVector<QString> &dataTexts)
{
    RowBatch rows { { QStringLiteral("position"), ColumnType::BigInt },
        { QStringLiteral("stream_id"), ColumnType::Text },
        { QStringLiteral("version"), ColumnType::Integer },
        { QStringLiteral("type"), ColumnType::Text },
        { QStringLiteral("timestamp"), ColumnType::Text },
        { QStringLiteral("command_id"), ColumnType::Text },
        { QStringLiteral("user_name"), ColumnType::Text },
        { QStringLiteral("correlation_id"), ColumnType::Text },
        { QStringLiteral("data"), ColumnType::Text },
        { QStringLiteral("hash"), ColumnType::Text } };
    ChainHead next = head;
    QDateTime lastTime;
    QString lastTimeText;
    for (qsizetype i = 0; i < events.size(); ++i) {
        RecordedEvent &e = *events.at(i);
        const QString &dataText = dataTexts.at(i);
        if (i == 0 || e.timestamp != lastTime) {
            lastTime = e.timestamp;
            lastTimeText = toIsoUtc(e.timestamp);
        }
        e.position = next.position + 1;
        e.hash = chainHash(next.hash,
            { e.position, e.streamId, e.version, e.type, lastTimeText, e.commandId, e.user,
                e.correlationId, dataText });
        rows.add({ e.position, e.streamId, e.version, e.type, lastTimeText, e.commandId, e.user,
            e.correlationId, dataText, e.hash });
        next = { e.position, e.hash };
    }
    runForRows(db,
        QStringLiteral("INSERT INTO events (position, stream_id, version, type, timestamp, "
                       "command_id, user_name, correlation_id, data, hash) "
                       "SELECT position, stream_id, version, type, timestamp, command_id, "
                       "user_name, correlation_id, data, hash FROM %ROWS% WHERE true"),
        rows);
    head = next;
}

EventList readAfter(
    const QSqlDatabase &db, qint64 afterPosition, int limit, const EventFilter &filter)
{
    QString sql = QStringLiteral("SELECT ") + selectColumns()
        + QStringLiteral(" FROM events WHERE position > ?");
    QVariantList binds { afterPosition };
    if (filter.from) {
        sql += QStringLiteral(" AND timestamp >= ?");
        binds << toIsoUtc(*filter.from);
    }
    if (filter.to) {
        sql += QStringLiteral(" AND timestamp < ?");
        binds << toIsoUtc(*filter.to);
    }
    if (!filter.streamId.isEmpty()) {
        sql += QStringLiteral(" AND stream_id = ?");
        binds << filter.streamId;
    }
    if (!filter.type.isEmpty()) {
        sql += QStringLiteral(" AND type = ?");
        binds << filter.type;
    }
    sql += QStringLiteral(" ORDER BY position LIMIT ?");
    binds << limit;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        throwQueryError(q, QStringLiteral("cannot read events"));
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        throwQueryError(q, QStringLiteral("cannot read events"));
    EventList events;
    while (q.next())
        events.append(fromRow(q));
    return events;
}

EventList readStream(
    const QSqlDatabase &db, const QString &streamId, const std::optional<QDateTime> &asOf)
{
    QSqlQuery q = asOf
        ? runQuery(db,
            QStringLiteral("SELECT ") + selectColumns()
                + QStringLiteral(
                    " FROM events WHERE stream_id = ? AND timestamp <= ? ORDER BY version"),
            { streamId, toIsoUtc(*asOf) })
        : runQuery(db,
            QStringLiteral("SELECT ") + selectColumns()
                + QStringLiteral(" FROM events WHERE stream_id = ? ORDER BY version"),
            { streamId });
    EventList events;
    while (q.next())
        events.append(fromRow(q));
    return events;
}

qint64 lastPosition(const QSqlDatabase &db)
{
    QSqlQuery q = runQuery(db, QStringLiteral("SELECT COALESCE(MAX(position), 0) FROM events"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

qint64 count(const QSqlDatabase &db)
{
    QSqlQuery q = runQuery(db, QStringLiteral("SELECT COUNT(*) FROM events"));
    return q.next() ? q.value(0).toLongLong() : 0;
}

qint64 checkpoint(const QSqlDatabase &db, const QString &subscriber)
{
    QSqlQuery &q = runPrepared(
        db, QStringLiteral("SELECT position FROM checkpoints WHERE name = ?"), { subscriber });
    const qint64 position = q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return position;
}

void saveCheckpoint(const QSqlDatabase &db, const QString &subscriber, qint64 position)
{
    runPrepared(db,
        QStringLiteral("INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) "
                       "DO UPDATE SET position = excluded.position"),
        { subscriber, position });
}

} // namespace waybill::EventStore
