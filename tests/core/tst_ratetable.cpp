// Rate tables: the lane that prices a shipment, the minimum, the fuel surcharge from its day,
// accessorials, the breakdown submit and amend record, and files refused with the line at fault.
#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "domain/ratetablefile.h"
#include "domain/shipmentreducer.h"
#include "domain/timeformat.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace waybill;

namespace {

// The contract's example, with more lanes and a second surcharge. The least specific lane comes
// first, so that the file's order never stands in for precedence.
const QByteArray kTable = R"({
  "version": "2026-12",
  "lanes": [
    {"from": "*", "to": "*", "centsPerPound": 28, "minimumCents": 0},
    {"from": "*", "to": "OK", "centsPerPound": 29},
    {"from": "TX", "to": "*", "centsPerPound": 30, "minimumCents": 0},
    {"from": "TX", "to": "OK", "centsPerPound": 31, "minimumCents": 7500}
  ],
  "fuelSurcharge": [
    {"from": "2026-01-01", "percent": 12.5},
    {"from": "2026-03-01", "percent": 15}
  ],
  "accessorials": {"liftgate": 4500, "residential": 1999, "appointment": 1000}
})";

RateTable table()
{
    RateTableFault fault;
    const std::optional<RateTable> t = parseRateTable(kTable, &fault);
    if (!t)
        qFatal(
            "the test's rate table is refused: line %d: %s", fault.line, qPrintable(fault.message));
    return *t;
}

QDateTime at(const char *iso)
{
    return *parseIsoUtc(QString::fromLatin1(iso));
}

QJsonObject address(const QString &state)
{
    return { { QStringLiteral("name"), QStringLiteral("Dock") },
        { QStringLiteral("line1"), QStringLiteral("1 Main St") },
        { QStringLiteral("city"), QStringLiteral("Town") }, { QStringLiteral("state"), state },
        { QStringLiteral("zip"), QStringLiteral("75001") } };
}

Command command(CommandType type, const QJsonObject &body, const QDateTime &acceptedAt)
{
    Command c;
    c.id = QStringLiteral("c-1");
    c.type = type;
    c.streamId = shipmentStreamId(QStringLiteral("S1"));
    c.user = QStringLiteral("clerk");
    c.acceptedAt = acceptedAt;
    const ValidationErrors errors = validateCommandBody(type, body, &c.data);
    if (!errors.isEmpty())
        qFatal("a test built an invalid body");
    return c;
}

QJsonObject submitBody(
    const QString &from, const QString &to, double weight, const QStringList &accessorials = {})
{
    QJsonObject body { { QStringLiteral("shipFrom"), address(from) },
        { QStringLiteral("shipTo"), address(to) }, { QStringLiteral("weightInPounds"), weight },
        { QStringLiteral("billToAccountId"), QStringLiteral("A1") } };
    if (!accessorials.isEmpty())
        body.insert(QStringLiteral("accessorials"), QJsonArray::fromStringList(accessorials));
    return body;
}

ShipmentState applied(const Decision &decision, ShipmentState state = {})
{
    for (const NewEvent &e : decision.events) {
        RecordedEvent r;
        r.streamId = shipmentStreamId(QStringLiteral("S1"));
        r.version = state.version + 1;
        r.type = e.type;
        r.data = e.data;
        r.timestamp = at("2026-06-01T12:00:00.000Z");
        state = applyShipment(state, r);
    }
    return state;
}

QString describe(const QVector<Charge> &charges)
{
    QStringList parts;
    for (const Charge &c : charges)
        parts << QStringLiteral("%1=%2").arg(c.code).arg(c.amountCents);
    return parts.join(QLatin1Char(' '));
}

} // namespace

