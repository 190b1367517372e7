#include "utilisationreport.h"

#include "ids.h"
#include "timeformat.h"

#include <QJsonArray>

namespace waybill {

UtilisationReport::UtilisationReport(const ReportPeriod &period)
    : m_period(period)
    , m_until(period.knownUntil())
{ }

void UtilisationReport::apply(const RecordedEvent &event)
{
    if (event.timestamp > m_until)
        return;
    const StreamKind kind = streamKind(event.streamId);
    if (kind == StreamKind::Truck && event.type == EventType::Registered) {
        m_trucks[entityIdOfStream(event.streamId)];
        return;
    }
    if (kind != StreamKind::Shipment)
        return;
    const QString shipmentId = entityIdOfStream(event.streamId);
    if (event.type == EventType::Assigned) {
        const QString truckId = event.data.value(QStringLiteral("truckId")).toString();
        const auto aboard = m_aboard.constFind(shipmentId);
        if (aboard != m_aboard.cend() && aboard->truckId == truckId)
            return;
        unload(shipmentId, event.timestamp);
        load(truckId, shipmentId, event.timestamp);
    } else if (event.type == EventType::Delivered || event.type == EventType::Cancelled) {
        unload(shipmentId, event.timestamp);
    }
}

void UtilisationReport::load(const QString &truckId, const QString &shipmentId, const QDateTime &at)
{
    Truck &truck = m_trucks[truckId];
    if (truck.loadsAboard++ == 0)
        truck.busySince = at;
    m_aboard.insert(shipmentId, { truckId, at });
}

void UtilisationReport::unload(const QString &shipmentId, const QDateTime &at)
{
    const auto aboard = m_aboard.constFind(shipmentId);
    if (aboard == m_aboard.cend())
        return;
    Truck &truck = m_trucks[aboard->truckId];
    if (aboard->since < m_until && at > m_period.from)
        truck.loads.insert(shipmentId);
    if (--truck.loadsAboard == 0)
        truck.busyMs += measured(truck.busySince, at);
    m_aboard.erase(aboard);
}

qint64 UtilisationReport::measured(const QDateTime &begin, const QDateTime &end) const
{
    const QDateTime from = std::max(begin, m_period.from);
    const QDateTime until = std::min(end, m_until);
    return until > from ? from.msecsTo(until) : 0;
}

QJsonObject UtilisationReport::toJson() const
{
    const qint64 periodMs = measured(m_period.from, m_until);
    auto withPercent = [](QJsonObject json, qint64 busyMs, qint64 wholeMs) {
        if (wholeMs > 0)
            json.insert(
                QStringLiteral("utilisationPercent"), percentOf(basisPoints(busyMs, wholeMs)));
        return json;
    };
    QJsonArray trucks;
    qint64 totalBusy = 0;
    for (const auto &[id, truck] : m_trucks) {
        // Loads still aboard at the end count up to it.
        qint64 busyMs = truck.busyMs;
        QSet<QString> loads = truck.loads;
        if (truck.loadsAboard > 0) {
            busyMs += measured(truck.busySince, m_until);
            for (auto it = m_aboard.cbegin(); it != m_aboard.cend(); ++it) {
                if (it->truckId == id && it->since < m_until)
                    loads.insert(it.key());
            }
        }
        totalBusy += busyMs;
        trucks.append(
            withPercent({ { QStringLiteral("truckId"), id }, { QStringLiteral("busyMs"), busyMs },
                            { QStringLiteral("loads"), qint64(loads.size()) } },
                busyMs, periodMs));
    }
    const qint64 truckMs = periodMs * qint64(m_trucks.size());
    QJsonObject json = m_period.toJson();
    json.insert(QStringLiteral("measuredUntil"), toIsoUtc(std::max(m_until, m_period.from)));
    json.insert(QStringLiteral("periodMs"), periodMs);
    json.insert(QStringLiteral("trucks"), trucks);
    json.insert(QStringLiteral("total"),
        withPercent(
            { { QStringLiteral("trucks"), qint64(m_trucks.size()) },
                { QStringLiteral("busyMs"), totalBusy }, { QStringLiteral("truckMs"), truckMs } },
            totalBusy, truckMs));
    return json;
}

} // namespace waybill
