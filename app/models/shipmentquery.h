// What the shipments board asks the server for: filters, search and order (GET /shipments).
#pragma once

#include <QString>
#include <QUrlQuery>

namespace waybill::app {

struct ShipmentQuery
{
    QString status; // "Submitted", ...; empty for any
    QString truckId;
    QString accountId;
    QString search; // part of the id or of an address
    QString sortKey; // a shipment field ("createdTimestamp", ...); empty: by id
    bool descending = false;
    // "late": late now; "today": a pickup or delivery window today, in the computer's time
    // zone (worked out when the request is made, so that the board follows the date); "": any.
    QString timing;

    QUrlQuery toUrlQuery(int limit, int offset) const;
    bool operator==(const ShipmentQuery &other) const;
    bool operator!=(const ShipmentQuery &other) const { return !(*this == other); }
};

} // namespace waybill::app
