// The auditors' routes: the CSV export, streamed, and the hash-chain verification.
#pragma once

#include "apicontext.h"
#include "apirequest.h"

namespace waybill::api {

// GET /events.csv?from=&to=&streamId=: the export runs on a long-work thread and hands its
// chunks to the HTTP thread one by one; it waits while more than a little is queued for a
// slow client, and stops when the client goes. Memory stays flat however long the history.
void exportEventsCsv(ApiContext &context, const ApiRequest &request);
// GET /audit/verify
void verifyChain(ApiContext &context, const ApiRequest &request);
// GET /audit/proof?position=P: {"position", "hash"} of the event at P, what a printed document
// carries so that it can be checked against the log.
void chainProof(ApiContext &context, const ApiRequest &request);

} // namespace waybill::api
