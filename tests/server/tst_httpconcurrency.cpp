// Many clients at once: idempotency and Prefer: wait under concurrency, the live feed, and
// long exports that must not hold anyone else up. On SQLite and PostgreSQL.
#include "testdatabases.h"
#include "testserver.h"

#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QSet>
#include <QTest>
#include <QWebSocket>

using namespace waybill;
using namespace waybill::test;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Waits for every reply while the event loop runs, then reads them.
QList<HttpResponse> finishAll(const QList<QNetworkReply *> &replies, int timeoutMs = 30000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()
        && !std::all_of(
            replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); }))
        QTest::qWait(5);
    QList<HttpResponse> responses;
    for (QNetworkReply *reply : replies) {
        HttpResponse response;
        if (reply->isFinished())
            response = TestServer::read(reply);
        else
            response.error = QStringLiteral("no answer in time");
        responses << response;
        reply->deleteLater();
    }
    return responses;
}

} // namespace

class TestHttpConcurrency final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void concurrentRepeatsOfOneKeyRunOnce_data() { TestDatabases::addBackendColumn(); }
    void concurrentRepeatsOfOneKeyRunOnce();
    void concurrentWaitersEachGetTheirOwnOutcome_data() { TestDatabases::addBackendColumn(); }
    void concurrentWaitersEachGetTheirOwnOutcome();
    void racingSubmitsOfOneShipmentLetExactlyOneSucceed_data()
    {
        TestDatabases::addBackendColumn();
    }
    void racingSubmitsOfOneShipmentLetExactlyOneSucceed();

    void liveFeedPushesEventsThenTheirOutcome_data();
    void liveFeedPushesEventsThenTheirOutcome();
    void liveFeedRefusesAnUpgradeWithoutToken();
    void liveFeedWithoutUpgradeAnswers426();
    void slowLiveClientIsDroppedAndOthersKeepUp();

    void longExportDoesNotHoldUpOtherRequests();

private:
    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

#define START_SERVER(backend, ...)                                                                 \
    m_server.reset();                                                                              \
    WAYBILL_START_SERVER(m_server, m_databases, backend, ##__VA_ARGS__);                           \
    TestServer &server = *m_server

void TestHttpConcurrency::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.live.info=false"));
}

void TestHttpConcurrency::cleanup()
{
    m_server.reset();
}

void TestHttpConcurrency::concurrentRepeatsOfOneKeyRunOnce()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    // The same request, sent 24 times at once on several connections, half of them waiting.
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 24; ++i) {
        Headers headers { { "Idempotency-Key", "once" } };
        if (i % 2)
            headers.append(qMakePair(QByteArray("Prefer"), QByteArray("wait=10")));
        replies << server.start("POST", QStringLiteral("/shipments/once/commands/submit"),
            json(submitBody(QStringLiteral("acme"))), server.token(Role::CustomerService), headers);
    }
    const QList<HttpResponse> answers = finishAll(replies);
    QSet<QString> ids;
    for (int i = 0; i < answers.size(); ++i) {
        const HttpResponse &r = answers.at(i);
        QVERIFY2(r.status == (i % 2 ? 200 : 202), r.describe());
        ids << r.object().value(QStringLiteral("commandId")).toString();
        if (i % 2)
            QCOMPARE(r.object().value(QStringLiteral("events")).toArray().size(), 1);
    }
    QCOMPARE(ids.size(), 1);
    server.engine().waitIdle();
    QCOMPARE(server.get(QStringLiteral("/shipments/once/events")).array().size(), 1);
}

void TestHttpConcurrency::concurrentWaitersEachGetTheirOwnOutcome()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 30; ++i) {
        replies << server.start("POST", QStringLiteral("/shipments/w%1/commands/submit").arg(i),
            json(submitBody(QStringLiteral("acct-%1").arg(i % 3), 5 + i)),
            server.token(Role::Admin), { { "Prefer", "wait=20" } });
    }
    const QList<HttpResponse> answers = finishAll(replies);
    for (int i = 0; i < answers.size(); ++i) {
        const HttpResponse &r = answers.at(i);
        QVERIFY2(r.status == 200, r.describe());
        const QJsonObject event
            = r.object().value(QStringLiteral("events")).toArray().first().toObject();
        QCOMPARE(event.value(QStringLiteral("streamId")).toString(),
            QStringLiteral("shipment-w%1").arg(i));
        QCOMPARE(event.value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("weightInPounds"))
                     .toDouble(),
            5.0 + i);
    }
}

void TestHttpConcurrency::racingSubmitsOfOneShipmentLetExactlyOneSucceed()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 12; ++i) {
        replies << server.start("POST", QStringLiteral("/shipments/race/commands/submit"),
            json(submitBody(QStringLiteral("acct-%1").arg(i))), server.token(Role::Admin),
            { { "Prefer", "wait=20" } });
    }
    int succeeded = 0;
    for (const HttpResponse &r : finishAll(replies)) {
        if (r.status == 200) {
            ++succeeded;
            continue;
        }
        // Refused at the pre-check, or accepted and then rejected by the reducer: 409 either way.
        QVERIFY2(r.status == 409, r.describe());
        QVERIFY(r.object()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QLatin1String("already exists")));
    }
    QCOMPARE(succeeded, 1);
    QCOMPARE(server.get(QStringLiteral("/shipments/race/events")).array().size(), 1);
}

