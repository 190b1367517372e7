// On-time delivery for dispatch and finance: of the shipments delivered in each UTC week that
// had a delivery window, how many were delivered by its end (docs/choices.md, "Reports").
#pragma once

#include "reportperiod.h"
#include "shipment.h"

#include <QJsonObject>

#include <map>

namespace waybill {

class OnTimeReport final
{
public:
    explicit OnTimeReport(const ReportPeriod &period);

    // Takes a shipment as it stood once delivered; ignores one not delivered, or delivered at a
    // time the period does not count.
    void add(const ShipmentState &shipment);
    // {"asOf", "from", "to", "weeks": [{"weekStart", figures}], "total": {figures}}; figures are
    // "delivered", "withWindow", "onTime", "late" and, when withWindow is not 0,
    // "onTimePercent" (onTime / withWindow, to the hundredth, rounded half up). Every week of
    // the period is listed.
    QJsonObject toJson() const;

private:
    struct Figures
    {
        qint64 delivered = 0;
        qint64 onTime = 0;
        qint64 late = 0;

        void add(const Figures &other);
        QJsonObject toJson() const;
    };

    ReportPeriod m_period;
    std::map<QDateTime, Figures> m_weeks;
};

} // namespace waybill
