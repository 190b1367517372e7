#include "businessdocuments.h"

#include "domain/accountreducer.h"
#include "domain/money.h"
#include "domain/shipmentreducer.h"

namespace waybill::documents {

namespace {

// The event's own invoiceNumber is not a second source: the read model's is the one shown.
qint64 numberOf(const RecordedEvent &e, const InvoiceNumbers &numbers)
{
    return numbers.value(e.position);
}

// The event the proof names, for a stream's events as read: its position, and its hash when the
// reader had it (the store has; the HTTP API does not show hashes, so the desktop asks
// /audit/proof).
DocumentProof proofOf(const EventList &events)
{
    DocumentProof proof;
    for (const RecordedEvent &e : events) {
        if (e.position > proof.position) {
            proof.position = e.position;
            proof.hash = e.hash.toLower();
        }
    }
    return proof;
}

} // namespace

QString DocumentProof::verifyCommand() const
{
    return QStringLiteral("waybill-server verify --position %1 --hash %2")
        .arg(QString::number(position), hash);
}

QString Company::defaultName()
{
    return QStringLiteral("Great Plains Trucking");
}

std::optional<OpenInvoice> findInvoice(
    const EventList &accountEvents, qint64 number, const InvoiceNumbers &numbers)
{
    OpenItems items;
    for (const RecordedEvent &e : accountEvents)
        items.apply(e, numberOf(e, numbers));
    for (const OpenInvoice &invoice : items.invoices()) {
        if (invoice.number == number)
            return invoice;
    }
    return std::nullopt;
}

InvoiceDocument invoiceDocument(const OpenInvoice &invoice, const EventList &accountEvents,
    const EventList &shipmentEvents, const InvoiceNumbers &numbers)
{
    InvoiceDocument document;
    // What is open on it now: every payment and credit the account has had since.
    if (const auto now = findInvoice(accountEvents, invoice.number, numbers))
        document.invoice = *now;
    else
        document.invoice = invoice;
    for (const RecordedEvent &e : accountEvents)
        document.account = applyAccount(std::move(document.account), e);
    for (const RecordedEvent &e : shipmentEvents)
        document.shipment = applyShipment(std::move(document.shipment), e);
    const DocumentProof account = proofOf(accountEvents);
    const DocumentProof shipment = proofOf(shipmentEvents);
    document.proof = account.position >= shipment.position ? account : shipment;
    return document;
}

std::optional<StatementDocument> statementDocument(const EventList &accountEvents,
    const QDateTime &from, const QDateTime &to, const InvoiceNumbers &numbers)
{
    StatementDocument document;
    document.from = from;
    document.to = to;
    OpenItems items;
    EventList reflected;
    Cents due = 0;
    for (const RecordedEvent &e : accountEvents) {
        if (e.timestamp > to)
            break;
        reflected.append(e);
        document.account = applyAccount(std::move(document.account), e);
        items.apply(e, numberOf(e, numbers));

        StatementLine line;
        line.when = e.timestamp;
        if (e.type == EventType::Invoiced) {
            line.kind = StatementLine::Kind::Invoice;
            line.invoiceNumber = numberOf(e, numbers);
            line.shipmentId = e.data.value(QStringLiteral("shipmentId")).toString();
            line.chargeCents = centsIn(e.data);
        } else if (e.type == EventType::PaymentReceived) {
            line.kind = StatementLine::Kind::Payment;
            line.paymentCents = centsIn(e.data);
        } else if (e.type == EventType::PaymentReversed) {
            line.kind = StatementLine::Kind::PaymentReversal;
            line.reason = e.data.value(QStringLiteral("reason")).toString();
            line.chargeCents = centsIn(e.data);
        } else if (e.type == EventType::Credited) {
            line.kind = StatementLine::Kind::Credit;
            line.reason = e.data.value(QStringLiteral("reason")).toString();
            line.shipmentId = e.data.value(QStringLiteral("shipmentId")).toString();
            line.paymentCents = centsIn(e.data);
        } else {
            continue; // the record (opened, updated, holds) moves no money
        }
        due += line.chargeCents - line.paymentCents;
        line.balanceDueCents = due;
        if (e.timestamp < from)
            document.openingDueCents = due;
        else
            document.lines.append(line);
    }
    if (reflected.isEmpty())
        return std::nullopt;
    document.closingDueCents = due;
    document.aging = agingOf(document.account.id, items, to);
    for (const OpenInvoice &invoice : items.invoices()) {
        if (invoice.openCents > 0)
            document.openInvoices.append(invoice);
    }
    document.proof = proofOf(reflected);
    return document;
}

std::optional<BillOfLadingDocument> billOfLadingDocument(const EventList &shipmentEvents)
{
    if (shipmentEvents.isEmpty())
        return std::nullopt;
    BillOfLadingDocument document;
    for (const RecordedEvent &e : shipmentEvents)
        document.shipment = applyShipment(std::move(document.shipment), e);
    document.proof = proofOf(shipmentEvents);
    return document;
}

QDateTime startOfDay(const QDate &day)
{
    return QDateTime(day, QTime(0, 0), Qt::UTC);
}

QDateTime endOfDay(const QDate &day)
{
    return QDateTime(day, QTime(23, 59, 59, 999), Qt::UTC);
}

} // namespace waybill::documents
