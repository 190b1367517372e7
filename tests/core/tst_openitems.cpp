// Open items and aging on hand-computed histories: how payments, credits (with and without a
// shipment) and reversals are applied to an account's invoices, and which bucket an amount past
// due falls in, to the cent and to the millisecond.
#include "domain/accountreducer.h"
#include "domain/invoicenumber.h"
#include "domain/openitems.h"
#include "domain/timeformat.h"

#include <QRandomGenerator>
#include <QTest>

Q_DECLARE_METATYPE(waybill::RecordedEvent)

using namespace waybill;

namespace {

const QDateTime kStart(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC);

// An account's history, written event by event as the engine records them.
class History final
{
public:
    QVector<RecordedEvent> events;

    History &open(int termsDays)
    {
        return add(EventType::Opened, { { QStringLiteral("paymentTermsDays"), termsDays } });
    }
    History &terms(int termsDays)
    {
        return add(EventType::Updated, { { QStringLiteral("paymentTermsDays"), termsDays } });
    }
    // An invoice as the engine records it (numbered, issued now, due after the terms given).
    History &invoice(const QString &shipment, Cents cents, int termsDays = 30)
    {
        const QDateTime now = next();
        return add(EventType::Invoiced,
            { { QStringLiteral("shipmentId"), shipment },
                { QStringLiteral("amountCents"), double(cents) },
                { QStringLiteral("invoiceNumber"), invoiceNumberText(++m_invoices) },
                { QStringLiteral("issued"), toIsoUtc(now) },
                { QStringLiteral("due"), toIsoUtc(invoiceDue(now, termsDays)) } },
            now);
    }
    // An invoice of the first release: no number, no dates.
    History &oldInvoice(const QString &shipment, Cents cents)
    {
        ++m_invoices;
        return add(EventType::Invoiced,
            { { QStringLiteral("shipmentId"), shipment },
                { QStringLiteral("amountCents"), double(cents) } });
    }
    History &payment(const QString &commandId, Cents cents)
    {
        return add(EventType::PaymentReceived, { { QStringLiteral("amountCents"), double(cents) } },
            {}, commandId);
    }
    History &credit(Cents cents, const QString &shipment = {})
    {
        QJsonObject data { { QStringLiteral("amountCents"), double(cents) },
            { QStringLiteral("reason"), QStringLiteral("goodwill") } };
        if (!shipment.isEmpty())
            data.insert(QStringLiteral("shipmentId"), shipment);
        return add(EventType::Credited, data);
    }
    History &reverse(const QString &paymentCommandId, Cents cents)
    {
        return add(EventType::PaymentReversed,
            { { QStringLiteral("paymentCommandId"), paymentCommandId },
                { QStringLiteral("amountCents"), double(cents) },
                { QStringLiteral("reason"), QStringLiteral("bounced") } });
    }

    OpenItems fold(int upTo = -1) const
    {
        OpenItems items;
        qint64 invoices = 0;
        for (int i = 0; i < events.size() && (upTo < 0 || i < upTo); ++i) {
            if (events[i].type == EventType::Invoiced)
                ++invoices;
            items.apply(events[i], invoices);
        }
        return items;
    }
    AccountState state() const
    {
        AccountState a;
        for (const RecordedEvent &e : events)
            a = applyAccount(a, e);
        return a;
    }

private:
    QDateTime next() { return kStart.addSecs(60 * events.size()); }
    History &add(const QString &type, const QJsonObject &data, QDateTime at = {},
        const QString &commandId = {})
    {
        RecordedEvent e;
        e.position = events.size() + 1;
        e.streamId = QStringLiteral("account-acme");
        e.version = events.size() + 1;
        e.type = type;
        e.timestamp = at.isValid() ? at : next();
        e.commandId = commandId.isEmpty() ? QStringLiteral("c%1").arg(e.position) : commandId;
        e.data = data;
        events.append(e);
        return *this;
    }
    qint64 m_invoices = 0;
};

// "INV-000001 open 1800" for each invoice, and what is waiting.
QStringList describe(const OpenItems &items)
{
    QStringList lines;
    for (const OpenInvoice &i : items.invoices())
        lines << QStringLiteral("%1 %2 %3")
                     .arg(invoiceNumberText(i.number), i.status())
                     .arg(i.openCents);
    lines << QStringLiteral("unapplied %1").arg(items.unappliedCents());
    return lines;
}

} // namespace

class TestOpenItems final : public QObject
{
    Q_OBJECT
private slots:
    void paymentsAndCreditsAreAppliedAsTheContractSays_data();
    void paymentsAndCreditsAreAppliedAsTheContractSays();
    void eachPointOfAHistoryShowsItsOwnOpenItems();
    void anInvoiceOfTheFirstReleaseIsDatedFromItsEventAndTheTermsThen();
    void openLessUnappliedIsAlwaysWhatTheAccountOwes();
    void agingBucketsMeetAtTheirEdgesToTheMillisecond_data();
    void agingBucketsMeetAtTheirEdgesToTheMillisecond();
    void agingOfAnAccountSumsItsOpenItemsByBucket();
};

