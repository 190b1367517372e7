#include "reportreader.h"

#include "domain/ids.h"
#include "domain/ontimereport.h"
#include "domain/revenuereport.h"
#include "domain/shipmentreducer.h"
#include "domain/timeformat.h"
#include "domain/utilisationreport.h"
#include "eventstore.h"
#include "sql.h"

#include <QHash>

#include <algorithm>

#include <functional>

namespace waybill::ReportReader {

namespace {

constexpr int kPage = 1000;

// Calls each for every event the statement picks, in log order, a page at a time: page(after)
// runs the statement for the events after that position.
void forEachEvent(const std::function<QSqlQuery(qint64 after)> &page,
    const std::function<void(const RecordedEvent &)> &each)
{
    for (qint64 after = 0;;) {
        QSqlQuery q = page(after);
        int rows = 0;
        while (q.next()) {
            const RecordedEvent e = EventStore::fromRow(q);
            ++rows;
            after = e.position;
            each(e);
        }
        if (rows < kPage)
            break;
    }
}

QString eventsWhere(const QString &condition)
{
    return QStringLiteral("SELECT ") + EventStore::selectColumns()
        + QStringLiteral(" FROM events WHERE position > ? AND ") + condition
        + QStringLiteral(" ORDER BY position LIMIT ?");
}

// The events of these types that the period counts: in [from, to) and not after asOf.
void forEachCounted(const QSqlDatabase &db, const ReportPeriod &period, const QString &types,
    const std::function<void(const RecordedEvent &)> &each)
{
    const QString sql = eventsWhere(
        QStringLiteral("timestamp >= ? AND timestamp < ? AND timestamp <= ? AND type IN ") + types);
    const QString from = toIsoUtc(period.from);
    const QString to = toIsoUtc(period.to);
    const QString asOf = toIsoUtc(period.asOf);
    forEachEvent(
        [&](qint64 after) {
            return runQuery(db, sql, { after, from, to, asOf, kPage });
        },
        each);
}

} // namespace

QJsonObject revenue(Database &database, const ReportPeriod &period)
{
    ReadTransaction tx(database);
    RevenueReport report(period);
    forEachCounted(tx.db(), period, QStringLiteral("('invoiced', 'credited')"),
        [&report](const RecordedEvent &e) { report.apply(e); });
    return report.toJson();
}

QJsonObject onTime(Database &database, const ReportPeriod &period)
{
    ReadTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    QStringList streams;
    forEachCounted(db, period, QStringLiteral("('delivered')"), [&streams](const RecordedEvent &e) {
        if (streamKind(e.streamId) == StreamKind::Shipment)
            streams.append(e.streamId);
    });
    // Each delivered shipment folded from its own events up to asOf: the window it had when
    // delivered. The rows of a chunk of streams come in any order; each stream is folded in
    // version order.
    OnTimeReport report(period);
    QHash<QString, EventList> events;
    forEachInChunks(db,
        QStringLiteral("SELECT ") + EventStore::selectColumns()
            + QStringLiteral(" FROM events WHERE stream_id"),
        streams, [&](QSqlQuery &q) {
            RecordedEvent e = EventStore::fromRow(q);
            if (e.timestamp <= period.asOf)
                events[e.streamId].append(std::move(e));
        });
    for (const QString &stream : std::as_const(streams)) {
        EventList history = events.value(stream);
        std::sort(history.begin(), history.end(),
            [](const RecordedEvent &a, const RecordedEvent &b) { return a.version < b.version; });
        ShipmentState state;
        for (const RecordedEvent &e : std::as_const(history))
            state = applyShipment(std::move(state), e);
        report.add(state);
    }
    return report.toJson();
}

QJsonObject utilisation(Database &database, const ReportPeriod &period)
{
    ReadTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    UtilisationReport report(period);
    const QString sql = eventsWhere(QStringLiteral(
        "timestamp <= ? AND type IN ('assigned', 'delivered', 'cancelled', 'registered')"));
    const QString until = toIsoUtc(period.knownUntil());
    forEachEvent(
        [&](qint64 after) {
            return runQuery(db, sql, { after, until, kPage });
        },
        [&report](const RecordedEvent &e) { report.apply(e); });
    return report.toJson();
}

} // namespace waybill::ReportReader
