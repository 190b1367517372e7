// Records and corrections over real HTTP: the routes of accounts and trucks, the corrections,
// every role against every new command, If-Match (412 in the contract's order, and races where
// exactly one request wins), ETag, the compatibility switches, and two servers on one
// PostgreSQL sharing a truck.
#include "testserver.h"

#include "domain/ids.h"
#include "samplecommands.h"
#include "testdatabases.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace waybill;
using namespace waybill::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

Headers waitAnd(const QByteArray &name, const QByteArray &value)
{
    return kPreferWait + Headers { { name, value } };
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

QString collectionOf(CommandType type)
{
    switch (streamKindOf(type)) {
    case StreamKind::Account:
        return QStringLiteral("accounts");
    case StreamKind::Truck:
        return QStringLiteral("trucks");
    default:
        return QStringLiteral("shipments");
    }
}

QString commandPath(CommandType type, const QString &id)
{
    return QStringLiteral("/%1/%2/commands/%3").arg(collectionOf(type), id, commandTypeName(type));
}

QJsonObject openBody(const QString &name)
{
    return { { QStringLiteral("name"), name },
        { QStringLiteral("billingAddress"), addressJson(name) } };
}

// Waits until every reply has finished (or the time is up).
void waitForAll(const QList<QNetworkReply *> &replies, int timeoutMs = 30000)
{
    QDeadlineTimer deadline(timeoutMs);
    for (QNetworkReply *reply : replies) {
        if (reply->isFinished())
            continue;
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(qMax<qint64>(1, deadline.remainingTime()), &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
    }
}

// Starts a POST to a server other than the test server's own, with the test server's tokens.
QNetworkReply *startPost(
    TestServer &tokens, const QUrl &base, const QString &path, const QByteArray &body, Role role)
{
    QNetworkRequest request(base.resolved(QUrl(path)));
    request.setRawHeader("Authorization", "Bearer " + tokens.token(role).toLatin1());
    request.setRawHeader("Prefer", "wait=20");
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    return tokens.network().post(request, body);
}

} // namespace

class TestHttpRecords final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void everyRoleAgainstEveryRecordAndCorrectionCommand_data();
    void everyRoleAgainstEveryRecordAndCorrectionCommand();
    void accountsShowTheirRecordAndExposure();
    void trucksShowTheirRecordLoadAndStatus();
    void entityRoutesSendTheirVersionAsETag();
    void ifMatchAnswers412AfterTheBodyAndBefore409();
    void everyCommandRouteTakesIfMatch_data();
    void everyCommandRouteTakesIfMatch();
    void ifMatchRaceLetsExactlyOneRequestThrough_data() { TestDatabases::addBackendColumn(); }
    void ifMatchRaceLetsExactlyOneRequestThrough();
    void correctionsEndToEndKeepBalancesExact_data() { TestDatabases::addBackendColumn(); }
    void correctionsEndToEndKeepBalancesExact();
    void crossStreamRulesAnswer409AtThePrecheck();
    void compatibilitySwitchesAnswer409ForUnregisteredIds();
    void twoServersOnOnePostgresNeverOverloadATruck();
    void twoServersOnOnePostgresLetNoSubmitPastAHold();

private:
    HttpResponse run(CommandType type, const QString &id, const QJsonObject &body = {},
        Role role = Role::Admin, const Headers &headers = kPreferWait);

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

void TestHttpRecords::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false"));
}

void TestHttpRecords::cleanup()
{
    m_server.reset();
}

// `server`, on a fresh database of the backend with the engine options given (if any); else the
// test skips (only PostgreSQL, when not required) or fails.
#define START_SERVER(backend, ...)                                                                 \
    m_server.reset();                                                                              \
    WAYBILL_START_SERVER(m_server, m_databases, backend, ServerOptions {}, ##__VA_ARGS__);         \
    TestServer &server = *m_server

HttpResponse TestHttpRecords::run(
    CommandType type, const QString &id, const QJsonObject &body, Role role, const Headers &headers)
{
    return m_server->post(commandPath(type, id), body, role, headers);
}

void TestHttpRecords::everyRoleAgainstEveryRecordAndCorrectionCommand_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<CommandType>("type");
    QTest::addColumn<bool>("allowed");
    const Role cs = Role::CustomerService, dispatch = Role::Dispatch, finance = Role::Finance,
               admin = Role::Admin;
    const QList<std::pair<CommandType, QList<Role>>> allowed {
        { CommandType::Amend, { cs, admin } },
        { CommandType::Reschedule, { cs, dispatch, admin } },
        { CommandType::Open, { finance, admin } },
        { CommandType::Update, { finance, admin } },
        { CommandType::Hold, { finance, admin } },
        { CommandType::Release, { finance, admin } },
        { CommandType::ReversePayment, { finance, admin } },
        { CommandType::Credit, { finance, admin } },
        { CommandType::Register, { dispatch, admin } },
        { CommandType::OutOfService, { dispatch, admin } },
        { CommandType::ReturnToService, { dispatch, admin } },
    };
    for (Role role : kAllRoles) {
        for (const auto &[type, roles] : allowed)
            QTest::addRow("%s %s", qPrintable(roleName(role)), qPrintable(commandTypeName(type)))
                << role << type << roles.contains(role);
    }
}

