// Over HTTP, on SQLite and on PostgreSQL alike: GET /shipments?windowFrom=&windowTo= finds the
// shipments with a pickup or a delivery window overlapping [from, to), at its very edges and
// with times written in another zone; ?late=true finds the late ones as judged at the time of
// the answer, and each shipment says how it is late and, once delivered, whether it was on time.
// The window columns come back with a rebuild of the read models.
#include "store/readmodels.h"
#include "testdatabases.h"
#include "testserver.h"

#include <QLoggingCategory>
#include <QTest>
#include <QTimeZone>

using namespace waybill;
using namespace waybill::test;

namespace {

QJsonObject address(const QString &name)
{
    return { { QStringLiteral("name"), name },
        { QStringLiteral("line1"), QStringLiteral("1 Main St") },
        { QStringLiteral("city"), QStringLiteral("Tulsa") },
        { QStringLiteral("state"), QStringLiteral("OK") },
        { QStringLiteral("zip"), QStringLiteral("74103") } };
}

QJsonObject window(const QDateTime &from, const QDateTime &to)
{
    return { { QStringLiteral("from"), from.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("to"), to.toUTC().toString(Qt::ISODateWithMs) } };
}

QDateTime day(int d, int hour, int minute = 0)
{
    return QDateTime(QDate(2030, 6, d), QTime(hour, minute), QTimeZone::utc());
}

QStringList idsOf(const QJsonArray &shipments)
{
    QStringList ids;
    for (const QJsonValue &s : shipments)
        ids << s.toObject().value(QStringLiteral("id")).toString();
    ids.sort();
    return ids;
}

} // namespace

class TestPlanningQueries final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void windowQueryFindsOverlapsAtTheEdges_data();
    void windowQueryFindsOverlapsAtTheEdges();
    void lateIsJudgedAtTheAnswerAndOnTimeAtDelivery_data();
    void lateIsJudgedAtTheAnswerAndOnTimeAtDelivery();
    void badPlanningParametersAnswer400AndNameTheParameter_data();
    void badPlanningParametersAnswer400AndNameTheParameter();

private:
    // Submits (with the windows given) and takes the shipment through the commands named; false,
    // with the answer that refused in the log, when a step was not answered 200.
    bool make(TestServer &server, const QString &id, const std::optional<QJsonObject> &pickup,
        const std::optional<QJsonObject> &delivery, const QStringList &then = {});
    TestDatabases m_databases;
};

void TestPlanningQueries::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false"));
}

#define START_SERVER(backend)                                                                      \
    std::unique_ptr<TestServer> server;                                                            \
    WAYBILL_START_SERVER(server, m_databases, backend)

bool TestPlanningQueries::make(TestServer &server, const QString &id,
    const std::optional<QJsonObject> &pickup, const std::optional<QJsonObject> &delivery,
    const QStringList &then)
{
    QJsonObject body { { QStringLiteral("shipFrom"), address(QStringLiteral("Acme")) },
        { QStringLiteral("shipTo"), address(QStringLiteral("Globex")) },
        { QStringLiteral("weightInPounds"), 100 },
        { QStringLiteral("billToAccountId"), QStringLiteral("acme") } };
    if (pickup)
        body.insert(QStringLiteral("pickupWindow"), *pickup);
    if (delivery)
        body.insert(QStringLiteral("deliveryWindow"), *delivery);
    HttpResponse r = server.post(QStringLiteral("/shipments/%1/commands/submit").arg(id), body,
        Role::CustomerService, kPreferWait);
    if (r.status != 200) {
        qWarning("submitting %s: %s", qPrintable(id), r.describe().constData());
        return false;
    }
    for (const QString &step : then) {
        QJsonObject stepBody;
        if (step == QLatin1String("assign"))
            stepBody.insert(QStringLiteral("truckId"), QStringLiteral("t1"));
        if (step == QLatin1String("cancel"))
            stepBody.insert(QStringLiteral("reason"), QStringLiteral("no longer needed"));
        r = server.post(QStringLiteral("/shipments/%1/commands/%2").arg(id, step), stepBody,
            Role::Admin, kPreferWait);
        if (r.status != 200) {
            qWarning("%s of %s: %s", qPrintable(step), qPrintable(id), r.describe().constData());
            return false;
        }
    }
    return true;
}