void TestHttpConcurrency::liveFeedPushesEventsThenTheirOutcome_data()
{
    QTest::addColumn<bool>("tokenInQuery");
    QTest::newRow("Authorization header") << false;
    QTest::newRow("?token=") << true;
}

void TestHttpConcurrency::liveFeedPushesEventsThenTheirOutcome()
{
    QFETCH(bool, tokenInQuery);
    START_SERVER(QStringLiteral("sqlite"));
    QCOMPARE(server
                 .post(QStringLiteral("/shipments/before/commands/submit"),
                     submitBody(QStringLiteral("a")), Role::Admin, { { "Prefer", "wait=10" } })
                 .status,
        200);
    QWebSocket socket;
    QStringList messages;
    connect(
        &socket, &QWebSocket::textMessageReceived, this, [&](const QString &m) { messages << m; });
    QUrl url = server.url(QStringLiteral("/live"));
    url.setScheme(QStringLiteral("ws"));
    QNetworkRequest request;
    if (tokenInQuery)
        url.setQuery(QStringLiteral("token=") + server.token(Role::Auditor));
    else
        request.setRawHeader("Authorization", "Bearer " + server.token(Role::Auditor).toLatin1());
    request.setUrl(url);
    socket.open(request);
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(
        server.get(QStringLiteral("/metrics")).body.contains("waybill_live_clients 1"), true, 5000);

    const HttpResponse submitted = server.post(QStringLiteral("/shipments/live1/commands/submit"),
        submitBody(QStringLiteral("a")), Role::Admin);
    QCOMPARE(submitted.status, 202);
    const QString commandId = submitted.object().value(QStringLiteral("commandId")).toString();
    QCOMPARE(server.post(QStringLiteral("/shipments/live1/commands/ship"), {}, Role::Admin).status,
        409); // not recorded
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 2, 10000);
    const QJsonObject event = QJsonDocument::fromJson(messages.at(0).toUtf8()).object();
    QCOMPARE(event.value(QStringLiteral("kind")).toString(), QStringLiteral("event"));
    QCOMPARE(event.value(QStringLiteral("event"))
                 .toObject()
                 .value(QStringLiteral("streamId"))
                 .toString(),
        QStringLiteral("shipment-live1")); // not the event from before the client came
    QCOMPARE(
        event.value(QStringLiteral("event")).toObject().value(QStringLiteral("type")).toString(),
        QStringLiteral("submitted"));
    const QJsonObject outcome = QJsonDocument::fromJson(messages.at(1).toUtf8()).object();
    QCOMPARE(outcome,
        QJsonObject({ { QStringLiteral("kind"), QStringLiteral("command") },
            { QStringLiteral("commandId"), commandId },
            { QStringLiteral("status"), QStringLiteral("succeeded") },
            { QStringLiteral("type"), QStringLiteral("submit") },
            { QStringLiteral("streamId"), QStringLiteral("shipment-live1") } }));
    socket.close();
}

