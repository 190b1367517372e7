// Golden vectors of money at the edges of the API, over real HTTP on both databases: payment
// amounts as JSON literals at the contract's limits (more than zero, at most two decimals, at
// most a billion dollars) and what they become in cents, and prices at half cents with a rate
// table other than the reference's (whose 28 cents per pound never makes a half cent).
#include "testdatabases.h"
#include "testserver.h"

#include <QLoggingCategory>
#include <QTest>

#include <map>

using namespace waybill;
using namespace waybill::test;

namespace {

// Account and shipment ids from a row's name: letters and digits only, unique per row.
QString idFor(const char *prefix, const QString &row)
{
    QString id = QString::fromLatin1(prefix);
    for (const QChar c : row) {
        if (c.isLetterOrNumber() && c.unicode() < 128)
            id += c;
    }
    return id.left(64);
}

} // namespace

class TestMoneyVectors final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void paymentAmountBecomesExactCents_data();
    void paymentAmountBecomesExactCents();
    void paymentAmountOutsideTheContractIsRefusedAndRecordsNothing_data();
    void paymentAmountOutsideTheContractIsRefusedAndRecordsNothing();
    void submitIsPricedHalfUpToTheCent_data();
    void submitIsPricedHalfUpToTheCent();

private:
    // One server per backend, made on first use and kept for the other rows (each row uses
    // accounts and shipments of its own).
    TestDatabases m_databases;
    std::map<QString, std::unique_ptr<TestServer>> m_servers;
};

void TestMoneyVectors::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false"));
}

void TestMoneyVectors::cleanupTestCase()
{
    m_servers.clear();
}

// 25 cents a pound and no minimum: the prices the rows expect.
static EngineOptions pricedEngine()
{
    EngineOptions engine;
    engine.rates = RateTable::flat(25, 0);
    return engine;
}

#define SERVER_FOR(backend)                                                                        \
    std::unique_ptr<TestServer> &serverPointer = m_servers[backend];                               \
    if (!serverPointer)                                                                            \
        WAYBILL_START_SERVER(                                                                      \
            serverPointer, m_databases, backend, ServerOptions {}, pricedEngine());                \
    TestServer &server = *serverPointer

void TestMoneyVectors::paymentAmountBecomesExactCents_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArray>("amount"); // the JSON literal, as a client sends it
    QTest::addColumn<qint64>("cents");
    const struct
    {
        const char *name;
        const char *literal;
        qint64 cents;
    } rows[] = {
        { "the smallest amount, one cent", "0.01", 1 },
        { "one decimal", "0.1", 10 },
        { "a trailing zero is still two decimals", "0.10", 10 },
        { "a whole number", "7", 700 },
        { "0.29 is not 28 cents (0.29 x 100 is 28.999... in binary)", "0.29", 29 },
        { "1.15 is not 114 cents", "1.15", 115 },
        { "4.35 is not 434 cents", "4.35", 435 },
        { "19.99", "19.99", 1999 },
        { "a cent below the limit", "999999999.99", 99999999999 },
        { "the limit, a billion dollars", "1000000000", 100000000000 },
        { "the limit in exponent notation", "1e9", 100000000000 },
    };
    for (const QString &backend : TestDatabases::all()) {
        for (const auto &row : rows) {
            QTest::addRow("%s: %s", qPrintable(backend), row.name)
                << backend << QByteArray(row.literal) << row.cents;
        }
    }
}

