// The accounts' money as finance reads it: each account's open items, and the aging of every
// account, folded from the log as it stood at a time.
#pragma once

#include "database.h"
#include "domain/openitems.h"

#include <QDateTime>

#include <map>
#include <optional>

namespace waybill::AccountLedger {

// The account's open items from its events up to asOf (inclusive; all of them when absent), in
// one snapshot; nothing when the account had no event by then. Throws StoreError.
std::optional<OpenItems> openItems(
    Database &database, const QString &accountId, const std::optional<QDateTime> &asOf);

// Every account's open items from the log up to asOf (inclusive), by account id, in one
// snapshot. Throws StoreError.
std::map<QString, OpenItems> allOpenItems(Database &database, const QDateTime &asOf);

} // namespace waybill::AccountLedger
