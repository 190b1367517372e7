// Every (state, command) pair of the shipment: legal ones give the right events and state,
// illegal ones a rejection that says why.
#include "domain/accountreducer.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "domain/timeformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace waybill;

namespace {

QJsonObject address(const QString &name)
{
    return { { QStringLiteral("name"), name },
        { QStringLiteral("line1"), QStringLiteral("1 Main St") },
        { QStringLiteral("city"), QStringLiteral("Des Moines") },
        { QStringLiteral("state"), QStringLiteral("IA") },
        { QStringLiteral("zip"), QStringLiteral("50309") } };
}

Command command(CommandType type, QJsonObject data = {})
{
    Command c;
    c.id = QStringLiteral("cmd-%1").arg(commandTypeName(type));
    c.type = type;
    c.streamId = shipmentStreamId(QStringLiteral("s1"));
    c.data = std::move(data);
    c.user = QStringLiteral("clerk");
    c.acceptedAt = QDateTime(QDate(2026, 11, 27), QTime(10, 0), QTimeZone::utc());
    return c;
}

Command commandFor(const QString &name)
{
    if (name == QLatin1String("submit"))
        return command(CommandType::Submit,
            { { QStringLiteral("shipFrom"), address(QStringLiteral("A")) },
                { QStringLiteral("shipTo"), address(QStringLiteral("B")) },
                { QStringLiteral("weightInPounds"), 10 },
                { QStringLiteral("billToAccountId"), QStringLiteral("acct-1") } });
    if (name == QLatin1String("assign"))
        return command(
            CommandType::Assign, { { QStringLiteral("truckId"), QStringLiteral("t2") } });
    if (name == QLatin1String("ship"))
        return command(CommandType::Ship);
    if (name == QLatin1String("deliver"))
        return command(
            CommandType::Deliver, { { QStringLiteral("signedBy"), QStringLiteral("Pat") } });
    if (name == QLatin1String("amend"))
        return command(CommandType::Amend,
            { { QStringLiteral("weightInPounds"), 20 },
                { QStringLiteral("reason"), QStringLiteral("weighed at the dock") } });
    if (name == QLatin1String("reschedule"))
        return command(CommandType::Reschedule,
            { { QStringLiteral("deliveryWindow"),
                  QJsonObject { { QStringLiteral("from"), QStringLiteral("2026-12-01T08:00:00Z") },
                      { QStringLiteral("to"), QStringLiteral("2026-12-01T12:00:00Z") } } },
                { QStringLiteral("reason"), QStringLiteral("dock closed") } });
    return command(
        CommandType::Cancel, { { QStringLiteral("reason"), QStringLiteral("customer called") } });
}

RecordedEvent record(const ShipmentState &s, const NewEvent &e, int secondsIn)
{
    RecordedEvent r;
    r.position = s.version + 1;
    r.streamId = shipmentStreamId(QStringLiteral("s1"));
    r.version = s.version + 1;
    r.type = e.type;
    r.data = e.data;
    r.timestamp = QDateTime(QDate(2026, 11, 27), QTime(10, 0, secondsIn), QTimeZone::utc());
    return r;
}

// Drives a shipment to a status through legal commands only. A refused step fails the calling
// test (QVERIFY, so also in release builds); the caller returns when QTest::currentTestFailed().
void driveTo(ShipmentStatus status, ShipmentState *s)
{
    *s = {};
    if (status == ShipmentStatus::None)
        return;
    const RateTable rates;
    QStringList path { QStringLiteral("submit") };
    if (status == ShipmentStatus::Assigned || status == ShipmentStatus::Shipped
        || status == ShipmentStatus::Delivered) {
        path << QStringLiteral("assign");
    }
    if (status == ShipmentStatus::Shipped || status == ShipmentStatus::Delivered)
        path << QStringLiteral("ship");
    if (status == ShipmentStatus::Delivered)
        path << QStringLiteral("deliver");
    if (status == ShipmentStatus::Cancelled)
        path << QStringLiteral("cancel");
    int second = 0;
    for (const QString &step : path) {
        Command c = commandFor(step);
        if (step == QLatin1String("assign"))
            c.data = { { QStringLiteral("truckId"), QStringLiteral("t1") } };
        const Decision d = decideShipment(*s, c, Rules { rates });
        QVERIFY2(!d.isRejected(),
            qPrintable(QStringLiteral("setting up: %1 was refused: %2").arg(step, d.rejection)));
        for (const NewEvent &e : d.events)
            *s = applyShipment(*s, record(*s, e, ++second));
    }
    QVERIFY2(s->status == status, "setting up: the legal path did not reach the status asked for");
}

} // namespace

