#include "lateness.h"

#include <QJsonDocument>

namespace waybill {

Lateness latenessAt(const ShipmentState &s, const QDateTime &now)
{
    const auto end = [](const std::optional<TimeWindow> &w) {
        return w ? std::optional<qint64>(w->to.toMSecsSinceEpoch()) : std::nullopt;
    };
    return latenessAt(
        s.status, end(s.pickupWindow), end(s.deliveryWindow), now.toMSecsSinceEpoch());
}

Lateness latenessAt(ShipmentStatus status, std::optional<qint64> pickupToMs,
    std::optional<qint64> deliveryToMs, qint64 nowMs)
{
    const bool shipped = status != ShipmentStatus::Submitted && status != ShipmentStatus::Assigned;
    if (!shipped && pickupToMs && nowMs > *pickupToMs)
        return Lateness::Pickup;
    const bool open = !shipped || status == ShipmentStatus::Shipped;
    if (open && deliveryToMs && nowMs > *deliveryToMs)
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

QByteArray shipmentJsonTextAt(const QString &storedBody, Lateness late)
{
    QByteArray text = storedBody.toUtf8();
    if (late == Lateness::None)
        return text;
    // toJsonText() writes the keys in order, each once, and "late" sorts right after
    // "lastCommandTimestamp", whose value is a time (no escapes). The key with its quotes cannot
    // occur inside a string value, where every quote is escaped, nor in a nested object (an
    // address, a window), whose keys are others: its first occurrence is the shipment's own key.
    // (UTF-8 puts no ASCII byte inside another character, so the bytes can be searched.)
    static const QByteArray key = QByteArrayLiteral("\"lastCommandTimestamp\":\"");
    const qsizetype at = text.indexOf(key);
    const qsizetype end = at < 0 ? -1 : text.indexOf('"', at + key.size());
    if (end < 0) {
        QJsonObject json = QJsonDocument::fromJson(text).object();
        json.insert(QStringLiteral("late"), latenessName(late));
        return QJsonDocument(json).toJson(QJsonDocument::Compact);
    }
    text.insert(end + 1, QByteArrayLiteral(",\"late\":\"") + latenessName(late).toLatin1() + '"');
    return text;
}

} // namespace waybill