class TestRateTable final : public QObject
{
    Q_OBJECT
private slots:
    void mostSpecificLaneWins_data();
    void mostSpecificLaneWins();
    void minimumChargeRaisesTheLinehaulOnly_data();
    void minimumChargeRaisesTheLinehaulOnly();
    void fuelSurchargeAppliesFromItsEffectiveDayInUtc_data();
    void fuelSurchargeAppliesFromItsEffectiveDayInUtc();
    void accessorialsFollowInTheOrderAsked();
    void unknownAccessorialIsABadBody();
    void submitRecordsTheBreakdownAndTheTableVersion();
    void shipmentKeepsItsPriceWhenTheTableChanges_data();
    void shipmentKeepsItsPriceWhenTheTableChanges();
    void amendToAnAccessorialTheTableLacksIsRejected();
    void noFileMeansTheSingleLaneAt28CentsAPound();
    void badFileIsRefusedWithTheLineAtFault_data();
    void badFileIsRefusedWithTheLineAtFault();
    void shippedSampleTableIsAccepted();
};

void TestRateTable::mostSpecificLaneWins_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<qint64>("centsPerPound");
    QTest::newRow("both states named beats every wildcard") << "TX"
                                                            << "OK" << qint64(31);
    QTest::newRow("origin named when no lane names both") << "TX"
                                                          << "AR" << qint64(30);
    QTest::newRow("destination named when the origin is not") << "AR"
                                                              << "OK" << qint64(29);
    QTest::newRow("any to any when no lane names either") << "AR"
                                                          << "NM" << qint64(28);
    QTest::newRow("states are matched whatever their case") << "tx"
                                                            << "ok" << qint64(31);
}

void TestRateTable::mostSpecificLaneWins()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(qint64, centsPerPound);
    const RateTable rates = table();
    // Through the reducer, as a submit is priced: 1000 lb leaves the minimums behind.
    const Decision d = decideShipment(ShipmentState {},
        command(CommandType::Submit, submitBody(from, to, 1000), at("2025-06-01T00:00:00.000Z")),
        Rules { rates });
    QVERIFY2(!d.isRejected(), qPrintable(d.rejection));
    QCOMPARE(
        d.events.first().data.value(QStringLiteral("costCents")).toInteger(), centsPerPound * 1000);
}

void TestRateTable::minimumChargeRaisesTheLinehaulOnly_data()
{
    QTest::addColumn<double>("weight");
    QTest::addColumn<qint64>("linehaul");
    QTest::addColumn<qint64>("fuel");
    // TX->OK: 31 cents a pound, at least 7500; 12.5 % fuel on the linehaul as raised.
    QTest::newRow("10 lb is 310, raised to the minimum 7500, fuel on 7500")
        << 10.0 << qint64(7500) << qint64(938);
    QTest::newRow("241.93 lb is 7499.83, rounds to 7500, the minimum itself")
        << 241.93 << qint64(7500) << qint64(938);
    QTest::newRow("242 lb is 7502, above the minimum") << 242.0 << qint64(7502) << qint64(938);
    QTest::newRow("1000 lb is 31000, fuel 3875") << 1000.0 << qint64(31000) << qint64(3875);
}

void TestRateTable::minimumChargeRaisesTheLinehaulOnly()
{
    QFETCH(double, weight);
    QFETCH(qint64, linehaul);
    QFETCH(qint64, fuel);
    const PriceQuote q = table().quote(QStringLiteral("TX"), QStringLiteral("OK"), weight,
        { QStringLiteral("liftgate") }, at("2026-02-01T00:00:00.000Z"));
    QVERIFY(q.ok());
    const QVector<Charge> expected { { QStringLiteral("linehaul"), linehaul },
        { QStringLiteral("fuel"), fuel }, { QStringLiteral("liftgate"), 4500 } };
    QCOMPARE(describe(q.charges), describe(expected));
    QCOMPARE(q.totalCents, linehaul + fuel + 4500);
}

void TestRateTable::fuelSurchargeAppliesFromItsEffectiveDayInUtc_data()
{
    QTest::addColumn<QString>("acceptedAt");
    QTest::addColumn<qint64>("fuel"); // on a linehaul of 28000 (1000 lb, 28 cents); -1: no line
    QTest::newRow("before the first surcharge: no fuel line")
        << "2025-12-31T23:59:59.999Z" << qint64(-1);
    QTest::newRow("the first millisecond of its day: 12.5 %")
        << "2026-01-01T00:00:00.000Z" << qint64(3500);
    QTest::newRow("the last millisecond before the next: still 12.5 %")
        << "2026-02-28T23:59:59.999Z" << qint64(3500);
    QTest::newRow("the next one's day: 15 %") << "2026-03-01T00:00:00.000Z" << qint64(4200);
    QTest::newRow("long after the last: the last stays in effect")
        << "2030-01-01T00:00:00.000Z" << qint64(4200);
    QTest::newRow("Feb 28 at 20:00 in Texas is Mar 1 in UTC: 15 %")
        << "2026-02-28T20:00:00.000-06:00" << qint64(4200);
}