class TestShipmentReducer final : public QObject
{
    Q_OBJECT
private slots:
    void aShipmentsSearchTextIsItsIdAndAddressesLowerCasedALineEach();
    void everyStateAndCommandPairIsDecided_data();
    void everyStateAndCommandPairIsDecided();
    void reassignmentRecordsThePreviousTruck();
    void assigningTheSameTruckAgainIsRejected();
    void submitPricesTenPoundsAtExactlyTwoDollarsEighty();
    void paymentAddsAndInvoiceSubtractsInCents();
    void accountRejectsShipmentCommands();
};

void TestShipmentReducer::everyStateAndCommandPairIsDecided_data()
{
    QTest::addColumn<int>("from");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("event"); // empty when rejected
    QTest::addColumn<int>("to");
    QTest::addColumn<QString>("rejectionMentions"); // words the rejection must contain

    using S = ShipmentStatus;
    struct Row
    {
        S from;
        const char *command;
        const char *event;
        S to;
        const char *why;
    };
    const Row rows[] = {
        { S::None, "submit", "submitted", S::Submitted, "" },
        { S::None, "assign", "", S::None, "does not exist" },
        { S::None, "ship", "", S::None, "does not exist" },
        { S::None, "deliver", "", S::None, "does not exist" },
        { S::None, "cancel", "", S::None, "does not exist" },
        { S::Submitted, "submit", "", S::Submitted, "already exists" },
        { S::Submitted, "assign", "assigned", S::Assigned, "" },
        { S::Submitted, "ship", "", S::Submitted, "only an Assigned shipment can be shipped" },
        { S::Submitted, "deliver", "", S::Submitted, "only a Shipped shipment can be delivered" },
        { S::Submitted, "cancel", "cancelled", S::Cancelled, "" },
        { S::Assigned, "submit", "", S::Assigned, "already exists" },
        { S::Assigned, "assign", "assigned", S::Assigned, "" },
        { S::Assigned, "ship", "shipped", S::Shipped, "" },
        { S::Assigned, "deliver", "", S::Assigned, "only a Shipped shipment can be delivered" },
        { S::Assigned, "cancel", "cancelled", S::Cancelled, "" },
        { S::Shipped, "submit", "", S::Shipped, "already exists" },
        { S::Shipped, "assign", "", S::Shipped, "is Shipped" },
        { S::Shipped, "ship", "", S::Shipped, "is Shipped" },
        { S::Shipped, "deliver", "delivered", S::Delivered, "" },
        { S::Shipped, "cancel", "", S::Shipped, "is Shipped" },
        { S::Delivered, "submit", "", S::Delivered, "already exists" },
        { S::Delivered, "assign", "", S::Delivered, "is Delivered" },
        { S::Delivered, "ship", "", S::Delivered, "is Delivered" },
        { S::Delivered, "deliver", "", S::Delivered, "is Delivered" },
        { S::Delivered, "cancel", "", S::Delivered, "is Delivered" },
        { S::Cancelled, "submit", "", S::Cancelled, "already exists" },
        { S::Cancelled, "assign", "", S::Cancelled, "is Cancelled" },
        { S::Cancelled, "ship", "", S::Cancelled, "is Cancelled" },
        { S::Cancelled, "deliver", "", S::Cancelled, "is Cancelled" },
        { S::Cancelled, "cancel", "", S::Cancelled, "is Cancelled" },
        // Corrections.
        { S::None, "amend", "", S::None, "does not exist" },
        { S::Submitted, "amend", "amended", S::Submitted, "" },
        { S::Assigned, "amend", "amended", S::Assigned, "" },
        { S::Shipped, "amend", "", S::Shipped,
            "only a Submitted or Assigned shipment can be amended" },
        { S::Delivered, "amend", "", S::Delivered, "is Delivered" },
        { S::Cancelled, "amend", "", S::Cancelled, "is Cancelled" },
        { S::None, "reschedule", "", S::None, "does not exist" },
        { S::Submitted, "reschedule", "rescheduled", S::Submitted, "" },
        { S::Assigned, "reschedule", "rescheduled", S::Assigned, "" },
        { S::Shipped, "reschedule", "rescheduled", S::Shipped, "" },
        { S::Delivered, "reschedule", "", S::Delivered, "is Delivered" },
        { S::Cancelled, "reschedule", "", S::Cancelled, "is Cancelled" },
    };
    for (const Row &r : rows) {
        const QString from
            = r.from == S::None ? QStringLiteral("none") : shipmentStatusName(r.from);
        QTest::addRow("%s %s -> %s", qPrintable(from), r.command, *r.event ? r.event : "rejected")
            << static_cast<int>(r.from) << QString::fromLatin1(r.command)
            << QString::fromLatin1(r.event) << static_cast<int>(r.to) << QString::fromLatin1(r.why);
    }
}

