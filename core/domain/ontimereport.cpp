#include "ontimereport.h"

#include "lateness.h"
#include "timeformat.h"

#include <QJsonArray>

namespace waybill {

OnTimeReport::OnTimeReport(const ReportPeriod &period)
    : m_period(period)
{
    for (const QDateTime &monday : period.weeks())
        m_weeks[monday];
}

void OnTimeReport::add(const ShipmentState &shipment)
{
    if (shipment.status != ShipmentStatus::Delivered || !m_period.counts(shipment.deliveredDate))
        return;
    Figures figures;
    figures.delivered = 1;
    if (const std::optional<bool> onTime = onTimeOf(shipment))
        (*onTime ? figures.onTime : figures.late) = 1;
    m_weeks[weekStartOf(shipment.deliveredDate)].add(figures);
}

void OnTimeReport::Figures::add(const Figures &other)
{
    delivered += other.delivered;
    onTime += other.onTime;
    late += other.late;
}

QJsonObject OnTimeReport::Figures::toJson() const
{
    const qint64 withWindow = onTime + late;
    QJsonObject json { { QStringLiteral("delivered"), delivered },
        { QStringLiteral("withWindow"), withWindow }, { QStringLiteral("onTime"), onTime },
        { QStringLiteral("late"), late } };
    if (withWindow > 0)
        json.insert(QStringLiteral("onTimePercent"), percentOf(basisPoints(onTime, withWindow)));
    return json;
}

QJsonObject OnTimeReport::toJson() const
{
    QJsonArray weeks;
    Figures total;
    for (const auto &[monday, figures] : m_weeks) {
        QJsonObject week = figures.toJson();
        week.insert(QStringLiteral("weekStart"), toIsoUtc(monday));
        weeks.append(week);
        total.add(figures);
    }
    QJsonObject json = m_period.toJson();
    json.insert(QStringLiteral("weeks"), weeks);
    json.insert(QStringLiteral("total"), total.toJson());
    return json;
}

} // namespace waybill
