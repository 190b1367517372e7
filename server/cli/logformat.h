// Log lines on stderr, one per message: "<UTC time> <level> <category>: <message>", e.g.
// "2026-11-27T10:00:00.000Z info waybill.server: listening on http://127.0.0.1:8080".
// QT_MESSAGE_PATTERN still overrides everything after the time; QT_LOGGING_RULES filters.
#pragma once

#include <QLoggingCategory>

namespace waybill::cli {

Q_DECLARE_LOGGING_CATEGORY(lcServerCli)

void installLogFormat();

} // namespace waybill::cli