void TestPlanningQueries::windowQueryFindsOverlapsAtTheEdges_data()
{
    TestDatabases::addBackendColumn();
}

void TestPlanningQueries::windowQueryFindsOverlapsAtTheEdges()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    // The day asked about is 10 June 2030, [00:00, 24:00) UTC.
    QVERIFY(make(*server, QStringLiteral("before"), window(day(9, 8), day(9, 12)),
        window(day(9, 14), day(9, 18))));
    QVERIFY(make(
        *server, QStringLiteral("endsAtTheStart"), window(day(9, 20), day(10, 0)), std::nullopt));
    QVERIFY(make(*server, QStringLiteral("inside"), window(day(10, 8), day(10, 12)), std::nullopt,
        { QStringLiteral("assign") }));
    QVERIFY(make(*server, QStringLiteral("deliveryOnly"), std::nullopt,
        window(day(10, 14), day(11, 10)), { QStringLiteral("assign") }));
    QVERIFY(make(
        *server, QStringLiteral("startsAtTheEnd"), window(day(11, 0), day(11, 4)), std::nullopt));
    QVERIFY(make(*server, QStringLiteral("spanning"), window(day(8, 0), day(12, 0)), std::nullopt));
    QVERIFY(make(*server, QStringLiteral("noWindows"), std::nullopt, std::nullopt));
    const QStringList theDay { QStringLiteral("deliveryOnly"), QStringLiteral("endsAtTheStart"),
        QStringLiteral("inside"), QStringLiteral("spanning") };

    const auto ask = [&](const QString &query, const QStringList &expected) {
        const HttpResponse r = server->get(QStringLiteral("/shipments?") + query);
        QVERIFY2(r.status == 200, r.describe());
        QCOMPARE(idsOf(r.array()), expected);
        QCOMPARE(r.header("X-Total-Count"), QByteArray::number(expected.size()));
    };
    ask(QStringLiteral("windowFrom=2030-06-10T00:00:00Z&windowTo=2030-06-11T00:00:00Z"), theDay);
    // The same day written by a client in Tokyo (+09:00, its '+' percent-encoded).
    ask(QStringLiteral(
            "windowFrom=2030-06-10T09:00:00%2B09:00&windowTo=2030-06-11T09:00:00%2B09:00"),
        theDay);
    // A bare '+' is a plus too (query strings are not form data), and a negative offset works.
    ask(QStringLiteral("windowFrom=2030-06-10T09:00:00+09:00&windowTo=2030-06-10T19:00:00-05:00"),
        theDay);
    // Either end alone: the windows ending at or after `from`, or starting before `to`.
    ask(QStringLiteral("windowFrom=2030-06-11T00:00:00.000Z"),
        { QStringLiteral("deliveryOnly"), QStringLiteral("spanning"),
            QStringLiteral("startsAtTheEnd") });
    ask(QStringLiteral("windowTo=2030-06-09T09:00:00Z"),
        { QStringLiteral("before"), QStringLiteral("spanning") });
    // With the other filters and paging.
    ask(QStringLiteral("windowFrom=2030-06-10T00:00:00Z&windowTo=2030-06-11T00:00:00Z"
                       "&status=Assigned"),
        { QStringLiteral("deliveryOnly"), QStringLiteral("inside") });
    const HttpResponse page = server->get(QStringLiteral(
        "/shipments?windowFrom=2030-06-10T00:00:00Z&windowTo=2030-06-11T00:00:00Z&limit=2"));
    QCOMPARE(page.array().size(), 2);
    QCOMPARE(page.header("X-Total-Count"), QByteArray("4"));

    // A rebuild of the read models from the events brings the windows back.
    ReadModels::rebuild(server->database());
    ask(QStringLiteral("windowFrom=2030-06-10T00:00:00Z&windowTo=2030-06-11T00:00:00Z"), theDay);
    // A reschedule moves a shipment out of the day and another into it.
    HttpResponse r = server->post(QStringLiteral("/shipments/inside/commands/reschedule"),
        { { QStringLiteral("pickupWindow"), window(day(12, 8), day(12, 12)) } }, Role::Dispatch,
        kPreferWait);
    QVERIFY2(r.status == 200, r.describe());
    r = server->post(QStringLiteral("/shipments/noWindows/commands/amend"),
        { { QStringLiteral("reason"), QStringLiteral("customer called") },
            { QStringLiteral("deliveryWindow"), window(day(10, 23, 59), day(10, 23, 59)) } },
        Role::CustomerService, kPreferWait);
    QVERIFY2(r.status == 200, r.describe());
    ask(QStringLiteral("windowFrom=2030-06-10T00:00:00Z&windowTo=2030-06-11T00:00:00Z"),
        { QStringLiteral("deliveryOnly"), QStringLiteral("endsAtTheStart"),
            QStringLiteral("noWindows"), QStringLiteral("spanning") });
}

