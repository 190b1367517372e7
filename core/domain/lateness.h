// Whether a shipment is late, judged at a given time, and whether a delivered one was on time.
#pragma once

#include "shipment.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace waybill {

enum class Lateness { None, Pickup, Delivery };

// A window's end is part of the window: a shipment is late only once `now` is past it.
// Pickup: not yet shipped (Submitted or Assigned) and its pickup window has ended; it wins when
// the delivery window has ended too. Delivery: not yet delivered (Submitted, Assigned or
// Shipped) and its delivery window has ended. A cancelled shipment is never late.
Lateness latenessAt(const ShipmentState &shipment, const QDateTime &now);
// The same rule for what a shipment's row keeps beside its body: its status and the ends of its
// windows (UTC, ms since the epoch; empty without the window), judged at nowMs.
Lateness latenessAt(ShipmentStatus status, std::optional<qint64> pickupToMs,
    std::optional<qint64> deliveryToMs, qint64 nowMs);
// "pickup", "delivery"; "" for None.
QString latenessName(Lateness lateness);
// Delivered by the end of its delivery window, from the delivered event's own timestamp; empty
// when not delivered or when it had no delivery window. Fixed once delivered: the window can
// no longer change then.
std::optional<bool> onTimeOf(const ShipmentState &shipment);
// The shipment's JSON as an answer gives it at `now`: toJson() and its "late", when late.
QJsonObject shipmentJsonAt(const ShipmentState &shipment, const QDateTime &now);
// The same answer as compact JSON text (UTF-8), made from the body the read model stores (the
// shipment's toJsonText()) without reading it: a list of thousands answers from its rows as they
// are. Byte for byte what QJsonDocument writes of shipmentJsonAt(): the body, with "late" put
// where toJson() sorts it when `late` is not None. The read model stores no other layout; a body
// without the key "late" follows is read and written again.
QByteArray shipmentJsonTextAt(const QString &storedBody, Lateness late);

} // namespace waybill
