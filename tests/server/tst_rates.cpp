// Rate tables over real HTTP on both databases: POST /quotes answers the breakdown and records
// nothing, submit and amend record it, an unknown accessorial is a 400, and a shipment keeps
// its price when the server restarts with another table.
#include "domain/ratetablefile.h"
#include "testdatabases.h"
#include "testserver.h"
#include "tokenstore.h"

#include <QLoggingCategory>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

namespace {

const QList<QPair<QByteArray, QByteArray>> kWait { { QByteArrayLiteral("Prefer"),
    QByteArrayLiteral("wait=10") } };

// No fuel surcharge, so the figures do not depend on the day the test runs.
const QByteArray kFirstTable = R"({"version": "first",
  "lanes": [{"from": "IA", "to": "IA", "centsPerPound": 31, "minimumCents": 7500},
            {"from": "*", "to": "*", "centsPerPound": 28}],
  "accessorials": {"liftgate": 4500, "residential": 1999}})";
const QByteArray kSecondTable = R"({"version": "second",
  "lanes": [{"from": "*", "to": "*", "centsPerPound": 40}],
  "fuelSurcharge": [{"from": "2000-01-01", "percent": 10}],
  "accessorials": {"liftgate": 5000}})";

EngineOptions withTable(const QByteArray &text)
{
    RateTableFault fault;
    const std::optional<RateTable> table = parseRateTable(text, &fault);
    if (!table)
        qFatal("a test's rate table is refused: %s", qPrintable(fault.message));
    EngineOptions options;
    options.rates = *table;
    return options;
}

QJsonObject withAccessorials(QJsonObject body, const QStringList &codes)
{
    body.insert(QStringLiteral("accessorials"), QJsonArray::fromStringList(codes));
    return body;
}

// "linehaul=31000 liftgate=4500"
QString describe(const QJsonArray &charges)
{
    QStringList parts;
    for (const QJsonValue &c : charges)
        parts << QStringLiteral("%1=%2")
                     .arg(c.toObject().value(QStringLiteral("code")).toString())
                     .arg(c.toObject().value(QStringLiteral("amountCents")).toInteger());
    return parts.join(QLatin1Char(' '));
}

QJsonObject firstEventData(const HttpResponse &r)
{
    return r.object()
        .value(QStringLiteral("events"))
        .toArray()
        .first()
        .toObject()
        .value(QStringLiteral("data"))
        .toObject();
}

int eventCount(TestServer &server)
{
    return int(server.get(QStringLiteral("/events?limit=1000")).array().size());
}

} // namespace

class TestRates final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void quoteAnswersTheBreakdownAndRecordsNothing_data();
    void quoteAnswersTheBreakdownAndRecordsNothing();
    void quoteIsForEveryRoleThatReads();
    void unknownAccessorialIsRefusedAndRecordsNothing_data();
    void unknownAccessorialIsRefusedAndRecordsNothing();
    void submitAndAmendRecordTheBreakdown_data();
    void submitAndAmendRecordTheBreakdown();
    void shipmentKeepsItsPriceAfterTheTableChanges_data();
    void shipmentKeepsItsPriceAfterTheTableChanges();

private:
    TestDatabases m_databases;
};

void TestRates::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false"));
}

void TestRates::quoteAnswersTheBreakdownAndRecordsNothing_data()
{
    TestDatabases::addBackendColumn();
}