void TestOpenItems::paymentsAndCreditsAreAppliedAsTheContractSays_data()
{
    QTest::addColumn<QVector<RecordedEvent>>("events");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("a payment goes to the oldest open invoice first")
        << History().invoice("s1", 2800).invoice("s2", 5600).payment("p1", 1000).events
        << QStringList { "INV-000001 open 1800", "INV-000002 open 5600", "unapplied 0" };
    QTest::newRow("a payment larger than the oldest goes on to the next")
        << History().invoice("s1", 2800).invoice("s2", 5600).payment("p1", 4000).events
        << QStringList { "INV-000001 paid 0", "INV-000002 open 4400", "unapplied 0" };
    QTest::newRow("partial payments add up to paid")
        << History()
               .invoice("s1", 2800)
               .payment("p1", 1000)
               .payment("p2", 1799)
               .payment("p3", 1)
               .events
        << QStringList { "INV-000001 paid 0", "unapplied 0" };
    QTest::newRow("an overpayment waits for the next invoice")
        << History().invoice("s1", 2800).payment("p1", 3000).invoice("s2", 5600).events
        << QStringList { "INV-000001 paid 0", "INV-000002 open 5400", "unapplied 0" };
    QTest::newRow("a prepayment waits, then pays")
        << History().payment("p1", 1000).events << QStringList { "unapplied 1000" };
    QTest::newRow("a credit with a shipment goes to its invoice first")
        << History().invoice("s1", 2800).invoice("s2", 5600).credit(500, "s2").events
        << QStringList { "INV-000001 open 2800", "INV-000002 open 5100", "unapplied 0" };
    QTest::newRow("the rest of a credit with a shipment goes to the oldest")
        << History().invoice("s1", 2800).invoice("s2", 5600).credit(6000, "s2").events
        << QStringList { "INV-000001 open 2400", "INV-000002 credited 0", "unapplied 0" };
    QTest::newRow("a credit without a shipment goes to the oldest")
        << History().invoice("s1", 2800).invoice("s2", 5600).credit(500).events
        << QStringList { "INV-000001 open 2300", "INV-000002 open 5600", "unapplied 0" };
    QTest::newRow("a credit for a shipment not invoiced yet waits like a payment")
        << History().invoice("s1", 2800).credit(3000, "s9").invoice("s9", 1400).events
        << QStringList { "INV-000001 credited 0", "INV-000002 open 1200", "unapplied 0" };
    QTest::newRow("a credit for a shipment already settled goes to the oldest open")
        << History()
               .invoice("s1", 2800)
               .invoice("s2", 5600)
               .payment("p1", 2800)
               .credit(100, "s1")
               .events
        << QStringList { "INV-000001 paid 0", "INV-000002 open 5500", "unapplied 0" };
    QTest::newRow("settled by payments and credits is paid")
        << History().invoice("s1", 2800).credit(800, "s1").payment("p1", 2000).events
        << QStringList { "INV-000001 paid 0", "unapplied 0" };
    QTest::newRow("a reversal reopens what its payment paid")
        << History().invoice("s1", 2800).payment("p1", 1000).reverse("p1", 1000).events
        << QStringList { "INV-000001 open 2800", "unapplied 0" };
    QTest::newRow("a reversal reopens every invoice its payment paid")
        << History()
               .invoice("s1", 2800)
               .invoice("s2", 5600)
               .payment("p1", 4000)
               .payment("p2", 1000)
               .reverse("p1", 4000)
               .events
        // p2 paid 1000 of INV-2; p1's 2800 and 1200 come back.
        << QStringList { "INV-000001 open 2800", "INV-000002 open 4600", "unapplied 0" };
    QTest::newRow("a reversal takes back what of it was waiting")
        << History().invoice("s1", 2800).payment("p1", 3000).reverse("p1", 3000).events
        << QStringList { "INV-000001 open 2800", "unapplied 0" };
    QTest::newRow("money waiting goes to the invoices a reversal reopens")
        << History()
               .invoice("s1", 2800)
               .payment("p1", 2800)
               .payment("p2", 1000)
               .reverse("p1", 2800)
               .events
        << QStringList { "INV-000001 open 1800", "unapplied 0" };
    QTest::newRow("an invoice a reversal reopens behind later paid ones takes what waits first")
        << History()
               .invoice("s1", 2800)
               .invoice("s2", 5600)
               .payment("p1", 2800)
               .payment("p2", 6000)
               .reverse("p1", 2800)
               .invoice("s3", 1000)
               .events
        // p2 paid INV-2 and 400 of it waited: it goes to INV-1, reopened, not to INV-3.
        << QStringList { "INV-000001 open 2400", "INV-000002 paid 0", "INV-000003 open 1000",
               "unapplied 0" };
    QTest::newRow("the other payments stay where they were applied")
        << History()
               .invoice("s1", 2800)
               .invoice("s2", 5600)
               .payment("p1", 1000)
               .credit(500, "s2")
               .payment("p2", 3000)
               .reverse("p1", 1000)
               .credit(6000)
               .invoice("s3", 8400)
               .events
        << QStringList { "INV-000001 paid 0", "INV-000002 paid 0", "INV-000003 open 7300",
               "unapplied 0" };
    QTest::newRow("a zero invoice is paid")
        << History().invoice("s1", 0).events << QStringList { "INV-000001 paid 0", "unapplied 0" };
}

