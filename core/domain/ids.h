// Ids of shipments, accounts and trucks, and the streams that hold their events.
#pragma once

#include <QDateTime>
#include <QString>

namespace waybill {

// 1 to 64 letters, digits, '-', '_' or '.', so that every id can be addressed by a route.
bool isValidId(const QString &id);
// A command id: a UUID, or one of the engine's own (an invoice's "invoice-for-shipment-…"):
// 1 to 128 letters, digits, '-', '_', '.' or ':'.
bool isValidCommandId(const QString &id);

// A new command id, made when the command is accepted at `acceptedAt`: a version 7 UUID
// (RFC 9562), its first 48 bits the time in milliseconds since 1970 and the rest random, so
// that ids made later sort later as text. The indexes on command ids then grow at their end,
// where random ids (version 4) put each command on a page of its own in every index.
QString newCommandId(const QDateTime &acceptedAt);

QString shipmentStreamId(const QString &shipmentId);
QString accountStreamId(const QString &accountId);
QString truckStreamId(const QString &truckId);

enum class StreamKind { Shipment, Account, Truck, Unknown };
StreamKind streamKind(const QString &streamId);
// "shipment-42" -> "42"
QString entityIdOfStream(const QString &streamId);

} // namespace waybill
