// token create / list / revoke: API token administration from the shell.
#pragma once

#include "store/database.h"

namespace waybill::cli {

// Prints the new secret as the last line of stdout. An unknown role is a usage error (2).
int createToken(Database &database, const QString &name, const QString &roleText);
// Name, role and creation time of each token; never a secret or a hash.
int listTokens(Database &database);
// 1 with a message when no token has that name.
int revokeToken(Database &database, const QString &name);

} // namespace waybill::cli
