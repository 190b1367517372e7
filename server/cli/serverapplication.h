// waybill-server from arguments to exit code: parse, resolve the settings, run the command.
#pragma once

#include <QStringList>

namespace waybill::cli {

// Needs a QCoreApplication. Returns the process's exit code (see exitcodes.h).
int runServerApplication(const QStringList &arguments);

} // namespace waybill::cli
