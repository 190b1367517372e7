#include "accountreducer.h"

#include "ids.h"
#include "invoicenumber.h"
#include "timeformat.h"

#include <QJsonArray>

namespace waybill {

namespace {

QJsonObject money(Cents cents)
{
    return { { QStringLiteral("amount"), centsToDollarsJson(cents) },
        { QStringLiteral("amountCents"), static_cast<double>(cents) } };
}

Decision requireOpen(const AccountState &state, const QString &accountId)
{
    if (!state.registered)
        return Decision::reject(Refusal::AccountNotOpen, { accountId });
    return {};
}

Decision requireRegisteredForMoney(
    const AccountState &state, const QString &accountId, const Rules &rules)
{
    if (rules.requireRegisteredAccounts && !state.registered)
        return Decision::reject(Refusal::AccountNotRegisteredForMoney, { accountId });
    return {};
}

Decision decidePayment(const AccountState &state, const Command &command, const Rules &rules)
{
    const QString id = entityIdOfStream(command.streamId);
    if (auto refused = requireRegisteredForMoney(state, id, rules); refused.isRejected())
        return refused;
    const Cents cents = centsIn(command.data);
    if (cents <= 0)
        return Decision::reject(Refusal::PaymentNotPositive);
    return Decision::accept({ NewEvent { EventType::PaymentReceived, money(cents) } });
}

Decision decideInvoice(
    const AccountState &state, const Command &command, const AccountContext &context)
{
    const QJsonObject &d = command.data;
    const Cents cents = centsIn(d);
    const QString shipment = d.value(QStringLiteral("shipmentId")).toString();
    if (shipment.isEmpty())
        return Decision::reject(Refusal::InvoiceWithoutShipment);
    if (cents < 0)
        return Decision::reject(Refusal::InvoiceNegative);
    // The engine always gives both; without them the invoice could not be told apart or dated.
    if (context.invoiceNumber <= 0 || !context.now.isValid())
        return Decision::reject(Refusal::InvoiceWithoutNumberOrDate);
    QJsonObject data = money(cents);
    data.insert(QStringLiteral("shipmentId"), shipment);
    data.insert(QStringLiteral("invoiceNumber"), invoiceNumberText(context.invoiceNumber));
    data.insert(QStringLiteral("issued"), toIsoUtc(context.now));
    data.insert(QStringLiteral("due"), toIsoUtc(invoiceDue(context.now, state.paymentTermsDays)));
    return Decision::accept({ NewEvent { EventType::Invoiced, data } });
}

Decision decideOpen(const AccountState &state, const Command &command)
{
    if (state.registered)
        return Decision::reject(
            Refusal::AccountOpenAlready, { entityIdOfStream(command.streamId), state.name });
    // The body's fields as given (validation added the limit in cents); absent payment terms
    // read as the default (see upcasting.cpp).
    return Decision::accept({ NewEvent { EventType::Opened, command.data } });
}

Decision decideUpdate(const AccountState &state, const Command &command)
{
    const QString id = entityIdOfStream(command.streamId);
    if (auto closed = requireOpen(state, id); closed.isRejected())
        return closed;
    const QJsonObject &d = command.data;
    QJsonObject changed;
    if (d.contains(QStringLiteral("name"))
        && d.value(QStringLiteral("name")).toString() != state.name)
        changed.insert(QStringLiteral("name"), d.value(QStringLiteral("name")));
    if (d.contains(QStringLiteral("billingAddress"))) {
        const Address address
            = Address::fromJson(d.value(QStringLiteral("billingAddress")).toObject());
        if (!(address == state.billingAddress))
            changed.insert(QStringLiteral("billingAddress"), address.toJson());
    }
    if (d.contains(QStringLiteral("paymentTermsDays"))
        && d.value(QStringLiteral("paymentTermsDays")).toInt() != state.paymentTermsDays)
        changed.insert(
            QStringLiteral("paymentTermsDays"), d.value(QStringLiteral("paymentTermsDays")));
    if (d.contains(QStringLiteral("creditLimit"))) {
        const QJsonValue limit = d.value(QStringLiteral("creditLimitCents"));
        const std::optional<Cents> now = limit.isNull()
            ? std::nullopt
            : std::optional<Cents>(static_cast<Cents>(limit.toDouble()));
        if (now != state.creditLimitCents) {
            changed.insert(QStringLiteral("creditLimit"),
                now ? centsToDollarsJson(*now) : QJsonValue(QJsonValue::Null));
            changed.insert(QStringLiteral("creditLimitCents"),
                now ? QJsonValue(static_cast<double>(*now)) : QJsonValue(QJsonValue::Null));
        }
    }
    if (changed.isEmpty())
        return Decision::reject(Refusal::AccountUpdateChangesNothing, { id });
    return Decision::accept({ NewEvent { EventType::Updated, changed } });
}

Decision decideHold(const AccountState &state, const Command &command)
{
    const QString id = entityIdOfStream(command.streamId);
    if (auto closed = requireOpen(state, id); closed.isRejected())
        return closed;
    if (state.onHold)
        return Decision::reject(Refusal::AccountOnHoldAlready, { id, state.holdReason });
    return Decision::accept({ NewEvent { EventType::PlacedOnHold,
        { { QStringLiteral("reason"), command.data.value(QStringLiteral("reason")) } } } });
}

Decision decideRelease(const AccountState &state, const Command &command)
{
    if (!state.onHold)
        return Decision::reject(Refusal::AccountNotOnHold, { entityIdOfStream(command.streamId) });
    return Decision::accept({ NewEvent { EventType::Released, {} } });
}

Decision decideReversePayment(
    const AccountState &state, const Command &command, const AccountContext &context)
{
    const QString id = entityIdOfStream(command.streamId);
    const QString payment = command.data.value(QStringLiteral("paymentCommandId")).toString();
    if (!context.payment || context.payment->streamId != command.streamId)
        return Decision::reject(Refusal::PaymentNotRecorded, { id, payment });
    if (state.reversedPayments.contains(payment))
        return Decision::reject(Refusal::PaymentReversedAlready, { payment });
    QJsonObject data = money(context.payment->amountCents);
    data.insert(QStringLiteral("paymentCommandId"), payment);
    data.insert(QStringLiteral("reason"), command.data.value(QStringLiteral("reason")));
    return Decision::accept({ NewEvent { EventType::PaymentReversed, data } });
}

Decision decideCredit(const AccountState &state, const Command &command, const Rules &rules)
{
    const QString id = entityIdOfStream(command.streamId);
    if (!state.exists())
        return Decision::reject(Refusal::CreditWithoutHistory, { id });
    if (auto refused = requireRegisteredForMoney(state, id, rules); refused.isRejected())
        return refused;
    const Cents cents = centsIn(command.data);
    if (cents <= 0)
        return Decision::reject(Refusal::CreditNotPositive);
    QJsonObject data = money(cents);
    data.insert(QStringLiteral("reason"), command.data.value(QStringLiteral("reason")));
    if (command.data.contains(QStringLiteral("shipmentId")))
        data.insert(QStringLiteral("shipmentId"), command.data.value(QStringLiteral("shipmentId")));
    return Decision::accept({ NewEvent { EventType::Credited, data } });
}

} // namespace

Decision decideAccount(const AccountState &state, const Command &command, const Rules &rules,
    const AccountContext &context)
{
    switch (command.type) {
    case CommandType::Payment:
        return decidePayment(state, command, rules);
    case CommandType::Invoice:
        return decideInvoice(state, command, context);
    case CommandType::Open:
        return decideOpen(state, command);
    case CommandType::Update:
        return decideUpdate(state, command);
    case CommandType::Hold:
        return decideHold(state, command);
    case CommandType::Release:
        return decideRelease(state, command);
    case CommandType::ReversePayment:
        return decideReversePayment(state, command, context);
    case CommandType::Credit:
        return decideCredit(state, command, rules);
    default:
        break;
    }
    return Decision::reject(Refusal::NotAnAccountCommand, { commandTypeName(command.type) });
}

AccountState applyAccount(AccountState a, const RecordedEvent &e)
{
    const QJsonObject &d = e.data;
    const Cents cents = centsIn(d);
    if (a.version == 0) {
        a.id = entityIdOfStream(e.streamId);
        a.createdTimestamp = e.timestamp;
    }
    a.version = e.version;
    a.lastEventTimestamp = e.timestamp;
    if (e.type == EventType::PaymentReceived) {
        a.balanceCents += cents;
        a.paidCents += cents;
        ++a.paymentCount;
    } else if (e.type == EventType::Invoiced) {
        a.balanceCents -= cents;
        a.invoicedCents += cents;
        ++a.invoiceCount;
    } else if (e.type == EventType::PaymentReversed) {
        a.balanceCents -= cents;
        a.reversedCents += cents;
        a.reversedPayments.append(d.value(QStringLiteral("paymentCommandId")).toString());
    } else if (e.type == EventType::Credited) {
        a.balanceCents += cents;
        a.creditedCents += cents;
    } else if (e.type == EventType::Opened || e.type == EventType::Updated) {
        a.registered = true;
        if (d.contains(QStringLiteral("name")))
            a.name = d.value(QStringLiteral("name")).toString();
        if (d.contains(QStringLiteral("billingAddress")))
            a.billingAddress
                = Address::fromJson(d.value(QStringLiteral("billingAddress")).toObject());
        if (d.contains(QStringLiteral("paymentTermsDays")))
            a.paymentTermsDays = d.value(QStringLiteral("paymentTermsDays")).toInt();
        if (d.contains(QStringLiteral("creditLimitCents"))) {
            const QJsonValue limit = d.value(QStringLiteral("creditLimitCents"));
            a.creditLimitCents = limit.isNull()
                ? std::nullopt
                : std::optional<Cents>(static_cast<Cents>(limit.toDouble()));
        }
    } else if (e.type == EventType::PlacedOnHold) {
        a.onHold = true;
        a.holdReason = d.value(QStringLiteral("reason")).toString();
    } else if (e.type == EventType::Released) {
        a.onHold = false;
        a.holdReason.clear();
    }
    return a;
}

} // namespace waybill