void TestHttpRecords::everyRoleAgainstEveryRecordAndCorrectionCommand()
{
    QFETCH(Role, role);
    QFETCH(CommandType, type);
    QFETCH(bool, allowed);
    START_SERVER(TestDatabases::sqlite());
    Q_UNUSED(server);
    // What must be there first, recorded by admin.
    const QString id = QStringLiteral("m1");
    QJsonObject body;
    const auto setUp = [&](CommandType step, const QJsonObject &stepBody) {
        const HttpResponse r = run(step, id, stepBody);
        if (r.status != 200)
            qFatal("setting up: %s", r.describe().constData());
        return r;
    };
    switch (type) {
    case CommandType::Amend:
        setUp(CommandType::Submit, submitBody(QStringLiteral("acme")));
        body = json(R"({"weightInPounds": 11, "reason": "scale"})");
        break;
    case CommandType::Reschedule:
        setUp(CommandType::Submit, submitBody(QStringLiteral("acme")));
        body = json(
            R"({"deliveryWindow": {"from": "2026-12-01T08:00:00Z", "to": "2026-12-01T12:00:00Z"}})");
        break;
    case CommandType::Open:
        body = openBody(QStringLiteral("Acme"));
        break;
    case CommandType::Update:
        setUp(CommandType::Open, openBody(QStringLiteral("Acme")));
        body = json(R"({"paymentTermsDays": 10})");
        break;
    case CommandType::Hold:
        setUp(CommandType::Open, openBody(QStringLiteral("Acme")));
        body = json(R"({"reason": "late"})");
        break;
    case CommandType::Release:
        setUp(CommandType::Open, openBody(QStringLiteral("Acme")));
        setUp(CommandType::Hold, json(R"({"reason": "late"})"));
        break;
    case CommandType::ReversePayment: {
        const HttpResponse paid = setUp(CommandType::Payment, json(R"({"amount": 5})"));
        body = { { QStringLiteral("paymentCommandId"),
                     paid.object().value(QStringLiteral("commandId")) },
            { QStringLiteral("reason"), QStringLiteral("bounced") } };
        break;
    }
    case CommandType::Credit:
        setUp(CommandType::Payment, json(R"({"amount": 5})"));
        body = json(R"({"amount": 1, "reason": "goodwill"})");
        break;
    case CommandType::OutOfService:
        setUp(CommandType::Register, {});
        body = json(R"({"reason": "flat"})");
        break;
    case CommandType::ReturnToService:
        setUp(CommandType::Register, {});
        setUp(CommandType::OutOfService, json(R"({"reason": "flat"})"));
        break;
    default:
        break;
    }
    const HttpResponse r = run(type, id, body, role);
    if (allowed) {
        QVERIFY2(r.status == 200, "expected the command to run: " + r.describe());
        QCOMPARE(
            r.object().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    } else {
        QVERIFY2(r.status == 403, "expected 403: " + r.describe());
        QVERIFY(r.object().value(QStringLiteral("message")).toString().contains(roleName(role)));
    }
}

void TestHttpRecords::accountsShowTheirRecordAndExposure()
{
    START_SERVER(TestDatabases::sqlite());
    QJsonObject open = openBody(QStringLiteral("Acme Corp"));
    open.insert(QStringLiteral("paymentTermsDays"), 45);
    open.insert(QStringLiteral("creditLimit"), 1000.1);
    QCOMPARE(run(CommandType::Open, QStringLiteral("acme"), open, Role::Finance).status, 200);
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"), 100))
                 .status,
        200);
    QCOMPARE(
        run(CommandType::Payment, QStringLiteral("walk-in"), json(R"({"amount": 3})")).status, 200);
    HttpResponse r = server.get(QStringLiteral("/accounts/acme"), Role::Auditor);
    QVERIFY2(r.status == 200, r.describe());
    const QJsonObject acme = r.object();
    QCOMPARE(acme.value(QStringLiteral("registered")).toBool(), true);
    QCOMPARE(acme.value(QStringLiteral("name")).toString(), QStringLiteral("Acme Corp"));
    QCOMPARE(acme.value(QStringLiteral("billingAddress")).toObject(),
        addressJson(QStringLiteral("Acme Corp")));
    QCOMPARE(acme.value(QStringLiteral("paymentTermsDays")).toInt(), 45);
    QCOMPARE(acme.value(QStringLiteral("creditLimit")).toDouble(), 1000.1);
    QCOMPARE(acme.value(QStringLiteral("creditLimitCents")).toInteger(), 100010);
    QCOMPARE(acme.value(QStringLiteral("onHold")).toBool(), false);
    QVERIFY(!acme.contains(QStringLiteral("holdReason")));
    QCOMPARE(acme.value(QStringLiteral("exposure")).toDouble(), 28.0);
    QCOMPARE(acme.value(QStringLiteral("exposureCents")).toInteger(), 2800);
    QCOMPARE(acme.value(QStringLiteral("version")).toInt(), 1);
    // An account known only from a payment: not registered, the default terms, no limit.
    r = server.get(QStringLiteral("/accounts?limit=10"), Role::CustomerService);
    QCOMPARE(r.array().size(), 2);
    const QJsonObject walkIn = r.array().at(1).toObject();
    QCOMPARE(walkIn.value(QStringLiteral("id")).toString(), QStringLiteral("walk-in"));
    QCOMPARE(walkIn.value(QStringLiteral("registered")).toBool(), false);
    QCOMPARE(walkIn.value(QStringLiteral("paymentTermsDays")).toInt(), 30);
    QVERIFY(!walkIn.contains(QStringLiteral("creditLimit")));
    QVERIFY(!walkIn.contains(QStringLiteral("name")));
    QCOMPARE(walkIn.value(QStringLiteral("exposureCents")).toInteger(), 0);
    QCOMPARE(r.array().at(0).toObject().value(QStringLiteral("exposureCents")).toInteger(), 2800);
    // On hold, with its reason.
    QCOMPARE(run(CommandType::Hold, QStringLiteral("acme"), json(R"({"reason": "audit"})"),
                 Role::Finance)
                 .status,
        200);
    r = server.get(QStringLiteral("/accounts/acme"));
    QCOMPARE(r.object().value(QStringLiteral("holdReason")).toString(), QStringLiteral("audit"));
    r = server.get(QStringLiteral("/accounts/acme/events"));
    QStringList types;
    for (const QJsonValue &e : r.array())
        types << e.toObject().value(QStringLiteral("type")).toString();
    QCOMPARE(types, QStringList({ QStringLiteral("opened"), QStringLiteral("placedOnHold") }));
}

