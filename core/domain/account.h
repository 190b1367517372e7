// The state of one bill-to account: a fold of its record (opened, updated, holds) and of its
// money (payments and their reversals, credits, invoices).
#pragma once

#include "address.h"
#include "money.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace waybill {

constexpr int kDefaultPaymentTermsDays = 30;

struct AccountState
{
    QString id;
    Cents balanceCents = 0; // payments - reversed payments + credits - invoices
    Cents invoicedCents = 0; // total ever invoiced
    Cents paidCents = 0; // total ever paid (reversals not taken off)
    Cents reversedCents = 0; // total of the payments reversed
    Cents creditedCents = 0; // total of the credits
    int invoiceCount = 0;
    int paymentCount = 0;
    QDateTime createdTimestamp;
    QDateTime lastEventTimestamp;
    int version = 0;

    // The record, once opened. An account known only from payments or invoices is not registered.
    bool registered = false;
    QString name;
    Address billingAddress;
    int paymentTermsDays = kDefaultPaymentTermsDays;
    std::optional<Cents> creditLimitCents; // absent: no limit
    bool onHold = false;
    QString holdReason;
    QStringList reversedPayments; // the commandIds of the payments reversed

    bool exists() const { return version > 0; }
    // What the account owes now: invoices minus payments and credits, if positive.
    Cents owedCents() const { return balanceCents < 0 ? -balanceCents : 0; }
    // {"id", "balance", "balanceCents", "version", "registered", ...}
    QJsonObject toJson() const;
    // The same with "exposure" and "exposureCents", which depend on the account's shipments.
    QJsonObject toJson(Cents exposureCents) const;
    // toJson() as compact JSON text, written directly: the read model's body.
    QString toJsonText() const;
    static AccountState fromJson(const QJsonObject &json);
    bool operator==(const AccountState &other) const { return toJson() == other.toJson(); }
};

} // namespace waybill