void TestPlanningQueries::lateIsJudgedAtTheAnswerAndOnTimeAtDelivery_data()
{
    TestDatabases::addBackendColumn();
}

void TestPlanningQueries::lateIsJudgedAtTheAnswerAndOnTimeAtDelivery()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto hours = [&](int h) { return now.addSecs(3600 * h); };
    // Windows in the past may be given (a shipment entered after the fact).
    QVERIFY(make(*server, QStringLiteral("latePickup"), window(hours(-4), hours(-2)),
        window(hours(-1), hours(20))));
    QVERIFY(make(*server, QStringLiteral("bothOverAssigned"), window(hours(-6), hours(-5)),
        window(hours(-4), hours(-3)), { QStringLiteral("assign") }));
    QVERIFY(make(*server, QStringLiteral("lateDelivery"), window(hours(-6), hours(-5)),
        window(hours(-4), hours(-3)), { QStringLiteral("assign"), QStringLiteral("ship") }));
    QVERIFY(make(*server, QStringLiteral("shippedInTime"), window(hours(-6), hours(-5)),
        window(hours(-1), hours(5)), { QStringLiteral("assign"), QStringLiteral("ship") }));
    QVERIFY(make(
        *server, QStringLiteral("future"), window(hours(2), hours(4)), window(hours(5), hours(9))));
    QVERIFY(make(*server, QStringLiteral("deliveredLate"), window(hours(-6), hours(-5)),
        window(hours(-4), hours(-3)),
        { QStringLiteral("assign"), QStringLiteral("ship"), QStringLiteral("deliver") }));
    QVERIFY(make(*server, QStringLiteral("deliveredOnTime"), window(hours(-6), hours(-5)),
        window(hours(-4), hours(3)),
        { QStringLiteral("assign"), QStringLiteral("ship"), QStringLiteral("deliver") }));
    QVERIFY(make(*server, QStringLiteral("cancelled"), window(hours(-6), hours(-5)),
        window(hours(-4), hours(-3)), { QStringLiteral("cancel") }));
    QVERIFY(make(*server, QStringLiteral("noWindows"), std::nullopt, std::nullopt));

    HttpResponse r = server->get(QStringLiteral("/shipments?late=true"), Role::Dispatch);
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(idsOf(r.array()),
        QStringList({ QStringLiteral("bothOverAssigned"), QStringLiteral("lateDelivery"),
            QStringLiteral("latePickup") }));
    QCOMPARE(r.header("X-Total-Count"), QByteArray("3"));
    // late=false is no filter at all.
    r = server->get(QStringLiteral("/shipments?late=false&limit=1000"));
    QCOMPARE(r.array().size(), 9);

    const QHash<QString, QString> late { { QStringLiteral("latePickup"), QStringLiteral("pickup") },
        { QStringLiteral("bothOverAssigned"), QStringLiteral("pickup") },
        { QStringLiteral("lateDelivery"), QStringLiteral("delivery") } };
    const QHash<QString, bool> onTime { { QStringLiteral("deliveredLate"), false },
        { QStringLiteral("deliveredOnTime"), true } };
    for (const QJsonValue &v : r.array()) {
        const QJsonObject listed = v.toObject();
        const QString id = listed.value(QStringLiteral("id")).toString();
        const HttpResponse one = server->get(QStringLiteral("/shipments/") + id);
        QVERIFY2(one.status == 200, one.describe());
        // The list answers from the stored bodies, the single route from the state: the same.
        QCOMPARE(listed, one.object());
        for (const QJsonObject &s : { listed, one.object() }) {
            QCOMPARE(s.value(QStringLiteral("late")).toString(), late.value(id));
            QCOMPARE(s.contains(QStringLiteral("onTime")), onTime.contains(id));
            if (onTime.contains(id))
                QCOMPARE(s.value(QStringLiteral("onTime")).toBool(), onTime.value(id));
        }
    }
    // As of a time, lateness is judged at that time: the future shipment, as it will be in
    // five hours with nothing done, is late for its pickup.
    r = server->get(QStringLiteral("/shipments/future?asOf=")
        + QString::fromLatin1(QUrl::toPercentEncoding(hours(5).toString(Qt::ISODateWithMs))));
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("late")).toString(), QStringLiteral("pickup"));
    QVERIFY(!server->get(QStringLiteral("/shipments/future"))
                 .object()
                 .contains(QStringLiteral("late")));
    // Rescheduled into the future, it is late no more, at once.
    r = server->post(QStringLiteral("/shipments/latePickup/commands/reschedule"),
        { { QStringLiteral("pickupWindow"), window(hours(1), hours(2)) },
            { QStringLiteral("reason"), QStringLiteral("customer asked") } },
        Role::CustomerService, kPreferWait);
    QVERIFY2(r.status == 200, r.describe());
    r = server->get(QStringLiteral("/shipments?late=true"));
    QCOMPARE(idsOf(r.array()),
        QStringList({ QStringLiteral("bothOverAssigned"), QStringLiteral("lateDelivery") }));
    QVERIFY(!server->get(QStringLiteral("/shipments/latePickup"))
                 .object()
                 .contains(QStringLiteral("late")));
    // With another filter.
    r = server->get(QStringLiteral("/shipments?late=true&status=Shipped"));
    QCOMPARE(idsOf(r.array()), QStringList({ QStringLiteral("lateDelivery") }));
}

