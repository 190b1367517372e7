// The state of one bill-to account: a fold of its payments and invoices.
#pragma once

#include "money.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace waybill {

struct AccountState
{
    QString id;
    Cents balanceCents = 0; // payments minus invoices
    Cents invoicedCents = 0; // total ever invoiced
    Cents paidCents = 0; // total ever paid
    int invoiceCount = 0;
    int paymentCount = 0;
    QDateTime createdTimestamp;
    QDateTime lastEventTimestamp;
    int version = 0;

    bool exists() const { return version > 0; }
    // {"id", "balance", "balanceCents", "version", ...}
    QJsonObject toJson() const;
    // toJson() as compact JSON text, written directly: the read model's body.
    QString toJsonText() const;
    static AccountState fromJson(const QJsonObject &json);
    bool operator==(const AccountState &other) const { return toJson() == other.toJson(); }
};

} // namespace waybill
