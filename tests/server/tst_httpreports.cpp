// The management reports over real HTTP on both databases: revenue by week and by account,
// on-time delivery by week and truck utilisation, on a hand-built history of two weeks (two
// trucks at work and one idle, a re-assignment, a cancellation, deliveries on time, late and
// without a window, invoices and credits, a payment that is no revenue), as the history stood at
// several times, figures worked out by hand; and the queries that are refused.
#include "testserver.h"

#include "domain/timeformat.h"
#include "historywriter.h"
#include "store/sql.h"
#include "testdatabases.h"

#include <QLoggingCategory>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace waybill;
using namespace waybill::test;

namespace {

QDateTime t(const char *iso)
{
    return *parseIsoUtc(QString::fromLatin1(iso));
}

QString q(const char *iso)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(QString::fromLatin1(iso)));
}

QJsonObject window(const char *from, const char *to)
{
    return { { QStringLiteral("from"), QString::fromLatin1(from) },
        { QStringLiteral("to"), QString::fromLatin1(to) } };
}

// The history, in the order (and so the times) of the log. Weeks: Monday 2 and Monday 9
// November 2026. Costs in cents; every delivery is invoiced a second later.
class History final
{
public:
    void add(const QString &stream, const QString &type, const char *at, QJsonObject data = {})
    {
        m_drafts.append({ stream, type, std::move(data), QStringLiteral("clerk"), t(at), {} });
    }
    void submit(const char *id, const char *account, qint64 cents, const char *at,
        const QJsonObject &deliveryWindow = {})
    {
        QJsonObject data { { QStringLiteral("billToAccountId"), QString::fromLatin1(account) },
            { QStringLiteral("weightInPounds"), 100 }, { QStringLiteral("costCents"), cents } };
        if (!deliveryWindow.isEmpty())
            data.insert(QStringLiteral("deliveryWindow"), deliveryWindow);
        add(shipment(id), QStringLiteral("submitted"), at, data);
    }
    void assign(const char *id, const char *truck, const char *at)
    {
        add(shipment(id), QStringLiteral("assigned"), at,
            { { QStringLiteral("truckId"), QString::fromLatin1(truck) } });
    }
    void invoice(const char *id, const char *account, qint64 cents, const char *at)
    {
        add(QStringLiteral("account-") + QString::fromLatin1(account), QStringLiteral("invoiced"),
            at,
            { { QStringLiteral("shipmentId"), QString::fromLatin1(id) },
                { QStringLiteral("amountCents"), cents },
                { QStringLiteral("amount"), double(cents) / 100 } });
    }
    void money(const char *type, const char *account, qint64 cents, const char *at)
    {
        add(QStringLiteral("account-") + QString::fromLatin1(account), QString::fromLatin1(type),
            at,
            { { QStringLiteral("amountCents"), cents },
                { QStringLiteral("amount"), double(cents) / 100 } });
    }
    static QString shipment(const char *id)
    {
        return QStringLiteral("shipment-") + QString::fromLatin1(id);
    }
    const QVector<EventDraft> &drafts() const { return m_drafts; }

private:
    QVector<EventDraft> m_drafts;
};

