// The account's rules as pure functions: payments add to the balance, invoices take from it.
#pragma once

#include "account.h"
#include "command.h"
#include "decision.h"

namespace waybill {

Decision decideAccount(const AccountState &state, const Command &command);
AccountState applyAccount(AccountState state, const RecordedEvent &event);

} // namespace waybill
