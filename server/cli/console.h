// Writing to stdout and stderr at once (unbuffered as far as the reader can tell): a script or
// a test reading a pipe sees each line as soon as it is printed.
#pragma once

#include <QByteArray>
#include <QString>

namespace waybill::cli {

// One line on stdout, flushed.
void printLine(const QString &text);
// Raw bytes on stdout (the CSV export); false when they could not be written.
bool writeOut(const QByteArray &bytes);
bool flushOut();
// "waybill-server: message" as one line on stderr.
void printError(const QString &message);

} // namespace waybill::cli