void TestHttpConcurrency::liveFeedRefusesAnUpgradeWithoutToken()
{
    START_SERVER(QStringLiteral("sqlite"));
    const QByteArray handshake
        = "GET /live HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    HttpResponse r = server.raw(handshake + "\r\n");
    QVERIFY2(r.status == 401, r.describe());
    r = server.raw(handshake
        + "Authorization: Bearer "
          "wb_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n\r\n");
    QVERIFY2(r.status == 401, r.describe());
    // With a token, the same handshake is taken up: 101, and the accept key RFC 6455 derives
    // from this request's key (its section 1.3 example).
    r = server.rawHead(
        handshake + "Authorization: Bearer " + server.token(Role::Finance).toLatin1() + "\r\n\r\n");
    QVERIFY2(r.status == 101, qPrintable(QStringLiteral("%1 %2").arg(r.status).arg(r.error)));
    QCOMPARE(r.header("Upgrade").toLower(), QByteArray("websocket"));
    QCOMPARE(r.header("Sec-WebSocket-Accept"), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void TestHttpConcurrency::liveFeedWithoutUpgradeAnswers426()
{
    START_SERVER(QStringLiteral("sqlite"));
    const HttpResponse r = server.get(QStringLiteral("/live"), Role::Dispatch);
    QVERIFY2(r.status == 426, r.describe());
    QCOMPARE(r.header("Upgrade"), QByteArray("websocket"));
}

void TestHttpConcurrency::slowLiveClientIsDroppedAndOthersKeepUp()
{
    ServerOptions options;
    options.liveClientBufferBytes = 32 * 1024;
    START_SERVER(QStringLiteral("sqlite"), options);
    // The slow client: it completes the handshake, then never reads again.
    QTcpSocket slow;
    slow.setReadBufferSize(1);
    slow.connectToHost(QHostAddress::LocalHost, server.port());
    QTRY_COMPARE_WITH_TIMEOUT(slow.state(), QAbstractSocket::ConnectedState, 5000);
    slow.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    slow.write("GET /live HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
               "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
               "dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer "
        + server.token(Role::Auditor).toLatin1() + "\r\n\r\n");
    QWebSocket fast;
    int fastEvents = 0;
    connect(&fast, &QWebSocket::textMessageReceived, this, [&](const QString &m) {
        fastEvents += m.contains(QLatin1String("\"kind\":\"event\"")) ? 1 : 0;
    });
    QUrl url = server.url(QStringLiteral("/live"));
    url.setScheme(QStringLiteral("ws"));
    url.setQuery(QStringLiteral("token=") + server.token(Role::Auditor));
    fast.open(url);
    QTRY_COMPARE_WITH_TIMEOUT(fast.state(), QAbstractSocket::ConnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(
        server.get(QStringLiteral("/metrics")).body.contains("waybill_live_clients 2"), true, 5000);

    // Large events, until the slow client is far enough behind to be dropped.
    const QString longName(190, QLatin1Char('n'));
    QJsonObject body = submitBody(QStringLiteral("acme"));
    QJsonObject address = addressJson(longName);
    address.insert(QStringLiteral("line1"), longName);
    address.insert(QStringLiteral("line2"), longName);
    address.insert(QStringLiteral("city"), longName);
    body.insert(QStringLiteral("shipFrom"), address);
    body.insert(QStringLiteral("shipTo"), address);
    int sent = 0;
    for (; sent < 600
         && !server.get(QStringLiteral("/metrics")).body.contains("waybill_live_clients 1");
         sent += 20) {
        QList<QNetworkReply *> replies;
        for (int i = sent; i < sent + 20; ++i)
            replies << server.start("POST",
                QStringLiteral("/shipments/big%1/commands/submit").arg(i), json(body),
                server.token(Role::Admin), { { "Prefer", "wait=10" } });
        for (const HttpResponse &r : finishAll(replies))
            QVERIFY2(r.status == 200, r.describe());
    }
    QVERIFY2(server.get(QStringLiteral("/metrics")).body.contains("waybill_live_clients 1"),
        qPrintable(QStringLiteral("the slow client was not dropped after %1 events").arg(sent)));
    // It finds out once it reads again.
    slow.setReadBufferSize(0);
    QTRY_VERIFY_WITH_TIMEOUT(
        (slow.readAll(), slow.state() == QAbstractSocket::UnconnectedState), 5000);
    // The other client got everything.
    QTRY_COMPARE_WITH_TIMEOUT(fastEvents, sent, 10000);
    QCOMPARE(fast.state(), QAbstractSocket::ConnectedState);
}

void TestHttpConcurrency::longExportDoesNotHoldUpOtherRequests()
{
    START_SERVER(QStringLiteral("sqlite"));
    // A log long enough for an export of several chunks.
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 400; ++i)
        replies << server.start("POST",
            QStringLiteral("/accounts/a%1/commands/payment").arg(i % 40),
            json({ { QStringLiteral("amount"), 1.25 } }), server.token(Role::Admin));
    for (const HttpResponse &r : finishAll(replies))
        QVERIFY2(r.status == 202, r.describe());
    server.engine().waitIdle();

    // A client that reads its export slowly; meanwhile others are served at once.
    QTcpSocket exporter;
    exporter.setReadBufferSize(4096);
    exporter.connectToHost(QHostAddress::LocalHost, server.port());
    QTRY_COMPARE_WITH_TIMEOUT(exporter.state(), QAbstractSocket::ConnectedState, 5000);
    exporter.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    exporter.write("GET /events.csv HTTP/1.1\r\nAuthorization: Bearer "
        + server.token(Role::Auditor).toLatin1() + "\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(exporter.bytesAvailable() > 0, 5000); // it streams, and is not read
    for (int i = 0; i < 10; ++i) {
        QElapsedTimer clock;
        clock.start();
        const HttpResponse r = server.request("GET", QStringLiteral("/health"));
        QCOMPARE(r.status, 200);
        QVERIFY2(clock.elapsed() < 1000,
            qPrintable(QStringLiteral("/health took %1 ms").arg(clock.elapsed())));
    }
    // Now read it all: header, 400 rows, the final chunk.
    QByteArray all;
    QTRY_VERIFY_WITH_TIMEOUT((all += exporter.readAll(), all.endsWith("\r\n0\r\n\r\n")), 20000);
    QVERIFY(all.startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(all.contains("Transfer-Encoding: chunked"));
    QCOMPARE(all.count(",paymentReceived,"), 400);
}

QTEST_GUILESS_MAIN(TestHttpConcurrency)
#include "tst_httpconcurrency.moc"
