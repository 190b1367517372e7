// POST /{shipments|accounts|trucks}/{id}/commands/{type} and GET /commands/{commandId}.
#pragma once

#include "apicontext.h"
#include "apirequest.h"

namespace waybill::api {

// Validates the body (every error at once), honours Idempotency-Key, pre-checks the command
// against the current state (412 for an If-Match that names another version, then 409), records
// it (202) and, with Prefer: wait=N, waits for it. Runs on a worker thread, in the job that
// authenticated the request, and answers through the workers' poster on the HTTP thread.
void runCommand(ApiContext &context, const ApiRequest &request, CommandType type);
void getCommand(ApiContext &context, const ApiRequest &request);

// The answer to a request that waited for its command: 200, 409, or 202 when time ran out.
void answerWithOutcome(
    const http::ReplyPtr &reply, const QString &commandId, const CommandOutcome *outcome);

// hex(SHA-256("<type> <streamId> <compact JSON body>[ <If-Match version>]")): what an
// idempotency key is bound to. JSON objects keep their keys sorted, so bodies equal as JSON give
// the same hash.
QString requestHash(CommandType type, const QString &streamId, const QJsonObject &body,
    std::optional<int> expectedVersion = std::nullopt);

// If-Match: "<version>" (quotes optional): the version, or nothing when the header is absent;
// ok=false when it is there but not a version.
std::optional<int> expectedVersionOf(const ApiRequest &request, bool *ok);

// Prefer: wait=N, in seconds, at most 30; 0 when absent or not understood.
int preferredWaitSeconds(const ApiRequest &request);

} // namespace waybill::api
