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

#include <functional>

namespace waybill::ReportReader {

namespace {

constexpr int kPage = 1000;
constexpr int kStreamsPerQuery = 64;

// Calls each for every event that `where` (bound to binds) picks, in log order, a page at a time.
void forEachEvent(const QSqlDatabase &db, const QString &where, const QVariantList &binds,
    const std::function<void(const RecordedEvent &)> &each)
{
    const QString sql = QStringLiteral("SELECT ") + EventStore::selectColumns()
        + QStringLiteral(" FROM events WHERE position > ? AND ") + where
        + QStringLiteral(" ORDER BY position LIMIT ?");
    for (qint64 after = 0;;) {
        QVariantList page { after };
        page << binds << kPage;
        QSqlQuery q = runQuery(db, sql, page);
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

// Events the period counts: [from, to) and not after asOf.
const QString kCounted
    = QStringLiteral("timestamp >= ? AND timestamp < ? AND timestamp <= ? AND type IN ");

QVariantList countedBinds(const ReportPeriod &period)
{
    return { toIsoUtc(period.from), toIsoUtc(period.to), toIsoUtc(period.asOf) };
}

} // namespace

QJsonObject revenue(Database &database, const ReportPeriod &period)
{
    ReadTransaction tx(database);
    RevenueReport report(period);
    forEachEvent(tx.db(), kCounted + QStringLiteral("('invoiced', 'credited')"),
        countedBinds(period), [&report](const RecordedEvent &e) { report.apply(e); });
    return report.toJson();
}

QJsonObject onTime(Database &database, const ReportPeriod &period)
{
    ReadTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    QStringList streams;
    forEachEvent(db, kCounted + QStringLiteral("('delivered')"), countedBinds(period),
        [&streams](const RecordedEvent &e) {
            if (streamKind(e.streamId) == StreamKind::Shipment)
                streams.append(e.streamId);
        });
    // Each delivered shipment folded from its own events: the window it had when delivered.
    OnTimeReport report(period);
    const QString asOf = toIsoUtc(period.asOf);
    for (qsizetype first = 0; first < streams.size(); first += kStreamsPerQuery) {
        const QStringList chunk = streams.mid(first, kStreamsPerQuery);
        QStringList marks;
        QVariantList binds;
        for (const QString &stream : chunk) {
            marks << QStringLiteral("?");
            binds << stream;
        }
        binds << asOf;
        QHash<QString, ShipmentState> states;
        forEachEvent(db,
            QStringLiteral("stream_id IN (") + marks.join(QLatin1Char(','))
                + QStringLiteral(") AND timestamp <= ?"),
            binds, [&states](const RecordedEvent &e) {
                ShipmentState &state = states[e.streamId];
                state = applyShipment(std::move(state), e);
            });
        for (const QString &stream : chunk)
            report.add(states.value(stream));
    }
    return report.toJson();
}

QJsonObject utilisation(Database &database, const ReportPeriod &period)
{
    ReadTransaction tx(database);
    UtilisationReport report(period);
    forEachEvent(tx.db(),
        QStringLiteral("timestamp <= ? AND type IN ('assigned', 'delivered', 'cancelled', "
                       "'registered')"),
        { toIsoUtc(period.knownUntil()) }, [&report](const RecordedEvent &e) { report.apply(e); });
    return report.toJson();
}

} // namespace waybill::ReportReader