History twoWeeks()
{
    History h;
    for (const char *truck : { "t1", "t2", "t3" })
        h.add(QStringLiteral("truck-") + QString::fromLatin1(truck), QStringLiteral("registered"),
            "2026-10-30T10:00:00.000Z");
    // Week 1. s1 on t1, delivered on time; s2 on t2, late; s3 on t1, without a window.
    h.submit("s1", "acme", 10000, "2026-11-02T08:00:00.000Z",
        window("2026-11-03T08:00:00.000Z", "2026-11-03T17:00:00.000Z"));
    h.submit("s2", "bolt", 25050, "2026-11-02T08:30:00.000Z",
        window("2026-11-04T08:00:00.000Z", "2026-11-04T12:00:00.000Z"));
    h.assign("s1", "t1", "2026-11-02T09:00:00.000Z");
    h.assign("s2", "t2", "2026-11-02T10:00:00.000Z");
    h.add(History::shipment("s1"), QStringLiteral("shipped"), "2026-11-02T12:00:00.000Z");
    h.add(History::shipment("s2"), QStringLiteral("shipped"), "2026-11-03T08:00:00.000Z");
    h.add(History::shipment("s1"), QStringLiteral("delivered"), "2026-11-03T16:00:00.000Z");
    h.invoice("s1", "acme", 10000, "2026-11-03T16:00:01.000Z");
    h.add(History::shipment("s2"), QStringLiteral("delivered"), "2026-11-04T14:00:00.000Z");
    h.invoice("s2", "bolt", 25050, "2026-11-04T14:00:01.000Z");
    h.submit("s3", "acme", 7525, "2026-11-05T08:00:00.000Z");
    h.assign("s3", "t1", "2026-11-05T09:00:00.000Z");
    h.add(History::shipment("s3"), QStringLiteral("shipped"), "2026-11-05T10:00:00.000Z");
    h.add(History::shipment("s3"), QStringLiteral("delivered"), "2026-11-06T10:00:00.000Z");
    h.invoice("s3", "acme", 7525, "2026-11-06T10:00:01.000Z");
    h.money("credited", "acme", 1234, "2026-11-06T12:00:00.000Z");
    h.money("paymentReceived", "acme", 5000, "2026-11-07T09:00:00.000Z");
    // Week 2. s4 on t1, re-assigned to t2, delivered at the very end of its window; s8 on t2 at
    // the same time as s4, on time; s5 on t1, cancelled; s6 on t2, a millisecond late; s7 on t1,
    // still on the road.
    h.submit("s4", "bolt", 40000, "2026-11-09T07:00:00.000Z",
        window("2026-11-10T08:00:00.000Z", "2026-11-10T18:00:00.000Z"));
    h.assign("s4", "t1", "2026-11-09T08:00:00.000Z");
    h.add(History::shipment("s4"), QStringLiteral("assigned"), "2026-11-09T20:00:00.000Z",
        { { QStringLiteral("truckId"), QStringLiteral("t2") },
            { QStringLiteral("previousTruckId"), QStringLiteral("t1") } });
    h.add(History::shipment("s4"), QStringLiteral("shipped"), "2026-11-10T06:00:00.000Z");
    h.submit("s8", "cargo", 12345, "2026-11-10T07:00:00.000Z",
        window("2026-11-10T07:00:00.000Z", "2026-11-12T00:00:00.000Z"));
    h.assign("s8", "t2", "2026-11-10T07:30:00.000Z");
    h.add(History::shipment("s8"), QStringLiteral("shipped"), "2026-11-10T08:00:00.000Z");
    h.add(History::shipment("s4"), QStringLiteral("delivered"), "2026-11-10T18:00:00.000Z");
    h.invoice("s4", "bolt", 40000, "2026-11-10T18:00:01.000Z");
    h.submit("s5", "acme", 9999, "2026-11-11T08:00:00.000Z",
        window("2026-11-11T10:00:00.000Z", "2026-11-11T12:00:00.000Z"));
    h.add(History::shipment("s8"), QStringLiteral("delivered"), "2026-11-11T09:00:00.000Z");
    h.invoice("s8", "cargo", 12345, "2026-11-11T09:00:01.000Z");
    h.assign("s5", "t1", "2026-11-11T09:00:00.000Z");
    h.add(History::shipment("s5"), QStringLiteral("cancelled"), "2026-11-11T11:00:00.000Z",
        { { QStringLiteral("reason"), QStringLiteral("not needed") } });
    h.submit("s6", "acme", 3001, "2026-11-12T08:00:00.000Z",
        window("2026-11-12T08:00:00.000Z", "2026-11-13T12:00:00.000Z"));
    h.assign("s6", "t2", "2026-11-12T09:00:00.000Z");
    h.add(History::shipment("s6"), QStringLiteral("shipped"), "2026-11-12T10:00:00.000Z");
    h.add(History::shipment("s6"), QStringLiteral("delivered"), "2026-11-13T12:00:00.001Z");
    h.invoice("s6", "acme", 3001, "2026-11-13T12:00:01.000Z");
    h.money("credited", "bolt", 500, "2026-11-14T09:00:00.000Z");
    h.submit("s7", "acme", 2000, "2026-11-14T10:00:00.000Z");
    h.assign("s7", "t1", "2026-11-14T12:00:00.000Z");
    return h;
}