void TestOpenItems::paymentsAndCreditsAreAppliedAsTheContractSays()
{
    QFETCH(QVector<RecordedEvent>, events);
    QFETCH(QStringList, expected);
    History h;
    h.events = events;
    QCOMPARE(describe(h.fold()), expected);
}

// The history of the HTTP test, step by step: what was open after each event.
void TestOpenItems::eachPointOfAHistoryShowsItsOwnOpenItems()
{
    History h;
    h.open(30)
        .invoice("s1", 2800)
        .invoice("s2", 5600)
        .payment("p1", 1000)
        .credit(500, "s2")
        .payment("p2", 3000)
        .reverse("p1", 1000)
        .credit(6000)
        .invoice("s3", 8400);
    const QList<QStringList> expected {
        { "unapplied 0" },
        { "INV-000001 open 2800", "unapplied 0" },
        { "INV-000001 open 2800", "INV-000002 open 5600", "unapplied 0" },
        { "INV-000001 open 1800", "INV-000002 open 5600", "unapplied 0" },
        { "INV-000001 open 1800", "INV-000002 open 5100", "unapplied 0" },
        { "INV-000001 paid 0", "INV-000002 open 3900", "unapplied 0" },
        { "INV-000001 open 1000", "INV-000002 open 3900", "unapplied 0" },
        { "INV-000001 paid 0", "INV-000002 paid 0", "unapplied 1100" },
        { "INV-000001 paid 0", "INV-000002 paid 0", "INV-000003 open 7300", "unapplied 0" },
    };
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(describe(h.fold(i + 1)), expected.at(i));
}

void TestOpenItems::anInvoiceOfTheFirstReleaseIsDatedFromItsEventAndTheTermsThen()
{
    History h;
    h.oldInvoice("s1", 2800).open(45).oldInvoice("s2", 1400).terms(10).invoice("s3", 700, 10);
    const OpenItems items = h.fold();
    QCOMPARE(items.invoices().size(), 3);
    const OpenInvoice &first = items.invoices().at(0);
    QCOMPARE(first.number, qint64(1)); // given by its place in the log
    QCOMPARE(first.issued, h.events.at(0).timestamp);
    QCOMPARE(first.due, h.events.at(0).timestamp.addDays(30)); // never opened then: 30 days
    const OpenInvoice &second = items.invoices().at(1);
    QCOMPARE(second.number, qint64(2));
    QCOMPARE(second.due, h.events.at(2).timestamp.addDays(45)); // the terms when it was issued
    const OpenInvoice &third = items.invoices().at(2);
    QCOMPARE(third.number, qint64(3));
    QCOMPARE(third.due, h.events.at(4).timestamp.addDays(10)); // as recorded
    QCOMPARE(first.toJson().value(QStringLiteral("invoiceNumber")).toString(),
        QStringLiteral("INV-000001"));
    QCOMPARE(first.toJson().value(QStringLiteral("open")).toDouble(), 28.0);
}

void TestOpenItems::openLessUnappliedIsAlwaysWhatTheAccountOwes()
{
    // Random histories of every kind of money event: after each event, what is open less what
    // waits is minus the balance the account reducer keeps, and nothing is ever negative.
    QRandomGenerator random(20261130);
    for (int round = 0; round < 200; ++round) {
        History h;
        QStringList payments;
        for (int step = 0; step < 30; ++step) {
            const Cents cents = 1 + random.bounded(9000);
            switch (random.bounded(5)) {
            case 0:
            case 1:
                h.invoice(QStringLiteral("s%1").arg(step), cents);
                break;
            case 2:
                payments << QStringLiteral("p%1").arg(step);
                h.payment(payments.last(), cents);
                break;
            case 3:
                h.credit(cents,
                    random.bounded(2) ? QStringLiteral("s%1").arg(random.bounded(step + 1))
                                      : QString());
                break;
            default:
                if (!payments.isEmpty()) {
                    const QString p = payments.takeAt(random.bounded(payments.size()));
                    Cents paid = 0;
                    for (const RecordedEvent &e : std::as_const(h.events)) {
                        if (e.commandId == p)
                            paid = e.data.value(QStringLiteral("amountCents")).toInteger();
                    }
                    h.reverse(p, paid);
                }
                break;
            }
            const OpenItems items = h.fold();
            QCOMPARE(items.openCents() - items.unappliedCents(), -h.state().balanceCents);
            for (const OpenInvoice &i : items.invoices()) {
                QVERIFY(i.openCents >= 0 && i.openCents <= i.amountCents);
                QCOMPARE(i.openCents + i.paidCents + i.creditedCents, i.amountCents);
            }
            // Money waits only while no invoice is open.
            QVERIFY(items.unappliedCents() == 0 || items.openCents() == 0);
        }
    }
}