void TestHttpRecords::trucksShowTheirRecordLoadAndStatus()
{
    START_SERVER(TestDatabases::sqlite());
    QCOMPARE(run(CommandType::Register, QStringLiteral("T-1"),
                 json(R"({"name": "Big Blue", "capacityPounds": 40000})"), Role::Dispatch)
                 .status,
        200);
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("a"), 1234.5))
                 .status,
        200);
    QCOMPARE(
        run(CommandType::Submit, QStringLiteral("s2"), submitBody(QStringLiteral("a"), 10)).status,
        200);
    QCOMPARE(
        run(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "T-1"})")).status, 200);
    QCOMPARE(
        run(CommandType::Assign, QStringLiteral("s2"), json(R"({"truckId": "T-9"})")).status, 200);
    HttpResponse r = server.get(QStringLiteral("/trucks/T-1"), Role::CustomerService);
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.object(),
        json(R"({"id": "T-1", "registered": true, "name": "Big Blue", "capacityPounds": 40000,
                 "loadPounds": 1234.5, "inService": true, "status": "occupied",
                 "shipments": ["s1"], "version": 1})"));
    QCOMPARE(r.header("ETag"), QByteArray("\"1\""));
    // Known only from an assignment: shown, not registered, no events of its own.
    r = server.get(QStringLiteral("/trucks/T-9"));
    QCOMPARE(
        r.object(), json(R"({"id": "T-9", "registered": false, "loadPounds": 10, "inService": true,
                 "status": "occupied", "shipments": ["s2"], "version": 0})"));
    r = server.get(QStringLiteral("/trucks/T-9/events"));
    QVERIFY2(r.status == 200 && r.array().isEmpty(), r.describe());
    QCOMPARE(server.get(QStringLiteral("/trucks/T-404")).status, 404);
    QCOMPARE(server.get(QStringLiteral("/trucks/T-404/events")).status, 404);
    QCOMPARE(server.get(QStringLiteral("/trucks/a%20b")).status, 400);
    // Out of service with its load still on it.
    QCOMPARE(run(CommandType::OutOfService, QStringLiteral("T-1"),
                 json(R"({"reason": "flat tire"})"), Role::Dispatch)
                 .status,
        200);
    r = server.get(QStringLiteral("/trucks"));
    QCOMPARE(r.array().size(), 2);
    const QJsonObject broken = r.array().at(0).toObject();
    QCOMPARE(broken.value(QStringLiteral("status")).toString(), QStringLiteral("out-of-service"));
    QCOMPARE(
        broken.value(QStringLiteral("outOfServiceReason")).toString(), QStringLiteral("flat tire"));
    QCOMPARE(
        broken.value(QStringLiteral("shipments")).toArray(), QJsonArray { QStringLiteral("s1") });
    r = server.get(QStringLiteral("/trucks/T-1/events"));
    QCOMPARE(r.array().size(), 2);
    QCOMPARE(r.array().at(1).toObject().value(QStringLiteral("type")).toString(),
        QStringLiteral("outOfService"));
    QCOMPARE(r.array().at(1).toObject().value(QStringLiteral("streamId")).toString(),
        QStringLiteral("truck-T-1"));
}