void TestShipmentReducer::everyStateAndCommandPairIsDecided()
{
    QFETCH(int, from);
    QFETCH(QString, command);
    QFETCH(QString, event);
    QFETCH(int, to);
    QFETCH(QString, rejectionMentions);

    ShipmentState before;
    driveTo(static_cast<ShipmentStatus>(from), &before);
    if (QTest::currentTestFailed())
        return;
    const Decision decision = decideShipment(before, commandFor(command), Rules {});
    if (event.isEmpty()) {
        QVERIFY2(decision.isRejected(), "an illegal command must be rejected");
        QVERIFY2(decision.events.isEmpty(), "a rejection records no event");
        QVERIFY2(decision.rejection.contains(rejectionMentions),
            qPrintable(QStringLiteral("rejection \"%1\" should say \"%2\"")
                           .arg(decision.rejection, rejectionMentions)));
        return;
    }
    QVERIFY2(!decision.isRejected(), qPrintable(decision.rejection));
    QCOMPARE(decision.events.size(), 1);
    QCOMPARE(decision.events.first().type, event);
    const ShipmentState after = applyShipment(before, record(before, decision.events.first(), 30));
    QCOMPARE(static_cast<int>(after.status), to);
    QCOMPARE(after.version, before.version + 1);
    QCOMPARE(after.lastCommandTimestamp, record(before, decision.events.first(), 30).timestamp);
    if (event == QLatin1String("shipped"))
        QVERIFY(after.shipDate.isValid());
    if (event == QLatin1String("delivered")) {
        QVERIFY(after.deliveredDate.isValid());
        QCOMPARE(after.signedBy, QStringLiteral("Pat"));
    }
    if (event == QLatin1String("cancelled"))
        QCOMPARE(after.cancelReason, QStringLiteral("customer called"));
    if (event == QLatin1String("assigned"))
        QCOMPARE(after.assignedToTruck, QStringLiteral("t2"));
    if (event == QLatin1String("amended")) {
        // Re-priced at the new weight; the reason is in the event.
        QCOMPARE(after.weightInPounds, 20.0);
        QCOMPARE(after.costCents, Cents(560));
        QCOMPARE(decision.events.first().data.value(QStringLiteral("reason")).toString(),
            QStringLiteral("weighed at the dock"));
    }
    if (event == QLatin1String("rescheduled")) {
        QVERIFY(after.deliveryWindow.has_value());
        QCOMPARE(toIsoUtc(after.deliveryWindow->to), QStringLiteral("2026-12-01T12:00:00.000Z"));
        QCOMPARE(after.status, before.status);
    }
}

void TestShipmentReducer::reassignmentRecordsThePreviousTruck()
{
    ShipmentState assigned;
    driveTo(ShipmentStatus::Assigned, &assigned);
    ShipmentState submitted;
    driveTo(ShipmentStatus::Submitted, &submitted);
    if (QTest::currentTestFailed())
        return;
    const Decision d = decideShipment(assigned, commandFor(QStringLiteral("assign")), Rules {});
    QVERIFY(!d.isRejected());
    QCOMPARE(d.events.first().data.value(QStringLiteral("previousTruckId")).toString(),
        QStringLiteral("t1"));
    QCOMPARE(
        d.events.first().data.value(QStringLiteral("truckId")).toString(), QStringLiteral("t2"));
    const Decision first
        = decideShipment(submitted, commandFor(QStringLiteral("assign")), Rules {});
    QVERIFY2(!first.events.first().data.contains(QStringLiteral("previousTruckId")),
        "a first assignment has no previous truck");
}