void TestOpenItems::agingBucketsMeetAtTheirEdgesToTheMillisecond_data()
{
    QTest::addColumn<qint64>("lateMs"); // asOf - due
    QTest::addColumn<int>("bucket");
    constexpr qint64 day = 24 * 60 * 60 * 1000;
    QTest::newRow("long before due") << -40 * day << int(AgingBucket::Current);
    QTest::newRow("due this very millisecond") << qint64(0) << int(AgingBucket::Current);
    QTest::newRow("one millisecond late") << qint64(1) << int(AgingBucket::Days1To30);
    QTest::newRow("30 days late") << 30 * day << int(AgingBucket::Days1To30);
    QTest::newRow("30 days and 1 ms late") << 30 * day + 1 << int(AgingBucket::Days31To60);
    QTest::newRow("60 days late") << 60 * day << int(AgingBucket::Days31To60);
    QTest::newRow("60 days and 1 ms late") << 60 * day + 1 << int(AgingBucket::Days61To90);
    QTest::newRow("90 days late") << 90 * day << int(AgingBucket::Days61To90);
    QTest::newRow("90 days and 1 ms late") << 90 * day + 1 << int(AgingBucket::Over90);
    QTest::newRow("years late") << 1000 * day << int(AgingBucket::Over90);
}

void TestOpenItems::agingBucketsMeetAtTheirEdgesToTheMillisecond()
{
    QFETCH(qint64, lateMs);
    QFETCH(int, bucket);
    QCOMPARE(int(agingBucketOf(kStart, kStart.addMSecs(lateMs))), bucket);
}

void TestOpenItems::agingOfAnAccountSumsItsOpenItemsByBucket()
{
    History h;
    h.invoice("s1", 2800, 0)
        .invoice("s2", 5600, 60)
        .invoice("s3", 8400, 90)
        .invoice("s4", 1400, 120);
    h.invoice("s5", 999, 0).payment("p1", 2800 + 5600 + 8400 + 1400 + 99); // s5 keeps 900 open
    const QDateTime asOf = h.events.at(0).timestamp.addDays(100);
    const AgingLine line = agingOf(QStringLiteral("acme"), h.fold(), asOf);
    const QJsonObject json = line.toJson();
    QCOMPARE(json.value(QStringLiteral("accountId")).toString(), QStringLiteral("acme"));
    QCOMPARE(json.value(QStringLiteral("currentCents")).toInteger(), 0);
    QCOMPARE(json.value(QStringLiteral("days1to30Cents")).toInteger(), 0);
    QCOMPARE(json.value(QStringLiteral("days31to60Cents")).toInteger(), 0);
    QCOMPARE(json.value(QStringLiteral("days61to90Cents")).toInteger(), 0);
    QCOMPARE(json.value(QStringLiteral("over90Cents")).toInteger(), 900);
    QCOMPARE(json.value(QStringLiteral("over90")).toDouble(), 9.0);
    QCOMPARE(json.value(QStringLiteral("totalCents")).toInteger(), 900);

    History open;
    open.invoice("s1", 2800, 0)
        .invoice("s2", 5600, 60)
        .invoice("s3", 8400, 90)
        .invoice("s4", 1401, 120);
    const AgingLine all = agingOf(QStringLiteral("acme"), open.fold(), asOf);
    // Issued a minute apart: 100 days late, 40 days less 1 minute, 10 days less 2, not yet due.
    QCOMPARE(all.cents[size_t(AgingBucket::Over90)], Cents(2800));
    QCOMPARE(all.cents[size_t(AgingBucket::Days31To60)], Cents(5600));
    QCOMPARE(all.cents[size_t(AgingBucket::Days1To30)], Cents(8400));
    QCOMPARE(all.cents[size_t(AgingBucket::Current)], Cents(1401));
    QCOMPARE(all.totalCents(), Cents(18201));
    QCOMPARE(all.toJson().value(QStringLiteral("current")).toDouble(), 14.01);
}

QTEST_GUILESS_MAIN(TestOpenItems)
#include "tst_openitems.moc"
