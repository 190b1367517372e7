#include "ids.h"

namespace waybill {

namespace {
const QString kShipmentPrefix = QStringLiteral("shipment-");
const QString kAccountPrefix = QStringLiteral("account-");
const QString kTruckPrefix = QStringLiteral("truck-");
} // namespace

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
