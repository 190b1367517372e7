// Writes synthetic event histories straight into the store, far faster than through the engine:
// events with chosen text and times, each recorded by a succeeded command of its own the way the
// engine leaves them (for the audit suites), or a long, realistic history of shipment lifecycles
// through the reducers, with its read models (for the benchmarks that need a million events).
#pragma once

#include "domain/event.h"
#include "store/database.h"

#include <QHash>
#include <QJsonObject>

#include <functional>

namespace waybill::test {

struct EventDraft
{
    QString streamId;
    QString type;
    QJsonObject data;
    QString user;
    QDateTime timestamp;
    QString commandId; // empty: a fresh one
};

// What HistoryWriter::generate() writes.
struct HistoryShape
{
    qint64 shipments = 1000;
    qint64 events = 5000; // padded with payments when the shipments' own events are fewer
    int perTransaction = 5000;
};

class HistoryWriter final
{
public:
    explicit HistoryWriter(Database &database)
        : m_database(database)
    { }
    Q_DISABLE_COPY_MOVE(HistoryWriter)

    // Appends the drafts in one write transaction, in order, each at the next version of its
    // stream. Throws StoreError.
    EventList append(const QVector<EventDraft> &drafts);
    // Appends count events made by draftAt(i), transactionSize per transaction, without keeping
    // them. Throws StoreError.
    void appendMany(
        qint64 count, int transactionSize, const std::function<EventDraft(qint64)> &draftAt);

    // Migrates, then appends shape.shipments lifecycles spread over every status (most of them
    // delivered and invoiced), then payments up to shape.events, with the read models and the
    // invoicer's checkpoint as the engine would leave them; no command rows. Appends to what an
    // earlier generate() wrote (it counts on the read models, which append() does not keep).
    // Returns the number of events written. Throws StoreError.
    qint64 generate(const HistoryShape &shape);

private:
    template<typename Each>
    void write(qint64 count, const std::function<EventDraft(qint64)> &draftAt, Each &&each);
    int nextVersion(const QSqlDatabase &db, const QString &streamId);

    Database &m_database;
    QHash<QString, int> m_versions; // last version of each stream written or seen
    qint64 m_commands = 0;
};

} // namespace waybill::test
