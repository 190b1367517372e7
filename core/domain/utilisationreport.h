// Truck utilisation for dispatch: the share of the period during which each truck carried at
// least one load, Assigned or Shipped (docs/choices.md, "Reports").
#pragma once

#include "event.h"
#include "reportperiod.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>

#include <map>

namespace waybill {

class UtilisationReport final
{
public:
    explicit UtilisationReport(const ReportPeriod &period);

    // Takes the events in log order: a shipment's assigned, delivered and cancelled, a truck's
    // registered; ignores any other, and any stamped after the end of what is known.
    void apply(const RecordedEvent &event);
    // {"asOf", "from", "to", "measuredUntil", "periodMs", "trucks": [{"truckId", "busyMs",
    // "loads", "utilisationPercent"}], "total": {"trucks", "busyMs", "truckMs",
    // "utilisationPercent"}}: the period is measured from `from` to `measuredUntil` (to, or
    // asOf when it comes first); "loads" counts the shipments the truck carried at some time of
    // it; the percents (to the hundredth, rounded half up) are absent when nothing was measured.
    // Trucks are every one registered or assigned a load by asOf, by id.
    QJsonObject toJson() const;

private:
    struct Truck
    {
        int loadsAboard = 0;
        QDateTime busySince; // while loadsAboard > 0
        qint64 busyMs = 0;
        QSet<QString> loads; // carried during the measured span
    };
    struct Aboard
    {
        QString truckId;
        QDateTime since;
    };

    void load(const QString &truckId, const QString &shipmentId, const QDateTime &at);
    void unload(const QString &shipmentId, const QDateTime &at);
    // The milliseconds of [begin, end) within the measured span.
    qint64 measured(const QDateTime &begin, const QDateTime &end) const;

    ReportPeriod m_period;
    QDateTime m_until;
    std::map<QString, Truck> m_trucks;
    QHash<QString, Aboard> m_aboard; // shipment id -> the truck carrying it
};

} // namespace waybill