void TestRateTable::fuelSurchargeAppliesFromItsEffectiveDayInUtc()
{
    QFETCH(QString, acceptedAt);
    QFETCH(qint64, fuel);
    const QDateTime when = QDateTime::fromString(acceptedAt, Qt::ISODateWithMs);
    QVERIFY(when.isValid());
    // The acceptance time is what counts (the reducer never reads a clock).
    const Decision d = decideShipment(ShipmentState {},
        command(CommandType::Submit, submitBody(QStringLiteral("AR"), QStringLiteral("NM"), 1000),
            when),
        Rules { table() });
    QVERIFY2(!d.isRejected(), qPrintable(d.rejection));
    const QVector<Charge> charges
        = chargesFromJson(d.events.first().data.value(QStringLiteral("charges")));
    QVector<Charge> expected { { QStringLiteral("linehaul"), 28000 } };
    if (fuel >= 0)
        expected.append({ QStringLiteral("fuel"), fuel });
    QCOMPARE(describe(charges), describe(expected));
    QCOMPARE(d.events.first().data.value(QStringLiteral("costCents")).toInteger(),
        28000 + qMax<qint64>(fuel, 0));
}

void TestRateTable::accessorialsFollowInTheOrderAsked()
{
    const PriceQuote q = table().quote(QStringLiteral("AR"), QStringLiteral("NM"), 100,
        { QStringLiteral("residential"), QStringLiteral("liftgate") },
        at("2025-01-01T00:00:00.000Z"));
    QVERIFY(q.ok());
    QCOMPARE(describe(q.charges), QStringLiteral("linehaul=2800 residential=1999 liftgate=4500"));
    QCOMPARE(q.totalCents, Cents(2800 + 1999 + 4500));
    QCOMPARE(q.rateTableVersion, QStringLiteral("2026-12"));
}

void TestRateTable::unknownAccessorialIsABadBody()
{
    QJsonObject body = submitBody(QStringLiteral("TX"), QStringLiteral("OK"), 10,
        { QStringLiteral("liftgate"), QStringLiteral("hazmat") });
    QJsonObject data;
    QVERIFY(validateCommandBody(CommandType::Submit, body, &data).isEmpty());
    const ValidationErrors errors = validateAccessorials(data, table());
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().path, (QJsonArray { QStringLiteral("accessorials"), 1 }));
    QVERIFY2(errors.first().message.contains(QLatin1String("hazmat")),
        qPrintable(errors.first().message));
    // Twice the same code is refused by the body's own rules.
    body.insert(QStringLiteral("accessorials"),
        QJsonArray { QStringLiteral("liftgate"), QStringLiteral("liftgate") });
    QCOMPARE(validateCommandBody(CommandType::Submit, body, &data).size(), 1);
    // And the reducer, should the table have changed since the command was accepted.
    const Decision d = decideShipment(ShipmentState {},
        command(CommandType::Submit,
            submitBody(
                QStringLiteral("TX"), QStringLiteral("OK"), 10, { QStringLiteral("hazmat") }),
            at("2026-06-01T00:00:00.000Z")),
        Rules { table() });
    QVERIFY(d.isRejected());
    QVERIFY2(d.rejection.contains(QLatin1String("hazmat")), qPrintable(d.rejection));
}

