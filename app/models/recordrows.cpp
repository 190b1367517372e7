#include "recordrows.h"

#include "domain/timeformat.h"

#include <QJsonArray>

namespace waybill::app {

std::optional<double> AccountRow::limitUse() const
{
    if (!state.creditLimitCents)
        return std::nullopt;
    if (*state.creditLimitCents <= 0)
        return exposureCents > 0 ? 2.0 : 0.0; // a zero limit is used up by any exposure
    return double(exposureCents) / double(*state.creditLimitCents);
}

bool AccountRow::pastLimit() const
{
    return state.creditLimitCents && exposureCents > *state.creditLimitCents;
}

AccountRow AccountRow::fromJson(const QJsonObject &json)
{
    AccountRow row;
    row.state = AccountState::fromJson(json);
    row.exposureCents = static_cast<Cents>(json.value(QLatin1String("exposureCents")).toDouble());
    return row;
}

std::optional<double> TruckRow::capacityUse() const
{
    if (!state.capacityPounds || *state.capacityPounds <= 0)
        return std::nullopt;
    return loadPounds / double(*state.capacityPounds);
}

TruckRow TruckRow::fromJson(const QJsonObject &json)
{
    TruckRow row;
    row.state = TruckState::fromJson(json);
    const QString status = json.value(QLatin1String("status")).toString();
    row.status = status == QLatin1String("out-of-service") || !row.state.inService
        ? Status::OutOfService
        : status == QLatin1String("occupied") ? Status::Occupied
                                              : Status::Available;
    row.loadPounds = json.value(QLatin1String("loadPounds")).toDouble();
    // The reference answers shipment ids; a richer server may answer shipment objects.
    for (const QJsonValue &value : json.value(QLatin1String("shipments")).toArray())
        row.shipments.append(value.isObject()
                ? value.toObject().value(QLatin1String("id")).toString()
                : value.toString());
    if (row.status == Status::Available && !row.shipments.isEmpty())
        row.status = Status::Occupied;
    return row;
}

RecordedEvent eventFromJson(const QJsonObject &json)
{
    RecordedEvent e;
    e.position = static_cast<qint64>(json.value(QLatin1String("position")).toDouble());
    e.streamId = json.value(QLatin1String("streamId")).toString();
    e.version = json.value(QLatin1String("version")).toInt();
    e.type = json.value(QLatin1String("type")).toString();
    e.timestamp
        = parseIsoUtc(json.value(QLatin1String("timestamp")).toString()).value_or(QDateTime());
    e.commandId = json.value(QLatin1String("commandId")).toString();
    e.user = json.value(QLatin1String("user")).toString();
    e.correlationId = json.value(QLatin1String("correlationId")).toString();
    e.data = json.value(QLatin1String("data")).toObject();
    e.hash = json.value(QLatin1String("hash")).toString();
    return e;
}

} // namespace waybill::app
