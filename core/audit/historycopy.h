// Moving a whole history from one database to another (SQLite or PostgreSQL, either way): every
// table a server needs, row for row, read from one snapshot of the source and written in pages,
// proved at the end by the target's hash chain. An unfinished copy leaves its target marked, and
// every opening of it refused, until it is emptied and copied again.
#pragma once

#include "store/database.h"

#include <QString>

#include <functional>

namespace waybill::Audit {

struct CopyProgress
{
    enum class Stage { Copying, Verifying, Done };
    Stage stage = Stage::Copying;
    QString table; // the table being copied
    qint64 tableRows = 0; // its rows copied so far
    qint64 tableTotal = 0; // and its rows in all
    qint64 rows = 0; // rows of every table copied so far
    qint64 total = 0; // and in all
    bool tableBegins = false; // the first report of a table, before any of its rows
};

struct CopyResult
{
    bool ok = false;
    // The target was refused before anything was written to it (it holds data, an unfinished
    // copy, or a running server); error says why.
    bool refused = false;
    QString error;
    qint64 rows = 0;
    qint64 events = 0;
    qint64 lastPosition = 0; // the chain's end at the target, as verified
    QString lastHash;
};

constexpr int kDefaultCopyPageRows = 500;

// Copies source into target, which must be empty (no history, no unfinished copy, no server
// running on it): brings both to this build's schema (the source too, if an older release wrote
// it), marks the target, copies every table (tablecopy.h) in pages of pageRows, verifies the
// chain at the target against the source's, and removes the mark. progress, if given, hears of
// each page. Throws StoreError for a database that fails (SchemaTooNewError when either was
// written by a newer Waybill); the target then keeps its mark, if it got one.
CopyResult copyHistory(Database &source, Database &target,
    const std::function<void(const CopyProgress &)> &progress = {},
    int pageRows = kDefaultCopyPageRows);

} // namespace waybill::Audit