void TestHttpRecords::entityRoutesSendTheirVersionAsETag()
{
    START_SERVER(TestDatabases::sqlite());
    QCOMPARE(
        run(CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"))).status,
        200);
    QTest::qWait(5); // the submit and the assign a millisecond apart at least, for asOf
    QCOMPARE(
        run(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})")).status, 200);
    QCOMPARE(
        run(CommandType::Payment, QStringLiteral("acme"), json(R"({"amount": 1})")).status, 200);
    QCOMPARE(server.get(QStringLiteral("/shipments/s1")).header("ETag"), QByteArray("\"2\""));
    QCOMPARE(server.get(QStringLiteral("/accounts/acme")).header("ETag"), QByteArray("\"1\""));
    QCOMPARE(server.get(QStringLiteral("/trucks/t1")).header("ETag"), QByteArray("\"0\""));
    const QString then = server.get(QStringLiteral("/shipments/s1/events"))
                             .array()
                             .at(0)
                             .toObject()
                             .value(QStringLiteral("timestamp"))
                             .toString();
    QCOMPARE(server.get(QStringLiteral("/shipments/s1?asOf=") + then).header("ETag"),
        QByteArray("\"1\""));
}

void TestHttpRecords::ifMatchAnswers412AfterTheBodyAndBefore409()
{
    START_SERVER(TestDatabases::sqlite());
    QCOMPARE(
        run(CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"))).status,
        200);
    // The version seen: quotes optional.
    HttpResponse r = run(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})"),
        Role::Dispatch, waitAnd("If-Match", "\"1\""));
    QVERIFY2(r.status == 200, r.describe());
    r = run(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t2"})"), Role::Dispatch,
        waitAnd("If-Match", "2"));
    QVERIFY2(r.status == 200, r.describe());
    // Someone else moved it: 412 with the version now, and nothing recorded.
    const int commandsBefore = server.get(QStringLiteral("/events?limit=1000")).array().size();
    r = run(
        CommandType::Ship, QStringLiteral("s1"), {}, Role::Dispatch, waitAnd("If-Match", "\"2\""));
    QVERIFY2(r.status == 412, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("error")).toString(),
        QStringLiteral("Precondition Failed"));
    QCOMPARE(r.object().value(QStringLiteral("currentVersion")).toInt(), 3);
    QVERIFY2(r.object()
                 .value(QStringLiteral("message"))
                 .toString()
                 .contains(QLatin1String("someone else changed it first")),
        r.describe());
    QCOMPARE(server.get(QStringLiteral("/events?limit=1000")).array().size(), commandsBefore);
    QCOMPARE(server.get(QStringLiteral("/shipments/s1"))
                 .object()
                 .value(QStringLiteral("status"))
                 .toString(),
        QStringLiteral("Assigned"));
    // 400 before 412: a bad body, or an If-Match that is not a version.
    r = run(CommandType::Ship, QStringLiteral("s1"), json(R"({"x": 1})"), Role::Dispatch,
        waitAnd("If-Match", "\"2\""));
    QVERIFY2(r.status == 400, r.describe());
    for (const QByteArray &bad : { QByteArray("W/\"3\""), QByteArray("*"), QByteArray("three"),
             QByteArray("\"-1\""), QByteArray("\"3") }) {
        r = run(
            CommandType::Ship, QStringLiteral("s1"), {}, Role::Dispatch, waitAnd("If-Match", bad));
        QVERIFY2(r.status == 400, bad + ": " + r.describe());
    }
    // 412 before 409: the version is wrong and delivering would be illegal too.
    r = run(
        CommandType::Deliver, QStringLiteral("s1"), {}, Role::Dispatch, waitAnd("If-Match", "1"));
    QVERIFY2(r.status == 412, r.describe());
    r = run(
        CommandType::Deliver, QStringLiteral("s1"), {}, Role::Dispatch, waitAnd("If-Match", "3"));
    QVERIFY2(r.status == 409, r.describe());
    // On accounts and trucks too; "0" asks that the stream not exist yet.
    r = run(CommandType::Register, QStringLiteral("t9"), {}, Role::Dispatch,
        waitAnd("If-Match", "\"0\""));
    QVERIFY2(r.status == 200, r.describe());
    r = run(CommandType::OutOfService, QStringLiteral("t9"), json(R"({"reason": "x"})"),
        Role::Dispatch, waitAnd("If-Match", "\"0\""));
    QVERIFY2(r.status == 412 && r.object().value(QStringLiteral("currentVersion")).toInt() == 1,
        r.describe());
    r = run(CommandType::Open, QStringLiteral("acme"), openBody(QStringLiteral("Acme")),
        Role::Finance, waitAnd("If-Match", "\"5\""));
    QVERIFY2(r.status == 412 && r.object().value(QStringLiteral("currentVersion")).toInt() == 0,
        r.describe());
}