void TestPlanningQueries::badPlanningParametersAnswer400AndNameTheParameter_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("parameter");
    QTest::newRow("late is not a boolean") << QStringLiteral("late=yes") << "late";
    QTest::newRow("late is empty") << QStringLiteral("late=") << "late";
    QTest::newRow("windowFrom is not a time") << QStringLiteral("windowFrom=today") << "windowFrom";
    QTest::newRow("windowTo is not a time") << QStringLiteral("windowTo=2030-13-01") << "windowTo";
    QTest::newRow("an empty span")
        << QStringLiteral("windowFrom=2030-06-10T00:00:00Z&windowTo=2030-06-10T00:00:00Z")
        << "windowTo";
    QTest::newRow("a span backwards")
        << QStringLiteral("windowFrom=2030-06-11T00:00:00Z&windowTo=2030-06-10T00:00:00Z")
        << "windowTo";
}

void TestPlanningQueries::badPlanningParametersAnswer400AndNameTheParameter()
{
    QFETCH(QString, query);
    QFETCH(QString, parameter);
    START_SERVER(TestDatabases::sqlite());
    const HttpResponse r = server->get(QStringLiteral("/shipments?") + query);
    QCOMPARE(r.status, 400);
    const QJsonArray errors = r.object().value(QStringLiteral("errors")).toArray();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().toObject().value(QStringLiteral("path")).toArray(),
        QJsonArray { parameter });
}

QTEST_GUILESS_MAIN(TestPlanningQueries)
#include "tst_planningqueries.moc"