void TestShipmentReducer::assigningTheSameTruckAgainIsRejected()
{
    Command again = commandFor(QStringLiteral("assign"));
    again.data = { { QStringLiteral("truckId"), QStringLiteral("t1") } };
    ShipmentState assigned;
    driveTo(ShipmentStatus::Assigned, &assigned);
    if (QTest::currentTestFailed())
        return;
    const Decision d = decideShipment(assigned, again, Rules {});
    QVERIFY(d.isRejected());
    QVERIFY2(d.rejection.contains(QStringLiteral("already assigned to truck t1")),
        qPrintable(d.rejection));
}

void TestShipmentReducer::submitPricesTenPoundsAtExactlyTwoDollarsEighty()
{
    const Decision d
        = decideShipment(ShipmentState {}, commandFor(QStringLiteral("submit")), Rules {});
    QCOMPARE(d.events.first().data.value(QStringLiteral("costCents")).toInteger(), 280);
    QCOMPARE(QJsonDocument(d.events.first().data)
                 .toJson(QJsonDocument::Compact)
                 .contains("\"cost\":2.8,"),
        true);
    const RateTable withMinimum = RateTable::flat(28, 500);
    const Decision m = decideShipment(
        ShipmentState {}, commandFor(QStringLiteral("submit")), Rules { withMinimum });
    QCOMPARE(m.events.first().data.value(QStringLiteral("costCents")).toInteger(), 500);
}

void TestShipmentReducer::paymentAddsAndInvoiceSubtractsInCents()
{
    Command pay;
    pay.type = CommandType::Payment;
    pay.streamId = accountStreamId(QStringLiteral("acct-1"));
    pay.data = { { QStringLiteral("amount"), 10.1 }, { QStringLiteral("amountCents"), 1010 } };
    AccountState a;
    const Decision paid = decideAccount(a, pay);
    QVERIFY(!paid.isRejected());
    RecordedEvent e;
    e.streamId = pay.streamId;
    e.version = 1;
    e.type = paid.events.first().type;
    e.data = paid.events.first().data;
    a = applyAccount(a, e);
    Command invoice;
    invoice.type = CommandType::Invoice;
    invoice.streamId = pay.streamId;
    invoice.data = { { QStringLiteral("shipmentId"), QStringLiteral("s1") },
        { QStringLiteral("amountCents"), 280 } };
    AccountContext numbered;
    numbered.invoiceNumber = 1;
    numbered.now = QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC);
    const Decision billed = decideAccount(a, invoice, Rules {}, numbered);
    QVERIFY2(!billed.isRejected(), qPrintable(billed.rejection));
    QCOMPARE(billed.events.first().type, EventType::Invoiced);
    e.version = 2;
    e.type = billed.events.first().type;
    e.data = billed.events.first().data;
    a = applyAccount(a, e);
    QCOMPARE(a.balanceCents, 1010 - 280);
    QCOMPARE(a.id, QStringLiteral("acct-1"));
    QCOMPARE(a.toJson().value(QStringLiteral("balance")).toDouble(), 7.3);
}

void TestShipmentReducer::accountRejectsShipmentCommands()
{
    Command ship = commandFor(QStringLiteral("ship"));
    ship.streamId = accountStreamId(QStringLiteral("a"));
    QVERIFY(decideAccount(AccountState {}, ship).isRejected());
}

// What the list's search matches: the id, then each address's name, lines, city, state and zip,
// a line each (an empty second line left out), lower-cased whatever the script.
void TestShipmentReducer::aShipmentsSearchTextIsItsIdAndAddressesLowerCasedALineEach()
{
    ShipmentState s;
    s.id = QStringLiteral("GP-0042");
    s.shipFrom = { QStringLiteral("Acme Grain Co-Op"), QStringLiteral("100 Elevator Rd"), QString(),
        QStringLiteral("Salina"), QStringLiteral("KS"), QStringLiteral("67401") };
    s.shipTo = { QStringLiteral("Müller & Söhne"), QStringLiteral("Dock 7"),
        QStringLiteral("ÅSTRÖM BUILDING, Suite Ω"), QStringLiteral("Omaha"), QStringLiteral("NE"),
        QStringLiteral("68102") };
    QCOMPARE(s.searchText(),
        QStringLiteral("gp-0042\nacme grain co-op\n100 elevator rd\nsalina\nks\n67401\n"
                       "müller & söhne\ndock 7\nåström building, suite ω\nomaha\nne\n68102"));
    QCOMPARE(ShipmentState().searchText(), QStringLiteral("\n\n\n\n\n\n\n\n\n\n"));
}

QTEST_GUILESS_MAIN(TestShipmentReducer)
#include "tst_shipmentreducer.moc"
