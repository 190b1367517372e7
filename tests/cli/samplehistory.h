// A small but varied history (submits, assignments, shipping, deliveries with their invoices,
// payments), recorded through the real engine, for the admin-command tests.
#pragma once

#include "store/databaseurl.h"

#include <QString>

namespace waybill::test {

// Records it in the database (creating the schema) and returns when every command is processed.
// Returns false with a reason when a command was not accepted.
bool recordSampleHistory(const DatabaseUrl &url, int shipments, QString *error);

// The body of a valid submit for the given account.
QByteArray submitBody(const QString &accountId, int weightInPounds);

} // namespace waybill::test