// "2026-11-02 3 42575 1234 41341", the dollars checked against the cents on the way.
QString revenueLine(const QJsonObject &figures, const QString &label)
{
    QString text = label;
    text += QStringLiteral(" %1").arg(figures.value(QStringLiteral("invoices")).toInteger(-1));
    for (const char *key : { "invoiced", "credited", "net" }) {
        const QString name = QString::fromLatin1(key);
        const qint64 cents = figures.value(name + QStringLiteral("Cents")).toInteger(-1);
        if (qRound64(figures.value(name).toDouble(-1) * 100) != cents)
            return QStringLiteral("%1: %2 is not %3 cents").arg(label, name).arg(cents);
        text += QStringLiteral(" %1").arg(cents);
    }
    return text;
}

QStringList describeRevenue(const QJsonObject &report)
{
    QStringList lines;
    for (const QJsonValue &v : report.value(QStringLiteral("weeks")).toArray()) {
        const QJsonObject week = v.toObject();
        lines << revenueLine(week, week.value(QStringLiteral("weekStart")).toString().left(10));
    }
    for (const QJsonValue &v : report.value(QStringLiteral("accounts")).toArray()) {
        const QJsonObject account = v.toObject();
        lines << revenueLine(account, account.value(QStringLiteral("accountId")).toString());
    }
    lines << revenueLine(report.value(QStringLiteral("total")).toObject(), QStringLiteral("total"));
    return lines;
}

// "2026-11-09 delivered 3 window 3 on 2 late 1 66.67%" ("-" for no percent).
QString onTimeLine(const QJsonObject &figures, const QString &label)
{
    const QJsonValue percent = figures.value(QStringLiteral("onTimePercent"));
    return QStringLiteral("%1 delivered %2 window %3 on %4 late %5 %6")
        .arg(label)
        .arg(figures.value(QStringLiteral("delivered")).toInteger(-1))
        .arg(figures.value(QStringLiteral("withWindow")).toInteger(-1))
        .arg(figures.value(QStringLiteral("onTime")).toInteger(-1))
        .arg(figures.value(QStringLiteral("late")).toInteger(-1))
        .arg(percent.isUndefined() ? QStringLiteral("-")
                                   : QString::number(percent.toDouble()) + QLatin1Char('%'));
}

QStringList describeOnTime(const QJsonObject &report)
{
    QStringList lines;
    for (const QJsonValue &v : report.value(QStringLiteral("weeks")).toArray()) {
        const QJsonObject week = v.toObject();
        lines << onTimeLine(week, week.value(QStringLiteral("weekStart")).toString().left(10));
    }
    lines << onTimeLine(report.value(QStringLiteral("total")).toObject(), QStringLiteral("total"));
    return lines;
}

// "t1 busy 381600000 loads 5 31.55%" and "total 3 busy ... of ... 22.02%".
QStringList describeUtilisation(const QJsonObject &report)
{
    auto percent = [](const QJsonObject &o) {
        const QJsonValue p = o.value(QStringLiteral("utilisationPercent"));
        return p.isUndefined() ? QStringLiteral("-") : QString::number(p.toDouble()) + u'%';
    };
    QStringList lines { QStringLiteral("period %1 until %2")
                            .arg(report.value(QStringLiteral("periodMs")).toInteger(-1))
                            .arg(report.value(QStringLiteral("measuredUntil")).toString()) };
    for (const QJsonValue &v : report.value(QStringLiteral("trucks")).toArray()) {
        const QJsonObject truck = v.toObject();
        lines << QStringLiteral("%1 busy %2 loads %3 %4")
                     .arg(truck.value(QStringLiteral("truckId")).toString())
                     .arg(truck.value(QStringLiteral("busyMs")).toInteger(-1))
                     .arg(truck.value(QStringLiteral("loads")).toInteger(-1))
                     .arg(percent(truck));
    }
    const QJsonObject total = report.value(QStringLiteral("total")).toObject();
    lines << QStringLiteral("total %1 busy %2 of %3 %4")
                 .arg(total.value(QStringLiteral("trucks")).toInteger(-1))
                 .arg(total.value(QStringLiteral("busyMs")).toInteger(-1))
                 .arg(total.value(QStringLiteral("truckMs")).toInteger(-1))
                 .arg(percent(total));
    return lines;
}

