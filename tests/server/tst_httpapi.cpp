// Every route of the HTTP API over real HTTP: its answers, its errors and its roles, and the
// reference implementation's end-to-end flow, on SQLite and PostgreSQL.
#include "historywriter.h"
#include "testcertificate.h"
#include "testdatabases.h"
#include "testserver.h"

#include "api/commandroutes.h"
#include "domain/ids.h"
#include "domain/timeformat.h"
#include "engine/commandprocessor.h"
#include "store/commandstore.h"
#include "store/sql.h"

#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

QString commandPath(CommandType type, const QString &id)
{
    if (type == CommandType::Payment)
        return QStringLiteral("/accounts/%1/commands/payment").arg(id);
    return QStringLiteral("/shipments/%1/commands/%2").arg(id, commandTypeName(type));
}

QJsonObject bodyFor(CommandType type)
{
    switch (type) {
    case CommandType::Submit:
        return submitBody(QStringLiteral("acme"));
    case CommandType::Assign:
        return { { QStringLiteral("truckId"), QStringLiteral("t1") } };
    case CommandType::Cancel:
        return { { QStringLiteral("reason"), QStringLiteral("customer changed plans") } };
    case CommandType::Payment:
        return { { QStringLiteral("amount"), 12.5 } };
    default:
        return {};
    }
}

// The state a shipment must be in for the command to be legal.
QList<CommandType> stepsBefore(CommandType type)
{
    switch (type) {
    case CommandType::Assign:
    case CommandType::Cancel:
        return { CommandType::Submit };
    case CommandType::Ship:
        return { CommandType::Submit, CommandType::Assign };
    case CommandType::Deliver:
        return { CommandType::Submit, CommandType::Assign, CommandType::Ship };
    default:
        return {};
    }
}

QStringList eventTypes(const QJsonArray &events)
{
    QStringList types;
    for (const QJsonValue &e : events)
        types << e.toObject().value(QStringLiteral("type")).toString();
    return types;
}

} // namespace

class TestHttpApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void healthAnswersWithoutToken();
    void requestWithoutValidTokenAnswers401_data();
    void requestWithoutValidTokenAnswers401();
    void revokedTokenAnswers401();
    void unknownRouteAnswers404AfterAuthentication();
    void wrongMethodOnKnownPathAnswers405WithAllow();
    void everyRoleAgainstEveryCommand_data();
    void everyRoleAgainstEveryCommand();
    void everyRoleAgainstAuditAndAdminRoutes_data();
    void everyRoleAgainstAuditAndAdminRoutes();

    void submitAnswers202WithLocationAndIsProcessed();
    void invalidBodyAnswers400WithEveryErrorAndPath();
    void badIdInPathAnswers400();
    void illegalTransitionAnswers409BeforeRecording();
    void checksComeInTheContractsOrder();
    void preferWaitAnswersWithTheOutcome();
    void preferWaitAnswers409WithTheRejectedCommand();
    void preferWaitAnswers202WhenTimeRunsOut();
    void preferWaitHeaderIsReadAsTheRfcSays_data();
    void preferWaitHeaderIsReadAsTheRfcSays();
    void idempotencyKeyRepeatsTheFirstAnswer_data();
    void idempotencyKeyRepeatsTheFirstAnswer();
    void idempotencyKeyWithAnotherBodyOrRouteAnswers422();
    void invalidIdempotencyKeyAnswers400();
    void commandStatusRouteReportsEachOutcome();
    void paymentIsExactToTheCent();

    void shipmentListFiltersPagesAndCounts();
    void shipmentListDefaultsTo100AndClampsTo1000();
    void shipmentSearchLooksInTheIdAndAddressesOnly_data();
    void shipmentSearchLooksInTheIdAndAddressesOnly();
    void shipmentListRejectsBadParameters_data();
    void shipmentListRejectsBadParameters();
    void shipmentAsOfGivesItsStateThen();
    void accountAsOfGivesItsBalanceThen();
    void shipmentAndAccountRoutesAnswer404BeforeTheyExist();
    void accountRoutesShowBalanceAndEvents();
    void trucksShowWhatTheyCarry();
    void globalLogPagesByPosition();
    void csvExportStreamsTheLogForAuditors();
    void csvExportFiltersByTimeAndStream();
    void auditVerifyReportsAnIntactChain();
    void metricsShowCountersHistogramAndGauges();
    void everyRequestLogsOneLineWithStatusAndDuration();
    void meNamesTheTokenAndItsRole();

    void referenceEndToEndFlow_data();
    void referenceEndToEndFlow();

    void servesHttpsWithTheGivenCertificate();
    void listenSaysWhyItCannot();

private:
    // Runs a command as admin and waits for its outcome; returns the answer.
    HttpResponse run(CommandType type, const QString &id, const QJsonObject &body = {});
    HttpResponse run(CommandType type, const QString &id, Role role, const QJsonObject &body);

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

void TestHttpApi::initTestCase()
{
    // One line per request is logged (see everyRequestLogsOneLineWithStatusAndDuration); the
    // other tests would drown in them.
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false"));
}

void TestHttpApi::cleanup()
{
    m_server.reset();
}

HttpResponse TestHttpApi::run(CommandType type, const QString &id, const QJsonObject &body)
{
    return run(type, id, Role::Admin, body.isEmpty() ? bodyFor(type) : body);
}

HttpResponse TestHttpApi::run(
    CommandType type, const QString &id, Role role, const QJsonObject &body)
{
    return m_server->post(commandPath(type, id), body, role, kPreferWait);
}

// `m_server`, on a fresh database of backend. A test that needs PostgreSQL skips (or fails, in
// CI) when no cluster can start.
#define START_SERVER(backend)                                                                      \
    m_server.reset();                                                                              \
    WAYBILL_START_SERVER(m_server, m_databases, backend)
// The same on SQLite, as `server`.
#define START_SQLITE_SERVER()                                                                      \
    START_SERVER(TestDatabases::sqlite());                                                         \
    TestServer &server = *m_server

void TestHttpApi::healthAnswersWithoutToken()
{
    START_SQLITE_SERVER();
    for (const QString &token : { QString(), QStringLiteral("bogus") }) {
        const HttpResponse r = server.request("GET", QStringLiteral("/health"), {}, token);
        QVERIFY2(r.status == 200, r.describe());
        QCOMPARE(r.object(), QJsonObject({ { QStringLiteral("status"), QStringLiteral("ok") } }));
        QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    }
}

void TestHttpApi::requestWithoutValidTokenAnswers401_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("no header") << QByteArray();
    QTest::newRow("empty bearer") << QByteArray("Bearer ");
    QTest::newRow("not a token") << QByteArray("Bearer hello");
    QTest::newRow("well-formed but unknown")
        << QByteArray("Bearer wb_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    QTest::newRow("other scheme") << QByteArray("Basic YWRtaW46YWRtaW4=");
}

void TestHttpApi::requestWithoutValidTokenAnswers401()
{
    QFETCH(QByteArray, authorization);
    START_SQLITE_SERVER();
    Headers headers;
    if (!authorization.isEmpty())
        headers.append({ "Authorization", authorization });
    for (const auto &[method, path] :
        { std::pair<QByteArray, QString>("GET", QStringLiteral("/shipments")),
            std::pair<QByteArray, QString>("POST", QStringLiteral("/shipments/a/commands/ship")),
            std::pair<QByteArray, QString>("GET", QStringLiteral("/no/such/route")) }) {
        const HttpResponse r = server.request(
            method, path, method == "POST" ? QByteArray("{}") : QByteArray(), {}, headers);
        QVERIFY2(r.status == 401, path.toUtf8() + ": " + r.describe());
        QVERIFY(!r.object().value(QStringLiteral("message")).toString().isEmpty());
        QVERIFY(r.header("WWW-Authenticate").startsWith("Bearer"));
    }
}

void TestHttpApi::revokedTokenAnswers401()
{
    START_SQLITE_SERVER();
    QCOMPARE(server.get(QStringLiteral("/trucks"), Role::Dispatch).status, 200);
    TokenStore(server.database()).revoke(roleName(Role::Dispatch));
    const HttpResponse r = server.get(QStringLiteral("/trucks"), Role::Dispatch);
    QVERIFY2(r.status == 401, r.describe());
}

