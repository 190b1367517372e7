// The auditors' CSV export (RFC 4180), streamed from the database page by page.
#pragma once

#include "store/database.h"
#include "store/eventstore.h"

#include <QByteArray>

#include <functional>

namespace waybill::Audit {

// Header row, CRLF-terminated: position,timestamp,stream_id,version,type,command_id,user,data,hash
QByteArray csvHeader();

// Writes the header and then every event that passes the filter, in position order, handing
// the sink chunks of at most a few hundred KiB. The sink returns false to cancel. Memory stays
// flat: events are read a page at a time inside one read snapshot.
// Returns the number of events written; throws StoreError.
qint64 exportCsv(Database &database, const EventFilter &filter,
    const std::function<bool(const QByteArray &chunk)> &sink);

} // namespace waybill::Audit