void TestRateTable::submitRecordsTheBreakdownAndTheTableVersion()
{
    const Decision d = decideShipment(ShipmentState {},
        command(CommandType::Submit,
            submitBody(QStringLiteral("TX"), QStringLiteral("OK"), 1000,
                { QStringLiteral("appointment") }),
            at("2026-01-15T09:00:00.000Z")),
        Rules { table() });
    QVERIFY2(!d.isRejected(), qPrintable(d.rejection));
    const QJsonObject data = d.events.first().data;
    QCOMPARE(data.value(QStringLiteral("rateTableVersion")).toString(), QStringLiteral("2026-12"));
    QCOMPARE(describe(chargesFromJson(data.value(QStringLiteral("charges")))),
        QStringLiteral("linehaul=31000 fuel=3875 appointment=1000"));
    QCOMPARE(data.value(QStringLiteral("costCents")).toInteger(), 31000 + 3875 + 1000);
    QCOMPARE(data.value(QStringLiteral("cost")).toDouble(), 358.75);
    QCOMPARE(data.value(QStringLiteral("accessorials")).toArray(),
        QJsonArray { QStringLiteral("appointment") });
    const ShipmentState s = applied(d);
    QCOMPARE(s.accessorials, QStringList { QStringLiteral("appointment") });
    QCOMPARE(s.rateTableVersion, QStringLiteral("2026-12"));
    // The state's JSON, both ways it is written, agree and carry the breakdown.
    QCOMPARE(s.toJsonText().toUtf8(), QJsonDocument(s.toJson()).toJson(QJsonDocument::Compact));
    QCOMPARE(ShipmentState::fromJson(s.toJson()), s);
}

void TestRateTable::shipmentKeepsItsPriceWhenTheTableChanges_data()
{
    QTest::addColumn<QJsonObject>("amendment");
    QTest::addColumn<bool>("repriced");
    QTest::addColumn<qint64>("costCents"); // after the amend, by the later table
    const QString reason = QStringLiteral("customer called");
    QJsonObject newDock = address(QStringLiteral("OK"));
    newDock.insert(QStringLiteral("name"), QStringLiteral("Other dock"));
    QTest::newRow("another address in the same state keeps the price") << QJsonObject {
        { QStringLiteral("shipTo"), newDock }, { QStringLiteral("reason"), reason }
    } << false << qint64(31000 + 3875);
    QTest::newRow("the same state written in lower case keeps the price")
        << QJsonObject { { QStringLiteral("shipTo"), address(QStringLiteral("ok")) },
               { QStringLiteral("reason"), reason } }
        << false << qint64(31000 + 3875);
    QTest::newRow("a delivery window keeps the price") << QJsonObject {
        { QStringLiteral("deliveryWindow"),
            QJsonObject { { QStringLiteral("from"), QStringLiteral("2026-07-01T08:00:00.000Z") },
                { QStringLiteral("to"), QStringLiteral("2026-07-01T17:00:00.000Z") } } },
        { QStringLiteral("reason"), reason }
    } << false << qint64(31000 + 3875);
    // The later table: one lane at 40 cents, no surcharge, liftgate at 5000.
    QTest::newRow("a new weight is priced by the table of the day") << QJsonObject {
        { QStringLiteral("weightInPounds"), 500 }, { QStringLiteral("reason"), reason }
    } << true << qint64(20000);
    QTest::newRow("another state is priced by the table of the day")
        << QJsonObject { { QStringLiteral("shipTo"), address(QStringLiteral("AR")) },
               { QStringLiteral("reason"), reason } }
        << true << qint64(40000);
    QTest::newRow("an accessorial added is priced by the table of the day") << QJsonObject {
        { QStringLiteral("accessorials"), QJsonArray { QStringLiteral("liftgate") } },
        { QStringLiteral("reason"), reason }
    } << true << qint64(40000 + 5000);
}