void TestHttpRecords::everyCommandRouteTakesIfMatch_data()
{
    QTest::addColumn<CommandType>("type");
    for (const SampleCommand &sample : sampleCommands())
        QTest::addRow(
            "%s answers 412 for another version", qPrintable(commandTypeName(sample.type)))
            << sample.type;
}

void TestHttpRecords::everyCommandRouteTakesIfMatch()
{
    QFETCH(CommandType, type);
    START_SERVER(TestDatabases::sqlite());
    const std::optional<SampleCommand> sample = sampleCommand(type);
    QVERIFY(sample);
    // A valid body against a stream that has no events: version 0, not the 7 the sender saw.
    HttpResponse r = server.post(sample->route(QStringLiteral("x1")), sample->body, Role::Admin,
        waitAnd("If-Match", "\"7\""));
    QVERIFY2(r.status == 412, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("currentVersion")).toInt(-1), 0);
    QCOMPARE(r.header("ETag"), QByteArray("\"0\""));
    QVERIFY2(server.get(QStringLiteral("/events?limit=1000")).array().isEmpty(),
        "a 412 must record nothing");
    // The version it has passes the precondition (what follows is the command's own rules).
    r = server.post(
        sample->route(QStringLiteral("x1")), sample->body, Role::Admin, waitAnd("If-Match", "0"));
    QVERIFY2(r.status == 200 || r.status == 409, r.describe());
}

void TestHttpRecords::ifMatchRaceLetsExactlyOneRequestThrough()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    QCOMPARE(
        run(CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"))).status,
        200);
    // Ten dispatchers saw version 1 and assign ten different trucks at once.
    constexpr int kRequests = 10;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < kRequests; ++i)
        replies << server.start("POST", commandPath(CommandType::Assign, QStringLiteral("s1")),
            QJsonDocument(
                QJsonObject { { QStringLiteral("truckId"), QStringLiteral("t%1").arg(i) } })
                .toJson(),
            server.token(Role::Dispatch), waitAnd("If-Match", "\"1\""));
    waitForAll(replies);
    int succeeded = 0, preconditionFailed = 0, rejected = 0;
    for (QNetworkReply *reply : replies) {
        const HttpResponse r = TestServer::read(reply);
        reply->deleteLater();
        if (r.status == 200)
            ++succeeded;
        else if (r.status == 412)
            ++preconditionFailed;
        else if (r.status == 409
            && r.object().value(QStringLiteral("status")).toString() == QLatin1String("rejected")
            && r.object()
                   .value(QStringLiteral("message"))
                   .toString()
                   .contains(QLatin1String("not 1 as the request expected")))
            ++rejected; // passed the pre-check, refused when processed
        else
            QFAIL(r.describe().constData());
    }
    qInfo("1 succeeded, %d answered 412 at the pre-check, %d rejected when processed",
        preconditionFailed, rejected);
    QCOMPARE(succeeded, 1);
    QCOMPARE(succeeded + preconditionFailed + rejected, kRequests);
    const QJsonArray events = server.get(QStringLiteral("/shipments/s1/events")).array();
    QCOMPARE(events.size(), 2);
    QVERIFY(!events.at(1)
                 .toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .contains(QStringLiteral("previousTruckId")));
}

