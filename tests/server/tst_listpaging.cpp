// Lists the contract left unpaged come in pages: GET /trucks and a stream's events take ?limit=
// (default and maximum 1000) and ?offset= and say X-Total-Count; a fold as of a time reads a
// long stream page by page and gives the same state as one read would.
#include "historywriter.h"
#include "testdatabases.h"
#include "testserver.h"

#include <QLoggingCategory>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

namespace {

const QDateTime kStart(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC);

// Payment i of account "big": i + 1 cents, one minute after the one before.
EventDraft payment(qint64 i)
{
    return { QStringLiteral("account-big"), EventType::PaymentReceived,
        { { QStringLiteral("amount"), double(i + 1) / 100 },
            { QStringLiteral("amountCents"), double(i + 1) } },
        QStringLiteral("finance"), kStart.addSecs(60 * i), {} };
}

QList<int> versionsOf(const QJsonArray &events)
{
    QList<int> versions;
    for (const QJsonValue &e : events)
        versions << e.toObject().value(QStringLiteral("version")).toInt();
    return versions;
}

QList<int> range(int from, int to)
{
    QList<int> numbers;
    for (int i = from; i <= to; ++i)
        numbers << i;
    return numbers;
}

} // namespace

class TestListPaging final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void streamEventsComeInPagesWithTheirCount_data();
    void streamEventsComeInPagesWithTheirCount();
    void trucksComeInPagesWithTheirCount();
    void badPagingParametersAnswer400_data();
    void badPagingParametersAnswer400();
    void foldAsOfATimeReadsALongStreamWhole_data();
    void foldAsOfATimeReadsALongStreamWhole();

private:
    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

void TestListPaging::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false"));
    const std::optional<DatabaseUrl> url = m_databases.fresh(TestDatabases::sqlite());
    QVERIFY2(url, qPrintable(m_databases.why()));
    m_server = std::make_unique<TestServer>(*url);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    // A long stream: 2,500 payments (more than two pages of anything).
    HistoryWriter(m_server->database()).appendMany(2500, 2500, &payment);
    // Five trucks, each with a shipment on it.
    for (int i = 1; i <= 5; ++i) {
        const QString id = QStringLiteral("s%1").arg(i);
        HttpResponse r = m_server->post(QStringLiteral("/shipments/%1/commands/submit").arg(id),
            submitBody(QStringLiteral("acme")), Role::Admin, { { "Prefer", "wait=10" } });
        QVERIFY2(r.status == 200, r.describe());
        r = m_server->post(QStringLiteral("/shipments/%1/commands/assign").arg(id),
            { { QStringLiteral("truckId"), QStringLiteral("t%1").arg(i) } }, Role::Admin,
            { { "Prefer", "wait=10" } });
        QVERIFY2(r.status == 200, r.describe());
    }
}

void TestListPaging::cleanupTestCase()
{
    m_server.reset();
}

void TestListPaging::streamEventsComeInPagesWithTheirCount_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::newRow("no limit: the first thousand") << QString() << 1 << 1000;
    QTest::newRow("an offset past two pages") << QStringLiteral("offset=2000") << 2001 << 2500;
    QTest::newRow("a small page in the middle") << QStringLiteral("limit=5&offset=10") << 11 << 15;
    QTest::newRow("more than the maximum is the maximum")
        << QStringLiteral("limit=5000&offset=1") << 2 << 1001;
    QTest::newRow("past the end: nothing") << QStringLiteral("offset=2500") << 1 << 0;
}

void TestListPaging::streamEventsComeInPagesWithTheirCount()
{
    QFETCH(QString, query);
    QFETCH(int, first);
    QFETCH(int, last);
    const HttpResponse r = m_server->get(QStringLiteral("/accounts/big/events")
        + (query.isEmpty() ? QString() : QLatin1Char('?') + query));
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.header("X-Total-Count"), QByteArray("2500"));
    QCOMPARE(versionsOf(r.array()), range(first, last));
}

void TestListPaging::trucksComeInPagesWithTheirCount()
{
    HttpResponse r = m_server->get(QStringLiteral("/trucks"));
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.header("X-Total-Count"), QByteArray("5"));
    QCOMPARE(r.array().size(), 5);
    r = m_server->get(QStringLiteral("/trucks?limit=2&offset=1"));
    QCOMPARE(r.header("X-Total-Count"), QByteArray("5"));
    const QJsonArray page = r.array();
    QCOMPARE(page.size(), 2);
    QCOMPARE(page.at(0).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("t2"));
    QCOMPARE(page.at(1).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("t3"));
    QCOMPARE(page.at(1).toObject().value(QStringLiteral("shipments")).toArray(),
        QJsonArray { QStringLiteral("s3") });
    // A shipment's short stream is one page, with its count, and a stream with no events is 404.
    r = m_server->get(QStringLiteral("/shipments/s1/events"));
    QCOMPARE(r.header("X-Total-Count"), QByteArray("2"));
    QCOMPARE(versionsOf(r.array()), range(1, 2));
    QCOMPARE(m_server->get(QStringLiteral("/shipments/none/events")).status, 404);
}

void TestListPaging::badPagingParametersAnswer400_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("trucks, negative limit") << QStringLiteral("/trucks?limit=-1");
    QTest::newRow("trucks, offset not a number") << QStringLiteral("/trucks?offset=x");
    QTest::newRow("events, limit not a number") << QStringLiteral("/accounts/big/events?limit=1e3");
    QTest::newRow("events, offset too large")
        << QStringLiteral("/shipments/s1/events?offset=99999999999");
}

void TestListPaging::badPagingParametersAnswer400()
{
    QFETCH(QString, path);
    const HttpResponse r = m_server->get(path);
    QVERIFY2(r.status == 400, r.describe());
}

void TestListPaging::foldAsOfATimeReadsALongStreamWhole_data()
{
    QTest::addColumn<int>("payments"); // how many are recorded by then
    QTest::newRow("before the first") << 0;
    QTest::newRow("the first") << 1;
    QTest::newRow("at a page's end") << 1000;
    QTest::newRow("one past a page") << 1001;
    QTest::newRow("in the third page") << 2345;
    QTest::newRow("every one") << 2500;
}

void TestListPaging::foldAsOfATimeReadsALongStreamWhole()
{
    QFETCH(int, payments);
    // Payment i is recorded at minute i; the fold includes events at the very millisecond.
    const QDateTime asOf = kStart.addSecs(60 * (payments - 1));
    const HttpResponse r = m_server->get(QStringLiteral("/accounts/big?asOf=")
        + QString::fromLatin1(QUrl::toPercentEncoding(asOf.toString(Qt::ISODateWithMs))));
    if (payments == 0) {
        QVERIFY2(r.status == 404, r.describe());
        return;
    }
    QVERIFY2(r.status == 200, r.describe());
    const qint64 expected = qint64(payments) * (payments + 1) / 2; // 1 + 2 + ... cents
    QCOMPARE(qint64(r.object().value(QStringLiteral("balanceCents")).toDouble()), expected);
    QCOMPARE(r.object().value(QStringLiteral("version")).toInt(), payments);
}

QTEST_GUILESS_MAIN(TestListPaging)
#include "tst_listpaging.moc"