void TestHttpApi::unknownRouteAnswers404AfterAuthentication()
{
    START_SQLITE_SERVER();
    for (const QString &path : { QStringLiteral("/nothing"), QStringLiteral("/shipments/a/b/c"),
             QStringLiteral("/shipments/a/commands/fly"), QStringLiteral("/shipments/"),
             QStringLiteral("/accounts/a/commands/submit") }) {
        const HttpResponse r
            = server.request(path.contains(QLatin1String("commands")) ? "POST" : "GET", path, "{}",
                server.token(Role::Admin));
        QVERIFY2(r.status == 404, path.toUtf8() + ": " + r.describe());
        QVERIFY(!r.object().value(QStringLiteral("message")).toString().isEmpty());
    }
}

void TestHttpApi::wrongMethodOnKnownPathAnswers405WithAllow()
{
    START_SQLITE_SERVER();
    HttpResponse r
        = server.request("DELETE", QStringLiteral("/shipments"), {}, server.token(Role::Admin));
    QVERIFY2(r.status == 405, r.describe());
    QCOMPARE(r.header("Allow"), QByteArray("GET"));
    r = server.request(
        "GET", QStringLiteral("/shipments/a/commands/submit"), {}, server.token(Role::Admin));
    QVERIFY2(r.status == 405, r.describe());
    QCOMPARE(r.header("Allow"), QByteArray("POST"));
    QVERIFY(!r.object().value(QStringLiteral("message")).toString().isEmpty());
}

void TestHttpApi::everyRoleAgainstEveryCommand_data()
{
    QTest::addColumn<Role>("role");
    QTest::addColumn<CommandType>("type");
    QTest::addColumn<bool>("allowed");
    const QList<std::pair<CommandType, QList<Role>>> allowed {
        { CommandType::Submit, { Role::CustomerService, Role::Admin } },
        { CommandType::Cancel, { Role::CustomerService, Role::Dispatch, Role::Admin } },
        { CommandType::Assign, { Role::Dispatch, Role::Admin } },
        { CommandType::Ship, { Role::Dispatch, Role::Admin } },
        { CommandType::Deliver, { Role::Dispatch, Role::Admin } },
        { CommandType::Payment, { Role::Finance, Role::Admin } },
    };
    for (Role role : kAllRoles) {
        for (const auto &[type, roles] : allowed) {
            QTest::addRow("%s %s", qPrintable(roleName(role)), qPrintable(commandTypeName(type)))
                << role << type << roles.contains(role);
        }
    }
}

void TestHttpApi::everyRoleAgainstEveryCommand()
{
    QFETCH(Role, role);
    QFETCH(CommandType, type);
    QFETCH(bool, allowed);
    START_SERVER(TestDatabases::sqlite());
    const QString id = QStringLiteral("matrix");
    for (CommandType step : stepsBefore(type))
        QVERIFY2(run(step, id).status == 200, "setting up the shipment");
    const HttpResponse r = run(type, id, role, bodyFor(type));
    if (allowed) {
        QVERIFY2(r.status == 200, "expected the command to run: " + r.describe());
        QCOMPARE(
            r.object().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    } else {
        QVERIFY2(r.status == 403, "expected 403: " + r.describe());
        QVERIFY(r.object().value(QStringLiteral("message")).toString().contains(roleName(role)));
    }
}

void TestHttpApi::meNamesTheTokenAndItsRole()
{
    START_SQLITE_SERVER();
    for (Role role : kAllRoles) {
        const HttpResponse r = server.get(QStringLiteral("/me"), role);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.object().value(QStringLiteral("role")).toString(), roleName(role));
        QVERIFY(!r.object().value(QStringLiteral("name")).toString().isEmpty());
    }
}

void TestHttpApi::everyRoleAgainstAuditAndAdminRoutes_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QList<Role>>("allowed");
    const QList<Role> everyone(std::begin(kAllRoles), std::end(kAllRoles));
    QTest::newRow("events.csv") << QStringLiteral("/events.csv")
                                << QList<Role> { Role::Auditor, Role::Admin };
    QTest::newRow("audit/verify") << QStringLiteral("/audit/verify")
                                  << QList<Role> { Role::Auditor, Role::Admin };
    QTest::newRow("metrics") << QStringLiteral("/metrics") << QList<Role> { Role::Admin };
    for (const QString &path : { QStringLiteral("/shipments"), QStringLiteral("/accounts"),
             QStringLiteral("/trucks"), QStringLiteral("/events") })
        QTest::newRow(qPrintable(path)) << path << everyone;
}

void TestHttpApi::everyRoleAgainstAuditAndAdminRoutes()
{
    QFETCH(QString, path);
    QFETCH(QList<Role>, allowed);
    START_SQLITE_SERVER();
    for (Role role : kAllRoles) {
        const HttpResponse r = server.get(path, role);
        const int expected = allowed.contains(role) ? 200 : 403;
        QVERIFY2(r.status == expected,
            qPrintable(QStringLiteral("%1 as %2: expected %3, got %4")
                           .arg(path, roleName(role))
                           .arg(expected)
                           .arg(QString::fromUtf8(r.describe()))));
    }
}

void TestHttpApi::submitAnswers202WithLocationAndIsProcessed()
{
    START_SQLITE_SERVER();
    const HttpResponse r = server.post(QStringLiteral("/shipments/s1/commands/submit"),
        submitBody(QStringLiteral("acct"), 10), Role::CustomerService);
    QVERIFY2(r.status == 202, r.describe());
    const QString id = r.object().value(QStringLiteral("commandId")).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
    QCOMPARE(r.header("Location"), QByteArray("/commands/") + id.toUtf8());
    QTRY_COMPARE_WITH_TIMEOUT(server.get(QStringLiteral("/shipments/s1"))
                                  .object()
                                  .value(QStringLiteral("status"))
                                  .toString(),
        QStringLiteral("Submitted"), 10000);
    const QJsonObject shipment = server.get(QStringLiteral("/shipments/s1")).object();
    QCOMPARE(shipment.value(QStringLiteral("cost")).toDouble(), 2.8); // 10 lb at 28 cents, exact
    QCOMPARE(shipment.value(QStringLiteral("costCents")).toInt(), 280);
    QCOMPARE(shipment.value(QStringLiteral("billToAccountId")).toString(), QStringLiteral("acct"));
}

void TestHttpApi::invalidBodyAnswers400WithEveryErrorAndPath()
{
    START_SQLITE_SERVER();
    QJsonObject body = submitBody(QStringLiteral("acct"));
    QJsonObject from = body.value(QStringLiteral("shipFrom")).toObject();
    from.insert(QStringLiteral("zip"), QStringLiteral("12"));
    from.remove(QStringLiteral("city"));
    body.insert(QStringLiteral("shipFrom"), from);
    body.insert(QStringLiteral("weightInPounds"), 0);
    body.insert(QStringLiteral("color"), QStringLiteral("red"));
    const HttpResponse r
        = server.post(QStringLiteral("/shipments/s1/commands/submit"), body, Role::CustomerService);
    QVERIFY2(r.status == 400, r.describe());
    QSet<QString> paths;
    for (const QJsonValue &e : r.object().value(QStringLiteral("errors")).toArray()) {
        QStringList parts;
        for (const QJsonValue &p : e.toObject().value(QStringLiteral("path")).toArray())
            parts << p.toString();
        paths << parts.join(QLatin1Char('.'));
        QVERIFY(!e.toObject().value(QStringLiteral("message")).toString().isEmpty());
    }
    const QSet<QString> expected { QStringLiteral("shipFrom.zip"), QStringLiteral("shipFrom.city"),
        QStringLiteral("weightInPounds"), QStringLiteral("color") };
    QVERIFY2(paths == expected,
        qPrintable(QStringLiteral("paths: ") + QStringList(paths.values()).join(QLatin1Char(' '))));
    QVERIFY(!r.object().value(QStringLiteral("message")).toString().isEmpty());
    QCOMPARE(server.get(QStringLiteral("/shipments/s1")).status, 404); // nothing was recorded
}