void TestHttpRecords::correctionsEndToEndKeepBalancesExact()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"), 10))
                 .status,
        200);
    HttpResponse r = run(CommandType::Amend, QStringLiteral("s1"),
        json(R"({"weightInPounds": 100.01, "reason": "=weighed, \"at\" the dock"})"),
        Role::CustomerService);
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(server.get(QStringLiteral("/shipments/s1"))
                 .object()
                 .value(QStringLiteral("cost"))
                 .toDouble(),
        28.0);
    QCOMPARE(
        run(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})")).status, 200);
    QCOMPARE(run(CommandType::Ship, QStringLiteral("s1")).status, 200);
    QCOMPARE(run(CommandType::Deliver, QStringLiteral("s1")).status, 200);
    QVERIFY(server.engine().waitSettled(60000));
    r = server.get(QStringLiteral("/accounts/acme/events"));
    QCOMPARE(r.array().size(), 1);
    QCOMPARE(r.array()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("amountCents"))
                 .toInteger(),
        2800);

    const HttpResponse paid = run(
        CommandType::Payment, QStringLiteral("acme"), json(R"({"amount": 280})"), Role::Finance);
    const QJsonObject reverse { { QStringLiteral("paymentCommandId"),
                                    paid.object().value(QStringLiteral("commandId")) },
        { QStringLiteral("reason"), QStringLiteral("keyed $280 for $28") } };
    r = run(CommandType::ReversePayment, QStringLiteral("acme"), reverse, Role::Finance);
    QVERIFY2(r.status == 200, r.describe());
    r = run(CommandType::ReversePayment, QStringLiteral("acme"), reverse, Role::Finance);
    QVERIFY2(r.status == 409
            && r.object()
                   .value(QStringLiteral("message"))
                   .toString()
                   .contains(QLatin1String("reversed already")),
        r.describe());
    QCOMPARE(run(CommandType::Payment, QStringLiteral("acme"), json(R"({"amount": 27.99})"),
                 Role::Finance)
                 .status,
        200);
    QCOMPARE(
        run(CommandType::Credit, QStringLiteral("acme"),
            json(R"({"amount": 0.01, "reason": "rounding", "shipmentId": "s1"})"), Role::Finance)
            .status,
        200);
    const QJsonObject acme = server.get(QStringLiteral("/accounts/acme")).object();
    QCOMPARE(acme.value(QStringLiteral("balanceCents")).toInteger(), 0);
    QCOMPARE(acme.value(QStringLiteral("balance")).toDouble(), 0.0);
    QCOMPARE(acme.value(QStringLiteral("exposureCents")).toInteger(), 0);
    // The reasons are in the history and the audit export.
    const QJsonArray history = server.get(QStringLiteral("/shipments/s1/events")).array();
    QCOMPARE(history.at(1).toObject().value(QStringLiteral("type")).toString(),
        QStringLiteral("amended"));
    QCOMPARE(history.at(1).toObject().value(QStringLiteral("data")).toObject(),
        json(R"({"weightInPounds": 100.01, "reason": "=weighed, \"at\" the dock",
                 "cost": 28, "costCents": 2800, "rateTableVersion": "default",
                 "charges": [{"code": "linehaul", "amountCents": 2800}]})"));
    const QJsonArray accountHistory = server.get(QStringLiteral("/accounts/acme/events")).array();
    QStringList reasons;
    for (const QJsonValue &e : accountHistory) {
        const QJsonObject data = e.toObject().value(QStringLiteral("data")).toObject();
        if (data.contains(QStringLiteral("reason")))
            reasons << e.toObject().value(QStringLiteral("type")).toString() + QLatin1Char(':')
                    + data.value(QStringLiteral("reason")).toString();
    }
    QCOMPARE(reasons,
        QStringList({ QStringLiteral("paymentReversed:keyed $280 for $28"),
            QStringLiteral("credited:rounding") }));
    r = server.request("GET", QStringLiteral("/events.csv"), {}, server.token(Role::Auditor));
    QVERIFY2(r.status == 200, r.describe());
    QVERIFY2(r.body.contains(R"(""reason"":""=weighed, \""at\"" the dock"")"), r.body);
    QVERIFY(r.body.contains(R"(""reason"":""keyed $280 for $28"")"));
    QVERIFY(r.body.contains(",paymentReversed,"));
    QVERIFY(r.body.contains(",credited,"));
}

