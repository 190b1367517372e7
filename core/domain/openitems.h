// An account's invoices as open items: what each invoice still has open once the account's
// payments and credits are applied to them (api.md, "Finance"), and how overdue what is open is.
#pragma once

#include "event.h"
#include "money.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QVector>

#include <array>

namespace waybill {

struct OpenInvoice
{
    qint64 number = 0;
    QString shipmentId;
    Cents amountCents = 0;
    QDateTime issued;
    QDateTime due;
    qint64 position = 0; // of its invoiced event
    Cents openCents = 0; // what is still owed on it
    Cents paidCents = 0; // applied to it from payments (not reversed)
    Cents creditedCents = 0; // applied to it from credits

    // "open" while anything is owed; else "credited" when credits alone settled it, "paid"
    // otherwise (a zero invoice is paid).
    QString status() const;
    // {"invoiceNumber", "shipmentId", "amount", "amountCents", "issued", "due", "open",
    //  "openCents", "status"}
    QJsonObject toJson() const;
};

// Folds one account's events, in log order, into its open items:
// - a payment, and a credit without a shipmentId, go to the oldest open invoice first, then the
//   next, and what is left waits for the next invoice;
// - a credit with a shipmentId goes to that shipment's invoice first (when it is issued and open),
//   the rest as above;
// - a reversal takes back everything its payment was applied to (those invoices are open again)
//   and what of it was waiting; money still waiting then goes to them, oldest first.
// What is open, less what waits, is always what the account owes (minus its balance).
class OpenItems final
{
public:
    // invoiceNumber: an invoiced event's number as the invoices read model keeps it, the one
    // source of every invoice's number (also of those recorded before numbers existed, which the
    // event does not carry); ignored for the other events.
    void apply(const RecordedEvent &event, qint64 invoiceNumber);

    const QVector<OpenInvoice> &invoices() const { return m_invoices; }
    // Money received that no invoice has taken yet (a prepayment, an overpayment).
    Cents unappliedCents() const;
    // Sum of openCents.
    Cents openCents() const;

private:
    struct Application
    {
        int invoice = 0; // index in m_invoices
        Cents cents = 0;
    };
    struct Source // a payment or a credit
    {
        QString paymentCommandId; // empty for a credit
        Cents unappliedCents = 0;
        QVector<Application> applied;
    };

    void applyTo(Source &source, int invoice, Cents cents);
    // Money waiting goes to the oldest open invoices, in the order it was received. It starts
    // at the cursors, so a long history costs each event only what it changes, not a new scan.
    void settle();

    QVector<OpenInvoice> m_invoices;
    QVector<Source> m_sources;
    int m_firstOpen = 0; // no invoice before it is open (a reversal may move it back)
    int m_firstWaiting = 0; // no source before it has money waiting
    int m_paymentTermsDays = 30;
};

// Aging: what is open, by how long it has been past due at a time.
enum class AgingBucket { Current, Days1To30, Days31To60, Days61To90, Over90, Count };

// Not yet due (asOf up to due, inclusive) is Current; otherwise the days past due, a part of a
// day counting as a day: one millisecond late is 1 day, 30 days and one millisecond is 31.
AgingBucket agingBucketOf(const QDateTime &due, const QDateTime &asOf);

struct AgingLine
{
    QString accountId; // empty for the total
    std::array<Cents, static_cast<int>(AgingBucket::Count)> cents {};

    Cents totalCents() const;
    bool isEmpty() const { return totalCents() == 0; }
    void add(const AgingLine &other);
    // {"accountId"?, "currentCents", "current", "days1to30Cents", "days1to30", ...,
    //  "totalCents", "total"}
    QJsonObject toJson() const;
};

// The aging of one account's open items at a time.
AgingLine agingOf(const QString &accountId, const OpenItems &items, const QDateTime &asOf);

} // namespace waybill