void TestHttpApi::badIdInPathAnswers400()
{
    START_SQLITE_SERVER();
    const QString tooLong(65, QLatin1Char('x'));
    for (const QString &path : { QStringLiteral("/shipments/%2Fetc/commands/ship"),
             QStringLiteral("/shipments/a%20b/commands/ship"),
             QStringLiteral("/shipments/") + tooLong + QStringLiteral("/commands/ship"),
             QStringLiteral("/accounts/%C3%A9/commands/payment") }) {
        const QJsonObject body = path.contains(QLatin1String("payment"))
            ? bodyFor(CommandType::Payment)
            : QJsonObject {};
        const HttpResponse r
            = server.request("POST", path, QJsonDocument(body).toJson(), server.token(Role::Admin));
        QVERIFY2(r.status == 400, path.toUtf8() + ": " + r.describe());
        const QJsonArray errors = r.object().value(QStringLiteral("errors")).toArray();
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.first()
                    .toObject()
                    .value(QStringLiteral("path"))
                    .toArray()
                    .first()
                    .toString()
                    .endsWith(QLatin1String("Id")));
    }
    for (const QString &path : { QStringLiteral("/shipments/a%20b"),
             QStringLiteral("/accounts/a%2Fb/events"), QStringLiteral("/commands/%22x%22") }) {
        const HttpResponse r = server.get(path);
        QVERIFY2(r.status == 400, path.toUtf8() + ": " + r.describe());
    }
}

void TestHttpApi::illegalTransitionAnswers409BeforeRecording()
{
    START_SQLITE_SERVER();
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s1")).status, 200);
    const HttpResponse r
        = server.post(QStringLiteral("/shipments/s1/commands/ship"), {}, Role::Dispatch);
    QVERIFY2(r.status == 409, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("error")).toString(), QStringLiteral("Conflict"));
    QVERIFY2(
        r.object().value(QStringLiteral("message")).toString().contains(QLatin1String("Assigned")),
        r.describe());
    QSqlQuery q
        = runQuery(server.database().connection(), QStringLiteral("SELECT COUNT(*) FROM commands"));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 1); // only the submit was recorded
}

void TestHttpApi::checksComeInTheContractsOrder()
{
    START_SQLITE_SERVER();
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s1")).status, 200);
    const QByteArray bad = "{\"truckId\": 5}";
    const QByteArray admin = "Bearer " + server.token(Role::Admin).toLatin1();
    const QByteArray finance = "Bearer " + server.token(Role::Finance).toLatin1();
    // 401 before 404 and 400; 403 before 400; 404 before 400; 400 before 409.
    HttpResponse r = server.request("POST", QStringLiteral("/shipments/s1/commands/nothing"), bad);
    QVERIFY2(r.status == 401, r.describe());
    r = server.request("POST", QStringLiteral("/shipments/s1/commands/ship"), bad, {},
        { { "Authorization", finance } });
    QVERIFY2(r.status == 403, r.describe());
    r = server.request("POST", QStringLiteral("/shipments/s1/commands/nothing"), bad, {},
        { { "Authorization", admin } });
    QVERIFY2(r.status == 404, r.describe());
    r = server.request("POST", QStringLiteral("/shipments/s1/commands/ship"), "{\"x\":1}", {},
        { { "Authorization", admin } });
    QVERIFY2(
        r.status == 400, r.describe()); // ship is illegal too (409), but the body is checked first
    r = server.request("POST", QStringLiteral("/shipments/s1/commands/ship"), "{}", {},
        { { "Authorization", admin } });
    QVERIFY2(r.status == 409, r.describe());
}

void TestHttpApi::preferWaitAnswersWithTheOutcome()
{
    START_SERVER(TestDatabases::sqlite());
    HttpResponse r = run(CommandType::Submit, QStringLiteral("s1"));
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    const QJsonArray events = r.object().value(QStringLiteral("events")).toArray();
    QCOMPARE(eventTypes(events), QStringList { QStringLiteral("submitted") });
    QCOMPARE(events.first().toObject().value(QStringLiteral("streamId")).toString(),
        QStringLiteral("shipment-s1"));
    QVERIFY(r.header("Location").startsWith("/commands/"));
    // Assigning the same truck twice passes the pre-check only while the first is unprocessed;
    // once processed, the second is refused at the pre-check.
    QCOMPARE(run(CommandType::Assign, QStringLiteral("s1")).status, 200);
    r = run(CommandType::Assign, QStringLiteral("s1"));
    QVERIFY2(r.status == 409, r.describe());
}

// A command that passes the pre-check and is refused when processed: the waiting client hears
// 409 with the command's id and status, and the command route tells the same. Two submits of one
// shipment are sent while another connection holds the writer lock, so that both pass the
// pre-check before either is recorded; a slow machine that let one reach the pre-check only after
// the other was processed (a plain 409 without commandId) is tried again.
void TestHttpApi::preferWaitAnswers409WithTheRejectedCommand()
{
    START_SQLITE_SERVER();
    Database blocker(server.database().url());
    QJsonObject rejected;
    for (int attempt = 0; attempt < 10 && rejected.isEmpty(); ++attempt) {
        const QString path = QStringLiteral("/shipments/twin-%1/commands/submit").arg(attempt);
        const QByteArray body = QJsonDocument(bodyFor(CommandType::Submit)).toJson();
        QList<QNetworkReply *> replies;
        {
            WriteTransaction hold(blocker);
            for (int i = 0; i < 2; ++i)
                replies << server.start("POST", path, body, server.token(Role::Admin), kPreferWait);
            QTest::qWait(300);
            hold.rollback();
        }
        QTRY_VERIFY_WITH_TIMEOUT(replies.at(0)->isFinished() && replies.at(1)->isFinished(), 20000);
        QList<HttpResponse> answers;
        for (QNetworkReply *reply : replies) {
            answers << TestServer::read(reply);
            reply->deleteLater();
        }
        std::sort(answers.begin(), answers.end(),
            [](const HttpResponse &a, const HttpResponse &b) { return a.status < b.status; });
        QVERIFY2(answers.at(0).status == 200, answers.at(0).describe());
        QVERIFY2(answers.at(1).status == 409, answers.at(1).describe());
        if (answers.at(1).object().contains(QStringLiteral("commandId"))) {
            rejected = answers.at(1).object();
            QCOMPARE(answers.at(1).header("Location"),
                "/commands/" + rejected.value(QStringLiteral("commandId")).toString().toUtf8());
        }
    }
    QVERIFY2(!rejected.isEmpty(), "in ten attempts no submit was refused after the pre-check");
    const QString commandId = rejected.value(QStringLiteral("commandId")).toString();
    QVERIFY2(!commandId.isEmpty(), QJsonDocument(rejected).toJson().constData());
    QCOMPARE(rejected.value(QStringLiteral("status")).toString(), QStringLiteral("rejected"));
    QCOMPARE(rejected.value(QStringLiteral("error")).toString(), QStringLiteral("Conflict"));
    const QString message = rejected.value(QStringLiteral("message")).toString();
    QVERIFY2(message.contains(QLatin1String("already exists")), qPrintable(message));
    QVERIFY(!rejected.contains(QStringLiteral("events")));
    const HttpResponse status = server.get(QStringLiteral("/commands/") + commandId);
    QVERIFY2(status.status == 200, status.describe());
    QCOMPARE(
        status.object().value(QStringLiteral("status")).toString(), QStringLiteral("rejected"));
    QCOMPARE(status.object().value(QStringLiteral("message")).toString(), message);
}

void TestHttpApi::preferWaitAnswers202WhenTimeRunsOut()
{
    START_SQLITE_SERVER();
    // A command recorded under an idempotency key but never handed to the engine stays pending:
    // a repeat of its request that asks to wait gets 202 after the wait.
    const QJsonObject body = bodyFor(CommandType::Submit);
    Command pending;
    pending.id = QStringLiteral("stuck-command");
    pending.type = CommandType::Submit;
    pending.streamId = QStringLiteral("shipment-s9");
    pending.data = body;
    pending.user = roleName(Role::Admin);
    pending.acceptedAt = QDateTime::currentDateTimeUtc();
    pending.idempotencyKey = QStringLiteral("k-stuck");
    pending.correlationId = pending.id;
    {
        WriteTransaction tx(server.database());
        CommandStore::insert(
            tx.db(), pending, api::requestHash(CommandType::Submit, pending.streamId, body));
        tx.commit();
    }
    QElapsedTimer clock;
    clock.start();
    const HttpResponse r = server.post(QStringLiteral("/shipments/s9/commands/submit"), body,
        Role::Admin, { { "Prefer", "wait=1" }, { "Idempotency-Key", "k-stuck" } });
    QVERIFY2(r.status == 202, r.describe());
    QVERIFY2(clock.elapsed() >= 900,
        qPrintable(QStringLiteral("answered after %1 ms").arg(clock.elapsed())));
    QCOMPARE(r.object().value(QStringLiteral("commandId")).toString(), pending.id);
    QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
}

