// A revoked token stops working at once in every server on the database: the next request on a
// kept-alive connection is refused, an open /live socket is closed (at once when the revocation
// is made in the server's own process, within the live feed's poll interval when another
// process made it), and an export in progress stops.
#include "api/livefeed.h"
#include "testdatabases.h"
#include "testserver.h"

#include "domain/ids.h"
#include "store/sql.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>
#include <QWebSocket>

using namespace waybill;
using namespace waybill::test;

namespace {

// A second server process on the same database, as far as the first one can tell: its own
// Database (connections), engine and HTTP server.
class OtherServer final
{
public:
    explicit OtherServer(const DatabaseUrl &url)
        : m_database(url, Durability::Process)
        , m_engine(m_database)
    {
        m_engine.start();
        m_server = std::make_unique<HttpApiServer>(m_engine, ServerOptions());
        QString error;
        if (!m_server->listen(&error))
            qFatal("the other server did not start: %s", qPrintable(error));
    }
    ~OtherServer()
    {
        m_server.reset();
        m_engine.stop();
    }
    Q_DISABLE_COPY_MOVE(OtherServer)

    QUrl url(const QString &path) const { return m_server->url().resolved(QUrl(path)); }

private:
    Database m_database;
    Engine m_engine;
    std::unique_ptr<HttpApiServer> m_server;
};

// A /live client that counts what it receives and when it was closed.
class LiveClient final : public QObject
{
public:
    LiveClient(const QUrl &serverUrl, const QString &token, bool tokenInQuery)
    {
        QUrl url = serverUrl.resolved(QUrl(QStringLiteral("/live")));
        url.setScheme(QStringLiteral("ws"));
        QNetworkRequest request;
        if (tokenInQuery)
            url.setQuery(QStringLiteral("token=") + token);
        else
            request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        request.setUrl(url);
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this] { ++m_messages; });
        connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_closed.start(); });
        m_socket.open(request);
    }

    bool connected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool closed() const { return m_closed.isValid(); }
    // When it was closed, on the monotonic clock.
    qint64 closedAt() const { return m_closed.msecsSinceReference(); }
    int messages() const { return m_messages; }
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }

private:
    QWebSocket m_socket;
    QElapsedTimer m_closed;
    int m_messages = 0;
};

qint64 now()
{
    QElapsedTimer clock;
    clock.start();
    return clock.msecsSinceReference();
}

// The URL as waybill-server takes it on its command line.
QString commandLineUrl(const DatabaseUrl &url)
{
    if (url.kind == DatabaseUrl::Kind::Sqlite)
        return QStringLiteral("sqlite:") + url.path;
    const QString credentials
        = url.password.isEmpty() ? url.user : url.user + QLatin1Char(':') + url.password;
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(credentials, url.host)
        .arg(url.port)
        .arg(url.databaseName);
}

} // namespace

class TestTokenRevocation final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void revokedTokenIsRefusedOnTheNextRequestOfAKeptAliveConnection_data();
    void revokedTokenIsRefusedOnTheNextRequestOfAKeptAliveConnection();
    void aCommandsTokenReadWithItsPrecheckIsAnsweredBeforeWhatThePrecheckFound_data();
    void aCommandsTokenReadWithItsPrecheckIsAnsweredBeforeWhatThePrecheckFound();
    void revokingInThisProcessClosesItsLiveSocketsAtOnce_data();
    void revokingInThisProcessClosesItsLiveSocketsAtOnce();
    void revokingFromAnotherProcessClosesLiveSocketsOnEveryServerWithinThePoll_data();
    void revokingFromAnotherProcessClosesLiveSocketsOnEveryServerWithinThePoll();

private:
    TestDatabases m_databases;
};

void TestTokenRevocation::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false\n"
                                                    "waybill.http.live.info=false"));
}

#define START_SERVER(backend, url)                                                                 \
    std::unique_ptr<TestServer> server;                                                            \
    WAYBILL_START_SERVER(server, m_databases, backend, {}, {}, url)

void TestTokenRevocation::revokedTokenIsRefusedOnTheNextRequestOfAKeptAliveConnection_data()
{
    TestDatabases::addBackendColumn();
}

