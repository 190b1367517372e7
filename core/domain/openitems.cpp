#include "openitems.h"

#include "invoicenumber.h"
#include "timeformat.h"

namespace waybill {

namespace {

QDateTime timeIn(const QJsonObject &data, const QString &key, const QDateTime &fallback)
{
    const auto time = parseIsoUtc(data.value(key).toString());
    return time ? *time : fallback;
}

} // namespace

QString OpenInvoice::status() const
{
    if (openCents > 0)
        return QStringLiteral("open");
    if (creditedCents > 0 && paidCents == 0)
        return QStringLiteral("credited");
    return QStringLiteral("paid");
}

QJsonObject OpenInvoice::toJson() const
{
    return { { QStringLiteral("invoiceNumber"), invoiceNumberText(number) },
        { QStringLiteral("shipmentId"), shipmentId },
        { QStringLiteral("amount"), centsToDollarsJson(amountCents) },
        { QStringLiteral("amountCents"), static_cast<double>(amountCents) },
        { QStringLiteral("issued"), toIsoUtc(issued) }, { QStringLiteral("due"), toIsoUtc(due) },
        { QStringLiteral("open"), centsToDollarsJson(openCents) },
        { QStringLiteral("openCents"), static_cast<double>(openCents) },
        { QStringLiteral("status"), status() } };
}

void OpenItems::apply(const RecordedEvent &e, qint64 invoiceNumber)
{
    const QJsonObject &d = e.data;
    if (e.type == EventType::Opened || e.type == EventType::Updated) {
        if (d.contains(QStringLiteral("paymentTermsDays")))
            m_paymentTermsDays = d.value(QStringLiteral("paymentTermsDays")).toInt();
        return;
    }
    if (e.type == EventType::Invoiced) {
        OpenInvoice invoice;
        invoice.number = invoiceNumber;
        invoice.shipmentId = d.value(QStringLiteral("shipmentId")).toString();
        invoice.amountCents = centsIn(d);
        invoice.openCents = invoice.amountCents;
        invoice.issued = timeIn(d, QStringLiteral("issued"), e.timestamp);
        invoice.due
            = timeIn(d, QStringLiteral("due"), invoiceDue(invoice.issued, m_paymentTermsDays));
        invoice.position = e.position;
        m_invoices.append(invoice);
        settle();
        return;
    }
    if (e.type == EventType::PaymentReceived) {
        m_sources.append(Source { e.commandId, centsIn(d), {} });
        settle();
        return;
    }
    if (e.type == EventType::Credited) {
        m_sources.append(Source { {}, centsIn(d), {} });
        Source &credit = m_sources.last();
        const QString shipment = d.value(QStringLiteral("shipmentId")).toString();
        if (!shipment.isEmpty()) {
            for (int i = 0; i < m_invoices.size(); ++i) {
                if (m_invoices[i].shipmentId == shipment && m_invoices[i].openCents > 0) {
                    applyTo(credit, i, qMin(credit.unappliedCents, m_invoices[i].openCents));
                    break;
                }
            }
        }
        settle();
        return;
    }
    if (e.type == EventType::PaymentReversed) {
        const QString payment = d.value(QStringLiteral("paymentCommandId")).toString();
        for (Source &source : m_sources) {
            if (source.paymentCommandId != payment)
                continue;
            for (const Application &a : std::as_const(source.applied)) {
                m_invoices[a.invoice].openCents += a.cents;
                m_invoices[a.invoice].paidCents -= a.cents;
                m_firstOpen = qMin(m_firstOpen, a.invoice);
            }
            source.applied.clear();
            source.unappliedCents = 0;
            source.paymentCommandId.clear(); // reversed once, as the reducer allows
            break;
        }
        settle();
    }
}

void OpenItems::applyTo(Source &source, int invoice, Cents cents)
{
    if (cents <= 0)
        return;
    OpenInvoice &i = m_invoices[invoice];
    i.openCents -= cents;
    if (source.paymentCommandId.isEmpty())
        i.creditedCents += cents;
    else
        i.paidCents += cents;
    source.unappliedCents -= cents;
    source.applied.append({ invoice, cents });
}

void OpenItems::settle()
{
    // Money waiting only grows by new sources (at the end) and open invoices before the cursor
    // only come back by a reversal (which moves it back): the cursors never skip either.
    while (m_firstWaiting < m_sources.size()) {
        Source &source = m_sources[m_firstWaiting];
        if (source.unappliedCents <= 0) {
            ++m_firstWaiting;
            continue;
        }
        while (m_firstOpen < m_invoices.size() && m_invoices[m_firstOpen].openCents <= 0)
            ++m_firstOpen;
        if (m_firstOpen == m_invoices.size())
            return;
        applyTo(
            source, m_firstOpen, qMin(source.unappliedCents, m_invoices[m_firstOpen].openCents));
    }
}

Cents OpenItems::unappliedCents() const
{
    Cents sum = 0;
    for (const Source &s : m_sources)
        sum += s.unappliedCents;
    return sum;
}

Cents OpenItems::openCents() const
{
    Cents sum = 0;
    for (const OpenInvoice &i : m_invoices)
        sum += i.openCents;
    return sum;
}

AgingBucket agingBucketOf(const QDateTime &due, const QDateTime &asOf)
{
    const qint64 lateMs = due.msecsTo(asOf);
    if (lateMs <= 0)
        return AgingBucket::Current;
    constexpr qint64 kDayMs = 24 * 60 * 60 * 1000;
    const qint64 days = (lateMs + kDayMs - 1) / kDayMs;
    if (days <= 30)
        return AgingBucket::Days1To30;
    if (days <= 60)
        return AgingBucket::Days31To60;
    if (days <= 90)
        return AgingBucket::Days61To90;
    return AgingBucket::Over90;
}

Cents AgingLine::totalCents() const
{
    Cents sum = 0;
    for (const Cents c : cents)
        sum += c;
    return sum;
}

void AgingLine::add(const AgingLine &other)
{
    for (size_t i = 0; i < cents.size(); ++i)
        cents[i] += other.cents[i];
}

QJsonObject AgingLine::toJson() const
{
    static const char *const names[]
        = { "current", "days1to30", "days31to60", "days61to90", "over90" };
    QJsonObject json;
    if (!accountId.isEmpty())
        json.insert(QStringLiteral("accountId"), accountId);
    for (size_t i = 0; i < cents.size(); ++i) {
        const QString name = QString::fromLatin1(names[i]);
        json.insert(name, centsToDollarsJson(cents[i]));
        json.insert(name + QStringLiteral("Cents"), static_cast<double>(cents[i]));
    }
    json.insert(QStringLiteral("total"), centsToDollarsJson(totalCents()));
    json.insert(QStringLiteral("totalCents"), static_cast<double>(totalCents()));
    return json;
}

AgingLine agingOf(const QString &accountId, const OpenItems &items, const QDateTime &asOf)
{
    AgingLine line;
    line.accountId = accountId;
    for (const OpenInvoice &i : items.invoices()) {
        if (i.openCents > 0)
            line.cents[static_cast<size_t>(agingBucketOf(i.due, asOf))] += i.openCents;
    }
    return line;
}

} // namespace waybill
