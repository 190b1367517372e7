// The rows the app's lists hold, in the domain's types: an account with its exposure, a truck
// with its load, an event of a stream. Each is parsed once from the server's JSON.
#pragma once

#include "domain/account.h"
#include "domain/event.h"
#include "domain/truck.h"

#include <QStringList>

#include <optional>

namespace waybill::app {

// GET /accounts items: the account's state and what it is exposed to.
struct AccountRow
{
    AccountState state;
    Cents exposureCents = 0;

    // How much of the credit limit the exposure uses (1.0: all of it); none without a limit.
    std::optional<double> limitUse() const;
    bool pastLimit() const;
    static AccountRow fromJson(const QJsonObject &json);
};

// GET /trucks items: the record and what it carries now.
struct TruckRow
{
    enum class Status { Available, Occupied, OutOfService };

    TruckState state;
    Status status = Status::Available;
    double loadPounds = 0;
    QStringList shipments; // Assigned and Shipped, on it now

    // Loads on a truck out of service: they need another truck.
    bool hasStrandedLoads() const { return status == Status::OutOfService && !shipments.isEmpty(); }
    // How much of the capacity the load uses (1.0: all of it); none without a capacity.
    std::optional<double> capacityUse() const;
    static TruckRow fromJson(const QJsonObject &json);
};

// One event of a stream (GET /{kind}/{id}/events).
RecordedEvent eventFromJson(const QJsonObject &json);

} // namespace waybill::app