void TestHttpRecords::crossStreamRulesAnswer409AtThePrecheck()
{
    START_SERVER(TestDatabases::sqlite());
    QJsonObject open = openBody(QStringLiteral("Acme"));
    open.insert(QStringLiteral("creditLimit"), 5);
    QCOMPARE(run(CommandType::Open, QStringLiteral("acme"), open).status, 200);
    QCOMPARE(
        run(CommandType::Register, QStringLiteral("t1"), json(R"({"capacityPounds": 15})")).status,
        200);
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"), 10))
                 .status,
        200);
    HttpResponse r = server.post(commandPath(CommandType::Submit, QStringLiteral("s2")),
        submitBody(QStringLiteral("acme"), 10), Role::CustomerService);
    QVERIFY2(r.status == 409, r.describe());
    QVERIFY2(r.object()
                 .value(QStringLiteral("message"))
                 .toString()
                 .contains(QLatin1String("past its credit limit of $5.00")),
        r.describe());
    QCOMPARE(server.get(QStringLiteral("/shipments/s2")).status, 404);
    QCOMPARE(
        run(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})")).status, 200);
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s3"), submitBody(QStringLiteral("other"), 10))
                 .status,
        200);
    r = server.post(commandPath(CommandType::Assign, QStringLiteral("s3")),
        json(R"({"truckId": "t1"})"), Role::Dispatch);
    QVERIFY2(r.status == 409, r.describe());
    QVERIFY2(r.object()
                 .value(QStringLiteral("message"))
                 .toString()
                 .contains(QLatin1String("past its capacity of 15 lb")),
        r.describe());
}