void TestHttpApi::preferWaitHeaderIsReadAsTheRfcSays_data()
{
    QTest::addColumn<QList<QByteArray>>("prefer");
    QTest::addColumn<int>("seconds");
    QTest::newRow("absent") << QList<QByteArray> {} << 0;
    QTest::newRow("plain") << QList<QByteArray> { "wait=5" } << 5;
    QTest::newRow("clamped to 30") << QList<QByteArray> { "wait=100" } << 30;
    QTest::newRow("among others") << QList<QByteArray> { "respond-async, wait=7;x=y" } << 7;
    QTest::newRow("spaces and case") << QList<QByteArray> { " Wait = 3 " } << 3;
    QTest::newRow("quoted") << QList<QByteArray> { "wait=\"4\"" } << 4;
    QTest::newRow("second header") << QList<QByteArray> { "return=minimal", "wait=2" } << 2;
    QTest::newRow("negative ignored") << QList<QByteArray> { "wait=-1" } << 0;
    QTest::newRow("garbage ignored") << QList<QByteArray> { "wait=soon" } << 0;
}

void TestHttpApi::preferWaitHeaderIsReadAsTheRfcSays()
{
    QFETCH(QList<QByteArray>, prefer);
    QFETCH(int, seconds);
    api::ApiRequest request;
    for (const QByteArray &value : prefer)
        request.headers.append({ "Prefer", value });
    QCOMPARE(api::preferredWaitSeconds(request), seconds);
}

void TestHttpApi::idempotencyKeyRepeatsTheFirstAnswer_data()
{
    QTest::addColumn<bool>("wait");
    QTest::newRow("202") << false;
    QTest::newRow("Prefer: wait") << true;
}

void TestHttpApi::idempotencyKeyRepeatsTheFirstAnswer()
{
    QFETCH(bool, wait);
    START_SQLITE_SERVER();
    Headers headers { { "Idempotency-Key", "order-77 (first try)" } };
    if (wait)
        headers += kPreferWait;
    const QJsonObject body = bodyFor(CommandType::Submit);
    const HttpResponse first = server.post(
        QStringLiteral("/shipments/s1/commands/submit"), body, Role::CustomerService, headers);
    QVERIFY2(first.status == (wait ? 200 : 202), first.describe());
    // The same body with its keys in another order is the same request.
    const QByteArray reordered = "{\"weightInPounds\":10,\"billToAccountId\":\"acme\",\"shipTo\":"
        + QJsonDocument(body.value(QStringLiteral("shipTo")).toObject())
              .toJson(QJsonDocument::Compact)
        + ",\"shipFrom\":"
        + QJsonDocument(body.value(QStringLiteral("shipFrom")).toObject())
              .toJson(QJsonDocument::Compact)
        + "}";
    const HttpResponse again
        = server.request("POST", QStringLiteral("/shipments/s1/commands/submit"), reordered,
            server.token(Role::CustomerService), headers);
    QVERIFY2(again.status == first.status, again.describe());
    QCOMPARE(again.object().value(QStringLiteral("commandId")),
        first.object().value(QStringLiteral("commandId")));
    if (wait)
        QCOMPARE(again.object().value(QStringLiteral("events")),
            first.object().value(QStringLiteral("events")));
    server.engine().waitIdle();
    const HttpResponse events = server.get(QStringLiteral("/shipments/s1/events"));
    QVERIFY2(eventTypes(events.array()) == QStringList { QStringLiteral("submitted") },
        events.describe());
}

void TestHttpApi::idempotencyKeyWithAnotherBodyOrRouteAnswers422()
{
    START_SQLITE_SERVER();
    const Headers key { { "Idempotency-Key", "k1" } };
    QCOMPARE(server
                 .post(QStringLiteral("/shipments/s1/commands/submit"),
                     bodyFor(CommandType::Submit), Role::Admin, key)
                 .status,
        202);
    HttpResponse r = server.post(QStringLiteral("/shipments/s1/commands/submit"),
        submitBody(QStringLiteral("other")), Role::Admin, key);
    QVERIFY2(r.status == 422, r.describe());
    QVERIFY(!r.object().value(QStringLiteral("message")).toString().isEmpty());
    r = server.post(QStringLiteral("/shipments/s2/commands/submit"), bodyFor(CommandType::Submit),
        Role::Admin, key);
    QVERIFY2(r.status == 422, r.describe());
    r = server.post(QStringLiteral("/accounts/acme/commands/payment"),
        bodyFor(CommandType::Payment), Role::Admin, key);
    QVERIFY2(r.status == 422, r.describe());
    // Keys belong to their token: another user's identical key is another request.
    r = server.post(QStringLiteral("/shipments/s2/commands/submit"), bodyFor(CommandType::Submit),
        Role::CustomerService, key);
    QVERIFY2(r.status == 202, r.describe());
}

void TestHttpApi::invalidIdempotencyKeyAnswers400()
{
    START_SQLITE_SERVER();
    for (const QByteArray &key : { QByteArray(""), QByteArray(256, 'k'), QByteArray("tab\there"),
             QByteArray("caf\xc3\xa9") }) {
        const HttpResponse r = server.post(QStringLiteral("/shipments/s1/commands/submit"),
            bodyFor(CommandType::Submit), Role::Admin, { { "Idempotency-Key", key } });
        QVERIFY2(r.status == 400, key + ": " + r.describe());
    }
    const HttpResponse r = server.post(QStringLiteral("/shipments/s1/commands/submit"),
        bodyFor(CommandType::Submit), Role::Admin, { { "Idempotency-Key", QByteArray(255, '~') } });
    QVERIFY2(r.status == 202, r.describe());
}

void TestHttpApi::commandStatusRouteReportsEachOutcome()
{
    START_SQLITE_SERVER();
    const HttpResponse submitted = run(CommandType::Submit, QStringLiteral("s1"));
    const QString okId = submitted.object().value(QStringLiteral("commandId")).toString();
    HttpResponse r = server.get(QStringLiteral("/commands/") + okId, Role::Auditor);
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(eventTypes(r.object().value(QStringLiteral("events")).toArray()),
        QStringList { QStringLiteral("submitted") });

    // Two submits of one shipment: both pass the pre-check, the second is rejected later.
    QNetworkReply *a = server.start("POST", QStringLiteral("/shipments/twin/commands/submit"),
        QJsonDocument(bodyFor(CommandType::Submit)).toJson(), server.token(Role::Admin));
    QNetworkReply *b = server.start("POST", QStringLiteral("/shipments/twin/commands/submit"),
        QJsonDocument(bodyFor(CommandType::Submit)).toJson(), server.token(Role::Admin));
    QTRY_VERIFY_WITH_TIMEOUT(a->isFinished() && b->isFinished(), 10000);
    const QList<HttpResponse> answers { TestServer::read(a), TestServer::read(b) };
    a->deleteLater();
    b->deleteLater();
    server.engine().waitIdle();
    QStringList statuses;
    for (const HttpResponse &answer : answers) {
        if (answer.status == 409)
            continue; // the second may meet the first already processed
        QVERIFY2(answer.status == 202, answer.describe());
        const HttpResponse outcome = server.get(QStringLiteral("/commands/")
            + answer.object().value(QStringLiteral("commandId")).toString());
        statuses << outcome.object().value(QStringLiteral("status")).toString();
        if (statuses.last() == QLatin1String("rejected"))
            QVERIFY(outcome.object()
                        .value(QStringLiteral("message"))
                        .toString()
                        .contains(QLatin1String("already exists")));
    }
    QVERIFY2(statuses.count(QStringLiteral("succeeded")) == 1,
        qPrintable(statuses.join(QLatin1Char(' '))));

    r = server.get(QStringLiteral("/commands/no-such-command"));
    QVERIFY2(r.status == 404, r.describe());
}

