// The record of one truck: a fold of its stream truck-{id} (registered, out of service, back).
// What it carries is not part of it: that is derived from the shipments assigned to it.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace waybill {

struct TruckState
{
    QString id;
    bool registered = false;
    QString name;
    std::optional<int> capacityPounds; // absent: no capacity set
    bool inService = true;
    QString outOfServiceReason;
    QDateTime registeredTimestamp;
    QDateTime lastEventTimestamp;
    int version = 0;

    bool exists() const { return version > 0; }
    QJsonObject toJson() const;
    // toJson() as compact JSON text, written directly: the read model's body.
    QString toJsonText() const;
    static TruckState fromJson(const QJsonObject &json);
    bool operator==(const TruckState &other) const { return toJson() == other.toJson(); }
};

} // namespace waybill