const char *const kTwoWeeks = "&from=2026-11-02T00:00:00.000Z&to=2026-11-16T00:00:00.000Z";

} // namespace

class TestHttpReports final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void revenueCountsInvoicesLessCreditsByWeekAndAccountAsOfEachTime_data();
    void revenueCountsInvoicesLessCreditsByWeekAndAccountAsOfEachTime();
    void onTimeRateJudgesEachDeliveryAgainstItsWindowAsOfEachTime_data();
    void onTimeRateJudgesEachDeliveryAgainstItsWindowAsOfEachTime();
    void utilisationIsTheShareOfThePeriodATruckCarriedALoad_data();
    void utilisationIsTheShareOfThePeriodATruckCarriedALoad();
    void periodDefaultsToTwelveWeeksEndingWithTheWeekOfAsOf_data()
    {
        TestDatabases::addBackendColumn();
    }
    void periodDefaultsToTwelveWeeksEndingWithTheWeekOfAsOf();
    void badQueriesAreRefusedWithWhatIsWrong_data();
    void badQueriesAreRefusedWithWhatIsWrong();
    void reportsAreOpenToEveryReadingRoleAndNeedAToken();

private:
    // A server over a fresh database of backend holding the two weeks' history.
    void startWithHistory(const QString &backend);
    // The report at that path and query, which must answer 200.
    QJsonObject report(const QString &pathAndQuery);

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

void TestHttpReports::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false"));
}

void TestHttpReports::cleanup()
{
    m_server.reset();
}

void TestHttpReports::startWithHistory(const QString &backend)
{
    const std::optional<DatabaseUrl> url = m_databases.fresh(backend);
    if (!url)
        return;
    {
        Database database(*url);
        database.migrate();
        const EventList written = HistoryWriter(database).append(twoWeeks().drafts());
        // The history holds its invoices already: the server's invoicer has seen it all.
        WriteTransaction tx(database);
        runQuery(tx.db(),
            QStringLiteral("INSERT INTO checkpoints (name, position) VALUES ('delivery-invoicer', "
                           "?) ON CONFLICT (name) DO UPDATE SET position = excluded.position"),
            { written.last().position });
        tx.commit();
    }
    m_server = std::make_unique<TestServer>(*url);
    QString error;
    if (!m_server->start(&error))
        qFatal("the test server did not start: %s", qPrintable(error));
}

QJsonObject TestHttpReports::report(const QString &pathAndQuery)
{
    const HttpResponse r = m_server->get(pathAndQuery, Role::Finance);
    if (r.status != 200)
        qFatal("%s: %s", qPrintable(pathAndQuery), r.describe().constData());
    return r.object();
}

#define START_WITH_HISTORY(backend)                                                                \
    startWithHistory(backend);                                                                     \
    if (!m_server)                                                                                 \
    WAYBILL_SKIP_OR_FAIL(m_databases)

void TestHttpReports::revenueCountsInvoicesLessCreditsByWeekAndAccountAsOfEachTime_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("asOf");
    QTest::addColumn<QStringList>("expected");
    for (const QString &backend : TestDatabases::all()) {
        QTest::addRow("%s: after both weeks: a credit lowers its week and account, a payment "
                      "is no revenue, accounts by net",
            qPrintable(backend))
            << backend << QStringLiteral("2026-11-20T00:00:00.000Z")
            << QStringList { "2026-11-02 3 42575 1234 41341", "2026-11-09 3 55346 500 54846",
                   "bolt 2 65050 500 64550", "acme 3 20526 1234 19292", "cargo 1 12345 0 12345",
                   "total 6 97921 1734 96187" };
        QTest::addRow(
            "%s: at the very millisecond of the third invoice: it counts", qPrintable(backend))
            << backend << QStringLiteral("2026-11-06T10:00:01.000Z")
            << QStringList { "2026-11-02 3 42575 0 42575", "2026-11-09 0 0 0 0",
                   "bolt 1 25050 0 25050", "acme 2 17525 0 17525", "total 3 42575 0 42575" };
        QTest::addRow("%s: a millisecond before it: it does not", qPrintable(backend))
            << backend << QStringLiteral("2026-11-06T10:00:00.999Z")
            << QStringList { "2026-11-02 2 35050 0 35050", "2026-11-09 0 0 0 0",
                   "bolt 1 25050 0 25050", "acme 1 10000 0 10000", "total 2 35050 0 35050" };
        QTest::addRow("%s: before any invoice: every week listed, all zero", qPrintable(backend))
            << backend << QStringLiteral("2026-11-01T00:00:00.000Z")
            << QStringList { "2026-11-02 0 0 0 0", "2026-11-09 0 0 0 0", "total 0 0 0 0" };
    }
}