void TestHttpApi::paymentIsExactToTheCent()
{
    START_SQLITE_SERVER();
    HttpResponse r
        = run(CommandType::Payment, QStringLiteral("acme"), { { QStringLiteral("amount"), 0.1 } });
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(
        run(CommandType::Payment, QStringLiteral("acme"), { { QStringLiteral("amount"), 0.2 } })
            .status,
        200);
    const QJsonObject account = server.get(QStringLiteral("/accounts/acme")).object();
    QCOMPARE(account.value(QStringLiteral("balanceCents")).toInt(), 30);
    QCOMPARE(account.value(QStringLiteral("balance")).toDouble(), 0.3);
    r = server.post(QStringLiteral("/accounts/acme/commands/payment"),
        { { QStringLiteral("amount"), 0.001 } }, Role::Finance);
    QVERIFY2(r.status == 400, r.describe());
    r = server.post(QStringLiteral("/accounts/acme/commands/payment"),
        { { QStringLiteral("amount"), -5 } }, Role::Finance);
    QVERIFY2(r.status == 400, r.describe());
}

void TestHttpApi::shipmentListFiltersPagesAndCounts()
{
    START_SQLITE_SERVER();
    for (int i = 1; i <= 5; ++i)
        QCOMPARE(run(CommandType::Submit, QStringLiteral("s%1").arg(i),
                     submitBody(i <= 3 ? QStringLiteral("a") : QStringLiteral("b")))
                     .status,
            200);
    QCOMPARE(run(CommandType::Assign, QStringLiteral("s2"),
                 { { QStringLiteral("truckId"), QStringLiteral("t7") } })
                 .status,
        200);

    HttpResponse r = server.get(QStringLiteral("/shipments"), Role::Finance);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.array().size(), 5);
    QCOMPARE(r.header("X-Total-Count"), QByteArray("5"));
    r = server.get(QStringLiteral("/shipments?limit=2&offset=1"));
    QCOMPARE(r.array().size(), 2);
    QCOMPARE(r.header("X-Total-Count"), QByteArray("5"));
    r = server.get(QStringLiteral("/shipments?accountId=a"));
    QCOMPARE(r.header("X-Total-Count"), QByteArray("3"));
    r = server.get(QStringLiteral("/shipments?status=Assigned"));
    QCOMPARE(r.array().size(), 1);
    QCOMPARE(
        r.array().first().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("s2"));
    r = server.get(QStringLiteral("/shipments?truckId=t7&status=Assigned"));
    QCOMPARE(r.header("X-Total-Count"), QByteArray("1"));
    r = server.get(QStringLiteral("/shipments?limit=5000"));
    QVERIFY2(r.status == 200, r.describe()); // clamped to 1000, not refused
    QCOMPARE(r.array().size(), 5);
    r = server.get(QStringLiteral("/shipments?limit=0"));
    QCOMPARE(r.array().size(), 0);
    QCOMPARE(r.header("X-Total-Count"), QByteArray("5"));
}

// More shipments than the largest page: the default page is 100, a larger limit is clamped to
// 1000, and offset reaches the rest. The history is written straight into the store (fast).
void TestHttpApi::shipmentListDefaultsTo100AndClampsTo1000()
{
    constexpr int kShipments = 1003;
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    {
        Database database(url);
        HistoryShape shape;
        shape.shipments = kShipments;
        shape.events = 0;
        HistoryWriter(database).generate(shape);
        database.closeConnection();
    }
    m_server = std::make_unique<TestServer>(url);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    TestServer &server = *m_server;
    const auto idsOf = [](const HttpResponse &r) {
        QStringList ids;
        for (const QJsonValue &s : r.array())
            ids << s.toObject().value(QStringLiteral("id")).toString();
        return ids;
    };
    const auto generated
        = [](int n) { return QStringLiteral("gen-%1").arg(n, 7, 10, QLatin1Char('0')); };

    HttpResponse r = server.get(QStringLiteral("/shipments"), Role::Auditor);
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.header("X-Total-Count"), QByteArray::number(kShipments));
    QStringList ids = idsOf(r);
    QCOMPARE(ids.size(), 100);
    QCOMPARE(ids.first(), generated(0));
    QCOMPARE(ids.last(), generated(99));

    for (const QString &limit : { QStringLiteral("1000"), QStringLiteral("1001"),
             QStringLiteral("5000"), QStringLiteral("2147483647") }) {
        r = server.get(QStringLiteral("/shipments?limit=") + limit);
        QVERIFY2(r.status == 200, qPrintable(limit + QLatin1Char(' ') + r.describe().left(200)));
        QCOMPARE(r.array().size(), 1000);
        QCOMPARE(r.header("X-Total-Count"), QByteArray::number(kShipments));
    }
    r = server.get(QStringLiteral("/shipments?limit=1000&offset=1000"));
    QCOMPARE(idsOf(r), QStringList({ generated(1000), generated(1001), generated(1002) }));
    r = server.get(QStringLiteral("/shipments?offset=950"));
    ids = idsOf(r);
    QCOMPARE(ids.size(), 53); // the default page of 100, cut short by the end
    QCOMPARE(ids.first(), generated(950));
}

void TestHttpApi::shipmentSearchLooksInTheIdAndAddressesOnly_data()
{
    TestDatabases::addBackendColumn();
}

void TestHttpApi::shipmentSearchLooksInTheIdAndAddressesOnly()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    TestServer &server = *m_server;
    auto address = [](const QString &name, const QString &line1, const QString &city,
                       const QString &zip) {
        return QJsonObject { { QStringLiteral("name"), name }, { QStringLiteral("line1"), line1 },
            { QStringLiteral("city"), city }, { QStringLiteral("state"), QStringLiteral("IA") },
            { QStringLiteral("zip"), zip } };
    };
    auto submit = [&](const QString &id, const QJsonObject &from, const QJsonObject &to) {
        const HttpResponse r = run(CommandType::Submit, id,
            { { QStringLiteral("shipFrom"), from }, { QStringLiteral("shipTo"), to },
                { QStringLiteral("weightInPounds"), 10 },
                { QStringLiteral("billToAccountId"), QStringLiteral("acct-omaha") } });
        QVERIFY2(r.status == 200, r.describe());
    };
    submit(QStringLiteral("GP-100"),
        address(QStringLiteral("Peña Farms"), QStringLiteral("1 Main St"), QStringLiteral("Ames"),
            QStringLiteral("50010")),
        address(QStringLiteral("Globex"), QStringLiteral("9 Elm St"), QStringLiteral("Des Moines"),
            QStringLiteral("50309")));
    submit(QStringLiteral("GP-200"),
        address(QStringLiteral("Acme"), QStringLiteral("55 Grand Ave"), QStringLiteral("Omaha"),
            QStringLiteral("68102")),
        address(QStringLiteral("Initech_50%"), QStringLiteral("2 Oak Rd"),
            QStringLiteral("Lincoln"), QStringLiteral("68508")));
    if (QTest::currentTestFailed())
        return;
    auto found = [&](const QString &search) {
        const HttpResponse r = server.get(QStringLiteral("/shipments?search=")
            + QString::fromLatin1(QUrl::toPercentEncoding(search)));
        QStringList ids;
        for (const QJsonValue &v : r.array())
            ids << v.toObject().value(QStringLiteral("id")).toString();
        return ids.join(QLatin1Char(',')) + QLatin1Char('/')
            + QString::fromLatin1(r.header("X-Total-Count"));
    };
    QCOMPARE(found(QStringLiteral("gp-1")), QStringLiteral("GP-100/1")); // the id, any case
    QCOMPARE(found(QStringLiteral("PEÑA")), QStringLiteral("GP-100/1")); // a name, beyond ASCII
    QCOMPARE(found(QStringLiteral("grand av")), QStringLiteral("GP-200/1")); // a street
    QCOMPARE(found(QStringLiteral("moines")), QStringLiteral("GP-100/1")); // a city
    QCOMPARE(found(QStringLiteral("6850")), QStringLiteral("GP-200/1")); // a zip
    QCOMPARE(found(QStringLiteral("ma")), QStringLiteral("GP-100,GP-200/2")); // "Main St", "Omaha"
    QCOMPARE(found(QStringLiteral("_50%")), QStringLiteral("GP-200/1")); // wildcards are literal
    QCOMPARE(found(QStringLiteral("50_")), QStringLiteral("/0"));
    // Not the account (it has its own filter), not the status, not the times.
    QCOMPARE(found(QStringLiteral("omaha")), QStringLiteral("GP-200/1"));
    QCOMPARE(found(QStringLiteral("acct")), QStringLiteral("/0"));
    QCOMPARE(found(QStringLiteral("submitted")), QStringLiteral("/0"));
    // The year the shipment's times begin with (UTC, as stored), not the computer's.
    const QString created = server.get(QStringLiteral("/shipments/GP-100"))
                                .object()
                                .value(QStringLiteral("createdTimestamp"))
                                .toString();
    QCOMPARE(created.size(), 24);
    QCOMPARE(found(created.left(5)), QStringLiteral("/0"));
    // A match never spans two fields.
    QCOMPARE(found(QStringLiteral("farms 1 main")), QStringLiteral("/0"));
}