void TestMoneyVectors::paymentAmountBecomesExactCents()
{
    QFETCH(QString, backend);
    QFETCH(QByteArray, amount);
    QFETCH(qint64, cents);
    SERVER_FOR(backend);
    const QString account = idFor("pay", QString::fromLatin1(QTest::currentDataTag()));
    const HttpResponse r
        = server.request("POST", QStringLiteral("/accounts/%1/commands/payment").arg(account),
            "{\"amount\": " + amount + "}", server.token(Role::Finance), kPreferWait);
    QVERIFY2(r.status == 200, r.describe());
    const QJsonObject data = r.object()
                                 .value(QStringLiteral("events"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QStringLiteral("data"))
                                 .toObject();
    QCOMPARE(data.value(QStringLiteral("amountCents")).toInteger(), cents);
    // The dollars shown are the cents exactly: 0.29, never 0.28999999999999998.
    QCOMPARE(data.value(QStringLiteral("amount")).toDouble(), double(cents) / 100.0);
    const HttpResponse accountNow = server.get(QStringLiteral("/accounts/") + account);
    QVERIFY2(accountNow.status == 200, accountNow.describe());
    QCOMPARE(accountNow.object().value(QStringLiteral("balanceCents")).toInteger(), cents);
}

void TestMoneyVectors::paymentAmountOutsideTheContractIsRefusedAndRecordsNothing_data()
{
    QTest::addColumn<QByteArray>("amount");
    QTest::newRow("zero") << QByteArray("0");
    QTest::newRow("negative") << QByteArray("-0.01");
    QTest::newRow("a tenth of a cent") << QByteArray("0.001");
    QTest::newRow("three decimals, a half cent") << QByteArray("1.005");
    QTest::newRow("three decimals below a cent") << QByteArray("0.015");
    QTest::newRow("eleven decimals, a hair above ten cents") << QByteArray("0.10000000001");
    QTest::newRow("a cent past the limit") << QByteArray("1000000000.01");
    QTest::newRow("ten billion") << QByteArray("1e10");
    QTest::newRow("out of range of a double") << QByteArray("1e400");
    QTest::newRow("a string") << QByteArray("\"12.50\"");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("not JSON") << QByteArray("NaN");
}

void TestMoneyVectors::paymentAmountOutsideTheContractIsRefusedAndRecordsNothing()
{
    QFETCH(QByteArray, amount);
    SERVER_FOR(TestDatabases::sqlite());
    const QString account = idFor("refused", QString::fromLatin1(QTest::currentDataTag()));
    const HttpResponse r
        = server.request("POST", QStringLiteral("/accounts/%1/commands/payment").arg(account),
            "{\"amount\": " + amount + "}", server.token(Role::Finance), kPreferWait);
    QVERIFY2(r.status == 400, r.describe());
    QVERIFY2(!r.object().value(QStringLiteral("errors")).toArray().isEmpty(), r.describe());
    const HttpResponse accountNow = server.get(QStringLiteral("/accounts/") + account);
    QVERIFY2(accountNow.status == 404, accountNow.describe());
}

void TestMoneyVectors::submitIsPricedHalfUpToTheCent_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArray>("weight");
    QTest::addColumn<qint64>("cents");
    // At 25 cents per pound.
    const struct
    {
        const char *name;
        const char *weight;
        qint64 cents;
    } rows[] = {
        { "the lightest, 1 lb, 25 cents", "1", 25 },
        { "25.50 cents rounds up to 26", "1.02", 26 },
        { "26.50 cents rounds up to 27, not to even", "1.06", 27 },
        { "25.25 cents rounds down to 25", "1.01", 25 },
        { "1999999.50 cents rounds up to 2000000", "79999.98", 2000000 },
        { "the heaviest, 80000 lb", "80000", 2000000 },
    };
    for (const QString &backend : TestDatabases::all()) {
        for (const auto &row : rows) {
            QTest::addRow("%s: %s", qPrintable(backend), row.name)
                << backend << QByteArray(row.weight) << row.cents;
        }
    }
}

void TestMoneyVectors::submitIsPricedHalfUpToTheCent()
{
    QFETCH(QString, backend);
    QFETCH(QByteArray, weight);
    QFETCH(qint64, cents);
    SERVER_FOR(backend);
    const QString shipment = idFor("w", QString::fromLatin1(QTest::currentDataTag()));
    QJsonObject body = submitBody(QStringLiteral("acme"));
    body.remove(QStringLiteral("weightInPounds"));
    QByteArray text = QJsonDocument(body).toJson(QJsonDocument::Compact);
    text.chop(1);
    text += ",\"weightInPounds\":" + weight + '}';
    const HttpResponse r
        = server.request("POST", QStringLiteral("/shipments/%1/commands/submit").arg(shipment),
            text, server.token(Role::CustomerService), kPreferWait);
    QVERIFY2(r.status == 200, r.describe());
    const HttpResponse now = server.get(QStringLiteral("/shipments/") + shipment);
    QVERIFY2(now.status == 200, now.describe());
    QCOMPARE(now.object().value(QStringLiteral("costCents")).toInteger(), cents);
    QCOMPARE(now.object().value(QStringLiteral("cost")).toDouble(), double(cents) / 100.0);
}

QTEST_GUILESS_MAIN(TestMoneyVectors)
#include "tst_moneyvectors.moc"
