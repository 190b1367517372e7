// If-Match: a command may say which version of its stream it was sent against.
#pragma once

#include "command.h"

#include <QString>

namespace waybill {

// Why the command may not run against a stream at currentVersion (empty: it may). The same text
// answers the 412 of the pre-check and rejects the command if the stream moved before it ran.
QString expectedVersionConflict(const Command &command, int currentVersion);

} // namespace waybill
