// Walks the hash chain of the whole log and names the first event that does not fit.
#pragma once

#include "store/database.h"

#include <QJsonObject>

#include <functional>
#include <optional>

namespace waybill::Audit {

struct VerifyResult
{
    bool ok = true;
    qint64 events = 0; // events checked
    qint64 firstBadPosition = 0; // 0 when ok
    QString reason; // why that position is bad (edited, missing, out of order ...)
    // When ok: the last event's position and its link in the chain (0 and the chain's genesis
    // hash for an empty log). An auditor keeps both elsewhere: a later verify that ends on
    // another hash at that position proves a rewrite.
    qint64 lastPosition = 0;
    QString lastHash;

    // {"ok": true, "events": N, "lastPosition": P, "lastHash": H} or
    // {"ok": false, "firstBadPosition": P, "events": N, "reason": ...}
    QJsonObject toJson() const;
};

// progress(eventsCheckedSoFar) returns false to cancel (the result then says so in reason).
// With upTo, only the chain up to that position is checked, and it must end with an event at
// that very position. Throws StoreError.
VerifyResult verifyChain(Database &database, const std::function<bool(qint64)> &progress = {},
    std::optional<qint64> upTo = std::nullopt);

} // namespace waybill::Audit
