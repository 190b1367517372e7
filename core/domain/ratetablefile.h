// Reading a rate table from its JSON file (docs/operations.md, "Rate tables"): every rule of the
// format checked before the server starts, and the first fault told with the line it is on.
#pragma once

#include "pricing.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace waybill {

struct RateTableFault
{
    int line = 0; // 1-based; 0 when the fault has no line (the file cannot be read)
    QString message;
};

// The table in the text, or nothing with the first fault in `fault`.
std::optional<RateTable> parseRateTable(const QByteArray &text, RateTableFault *fault);

// The same from a file; `error` is "FILE:LINE: message", as the config file's errors are.
std::optional<RateTable> loadRateTable(const QString &path, QString *error);

} // namespace waybill