void TestRates::quoteAnswersTheBreakdownAndRecordsNothing()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    TestServer server(url, {}, withTable(kFirstTable));
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const int before = eventCount(server);

    // IA->IA: 100 lb at 31 cents is 3100, raised to the lane's minimum.
    const HttpResponse r = server.post(QStringLiteral("/quotes"),
        withAccessorials(submitBody(QStringLiteral("A1"), 100),
            { QStringLiteral("residential"), QStringLiteral("liftgate") }),
        Role::CustomerService);
    QVERIFY2(r.status == 200, r.describe());
    const QJsonObject quote = r.object();
    QCOMPARE(describe(quote.value(QStringLiteral("charges")).toArray()),
        QStringLiteral("linehaul=7500 residential=1999 liftgate=4500"));
    QCOMPARE(quote.value(QStringLiteral("costCents")).toInteger(), 7500 + 1999 + 4500);
    QCOMPARE(quote.value(QStringLiteral("cost")).toDouble(), 139.99);
    QCOMPARE(quote.value(QStringLiteral("rateTableVersion")).toString(), QStringLiteral("first"));

    // States written in lower case name the same lane, as in a submit.
    QJsonObject lowerCase = withAccessorials(submitBody(QStringLiteral("A1"), 100),
        { QStringLiteral("residential"), QStringLiteral("liftgate") });
    for (const QString &key : { QStringLiteral("shipFrom"), QStringLiteral("shipTo") }) {
        QJsonObject address = lowerCase.value(key).toObject();
        address.insert(
            QStringLiteral("state"), address.value(QStringLiteral("state")).toString().toLower());
        lowerCase.insert(key, address);
    }
    const HttpResponse sameLane
        = server.post(QStringLiteral("/quotes"), lowerCase, Role::CustomerService);
    QVERIFY2(sameLane.status == 200, sameLane.describe());
    QCOMPARE(sameLane.object(), quote);

    // A body a submit could not have is refused as the submit would be.
    const HttpResponse bad = server.post(QStringLiteral("/quotes"),
        QJsonObject { { QStringLiteral("weightInPounds"), 0 } }, Role::CustomerService);
    QVERIFY2(bad.status == 400, bad.describe());
    QCOMPARE(eventCount(server), before);
    QVERIFY(server.get(QStringLiteral("/shipments")).array().isEmpty());
    QCOMPARE(server.engine().stats().accepted, qint64(0));
}

void TestRates::quoteIsForEveryRoleThatReads()
{
    WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), url);
    TestServer server(url);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QByteArray body = QJsonDocument(submitBody(QStringLiteral("A1"), 10)).toJson();
    for (const Role role : kAllRoles) {
        const HttpResponse r
            = server.request("POST", QStringLiteral("/quotes"), body, server.token(role));
        QVERIFY2(r.status == 200, qPrintable(roleName(role) + QLatin1Char(' ') + r.describe()));
        QCOMPARE(r.object().value(QStringLiteral("costCents")).toInteger(), 280);
        QCOMPARE(r.object().value(QStringLiteral("rateTableVersion")).toString(),
            QStringLiteral("default"));
    }
    TokenStore tokens(server.database());
    const QString monitoring = tokens.create(QStringLiteral("prometheus"), Role::Monitoring);
    QCOMPARE(server.request("POST", QStringLiteral("/quotes"), body, monitoring).status, 403);
    QCOMPARE(server.request("POST", QStringLiteral("/quotes"), body).status, 401);
}

void TestRates::unknownAccessorialIsRefusedAndRecordsNothing_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("route");
    QTest::addColumn<QJsonObject>("body");
    const QJsonObject submit = withAccessorials(submitBody(QStringLiteral("A1"), 10),
        { QStringLiteral("liftgate"), QStringLiteral("hazmat") });
    const QJsonObject amend { { QStringLiteral("reason"), QStringLiteral("needs a ramp") },
        { QStringLiteral("accessorials"),
            QJsonArray { QStringLiteral("liftgate"), QStringLiteral("hazmat") } } };
    for (const QString &backend : TestDatabases::all()) {
        QTest::addRow("%s: submit", qPrintable(backend))
            << backend << QStringLiteral("/shipments/S2/commands/submit") << submit;
        QTest::addRow("%s: amend", qPrintable(backend))
            << backend << QStringLiteral("/shipments/S1/commands/amend") << amend;
        QTest::addRow("%s: quote", qPrintable(backend))
            << backend << QStringLiteral("/quotes") << submit;
    }
}

