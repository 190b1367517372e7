#include "ids.h"

#include <QUuid>

namespace waybill {

namespace {
const QString kShipmentPrefix = QStringLiteral("shipment-");
const QString kAccountPrefix = QStringLiteral("account-");
const QString kTruckPrefix = QStringLiteral("truck-");
} // namespace

QString newCommandId(const QDateTime &acceptedAt)
{
    QByteArray bytes = QUuid::createUuid().toRfc4122(); // version 4: 122 random bits
    const quint64 ms = quint64(qMax<qint64>(0, acceptedAt.toMSecsSinceEpoch()));
    for (int i = 0; i < 6; ++i)
        bytes[i] = char((ms >> (8 * (5 - i))) & 0xff);
    bytes[6] = char((bytes[6] & 0x0f) | 0x70); // version 7; the variant stays RFC 9562's
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

bool isValidId(const QString &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (const QChar c : id) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
            || u == '-' || u == '_' || u == '.';
        if (!ok)
            return false;
    }
    return true;
}

bool isValidCommandId(const QString &id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    for (const QChar c : id) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
            || u == '-' || u == '_' || u == '.' || u == ':';
        if (!ok)
            return false;
    }
    return true;
}

QString shipmentStreamId(const QString &shipmentId)
{
    return kShipmentPrefix + shipmentId;
}

QString accountStreamId(const QString &accountId)
{
    return kAccountPrefix + accountId;
}

QString truckStreamId(const QString &truckId)
{
    return kTruckPrefix + truckId;
}

StreamKind streamKind(const QString &streamId)
{
    if (streamId.startsWith(kShipmentPrefix))
        return StreamKind::Shipment;
    if (streamId.startsWith(kAccountPrefix))
        return StreamKind::Account;
    if (streamId.startsWith(kTruckPrefix))
        return StreamKind::Truck;
    return StreamKind::Unknown;
}

QString entityIdOfStream(const QString &streamId)
{
    switch (streamKind(streamId)) {
    case StreamKind::Shipment:
        return streamId.mid(kShipmentPrefix.size());
    case StreamKind::Account:
        return streamId.mid(kAccountPrefix.size());
    case StreamKind::Truck:
        return streamId.mid(kTruckPrefix.size());
    case StreamKind::Unknown:
        break;
    }
    return {};
}

} // namespace waybill
