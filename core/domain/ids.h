// Ids of shipments, accounts and trucks, and the streams that hold their events.
#pragma once

#include <QString>

namespace waybill {

// 1 to 64 letters, digits, '-', '_' or '.', so that every id can be addressed by a route.
bool isValidId(const QString &id);

QString shipmentStreamId(const QString &shipmentId);
QString accountStreamId(const QString &accountId);

enum class StreamKind { Shipment, Account, Unknown };
StreamKind streamKind(const QString &streamId);
// "shipment-42" -> "42"
QString entityIdOfStream(const QString &streamId);

} // namespace waybill