void TestTokenRevocation::revokedTokenIsRefusedOnTheNextRequestOfAKeptAliveConnection()
{
    QFETCH(QString, backend);
    DatabaseUrl url;
    START_SERVER(backend, &url);
    // Warm: the token has just been accepted on this connection.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(server->get(QStringLiteral("/me"), Role::Dispatch).status, 200);
    // Revoked through another connection to the database, as another process would.
    Database elsewhere(url);
    QVERIFY(TokenStore(elsewhere).revoke(roleName(Role::Dispatch)));
    const HttpResponse r = server->get(QStringLiteral("/me"), Role::Dispatch);
    QVERIFY2(r.status == 401, r.describe());
    QCOMPARE(server->get(QStringLiteral("/me"), Role::Finance).status, 200);
}

void TestTokenRevocation::
    aCommandsTokenReadWithItsPrecheckIsAnsweredBeforeWhatThePrecheckFound_data()
{
    TestDatabases::addBackendColumn();
}

// A command's token is read in its pre-check's statement (one round trip for both on
// PostgreSQL): a revoked, forged or unentitled token is still refused (401, 403) before anything
// the pre-check found (409) or anything wrong with the body (400), and records nothing; an
// admitted command is recorded as its token's owner's.
void TestTokenRevocation::aCommandsTokenReadWithItsPrecheckIsAnsweredBeforeWhatThePrecheckFound()
{
    QFETCH(QString, backend);
    DatabaseUrl url;
    START_SERVER(backend, &url);
    const auto submitS1 = [&](const QString &token) {
        return server->request("POST", QStringLiteral("/shipments/s1/commands/submit"),
            QJsonDocument(submitBody(QStringLiteral("acme"))).toJson(), token, kPreferWait);
    };
    HttpResponse r = submitS1(server->token(Role::CustomerService));
    QVERIFY2(r.status == 200, r.describe());
    const auto commands = [&server] {
        QSqlQuery q = runQuery(
            server->database().connection(), QStringLiteral("SELECT COUNT(*) FROM commands"));
        return q.next() ? q.value(0).toLongLong() : -1;
    };
    const qint64 recorded = commands();
    QCOMPARE(recorded, qint64(1));
    // Admitted: the pre-check's answer (s1 exists).
    r = submitS1(server->token(Role::Admin));
    QVERIFY2(r.status == 409, r.describe());
    // Not entitled to submit: 403, not the 409 the pre-check found.
    r = submitS1(server->token(Role::Finance));
    QVERIFY2(r.status == 403, r.describe());
    // Its public id with another secret: the rows are found, the hash does not match.
    QString forged = server->token(Role::CustomerService);
    forged[forged.size() - 1]
        = forged.endsWith(QLatin1Char('0')) ? QLatin1Char('1') : QLatin1Char('0');
    r = submitS1(forged);
    QVERIFY2(r.status == 401, r.describe());
    // Revoked through another connection to the database, as another process would.
    Database elsewhere(url);
    QVERIFY(TokenStore(elsewhere).revoke(roleName(Role::CustomerService)));
    r = submitS1(server->token(Role::CustomerService));
    QVERIFY2(r.status == 401, r.describe());
    r = server->request("POST", QStringLiteral("/shipments/s2/commands/submit"),
        QJsonDocument(submitBody(QStringLiteral("acme"))).toJson(),
        server->token(Role::CustomerService), kPreferWait);
    QVERIFY2(r.status == 401, r.describe());
    // A bad body is refused for its token first, too.
    r = server->request("POST", QStringLiteral("/shipments/s3/commands/submit"), "{\"weight\": -1}",
        server->token(Role::CustomerService));
    QVERIFY2(r.status == 401, r.describe());
    r = server->request("POST", QStringLiteral("/shipments/s3/commands/submit"), "{\"weight\": -1}",
        server->token(Role::Dispatch));
    QVERIFY2(r.status == 403, r.describe());
    QCOMPARE(commands(), recorded);
    // Admitted, and recorded as the token's owner's.
    r = server->request("POST", QStringLiteral("/shipments/s2/commands/submit"),
        QJsonDocument(submitBody(QStringLiteral("acme"))).toJson(), server->token(Role::Admin),
        kPreferWait);
    QVERIFY2(r.status == 200, r.describe());
    QSqlQuery q = runQuery(server->database().connection(),
        QStringLiteral("SELECT user_name FROM commands WHERE stream_id = ?"),
        { shipmentStreamId(QStringLiteral("s2")) });
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), roleName(Role::Admin));
    QVERIFY(!q.next());
}

void TestTokenRevocation::revokingInThisProcessClosesItsLiveSocketsAtOnce_data()
{
    TestDatabases::addBackendColumn();
}

