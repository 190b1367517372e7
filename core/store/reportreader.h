// The management reports (revenue, on-time delivery, truck utilisation) read from the log as it
// stood at a time, each in one snapshot.
#pragma once

#include "database.h"
#include "domain/reportperiod.h"

#include <QJsonObject>

namespace waybill::ReportReader {

// RevenueReport's JSON over the invoiced and credited events the period counts. Throws
// StoreError.
QJsonObject revenue(Database &database, const ReportPeriod &period);
// OnTimeReport's JSON over the shipments delivered at times the period counts, each folded from
// its events. Throws StoreError.
QJsonObject onTime(Database &database, const ReportPeriod &period);
// UtilisationReport's JSON over the log's assignments, deliveries, cancellations and truck
// registrations up to the end of what is known of the period. Throws StoreError.
QJsonObject utilisation(Database &database, const ReportPeriod &period);

} // namespace waybill::ReportReader
