// The state of one shipment: a fold of its events.
#pragma once

#include "address.h"
#include "event.h"
#include "money.h"
#include "pricing.h"
#include "timewindow.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace waybill {

enum class ShipmentStatus { None, Submitted, Assigned, Shipped, Delivered, Cancelled };

QString shipmentStatusName(ShipmentStatus status); // "Submitted", ...; "" for None
bool shipmentStatusFromName(const QString &name, ShipmentStatus *status);

struct ShipmentState
{
    QString id;
    ShipmentStatus status = ShipmentStatus::None;
    Address shipFrom;
    Address shipTo;
    double weightInPounds = 0;
    QString billToAccountId;
    Cents costCents = 0;
    // What the price was made of and by which table; empty for a shipment priced before rate
    // tables were recorded.
    QStringList accessorials;
    QVector<Charge> charges;
    QString rateTableVersion;
    QString assignedToTruck;
    QDateTime createdTimestamp;
    QDateTime lastCommandTimestamp;
    QDateTime shipDate;
    QDateTime deliveredDate;
    QString signedBy;
    QString cancelReason;
    std::optional<TimeWindow> pickupWindow;
    std::optional<TimeWindow> deliveryWindow;
    int version = 0;

    bool exists() const { return status != ShipmentStatus::None; }
    // The shipment of the contract: id, status, addresses, weight, account, cost, times, version.
    QJsonObject toJson() const;
    // toJson() as compact JSON text, written directly: the read model's body, on every command.
    QString toJsonText() const;
    static ShipmentState fromJson(const QJsonObject &json);
    // What the board's search looks in: the id and both addresses, lower case, one field per
    // line (so a match never spans two fields).
    QString searchText() const;
    bool operator==(const ShipmentState &other) const;
};

} // namespace waybill
