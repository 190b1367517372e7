// The read side: shipments, accounts, trucks and the global log (api.md, "Queries"). The
// entity routes send ETag: "<version>", the version an If-Match names.
#pragma once

#include "apicontext.h"
#include "apirequest.h"

namespace waybill::api {

void listShipments(ApiContext &context, const ApiRequest &request);
void getShipment(ApiContext &context, const ApiRequest &request);
void listShipmentEvents(ApiContext &context, const ApiRequest &request);
void listAccounts(ApiContext &context, const ApiRequest &request);
void getAccount(ApiContext &context, const ApiRequest &request);
void listAccountEvents(ApiContext &context, const ApiRequest &request);
void listTrucks(ApiContext &context, const ApiRequest &request);
void getTruck(ApiContext &context, const ApiRequest &request);
void listTruckEvents(ApiContext &context, const ApiRequest &request);
void listEvents(ApiContext &context, const ApiRequest &request);

// A text query parameter (empty when absent); one holding what the database cannot store, such
// as NUL, is an error (400): the two databases would not compare it alike.
QString textParameter(QueryReader &reader, const ApiRequest &request, const QString &key);

} // namespace waybill::api
