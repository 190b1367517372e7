// document: an invoice, an account statement or a bill of lading as a PDF, from the store, laid
// out by the same code as the desktop's printouts (documents/).
#pragma once

#include "commandline.h"
#include "store/database.h"

namespace waybill::cli {

// 0 and the file written; 1 when the invoice, account or shipment is not there, or the file cannot
// be written. Needs a QGuiApplication (fonts).
int writeDocument(Database &database, const CommandLine &commandLine);

} // namespace waybill::cli