void TestHttpReports::revenueCountsInvoicesLessCreditsByWeekAndAccountAsOfEachTime()
{
    QFETCH(QString, backend);
    QFETCH(QString, asOf);
    QFETCH(QStringList, expected);
    START_WITH_HISTORY(backend);
    const QJsonObject r = report(QStringLiteral("/reports/revenue?asOf=")
        + QString::fromLatin1(QUrl::toPercentEncoding(asOf)) + QString::fromLatin1(kTwoWeeks));
    QCOMPARE(r.value(QStringLiteral("asOf")).toString(), asOf);
    QCOMPARE(
        r.value(QStringLiteral("from")).toString(), QStringLiteral("2026-11-02T00:00:00.000Z"));
    QCOMPARE(r.value(QStringLiteral("to")).toString(), QStringLiteral("2026-11-16T00:00:00.000Z"));
    QCOMPARE(describeRevenue(r), expected);
}

void TestHttpReports::onTimeRateJudgesEachDeliveryAgainstItsWindowAsOfEachTime_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expected");
    for (const QString &backend : TestDatabases::all()) {
        QTest::addRow("%s: after both weeks: at the window's end is on time, a millisecond past "
                      "it late, no window counts apart",
            qPrintable(backend))
            << backend << QStringLiteral("asOf=2026-11-20T00:00:00.000Z")
            << QStringList { "2026-11-02 delivered 3 window 2 on 1 late 1 50%",
                   "2026-11-09 delivered 3 window 3 on 2 late 1 66.67%",
                   "total delivered 6 window 5 on 3 late 2 60%" };
        QTest::addRow("%s: before the late delivery of s2", qPrintable(backend))
            << backend << QStringLiteral("asOf=2026-11-04T13:59:59.999Z")
            << QStringList { "2026-11-02 delivered 1 window 1 on 1 late 0 100%",
                   "2026-11-09 delivered 0 window 0 on 0 late 0 -",
                   "total delivered 1 window 1 on 1 late 0 100%" };
        QTest::addRow("%s: the second week alone", qPrintable(backend))
            << backend
            << QStringLiteral("asOf=2026-11-20T00:00:00.000Z&from=2026-11-09T00:00:00.000Z"
                              "&to=2026-11-16T00:00:00.000Z")
            << QStringList { "2026-11-09 delivered 3 window 3 on 2 late 1 66.67%",
                   "total delivered 3 window 3 on 2 late 1 66.67%" };
    }
}

void TestHttpReports::onTimeRateJudgesEachDeliveryAgainstItsWindowAsOfEachTime()
{
    QFETCH(QString, backend);
    QFETCH(QString, query);
    QFETCH(QStringList, expected);
    START_WITH_HISTORY(backend);
    QString path = QStringLiteral("/reports/on-time?") + query;
    if (!query.contains(QStringLiteral("from=")))
        path += QString::fromLatin1(kTwoWeeks);
    QCOMPARE(describeOnTime(report(path)), expected);
}