void TestHttpApi::shipmentListRejectsBadParameters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("key");
    QTest::newRow("negative limit") << QStringLiteral("limit=-1") << QStringLiteral("limit");
    QTest::newRow("word limit") << QStringLiteral("limit=ten") << QStringLiteral("limit");
    QTest::newRow("fraction offset") << QStringLiteral("offset=1.5") << QStringLiteral("offset");
    QTest::newRow("huge offset") << QStringLiteral("offset=99999999999999")
                                 << QStringLiteral("offset");
    QTest::newRow("unknown status") << QStringLiteral("status=Lost") << QStringLiteral("status");
    QTest::newRow("unknown sort") << QStringLiteral("sort=body") << QStringLiteral("sort");
    QTest::newRow("unknown order") << QStringLiteral("order=up") << QStringLiteral("order");
}

void TestHttpApi::shipmentListRejectsBadParameters()
{
    QFETCH(QString, query);
    QFETCH(QString, key);
    START_SQLITE_SERVER();
    const HttpResponse r = server.get(QStringLiteral("/shipments?") + query);
    QVERIFY2(r.status == 400, r.describe());
    QCOMPARE(r.object()
                 .value(QStringLiteral("errors"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("path"))
                 .toArray(),
        QJsonArray { key });
}

void TestHttpApi::shipmentAsOfGivesItsStateThen()
{
    START_SQLITE_SERVER();
    const QString beforeSubmit = toIsoUtc(QDateTime::currentDateTimeUtc().addSecs(-60));
    const HttpResponse submitted = run(CommandType::Submit, QStringLiteral("s1"));
    const QString submittedAt = submitted.object()
                                    .value(QStringLiteral("events"))
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value(QStringLiteral("timestamp"))
                                    .toString();
    // The next event must carry a later millisecond than the submit's.
    QTRY_VERIFY(toIsoUtc(QDateTime::currentDateTimeUtc()) > submittedAt);
    QCOMPARE(run(CommandType::Assign, QStringLiteral("s1")).status, 200);

    HttpResponse r = server.get(QStringLiteral("/shipments/s1?asOf=") + submittedAt);
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("status")).toString(),
        QStringLiteral("Submitted")); // inclusive
    QCOMPARE(r.object().value(QStringLiteral("version")).toInt(), 1);
    r = server.get(QStringLiteral("/shipments/s1"));
    QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("Assigned"));
    r = server.get(QStringLiteral("/shipments/s1?asOf=") + beforeSubmit);
    QVERIFY2(r.status == 404, r.describe());
    r = server.get(QStringLiteral("/shipments/s1?asOf=yesterday"));
    QVERIFY2(r.status == 400, r.describe());
    QCOMPARE(r.object()
                 .value(QStringLiteral("errors"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("path"))
                 .toArray(),
        QJsonArray { QStringLiteral("asOf") });
}

void TestHttpApi::accountAsOfGivesItsBalanceThen()
{
    START_SQLITE_SERVER();
    const QString beforeFirst = toIsoUtc(QDateTime::currentDateTimeUtc().addSecs(-60));
    const QJsonObject ten { { QStringLiteral("amount"), 10 } };
    const HttpResponse first = run(CommandType::Payment, QStringLiteral("acct-h"), ten);
    QVERIFY2(first.status == 200, first.describe());
    const QString firstAt = first.object()
                                .value(QStringLiteral("events"))
                                .toArray()
                                .first()
                                .toObject()
                                .value(QStringLiteral("timestamp"))
                                .toString();
    QTRY_VERIFY(toIsoUtc(QDateTime::currentDateTimeUtc()) > firstAt);
    QCOMPARE(run(CommandType::Payment, QStringLiteral("acct-h"), ten).status, 200);

    HttpResponse r = server.get(QStringLiteral("/accounts/acct-h?asOf=") + firstAt);
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("balanceCents")).toInteger(),
        1000); // inclusive of that event
    QCOMPARE(server.get(QStringLiteral("/accounts/acct-h"))
                 .object()
                 .value(QStringLiteral("balanceCents"))
                 .toInteger(),
        2000);
    r = server.get(QStringLiteral("/accounts/acct-h?asOf=") + beforeFirst);
    QVERIFY2(r.status == 404, r.describe());
    r = server.get(QStringLiteral("/accounts/acct-h?asOf=2026-13-40"));
    QVERIFY2(r.status == 400, r.describe());
}

void TestHttpApi::shipmentAndAccountRoutesAnswer404BeforeTheyExist()
{
    START_SQLITE_SERVER();
    for (const QString &path :
        { QStringLiteral("/shipments/ghost"), QStringLiteral("/shipments/ghost/events"),
            QStringLiteral("/accounts/ghost"), QStringLiteral("/accounts/ghost/events") }) {
        const HttpResponse r = server.get(path);
        QVERIFY2(r.status == 404, path.toUtf8() + ": " + r.describe());
        QVERIFY(!r.object().value(QStringLiteral("message")).toString().isEmpty());
    }
}

void TestHttpApi::accountRoutesShowBalanceAndEvents()
{
    START_SQLITE_SERVER();
    QCOMPARE(
        run(CommandType::Payment, QStringLiteral("acme"), { { QStringLiteral("amount"), 100 } })
            .status,
        200);
    QCOMPARE(
        run(CommandType::Payment, QStringLiteral("zeta"), { { QStringLiteral("amount"), 1.25 } })
            .status,
        200);
    HttpResponse r = server.get(QStringLiteral("/accounts"), Role::CustomerService);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("X-Total-Count"), QByteArray("2"));
    r = server.get(QStringLiteral("/accounts?limit=1&offset=1"));
    QCOMPARE(r.array().size(), 1);
    r = server.get(QStringLiteral("/accounts/zeta"));
    QCOMPARE(r.object().value(QStringLiteral("balance")).toDouble(), 1.25);
    QCOMPARE(r.object().value(QStringLiteral("balanceCents")).toInt(), 125);
    QCOMPARE(r.object().value(QStringLiteral("id")).toString(), QStringLiteral("zeta"));
    r = server.get(QStringLiteral("/accounts/acme/events"));
    QCOMPARE(eventTypes(r.array()), QStringList { QStringLiteral("paymentReceived") });
    QCOMPARE(r.array()
                 .first()
                 .toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("amountCents"))
                 .toInt(),
        10000);
}

void TestHttpApi::trucksShowWhatTheyCarry()
{
    START_SQLITE_SERVER();
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s1")).status, 200);
    QCOMPARE(run(CommandType::Assign, QStringLiteral("s1"),
                 { { QStringLiteral("truckId"), QStringLiteral("t1") } })
                 .status,
        200);
    const HttpResponse r = server.get(QStringLiteral("/trucks"), Role::Auditor);
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.array().size(), 1);
    const QJsonObject truck = r.array().first().toObject();
    QCOMPARE(truck.value(QStringLiteral("id")).toString(), QStringLiteral("t1"));
    QCOMPARE(truck.value(QStringLiteral("status")).toString(), QStringLiteral("occupied"));
    QCOMPARE(
        truck.value(QStringLiteral("shipments")).toArray(), QJsonArray { QStringLiteral("s1") });
}

void TestHttpApi::globalLogPagesByPosition()
{
    START_SQLITE_SERVER();
    for (int i = 1; i <= 4; ++i)
        QCOMPARE(run(CommandType::Submit, QStringLiteral("s%1").arg(i)).status, 200);
    HttpResponse r = server.get(QStringLiteral("/events"), Role::Finance);
    QCOMPARE(r.array().size(), 4);
    qint64 last = 0;
    for (const QJsonValue &e : r.array()) {
        const qint64 position = qint64(e.toObject().value(QStringLiteral("position")).toDouble());
        QVERIFY(position > last);
        last = position;
        for (const QString &key : { QStringLiteral("streamId"), QStringLiteral("version"),
                 QStringLiteral("type"), QStringLiteral("timestamp"), QStringLiteral("commandId"),
                 QStringLiteral("user"), QStringLiteral("data") })
            QVERIFY2(e.toObject().contains(key), qPrintable(key));
    }
    const qint64 second
        = qint64(r.array().at(1).toObject().value(QStringLiteral("position")).toDouble());
    r = server.get(QStringLiteral("/events?after=%1&limit=1").arg(second));
    QCOMPARE(r.array().size(), 1);
    QVERIFY(
        qint64(r.array().first().toObject().value(QStringLiteral("position")).toDouble()) > second);
    r = server.get(QStringLiteral("/events?streamId=shipment-s3"));
    QCOMPARE(r.array().size(), 1);
    r = server.get(QStringLiteral("/events?after=x"));
    QVERIFY2(r.status == 400, r.describe());
}

