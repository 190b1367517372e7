// export, verify and rebuild-projections: the auditor's and the operator's commands on the events.
#pragma once

#include "store/database.h"
#include "store/eventstore.h"

namespace waybill::cli {

// The CSV export to a file (written whole or not at all) or, when outFile is empty, to stdout.
int exportEvents(Database &database, const EventFilter &filter, const QString &outFile);
// 0 and the event count when the hash chain is intact; 1 and the first bad position if not. With a
// position: 0 only when the chain is intact up to it and the event there has that hash (the proof a
// printed document carries).
int verifyEvents(
    Database &database, std::optional<qint64> position = std::nullopt, const QString &hash = {});
// Refolds every read model from the events.
int rebuildProjections(Database &database);

} // namespace waybill::cli
