// The account's rules as pure functions: its record (open, update, hold, release) and its money
// (payments and their reversals, credits, invoices).
#pragma once

#include "account.h"
#include "command.h"
#include "decision.h"
#include "rules.h"

#include <optional>

namespace waybill {

// A payment as it was recorded: where, and how much.
struct RecordedPayment
{
    QString streamId;
    Cents amountCents = 0;
};

// What an account command is told of the rest of the log (see accountCommandNeeds()).
struct AccountContext
{
    std::optional<RecordedPayment> payment; // the payment a reverse-payment names, if recorded
    // An invoice: the number it takes (the one after the last given in the log, under the writer
    // lock) and the time it is recorded at, which is the day it is issued.
    qint64 invoiceNumber = 0;
    QDateTime now;
};

Decision decideAccount(const AccountState &state, const Command &command, const Rules &rules = {},
    const AccountContext &context = {});
AccountState applyAccount(AccountState state, const RecordedEvent &event);

} // namespace waybill