void TestHttpApi::csvExportStreamsTheLogForAuditors()
{
    START_SQLITE_SERVER();
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s1")).status, 200);
    QCOMPARE(run(CommandType::Payment, QStringLiteral("acme"), { { QStringLiteral("amount"), 5 } })
                 .status,
        200);
    const HttpResponse r = server.get(QStringLiteral("/events.csv"), Role::Auditor);
    QVERIFY2(r.status == 200, r.describe());
    QVERIFY(r.header("Content-Type").startsWith("text/csv"));
    QCOMPARE(r.header("Transfer-Encoding"), QByteArray("chunked")); // streamed, not sized up front
    const QList<QByteArray> lines = r.body.split('\n');
    QCOMPARE(lines.first(),
        QByteArray("position,timestamp,stream_id,version,type,command_id,user,data,hash\r"));
    QCOMPARE(r.body.count("\r\n"), 3); // the header and two events
    QVERIFY(r.body.contains(",shipment-s1,1,submitted,"));
    QVERIFY(r.body.contains(",account-acme,1,paymentReceived,"));
}

void TestHttpApi::csvExportFiltersByTimeAndStream()
{
    START_SQLITE_SERVER();
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s1")).status, 200);
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s2")).status, 200);
    HttpResponse r = server.get(QStringLiteral("/events.csv?streamId=shipment-s2"), Role::Auditor);
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.body.count("\r\n"), 2);
    QVERIFY(r.body.contains(",shipment-s2,"));
    const QString future = toIsoUtc(QDateTime::currentDateTimeUtc().addDays(1));
    r = server.get(QStringLiteral("/events.csv?from=") + future, Role::Auditor);
    QCOMPARE(r.body.count("\r\n"), 1); // the header alone
    r = server.get(QStringLiteral("/events.csv?to=") + future, Role::Auditor);
    QCOMPARE(r.body.count("\r\n"), 3);
    r = server.get(QStringLiteral("/events.csv?from=tuesday"), Role::Auditor);
    QVERIFY2(r.status == 400, r.describe());
}

void TestHttpApi::auditVerifyReportsAnIntactChain()
{
    START_SQLITE_SERVER();
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(run(CommandType::Submit, QStringLiteral("s%1").arg(i)).status, 200);
    const HttpResponse r = server.get(QStringLiteral("/audit/verify"), Role::Auditor);
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(r.object().value(QStringLiteral("events")).toInt(), 3);
    const qint64 lastPosition = r.object().value(QStringLiteral("lastPosition")).toInteger();
    QVERIFY2(lastPosition >= 3, r.describe());
    const QString lastHash = r.object().value(QStringLiteral("lastHash")).toString();
    QVERIFY2(lastHash.size() == 64, r.describe());
    // The export's last row: that position, that hash.
    const HttpResponse csv = server.get(QStringLiteral("/events.csv"), Role::Auditor);
    QVERIFY2(csv.status == 200, csv.describe());
    const QByteArray lastRow = csv.body.trimmed().split('\n').constLast().trimmed();
    QVERIFY2(lastRow.startsWith(QByteArray::number(lastPosition) + ',')
            && lastRow.endsWith(lastHash.toLatin1()),
        lastRow);
}

void TestHttpApi::metricsShowCountersHistogramAndGauges()
{
    START_SQLITE_SERVER();
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s1")).status, 200);
    QCOMPARE(run(CommandType::Submit, QStringLiteral("s2")).status, 200);
    QCOMPARE(
        server.post(QStringLiteral("/shipments/s1/commands/ship"), {}, Role::Admin).status, 409);
    const HttpResponse r = server.get(QStringLiteral("/metrics"));
    QVERIFY2(r.status == 200, r.describe());
    QVERIFY(r.header("Content-Type").startsWith("text/plain; version=0.0.4"));
    QString text = QString::fromUtf8(r.body);
    auto value = [&](const QString &series) {
        const QRegularExpression line(
            QStringLiteral("^") + QRegularExpression::escape(series) + QStringLiteral(" (\\S+)$"),
            QRegularExpression::MultilineOption);
        const auto match = line.match(text);
        return match.hasMatch() ? match.captured(1).toDouble() : -1.0;
    };
    QCOMPARE(value(QStringLiteral("waybill_commands_accepted_total")), 2.0);
    QCOMPARE(value(QStringLiteral("waybill_commands_rejected_total{stage=\"precheck\"}")), 1.0);
    QCOMPARE(value(QStringLiteral("waybill_commands_processed_total{status=\"succeeded\"}")), 2.0);
    QCOMPARE(value(QStringLiteral("waybill_command_processing_seconds_count")), 2.0);
    QCOMPARE(value(QStringLiteral("waybill_command_processing_seconds_bucket{le=\"+Inf\"}")), 2.0);
    QCOMPARE(value(QStringLiteral("waybill_inbox_depth")), 0.0);
    QCOMPARE(
        value(QStringLiteral("waybill_subscriber_lag_events{subscriber=\"delivery-invoicer\"}"))
            >= 0,
        true);
    QVERIFY(value(QStringLiteral("waybill_http_connections_open")) >= 1);
    QVERIFY(text.contains(QLatin1String("# TYPE waybill_command_processing_seconds histogram")));
    // A few commands keep the log far below the checkpoint threshold: none ran yet.
    QCOMPARE(
        value(QStringLiteral("waybill_sqlite_checkpoints_total{thread=\"checkpointer\"}")), 0.0);
    QCOMPARE(value(QStringLiteral("waybill_sqlite_checkpoints_total{thread=\"writer\"}")), 0.0);
    // Some megabytes written through the server's database: its checkpointer copies them.
    writeBallastPages(server.database(), 3000);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            text = QString::fromUtf8(server.get(QStringLiteral("/metrics")).body);
            return value(
                       QStringLiteral("waybill_sqlite_checkpoints_total{thread=\"checkpointer\"}"))
                >= 1;
        }(),
        10000);
}

namespace {
QStringList g_logged;
QtMessageHandler g_previousHandler = nullptr;
void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (QByteArray(context.category) == "waybill.http.request")
        g_logged << message;
    else if (g_previousHandler)
        g_previousHandler(type, context, message);
}
} // namespace

void TestHttpApi::everyRequestLogsOneLineWithStatusAndDuration()
{
    START_SQLITE_SERVER();
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=true"));
    g_logged.clear();
    g_previousHandler = qInstallMessageHandler(captureMessage);
    const auto restore = qScopeGuard([] {
        qInstallMessageHandler(g_previousHandler);
        QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false"));
    });
    QCOMPARE(server.get(QStringLiteral("/trucks"), Role::Dispatch).status, 200);
    QCOMPARE(server.request("GET", QStringLiteral("/nothing")).status, 401);
    // Commands are authenticated on a worker thread, in the job that runs them: their lines name
    // the token's owner all the same, whether the command is recorded or refused.
    QCOMPARE(server
                 .post(QStringLiteral("/shipments/logged/commands/submit"),
                     submitBody(QStringLiteral("acct-log")), Role::CustomerService)
                 .status,
        202);
    QCOMPARE(server
                 .post(QStringLiteral("/shipments/logged/commands/submit"), QJsonObject {},
                     Role::CustomerService)
                 .status,
        400);
    QCOMPARE(server.request("POST", QStringLiteral("/shipments/logged/commands/ship"), "{}").status,
        401);
    QTRY_COMPARE_WITH_TIMEOUT(g_logged.size(), 5, 5000);
    const QRegularExpression shape(QStringLiteral(
        "^method=(GET|POST) path=(\\S+) status=(\\d{3}) ms=[0-9.]+ bytes=\\d+ user=(\\S+) "
        "peer=\\S+ outcome=answered$"));
    const QStringList expected[] = {
        { QStringLiteral("GET"), QStringLiteral("/trucks"), QStringLiteral("200"),
            roleName(Role::Dispatch) },
        { QStringLiteral("GET"), QStringLiteral("/nothing"), QStringLiteral("401"),
            QStringLiteral("-") },
        { QStringLiteral("POST"), QStringLiteral("/shipments/logged/commands/submit"),
            QStringLiteral("202"), roleName(Role::CustomerService) },
        { QStringLiteral("POST"), QStringLiteral("/shipments/logged/commands/submit"),
            QStringLiteral("400"), roleName(Role::CustomerService) },
        { QStringLiteral("POST"), QStringLiteral("/shipments/logged/commands/ship"),
            QStringLiteral("401"), QStringLiteral("-") },
    };
    for (int i = 0; i < 5; ++i) {
        const auto line = shape.match(g_logged.at(i));
        QVERIFY2(line.hasMatch(), qPrintable(g_logged.at(i)));
        QCOMPARE(line.capturedTexts().mid(1), expected[i]);
    }
}