void TestHttpReports::utilisationIsTheShareOfThePeriodATruckCarriedALoad_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expected");
    for (const QString &backend : TestDatabases::all()) {
        // t1: s1 31 h, s3 25 h, s4 12 h until re-assigned, s5 2 h until cancelled, s7 36 h to
        // the end. t2: s2 52 h; s4 and s8 together 37 h; s6 27 h and 1 ms. Of 336 h each.
        QTest::addRow("%s: both weeks, after them", qPrintable(backend))
            << backend
            << QStringLiteral("asOf=2026-11-20T00:00:00.000Z&from=2026-11-02T00:00:00.000Z"
                              "&to=2026-11-16T00:00:00.000Z")
            << QStringList { "period 1209600000 until 2026-11-16T00:00:00.000Z",
                   "t1 busy 381600000 loads 5 31.55%", "t2 busy 417600001 loads 4 34.52%",
                   "t3 busy 0 loads 0 0%", "total 3 busy 799200001 of 3628800000 22.02%" };
        // Measured up to asOf: t1 19 h and t2 18 h of 28 h.
        QTest::addRow("%s: as of the morning of the second day", qPrintable(backend))
            << backend
            << QStringLiteral("asOf=2026-11-03T04:00:00.000Z&from=2026-11-02T00:00:00.000Z"
                              "&to=2026-11-16T00:00:00.000Z")
            << QStringList { "period 100800000 until 2026-11-03T04:00:00.000Z",
                   "t1 busy 68400000 loads 1 67.86%", "t2 busy 64800000 loads 1 64.29%",
                   "t3 busy 0 loads 0 0%", "total 3 busy 133200000 of 302400000 44.05%" };
        // t1: s4 12 h, s5 2 h, s7 36 h; t2: 37 h and 27 h 1 ms; of 168 h. s2, delivered the
        // week before, is no load of this one.
        QTest::addRow("%s: the second week alone", qPrintable(backend))
            << backend
            << QStringLiteral("asOf=2026-11-20T00:00:00.000Z&from=2026-11-09T00:00:00.000Z"
                              "&to=2026-11-16T00:00:00.000Z")
            << QStringList { "period 604800000 until 2026-11-16T00:00:00.000Z",
                   "t1 busy 180000000 loads 3 29.76%", "t2 busy 230400001 loads 3 38.1%",
                   "t3 busy 0 loads 0 0%", "total 3 busy 410400001 of 1814400000 22.62%" };
        QTest::addRow("%s: as of before the period: nothing measured", qPrintable(backend))
            << backend
            << QStringLiteral("asOf=2026-11-01T00:00:00.000Z&from=2026-11-02T00:00:00.000Z"
                              "&to=2026-11-16T00:00:00.000Z")
            << QStringList { "period 0 until 2026-11-02T00:00:00.000Z", "t1 busy 0 loads 0 -",
                   "t2 busy 0 loads 0 -", "t3 busy 0 loads 0 -", "total 3 busy 0 of 0 -" };
        QTest::addRow("%s: as of before any truck was known", qPrintable(backend))
            << backend
            << QStringLiteral("asOf=2026-10-29T00:00:00.000Z&from=2026-10-01T00:00:00.000Z"
                              "&to=2026-11-16T00:00:00.000Z")
            << QStringList { "period 2419200000 until 2026-10-29T00:00:00.000Z",
                   "total 0 busy 0 of 0 -" };
    }
}

void TestHttpReports::utilisationIsTheShareOfThePeriodATruckCarriedALoad()
{
    QFETCH(QString, backend);
    QFETCH(QString, query);
    QFETCH(QStringList, expected);
    START_WITH_HISTORY(backend);
    QCOMPARE(
        describeUtilisation(report(QStringLiteral("/reports/utilisation?") + query)), expected);
}