void TestRates::unknownAccessorialIsRefusedAndRecordsNothing()
{
    QFETCH(QString, backend);
    QFETCH(QString, route);
    QFETCH(QJsonObject, body);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    TestServer server(url, {}, withTable(kFirstTable));
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const HttpResponse submitted = server.post(QStringLiteral("/shipments/S1/commands/submit"),
        submitBody(QStringLiteral("A1"), 10), Role::CustomerService, kWait);
    QVERIFY2(submitted.status == 200, submitted.describe());
    const int before = eventCount(server);

    const HttpResponse r = server.post(route, body, Role::CustomerService, kWait);
    QVERIFY2(r.status == 400, r.describe());
    const QJsonArray errors = r.object().value(QStringLiteral("errors")).toArray();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().toObject().value(QStringLiteral("path")).toArray(),
        (QJsonArray { QStringLiteral("accessorials"), 1 }));
    const QString message = errors.first().toObject().value(QStringLiteral("message")).toString();
    QVERIFY2(
        message.contains(QLatin1String("hazmat")) && message.contains(QLatin1String("liftgate")),
        qPrintable(message));
    QCOMPARE(eventCount(server), before);
    QCOMPARE(server.get(QStringLiteral("/shipments/S2")).status, 404);
}

void TestRates::submitAndAmendRecordTheBreakdown_data()
{
    TestDatabases::addBackendColumn();
}

void TestRates::submitAndAmendRecordTheBreakdown()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    TestServer server(url, {}, withTable(kFirstTable));
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));

    const QJsonObject body
        = withAccessorials(submitBody(QStringLiteral("A1"), 1000), { QStringLiteral("liftgate") });
    const HttpResponse quote = server.post(QStringLiteral("/quotes"), body, Role::CustomerService);
    QVERIFY2(quote.status == 200, quote.describe());
    const HttpResponse submitted = server.post(
        QStringLiteral("/shipments/S1/commands/submit"), body, Role::CustomerService, kWait);
    QVERIFY2(submitted.status == 200, submitted.describe());
    const QJsonObject data = firstEventData(submitted);
    // The submit is priced as the quote said.
    QCOMPARE(describe(data.value(QStringLiteral("charges")).toArray()),
        QStringLiteral("linehaul=31000 liftgate=4500"));
    QCOMPARE(
        data.value(QStringLiteral("charges")), quote.object().value(QStringLiteral("charges")));
    QCOMPARE(data.value(QStringLiteral("costCents")).toInteger(), 35500);
    QCOMPARE(data.value(QStringLiteral("rateTableVersion")).toString(), QStringLiteral("first"));

    // Dropping the liftgate re-prices the shipment; the event and the shipment say so.
    const HttpResponse amended = server.post(QStringLiteral("/shipments/S1/commands/amend"),
        QJsonObject { { QStringLiteral("reason"), QStringLiteral("dock has a ramp") },
            { QStringLiteral("accessorials"), QJsonArray {} } },
        Role::CustomerService, kWait);
    QVERIFY2(amended.status == 200, amended.describe());
    const QJsonObject change = firstEventData(amended);
    QCOMPARE(describe(change.value(QStringLiteral("charges")).toArray()),
        QStringLiteral("linehaul=31000"));
    QCOMPARE(change.value(QStringLiteral("costCents")).toInteger(), 31000);
    QCOMPARE(change.value(QStringLiteral("accessorials")).toArray(), QJsonArray {});
    const QJsonObject shipment = server.get(QStringLiteral("/shipments/S1")).object();
    QCOMPARE(shipment.value(QStringLiteral("costCents")).toInteger(), 31000);
    QCOMPARE(describe(shipment.value(QStringLiteral("charges")).toArray()),
        QStringLiteral("linehaul=31000"));
    QVERIFY(!shipment.contains(QStringLiteral("accessorials")));
}