void TestHttpApi::referenceEndToEndFlow_data()
{
    TestDatabases::addBackendColumn();
}

void TestHttpApi::referenceEndToEndFlow()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    TestServer &server = *m_server;
    const QString shipment = QStringLiteral("ref-%1").arg(QDateTime::currentMSecsSinceEpoch());
    const QString account = QStringLiteral("acct-e2e");
    const double weight = 5 + QRandomGenerator::global()->bounded(46); // 5 to 50 lb
    auto shipmentStatus = [&] {
        return server.get(QStringLiteral("/shipments/") + shipment)
            .object()
            .value(QStringLiteral("status"))
            .toString();
    };

    // Submit -> eventually Submitted.
    HttpResponse r = server.post(QStringLiteral("/shipments/%1/commands/submit").arg(shipment),
        submitBody(account, weight), Role::CustomerService);
    QVERIFY2(r.status == 202, r.describe());
    QTRY_COMPARE_WITH_TIMEOUT(shipmentStatus(), QStringLiteral("Submitted"), 10000);
    // Ship before assign -> 409.
    r = server.post(
        QStringLiteral("/shipments/%1/commands/ship").arg(shipment), {}, Role::Dispatch);
    QVERIFY2(r.status == 409, r.describe());
    // The list is not empty.
    QVERIFY(!server.get(QStringLiteral("/shipments"), Role::Dispatch).array().isEmpty());
    // Assign t1 -> Assigned; ship -> Shipped; deliver -> Delivered.
    r = server.post(QStringLiteral("/shipments/%1/commands/assign").arg(shipment),
        { { QStringLiteral("truckId"), QStringLiteral("t1") } }, Role::Dispatch);
    QVERIFY2(r.status == 202, r.describe());
    QTRY_COMPARE_WITH_TIMEOUT(shipmentStatus(), QStringLiteral("Assigned"), 10000);
    r = server.post(
        QStringLiteral("/shipments/%1/commands/ship").arg(shipment), {}, Role::Dispatch);
    QVERIFY2(r.status == 202, r.describe());
    QTRY_COMPARE_WITH_TIMEOUT(shipmentStatus(), QStringLiteral("Shipped"), 10000);
    const Headers deliverKey { { "Idempotency-Key", "deliver-" + shipment.toUtf8() } };
    r = server.post(QStringLiteral("/shipments/%1/commands/deliver").arg(shipment), {},
        Role::Dispatch, deliverKey);
    QVERIFY2(r.status == 202, r.describe());
    const QString deliverId = r.object().value(QStringLiteral("commandId")).toString();
    QTRY_COMPARE_WITH_TIMEOUT(shipmentStatus(), QStringLiteral("Delivered"), 10000);

    // The bill-to account's events then include the invoice for this shipment.
    auto invoicesForShipment = [&] {
        int n = 0;
        for (const QJsonValue &e :
            server.get(QStringLiteral("/accounts/") + account + QStringLiteral("/events"))
                .array()) {
            const QJsonObject o = e.toObject();
            if (o.value(QStringLiteral("type")).toString() == QLatin1String("invoiced")
                && o.value(QStringLiteral("data"))
                        .toObject()
                        .value(QStringLiteral("shipmentId"))
                        .toString()
                    == shipment)
                ++n;
        }
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(invoicesForShipment(), 1, 10000);
    const QJsonObject accountBefore = server.get(QStringLiteral("/accounts/") + account).object();
    const int owed = server.get(QStringLiteral("/shipments/") + shipment)
                         .object()
                         .value(QStringLiteral("costCents"))
                         .toInt();
    QCOMPARE(accountBefore.value(QStringLiteral("balanceCents")).toInt(), -owed);

    // A duplicate deliver: the client's retry (same key), another deliver, and the recorded
    // command handed to the processor again as a redelivering queue would.
    r = server.post(QStringLiteral("/shipments/%1/commands/deliver").arg(shipment), {},
        Role::Dispatch, deliverKey);
    QVERIFY2(r.status == 202, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("commandId")).toString(), deliverId);
    r = server.post(
        QStringLiteral("/shipments/%1/commands/deliver").arg(shipment), {}, Role::Dispatch);
    QVERIFY2(r.status == 409, r.describe());
    Command redelivered;
    redelivered.id = deliverId;
    redelivered.type = CommandType::Deliver;
    redelivered.streamId = shipmentStreamId(shipment);
    redelivered.user = roleName(Role::Dispatch);
    redelivered.acceptedAt = QDateTime::currentDateTimeUtc();
    redelivered.correlationId = deliverId;
    CommandProcessor processor(server.database(), Rules {});
    QVERIFY(processor.process({ redelivered }).isEmpty());
    server.engine().waitIdle();

    const QStringList types
        = eventTypes(server.get(QStringLiteral("/shipments/%1/events").arg(shipment)).array());
    QCOMPARE(types.count(QStringLiteral("delivered")), 1);
    QCOMPARE(types,
        QStringList({ QStringLiteral("submitted"), QStringLiteral("assigned"),
            QStringLiteral("shipped"), QStringLiteral("delivered") }));
    QCOMPARE(invoicesForShipment(), 1);
    QCOMPARE(server.get(QStringLiteral("/accounts/") + account)
                 .object()
                 .value(QStringLiteral("balanceCents")),
        accountBefore.value(QStringLiteral("balanceCents")));
}

void TestHttpApi::servesHttpsWithTheGivenCertificate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    WAYBILL_TEST_CERTIFICATE(made, dir.path());
    const QString certificate = made.certificate;
    const QString key = made.key;

    ServerOptions options;
    options.tlsCertificateFile = certificate;
    options.tlsKeyFile = key;
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    m_server = std::make_unique<TestServer>(url, options);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    QCOMPARE(m_server->url().scheme(), QStringLiteral("https"));
    const HttpResponse health = m_server->request("GET", QStringLiteral("/health"));
    QVERIFY2(health.status == 200, health.describe());
    HttpResponse r = run(CommandType::Submit, QStringLiteral("tls1"));
    QVERIFY2(r.status == 200, r.describe());
    // Plain HTTP on the TLS port gets no answer.
    r = m_server->raw("GET /health HTTP/1.1\r\n\r\n", 1000);
    QCOMPARE(r.status, 0);
}

void TestHttpApi::listenSaysWhyItCannot()
{
    START_SQLITE_SERVER();
    ServerOptions taken;
    taken.port = quint16(server.port());
    HttpApiServer second(server.engine(), taken);
    QString error;
    QVERIFY(!second.listen(&error));
    QVERIFY2(error.contains(QString::number(taken.port)), qPrintable(error));
    ServerOptions missing;
    missing.tlsCertificateFile = QStringLiteral("/nonexistent/cert.pem");
    missing.tlsKeyFile = QStringLiteral("/nonexistent/key.pem");
    HttpApiServer third(server.engine(), missing);
    QVERIFY(!third.listen(&error));
    QVERIFY2(error.contains(QLatin1String("/nonexistent/cert.pem")), qPrintable(error));
    ServerOptions half;
    half.tlsKeyFile = QStringLiteral("/nonexistent/key.pem");
    HttpApiServer fourth(server.engine(), half);
    QVERIFY(!fourth.listen(&error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TestHttpApi)
#include "tst_httpapi.moc"