void TestHttpReports::periodDefaultsToTwelveWeeksEndingWithTheWeekOfAsOf()
{
    QFETCH(QString, backend);
    START_WITH_HISTORY(backend);
    // A Friday: its week ends on Monday 23 November.
    for (const char *route : { "revenue", "on-time", "utilisation" }) {
        const QJsonObject r
            = report(QStringLiteral("/reports/%1?asOf=%2")
                         .arg(QString::fromLatin1(route), q("2026-11-20T15:00:00.000Z")));
        QCOMPARE(
            r.value(QStringLiteral("to")).toString(), QStringLiteral("2026-11-23T00:00:00.000Z"));
        QCOMPARE(
            r.value(QStringLiteral("from")).toString(), QStringLiteral("2026-08-31T00:00:00.000Z"));
        if (r.contains(QStringLiteral("weeks"))) {
            const QJsonArray weeks = r.value(QStringLiteral("weeks")).toArray();
            QCOMPARE(weeks.size(), 12);
            QCOMPARE(weeks.last().toObject().value(QStringLiteral("weekStart")).toString(),
                QStringLiteral("2026-11-16T00:00:00.000Z"));
        }
    }
    // Without asOf, now: the whole history, in the weeks ending with this one. The server read
    // its clock between these two readings (a week may end between them).
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const QJsonObject now = report(QStringLiteral("/reports/revenue"));
    const QDateTime after = QDateTime::currentDateTimeUtc();
    QCOMPARE(now.value(QStringLiteral("weeks")).toArray().size(), 12);
    const QDateTime to = *parseIsoUtc(now.value(QStringLiteral("to")).toString());
    QCOMPARE(to.date().dayOfWeek(), 1);
    QCOMPARE(to.time(), QTime(0, 0));
    QVERIFY2(to > before && to <= after.addDays(7),
        qPrintable(toIsoUtc(to) + QStringLiteral(" answered between ") + toIsoUtc(before)
            + QStringLiteral(" and ") + toIsoUtc(after)));
}

void TestHttpReports::badQueriesAreRefusedWithWhatIsWrong_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::newRow("asOf not a time") << QStringLiteral("asOf=yesterday") << QStringLiteral("asOf")
                                     << QStringLiteral("\"asOf\" must be an ISO-8601 time");
    QTest::newRow("from not a time") << QStringLiteral("from=2026-13-01") << QStringLiteral("from")
                                     << QStringLiteral("\"from\" must be an ISO-8601 time");
    QTest::newRow("to not a time") << QStringLiteral("to=") << QStringLiteral("to")
                                   << QStringLiteral("\"to\" must be an ISO-8601 time");
    QTest::newRow("to before from")
        << QStringLiteral("from=2026-11-10T00:00:00Z&to=2026-11-09T00:00:00Z")
        << QStringLiteral("to") << QStringLiteral("\"to\" must be later than \"from\"");
    QTest::newRow("to equal to from")
        << QStringLiteral("from=2026-11-10T00:00:00Z&to=2026-11-10T00:00:00Z")
        << QStringLiteral("to") << QStringLiteral("\"to\" must be later than \"from\"");
    QTest::newRow("a period of more than 520 weeks")
        << QStringLiteral("from=2016-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")
        << QStringLiteral("from") << QStringLiteral("A report covers at most 520 weeks");
}

void TestHttpReports::badQueriesAreRefusedWithWhatIsWrong()
{
    QFETCH(QString, query);
    QFETCH(QString, path);
    QFETCH(QString, message);
    if (!m_server) {
        QString error;
        m_server = startOnFreshDatabase(m_databases, TestDatabases::sqlite(), &error);
        QVERIFY2(m_server, qPrintable(error));
    }
    for (const char *route : { "revenue", "on-time", "utilisation" }) {
        const HttpResponse r = m_server->get(
            QStringLiteral("/reports/%1?%2").arg(QString::fromLatin1(route), query), Role::Finance);
        QVERIFY2(r.status == 400, r.describe());
        const QJsonObject body = r.object();
        QVERIFY2(
            body.value(QStringLiteral("message")).toString().startsWith(message), r.describe());
        const QJsonArray errors = body.value(QStringLiteral("errors")).toArray();
        QCOMPARE(errors.size(), 1);
        QCOMPARE(
            errors.first().toObject().value(QStringLiteral("path")).toArray(), QJsonArray { path });
    }
}

void TestHttpReports::reportsAreOpenToEveryReadingRoleAndNeedAToken()
{
    QString error;
    m_server = startOnFreshDatabase(m_databases, TestDatabases::sqlite(), &error);
    QVERIFY2(m_server, qPrintable(error));
    for (const char *route : { "/reports/revenue", "/reports/on-time", "/reports/utilisation" }) {
        const QString path = QString::fromLatin1(route);
        for (Role role : kAllRoles) {
            const HttpResponse r = m_server->get(path, role);
            QVERIFY2(r.status == 200, qPrintable(path + QLatin1Char(' ') + r.describe()));
        }
        QCOMPARE(m_server->request("GET", path).status, 401);
    }
}

QTEST_GUILESS_MAIN(TestHttpReports)
#include "tst_httpreports.moc"