void TestRateTable::shipmentKeepsItsPriceWhenTheTableChanges()
{
    QFETCH(QJsonObject, amendment);
    QFETCH(bool, repriced);
    QFETCH(qint64, costCents);
    const ShipmentState submitted = applied(decideShipment(ShipmentState {},
        command(CommandType::Submit, submitBody(QStringLiteral("TX"), QStringLiteral("OK"), 1000),
            at("2026-01-15T09:00:00.000Z")),
        Rules { table() }));
    QCOMPARE(submitted.costCents, Cents(31000 + 3875));

    RateTableFault fault;
    const std::optional<RateTable> later = parseRateTable(
        R"({"version": "2027-01", "lanes": [{"from": "*", "to": "*", "centsPerPound": 40}],
            "accessorials": {"liftgate": 5000}})",
        &fault);
    QVERIFY2(later, qPrintable(fault.message));
    const Decision d = decideShipment(submitted,
        command(CommandType::Amend, amendment, at("2027-02-01T00:00:00.000Z")), Rules { *later });
    QVERIFY2(!d.isRejected(), qPrintable(d.rejection));
    const QJsonObject data = d.events.first().data;
    QCOMPARE(data.contains(QStringLiteral("costCents")), repriced);
    QCOMPARE(data.contains(QStringLiteral("charges")), repriced);
    const ShipmentState after = applied(d, submitted);
    QCOMPARE(after.costCents, costCents);
    QCOMPARE(
        after.rateTableVersion, repriced ? QStringLiteral("2027-01") : QStringLiteral("2026-12"));
    Cents sum = 0;
    for (const Charge &c : after.charges)
        sum += c.amountCents;
    QCOMPARE(sum, after.costCents);
}

void TestRateTable::amendToAnAccessorialTheTableLacksIsRejected()
{
    const ShipmentState submitted = applied(decideShipment(ShipmentState {},
        command(CommandType::Submit,
            submitBody(
                QStringLiteral("TX"), QStringLiteral("OK"), 1000, { QStringLiteral("liftgate") }),
            at("2026-01-15T09:00:00.000Z")),
        Rules { table() }));
    // A later table without liftgate cannot re-price the shipment as it stands.
    const Decision d = decideShipment(submitted,
        command(CommandType::Amend,
            QJsonObject { { QStringLiteral("weightInPounds"), 1200 },
                { QStringLiteral("reason"), QStringLiteral("heavier") } },
            at("2027-02-01T00:00:00.000Z")),
        Rules {});
    QVERIFY(d.isRejected());
    QVERIFY2(d.rejection.contains(QLatin1String("liftgate")), qPrintable(d.rejection));
}

void TestRateTable::noFileMeansTheSingleLaneAt28CentsAPound()
{
    const RateTable rates;
    QCOMPARE(rates.lanes.size(), 1);
    QCOMPARE(rates.version, QStringLiteral("default"));
    const PriceQuote q = rates.quote(
        QStringLiteral("TX"), QStringLiteral("OK"), 10, {}, at("2026-01-01T00:00:00.000Z"));
    QCOMPARE(describe(q.charges), QStringLiteral("linehaul=280"));
    QCOMPARE(q.totalCents, Cents(280));
}

