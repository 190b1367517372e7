// The auditors' CSV export (RFC 4180), streamed from the database page by page.
#pragma once

#include "store/database.h"
#include "store/eventstore.h"

#include <QByteArray>
#include <QSqlDatabase>

#include <functional>

namespace waybill::Audit {

// Header row, CRLF-terminated: position,timestamp,stream_id,version,type,command_id,user,data,hash
QByteArray csvHeader();

struct ExportOptions
{
    // Where the export ends, inclusive; 0: at the log's last position when the export begins.
    qint64 upToPosition = 0;
    // Asked inside each page's read transaction, before the page is read; false stops the
    // export there (the HTTP export checks that the client's token still stands).
    std::function<bool(const QSqlDatabase &db)> mayContinue;
};

struct ExportResult
{
    qint64 events = 0; // records the sink took whole
    qint64 upToPosition = 0; // where the export ends (as asked, or the log's end when it began)
    bool completed = false; // false: the sink cancelled, or mayContinue said no
};

// Writes the header and then every event that passes the filter, up to the log's end as it was
// when the export began, in position order, handing the sink chunks of at most a few hundred
// KiB. The sink returns false to cancel. The log is read in pages of bounded size, each in a
// read transaction of its own that ends before the sink sees a byte of it: a slow reader holds
// no snapshot of the database. Since the log is append-only below its end, the pages give the
// same bytes as one snapshot would. Memory stays flat. Throws StoreError.
ExportResult exportCsv(Database &database, const EventFilter &filter,
    const std::function<bool(const QByteArray &chunk)> &sink, const ExportOptions &options);
// The same with the default options; returns the number of events written.
qint64 exportCsv(Database &database, const EventFilter &filter,
    const std::function<bool(const QByteArray &chunk)> &sink);

} // namespace waybill::Audit