void TestRates::shipmentKeepsItsPriceAfterTheTableChanges_data()
{
    TestDatabases::addBackendColumn();
}

void TestRates::shipmentKeepsItsPriceAfterTheTableChanges()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    QString error;
    {
        TestServer first(url, {}, withTable(kFirstTable));
        QVERIFY2(first.start(&error), qPrintable(error));
        for (const QString &id : { QStringLiteral("S1"), QStringLiteral("S2") }) {
            const HttpResponse r
                = first.post(QStringLiteral("/shipments/%1/commands/submit").arg(id),
                    withAccessorials(
                        submitBody(QStringLiteral("A1"), 1000), { QStringLiteral("liftgate") }),
                    Role::CustomerService, kWait);
            QVERIFY2(r.status == 200, r.describe());
        }
        // The next server makes its own tokens under the same names.
        TokenStore tokens(first.database());
        for (const Role role : kAllRoles)
            QVERIFY(tokens.revoke(roleName(role)));
    }
    // The same database, served again with another table.
    TestServer second(url, {}, withTable(kSecondTable));
    QVERIFY2(second.start(&error), qPrintable(error));
    const QJsonObject kept = second.get(QStringLiteral("/shipments/S1")).object();
    QCOMPARE(kept.value(QStringLiteral("costCents")).toInteger(), 35500);
    QCOMPARE(kept.value(QStringLiteral("rateTableVersion")).toString(), QStringLiteral("first"));

    // An amend that does not touch what the price is made of keeps it.
    QJsonObject dock = addressJson(QStringLiteral("Globex north dock"));
    const HttpResponse readdressed = second.post(QStringLiteral("/shipments/S1/commands/amend"),
        QJsonObject { { QStringLiteral("reason"), QStringLiteral("other dock") },
            { QStringLiteral("shipTo"), dock } },
        Role::CustomerService, kWait);
    QVERIFY2(readdressed.status == 200, readdressed.describe());
    QVERIFY(!firstEventData(readdressed).contains(QStringLiteral("costCents")));
    QCOMPARE(second.get(QStringLiteral("/shipments/S1"))
                 .object()
                 .value(QStringLiteral("costCents"))
                 .toInteger(),
        35500);

    // One that does is priced by the table of the day: 1200 lb at 40 cents, 10 % fuel, liftgate.
    const HttpResponse heavier = second.post(QStringLiteral("/shipments/S2/commands/amend"),
        QJsonObject { { QStringLiteral("reason"), QStringLiteral("more pallets") },
            { QStringLiteral("weightInPounds"), 1200 } },
        Role::CustomerService, kWait);
    QVERIFY2(heavier.status == 200, heavier.describe());
    const QJsonObject repriced = firstEventData(heavier);
    QCOMPARE(describe(repriced.value(QStringLiteral("charges")).toArray()),
        QStringLiteral("linehaul=48000 fuel=4800 liftgate=5000"));
    QCOMPARE(repriced.value(QStringLiteral("costCents")).toInteger(), 57800);
    QCOMPARE(
        repriced.value(QStringLiteral("rateTableVersion")).toString(), QStringLiteral("second"));

    // A new shipment gets the new table's price; the old one's history still says "first".
    const HttpResponse fresh = second.post(QStringLiteral("/shipments/S3/commands/submit"),
        submitBody(QStringLiteral("A1"), 1000), Role::CustomerService, kWait);
    QVERIFY2(fresh.status == 200, fresh.describe());
    QCOMPARE(firstEventData(fresh).value(QStringLiteral("costCents")).toInteger(), 44000);
    const QJsonArray history = second.get(QStringLiteral("/shipments/S1/events")).array();
    QVERIFY(!history.isEmpty());
    QCOMPARE(history.first()
                 .toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("rateTableVersion"))
                 .toString(),
        QStringLiteral("first"));
}

QTEST_MAIN(TestRates)
#include "tst_rates.moc"
