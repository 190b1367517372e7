// Appending to and reading from the global event log.
#pragma once

#include "domain/event.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace waybill {

// The last event of the global log: where the next append goes and what it chains to.
struct ChainHead
{
    qint64 position = 0;
    QString hash;
};

struct EventMeta
{
    QString commandId;
    QString user;
    QString correlationId;
    QDateTime timestamp;
};

struct EventFilter
{
    std::optional<QDateTime> from; // inclusive
    std::optional<QDateTime> to; // exclusive
    QString streamId; // empty: all streams
    QString type; // empty: all types
};

namespace EventStore {

// Must run inside a WriteTransaction: the head cannot move under it. timestamp, if given, gets
// the last event's time (invalid when the log is empty).
ChainHead readHead(const QSqlDatabase &db, QDateTime *timestamp = nullptr);

// Appends one event at head.position + 1 with the given stream version and advances the head.
// A (stream, version) that exists already throws StoreError(UniqueViolation): optimistic
// concurrency between servers that share one database.
RecordedEvent append(const QSqlDatabase &db, ChainHead &head, const QString &streamId, int version,
    const NewEvent &event, const EventMeta &meta);
// The same, with the event's data already serialized as compact JSON (made outside the lock).
RecordedEvent append(const QSqlDatabase &db, ChainHead &head, const QString &streamId, int version,
    const NewEvent &event, const EventMeta &meta, const QString &dataText);
QString dataTextOf(const NewEvent &event);
// Appends the events in one statement (a batch's events: one round trip on PostgreSQL) at the
// positions after the head, in order, each chained to the one before; fills in each event's
// position and hash and advances the head. The events carry everything else (stream, version,
// type, timestamp, command, user, correlation id, data); dataTexts[i] is events[i]'s data as
// stored. A (stream, version) that exists already throws StoreError(UniqueViolation).
void appendAll(const QSqlDatabase &db, ChainHead &head, const QVector<RecordedEvent *> &events,
    const QVector<QString> &dataTexts);

// Events after a position, in position order.
EventList readAfter(
    const QSqlDatabase &db, qint64 afterPosition, int limit, const EventFilter &filter = {});
EventList readStream(const QSqlDatabase &db, const QString &streamId,
    const std::optional<QDateTime> &asOf = std::nullopt);
qint64 lastPosition(const QSqlDatabase &db);
qint64 count(const QSqlDatabase &db);

// A subscriber's checkpoint: the position in the log it has handled everything up to; 0 when
// it never saved one.
qint64 checkpoint(const QSqlDatabase &db, const QString &subscriber);
void saveCheckpoint(const QSqlDatabase &db, const QString &subscriber, qint64 position);

// The columns every reader selects, and how a row becomes an event (also used by audit).
QString selectColumns();
RecordedEvent fromRow(const class QSqlQuery &query, QString *dataText = nullptr);

} // namespace EventStore

} // namespace waybill
