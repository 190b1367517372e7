// What each printed document says, folded from the events it reflects: an invoice, an account's
// statement for a period, a shipment's bill of lading. The same fold serves the desktop (events
// read over HTTP) and the command line (events read from the store), so the two print the same.
#pragma once

#include "domain/account.h"
#include "domain/event.h"
#include "domain/money.h"
#include "domain/openitems.h"
#include "domain/shipment.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace waybill::documents {

// The log position and hash of the last event a document reflects: whoever holds the paper can
// check it against the log (`waybill-server verify --position P --hash H`).
struct DocumentProof
{
    qint64 position = 0;
    QString hash; // lowercase hex SHA-256; empty until looked up

    bool isComplete() const { return position > 0 && !hash.isEmpty(); }
    QString verifyCommand() const;
};

// Who issues the documents: the header of every page.
struct Company
{
    QString name = defaultName();
    QStringList addressLines;

    static QString defaultName();
};

// The number of each invoiced event, by the event's position, as the invoices read model gives
// it: the one source of every invoice's number, as for open items and aging (docs/choices.md,
// "Finance"), also of invoices recorded before numbers existed, whose data carries none. The
// command line reads it from the store, the desktop from GET /accounts/{id}/invoices, which reads
// that same table; an invoiced event it does not number has no number on paper.
using InvoiceNumbers = QHash<qint64, qint64>;

struct InvoiceDocument
{
    OpenInvoice invoice;
    AccountState account; // the bill-to account, as its events stand
    ShipmentState shipment; // what was billed, with its recorded charges
    DocumentProof proof;
};

// The number and shipment of an account's invoice, from the account's events; nothing when none
// of them is invoice `number`.
std::optional<OpenInvoice> findInvoice(
    const EventList &accountEvents, qint64 number, const InvoiceNumbers &numbers);
// The invoice as the account's and its shipment's events (each stream's, in version order) tell
// it; the proof names the later of the two streams' last events (its hash still to be looked up).
InvoiceDocument invoiceDocument(const OpenInvoice &invoice, const EventList &accountEvents,
    const EventList &shipmentEvents, const InvoiceNumbers &numbers);

struct StatementLine
{
    enum class Kind { Invoice, Payment, PaymentReversal, Credit };
    Kind kind = Kind::Invoice;
    QDateTime when;
    qint64 invoiceNumber = 0; // Invoice
    QString shipmentId; // Invoice; Credit when given for one
    QString reason; // PaymentReversal, Credit
    Cents chargeCents = 0; // what it adds to the balance due (invoices, reversals)
    Cents paymentCents = 0; // what it takes off (payments, credits)
    Cents balanceDueCents = 0; // after it
};

struct StatementDocument
{
    AccountState account; // as it stood at the period's end
    QDateTime from; // inclusive
    QDateTime to; // inclusive
    Cents openingDueCents = 0; // owed (negative: in credit) just before `from`
    QVector<StatementLine> lines; // every invoice, payment, reversal and credit in the period
    Cents closingDueCents = 0; // owed at `to`
    AgingLine aging; // of what is open at `to`
    QVector<OpenInvoice> openInvoices; // at `to`
    DocumentProof proof;
};

// The period's statement from the account's events (all of them, in version order: the ones
// after `to` are left out); nothing when the account had no event by `to`.
std::optional<StatementDocument> statementDocument(const EventList &accountEvents,
    const QDateTime &from, const QDateTime &to, const InvoiceNumbers &numbers);

struct BillOfLadingDocument
{
    ShipmentState shipment;
    DocumentProof proof;
};

// Nothing when the shipment has no events.
std::optional<BillOfLadingDocument> billOfLadingDocument(const EventList &shipmentEvents);

// The period a statement covers when asked for by days: from the first day's start to the last
// day's last millisecond, in UTC.
QDateTime startOfDay(const QDate &day);
QDateTime endOfDay(const QDate &day);

} // namespace waybill::documents