void TestHttpRecords::compatibilitySwitchesAnswer409ForUnregisteredIds()
{
    EngineOptions strict;
    strict.requireRegisteredAccounts = true;
    strict.requireRegisteredTrucks = true;
    START_SERVER(QStringLiteral("sqlite"), strict);
    HttpResponse r = server.post(commandPath(CommandType::Submit, QStringLiteral("s1")),
        submitBody(QStringLiteral("acmee")), Role::CustomerService);
    QVERIFY2(r.status == 409
            && r.object()
                   .value(QStringLiteral("message"))
                   .toString()
                   .contains(QLatin1String("not registered")),
        r.describe());
    QCOMPARE(
        run(CommandType::Open, QStringLiteral("acme"), openBody(QStringLiteral("Acme"))).status,
        200);
    QCOMPARE(
        run(CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"))).status,
        200);
    r = server.post(commandPath(CommandType::Assign, QStringLiteral("s1")),
        json(R"({"truckId": "t1"})"), Role::Dispatch);
    QVERIFY2(r.status == 409
            && r.object()
                   .value(QStringLiteral("message"))
                   .toString()
                   .contains(QLatin1String("Truck t1 is not registered")),
        r.describe());
    // Off (the default), the reference's clients bill and assign any id.
    m_server.reset();
    WAYBILL_START_SERVER(m_server, m_databases, TestDatabases::sqlite());
    TestServer &lenient = *m_server;
    QCOMPARE(lenient
                 .post(commandPath(CommandType::Submit, QStringLiteral("s1")),
                     submitBody(QStringLiteral("acmee")), Role::CustomerService, kPreferWait)
                 .status,
        200);
    QCOMPARE(lenient
                 .post(commandPath(CommandType::Assign, QStringLiteral("s1")),
                     json(R"({"truckId": "t1"})"), Role::Dispatch, kPreferWait)
                 .status,
        200);
}

void TestHttpRecords::twoServersOnOnePostgresNeverOverloadATruck()
{
    START_SERVER(QStringLiteral("postgres"));
    TestServer &a = server;
    // The second server: its own database handle, engine and HTTP server on the same database,
    // answering the same tokens.
    Database secondDatabase(a.database().url(), Durability::Process);
    Engine secondEngine(secondDatabase);
    secondEngine.start();
    HttpApiServer second(secondEngine, ServerOptions {});
    QString error;
    QVERIFY2(second.listen(&error), qPrintable(error));

    QCOMPARE(
        run(CommandType::Register, QStringLiteral("t1"), json(R"({"capacityPounds": 500})")).status,
        200);
    constexpr int kLoads = 30;
    for (int i = 0; i < kLoads; ++i)
        QCOMPARE(run(CommandType::Submit, QStringLiteral("l%1").arg(i),
                     submitBody(QStringLiteral("acme"), 100))
                     .status,
            200);
    QList<QNetworkReply *> replies;
    for (int i = 0; i < kLoads; ++i) {
        const QString path = commandPath(CommandType::Assign, QStringLiteral("l%1").arg(i));
        QNetworkRequest request((i % 2 ? a.url() : second.url()).resolved(QUrl(path)));
        request.setRawHeader("Authorization", "Bearer " + a.token(Role::Dispatch).toLatin1());
        request.setRawHeader("Prefer", "wait=20");
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        replies << a.network().post(request, QByteArray(R"({"truckId": "t1"})"));
    }
    waitForAll(replies);
    int assigned = 0;
    for (QNetworkReply *reply : replies) {
        const HttpResponse r = TestServer::read(reply);
        reply->deleteLater();
        QVERIFY2(r.status == 200 || r.status == 409, r.describe());
        assigned += r.status == 200;
    }
    QCOMPARE(assigned, 5);
    const QJsonObject truck = a.get(QStringLiteral("/trucks/t1")).object();
    QCOMPARE(truck.value(QStringLiteral("loadPounds")).toDouble(), 500.0);
    QCOMPARE(truck.value(QStringLiteral("shipments")).toArray().size(), 5);
    second.close();
    secondEngine.stop();
}

void TestHttpRecords::twoServersOnOnePostgresLetNoSubmitPastAHold()
{
    START_SERVER(QStringLiteral("postgres"));
    TestServer &a = server;
    Database secondDatabase(a.database().url(), Durability::Process);
    Engine secondEngine(secondDatabase);
    secondEngine.start();
    HttpApiServer second(secondEngine, ServerOptions {});
    QString error;
    QVERIFY2(second.listen(&error), qPrintable(error));
    QCOMPARE(
        run(CommandType::Open, QStringLiteral("acme"), openBody(QStringLiteral("Acme"))).status,
        200);

    // Submits on both servers in flight with the hold (sent to either), then more once the hold
    // is acknowledged.
    constexpr int kEach = 20;
    const auto startSubmits = [&](int first, int count) {
        QList<QNetworkReply *> replies;
        for (int i = first; i < first + count; ++i)
            replies << startPost(a, i % 2 ? a.url() : second.url(),
                commandPath(CommandType::Submit, QStringLiteral("h%1").arg(i)),
                QJsonDocument(submitBody(QStringLiteral("acme"))).toJson(), Role::CustomerService);
        return replies;
    };
    QList<QNetworkReply *> racing = startSubmits(0, kEach / 2);
    QNetworkReply *holdReply
        = startPost(a, second.url(), commandPath(CommandType::Hold, QStringLiteral("acme")),
            QByteArrayLiteral(R"({"reason": "fraud check"})"), Role::Finance);
    racing += startSubmits(kEach / 2, kEach / 2);
    waitForAll(racing + QList<QNetworkReply *> { holdReply });
    const HttpResponse hold = TestServer::read(holdReply);
    holdReply->deleteLater();
    QVERIFY2(hold.status == 200, hold.describe());
    const QList<QNetworkReply *> after = startSubmits(kEach, kEach);
    waitForAll(after);
    int refused = 0;
    for (QNetworkReply *reply : racing + after) {
        const HttpResponse r = TestServer::read(reply);
        reply->deleteLater();
        const bool wasRefused = r.status == 409
            && r.object()
                   .value(QStringLiteral("message"))
                   .toString()
                   .contains(QLatin1String("on hold (fraud check)"));
        QVERIFY2(r.status == 200 || wasRefused, r.describe());
        if (after.contains(reply))
            QVERIFY2(wasRefused, "a submit sent after the hold was acknowledged: " + r.describe());
        refused += wasRefused;
    }
    // In the one log, no submit billed to the account comes after its hold.
    qint64 heldAt = 0;
    qint64 lastSubmitted = 0;
    int submitted = 0;
    for (const QJsonValue &value : a.get(QStringLiteral("/events?limit=1000")).array()) {
        const QJsonObject event = value.toObject();
        const QString type = event.value(QStringLiteral("type")).toString();
        const qint64 position = event.value(QStringLiteral("position")).toInteger();
        if (type == QLatin1String("placedOnHold"))
            heldAt = position;
        if (type == QLatin1String("submitted")) {
            lastSubmitted = position;
            ++submitted;
        }
    }
    qInfo("%d submits before the hold, %d refused", submitted, refused);
    QVERIFY(heldAt > 0);
    QVERIFY2(lastSubmitted < heldAt,
        qPrintable(
            QStringLiteral("a submit at %1 after the hold at %2").arg(lastSubmitted).arg(heldAt)));
    QCOMPARE(submitted + refused, 2 * kEach);
    second.close();
    secondEngine.stop();
}

QTEST_GUILESS_MAIN(TestHttpRecords)
#include "tst_httprecords.moc"