void TestTokenRevocation::revokingInThisProcessClosesItsLiveSocketsAtOnce()
{
    QFETCH(QString, backend);
    START_SERVER(backend, nullptr);
    LiveClient byHeader(server->url(QString()), server->token(Role::Auditor), false);
    LiveClient byQuery(server->url(QString()), server->token(Role::Auditor), true);
    LiveClient other(server->url(QString()), server->token(Role::Finance), true);
    QTRY_VERIFY_WITH_TIMEOUT(
        byHeader.connected() && byQuery.connected() && other.connected(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(
        server->get(QStringLiteral("/metrics")).body.contains("waybill_live_clients 3"), 5000);
    // Wait for a poll to pass, so that the next is a whole interval away.
    QTest::qWait(api::LiveFeed::kPollMs / 2);

    const qint64 revokedAt = now();
    QVERIFY(TokenStore(server->database()).revoke(roleName(Role::Auditor)));
    QTRY_VERIFY_WITH_TIMEOUT(byHeader.closed() && byQuery.closed(), 5000);
    const qint64 took = qMax(byHeader.closedAt(), byQuery.closedAt()) - revokedAt;
    qInfo("live sockets closed %lld ms after the revocation in this process", took);
    QVERIFY2(took < api::LiveFeed::kPollMs / 2,
        qPrintable(QStringLiteral("closed %1 ms after the revocation").arg(took)));
    QCOMPARE(byHeader.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);

    // The other client stays and goes on receiving events.
    QCOMPARE(server
                 ->post(QStringLiteral("/shipments/after/commands/submit"),
                     submitBody(QStringLiteral("a")), Role::Admin, { { "Prefer", "wait=10" } })
                 .status,
        200);
    QTRY_VERIFY_WITH_TIMEOUT(other.messages() >= 2, 5000);
    QVERIFY(other.connected());
    QCOMPARE(byHeader.messages(), 0);
}

void TestTokenRevocation::
    revokingFromAnotherProcessClosesLiveSocketsOnEveryServerWithinThePoll_data()
{
    TestDatabases::addBackendColumn();
}

void TestTokenRevocation::revokingFromAnotherProcessClosesLiveSocketsOnEveryServerWithinThePoll()
{
    QFETCH(QString, backend);
    DatabaseUrl url;
    START_SERVER(backend, &url);
    const QString binary = qEnvironmentVariable("WAYBILL_TEST_BINARY_DIR")
        + QStringLiteral("/server/waybill-server");
    QVERIFY2(QFileInfo::exists(binary), qPrintable(binary));
    OtherServer second(url);
    LiveClient onFirst(server->url(QString()), server->token(Role::Dispatch), false);
    LiveClient onSecond(second.url(QString()), server->token(Role::Dispatch), true);
    QTRY_VERIFY_WITH_TIMEOUT(onFirst.connected() && onSecond.connected(), 5000);
    QCOMPARE(server
                 ->request("GET", second.url(QStringLiteral("/me")).toString(), {},
                     server->token(Role::Dispatch))
                 .status,
        200);

    // `waybill-server token revoke`, a process of its own.
    QProcess cli;
    cli.start(binary,
        { QStringLiteral("--db"), commandLineUrl(url), QStringLiteral("token"),
            QStringLiteral("revoke"), roleName(Role::Dispatch) });
    QVERIFY(cli.waitForFinished(30000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    const qint64 revokedAt = now();

    // Requests are refused at once, on both servers.
    HttpResponse r = server->get(QStringLiteral("/me"), Role::Dispatch);
    QVERIFY2(r.status == 401, r.describe());
    r = server->request(
        "GET", second.url(QStringLiteral("/me")).toString(), {}, server->token(Role::Dispatch));
    QVERIFY2(r.status == 401, r.describe());
    // Live sockets go within a poll interval (and the time to close them).
    QTRY_VERIFY_WITH_TIMEOUT(onFirst.closed() && onSecond.closed(), 10000);
    const qint64 took = qMax(onFirst.closedAt(), onSecond.closedAt()) - revokedAt;
    qInfo("live sockets closed %lld ms after the revocation by another process", took);
    // The first poll after the revocation closes them; a busy machine may run it late.
    QVERIFY2(took <= api::LiveFeed::kPollMs + 1000,
        qPrintable(QStringLiteral("closed %1 ms after the revocation").arg(took)));
}

QTEST_GUILESS_MAIN(TestTokenRevocation)
#include "tst_tokenrevocation.moc"
