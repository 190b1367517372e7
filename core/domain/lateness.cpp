#include "lateness.h"

namespace waybill {

Lateness latenessAt(const ShipmentState &s, const QDateTime &now)
{
    const bool shipped
        = s.status != ShipmentStatus::Submitted && s.status != ShipmentStatus::Assigned;
    if (!shipped && s.pickupWindow && now > s.pickupWindow->to)
        return Lateness::Pickup;
    const bool open = !shipped || s.status == ShipmentStatus::Shipped;
    if (open && s.deliveryWindow && now > s.deliveryWindow->to)
        return Lateness::Delivery;
    return Lateness::None;
}

QString latenessName(Lateness lateness)
{
    switch (lateness) {
    case Lateness::Pickup:
        return QStringLiteral("pickup");
    case Lateness::Delivery:
        return QStringLiteral("delivery");
    case Lateness::None:
        break;
    }
    return {};
}

std::optional<bool> onTimeOf(const ShipmentState &s)
{
    if (s.status != ShipmentStatus::Delivered || !s.deliveryWindow || !s.deliveredDate.isValid())
        return std::nullopt;
    return s.deliveredDate <= s.deliveryWindow->to;
}

QJsonObject shipmentJsonAt(const ShipmentState &shipment, const QDateTime &now)
{
    QJsonObject json = shipment.toJson();
    const Lateness late = latenessAt(shipment, now);
    if (late != Lateness::None)
        json.insert(QStringLiteral("late"), latenessName(late));
    return json;
}

} // namespace waybill