void TestRateTable::badFileIsRefusedWithTheLineAtFault_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message"); // a part of it
    const QByteArray any = R"({"from": "*", "to": "*", "centsPerPound": 28})";
    QTest::newRow("not JSON: a comma missing on line 3")
        << QByteArray("{\n  \"version\": \"v1\"\n  \"lanes\": []\n}") << 3 << "not valid JSON";
    QTest::newRow("not an object") << QByteArray("[1, 2]") << 1 << "JSON object";
    QTest::newRow("a key not in the format")
        << QByteArray("{\"version\": \"v1\",\n\"lanes\": [" + any + "],\n\"surcharge\": []}") << 3
        << "\"surcharge\" is not allowed";
    QTest::newRow("no version") << QByteArray("{\n\"lanes\": [" + any + "]\n}") << 1
                                << "\"version\" is required";
    QTest::newRow("a key given twice")
        << QByteArray("{\"version\": \"v1\",\n\"lanes\": [" + any + "],\n\"version\": \"v2\"}") << 3
        << "given twice";
    QTest::newRow("a state of three letters") << QByteArray("{\"version\": \"v1\", \"lanes\": [\n"
        + any + ",\n{\"from\": \"TEX\", \"to\": \"OK\", \"centsPerPound\": 31}\n]}")
                                              << 3 << "two letters";
    QTest::newRow("a negative minimum on its own line")
        << QByteArray("{\"version\": \"v1\", \"lanes\": [\n{\"from\": \"*\", \"to\": \"*\",\n"
                      "\"centsPerPound\": 28,\n\"minimumCents\": -5}\n]}")
        << 4 << "minimumCents";
    QTest::newRow("a fraction of a cent a pound") << QByteArray(
        "{\"version\": \"v1\", \"lanes\": [\n\n{\"from\": \"*\", \"to\": \"*\", "
        "\"centsPerPound\": 28.5}]}") << 3 << "centsPerPound";
    QTest::newRow("the same lane twice")
        << QByteArray("{\"version\": \"v1\", \"lanes\": [\n" + any + ",\n" + any + "\n]}") << 3
        << "given twice";
    QTest::newRow("the same lane twice, its states in two cases")
        << QByteArray("{\"version\": \"v1\", \"lanes\": [\n" + any
               + ",\n{\"from\": \"TX\", \"to\": \"*\", \"centsPerPound\": 30},\n"
                 "{\"from\": \"tx\", \"to\": \"*\", \"centsPerPound\": 31}\n]}")
        << 4 << "TX->* is given twice";
    QByteArray longFile = "{\"version\": \"v1\", \"lanes\": [\n" + any;
    for (int i = 0; i < 400; ++i)
        longFile += QStringLiteral(",\n{\"from\": \"%1%2\", \"to\": \"*\", \"centsPerPound\": 30}")
                        .arg(QChar(u'A' + i / 26 % 26))
                        .arg(QChar(u'A' + i % 26))
                        .toLatin1();
    QTest::newRow("a whole number written with a point, deep in a long file") << longFile
            + ",\n{\"from\": \"ZZ\", \"to\": \"*\", \"centsPerPound\": 30,\n"
              "\"minimumCents\": 7500.0}\n]}" << 404 << "minimumCents";
    QTest::newRow("no lane for any state to any state") << QByteArray(
        "{\"version\": \"v1\",\n\"lanes\": [{\"from\": \"TX\", \"to\": \"*\", "
        "\"centsPerPound\": 28}]}") << 2 << "\"*\"->\"*\"";
    QTest::newRow("a surcharge day that is no day")
        << QByteArray("{\"version\": \"v1\", \"lanes\": [" + any
               + "],\n\"fuelSurcharge\": [\n{\"from\": \"2026-02-30\", \"percent\": 5}]}")
        << 3 << "YYYY-MM-DD";
    QTest::newRow("a percent with three decimals")
        << QByteArray("{\"version\": \"v1\", \"lanes\": [" + any
               + "],\n\"fuelSurcharge\": [{\"from\": \"2026-02-01\",\n\"percent\": 5.125}]}")
        << 3 << "two decimals";
    QTest::newRow("surcharges out of order")
        << QByteArray("{\"version\": \"v1\", \"lanes\": [" + any
               + "],\n\"fuelSurcharge\": [{\"from\": \"2026-02-01\", \"percent\": 5},\n"
                 "{\"from\": \"2026-01-01\", \"percent\": 6}]}")
        << 3 << "in order";
    QTest::newRow("an accessorial in dollars") << QByteArray("{\"version\": \"v1\", \"lanes\": ["
        + any + "],\n\"accessorials\": {\n\"liftgate\": 45.00,\n\"residential\": 2000}}")
                                               << 3 << "liftgate";
    QTest::newRow("an accessorial named like a charge of the table") << QByteArray(
        "{\"version\": \"v1\", \"lanes\": [" + any + "],\n\"accessorials\": {\"fuel\": 100}}")
                                                                     << 2 << "\"fuel\"";
}

void TestRateTable::badFileIsRefusedWithTheLineAtFault()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, message);
    RateTableFault fault;
    QVERIFY(!parseRateTable(text, &fault));
    QVERIFY2(fault.message.contains(message), qPrintable(fault.message));
    QCOMPARE(fault.line, line);
}

void TestRateTable::shippedSampleTableIsAccepted()
{
    QString error;
    const std::optional<RateTable> sample
        = loadRateTable(QStringLiteral(WAYBILL_SOURCE_DIR "/docs/rates.sample.json"), &error);
    QVERIFY2(sample, qPrintable(error));
    QVERIFY(sample->lanes.size() > 1);
    QVERIFY(!sample->fuelSurcharges.isEmpty());
    QVERIFY(!sample->accessorials.isEmpty());
}

QTEST_GUILESS_MAIN(TestRateTable)
#include "tst_ratetable.moc"
