// Hostile and broken clients: malformed requests, oversized bodies, slow or silent clients,
// too many connections, clients that leave early. Each gets the right answer, and the server
// keeps serving everyone else.
#include "testserver.h"

#include "http/guardedtcpserver.h"

#include "domain/ids.h"
#include "store/commandstore.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <thread>

#if defined(__SANITIZE_ADDRESS__)
// Freed memory waits in AddressSanitizer's quarantine (256 MiB by default), which would read as
// growth in the memory measurements below.
extern "C" const char *__asan_default_options()
{
    return "quarantine_size_mb=8";
}
#endif

using namespace waybill;
using namespace waybill::test;

namespace {

constexpr qint64 kLimit = 1024 * 1024;

QByteArray post(
    const QString &path, const QByteArray &body, const QString &token, const QByteArray &extra = {})
{
    QByteArray request = "POST " + path.toUtf8() + " HTTP/1.1\r\nHost: localhost\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token.toLatin1() + "\r\n";
    request += extra;
    request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return request;
}

QByteArray validSubmit()
{
    return QJsonDocument(submitBody(QStringLiteral("acme"))).toJson(QJsonDocument::Compact);
}

// The resident memory of this process, which hosts the server, in bytes.
qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return -1;
}

// A TCP connection to the server from a given loopback source address (127.0.0.2 and so on
// are distinct clients to the server): connected when `wait`, else left to complete in the
// kernel's queue. -1 when it cannot connect.
int openFrom(const char *source, quint16 port, bool wait)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | (wait ? 0 : SOCK_NONBLOCK), 0);
    if (fd < 0)
        return -1;
    sockaddr_in local {};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &local.sin_addr);
    sockaddr_in server {};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0
        || (::connect(fd, reinterpret_cast<sockaddr *>(&server), sizeof server) != 0
            && (wait || errno != EINPROGRESS))) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// For clients that run on their own thread while the server runs in the test's.
int connectFrom(const char *source, quint16 port)
{
    return openFrom(source, port, true);
}

// Sends `prefix`, then `filler` over and over as fast as the server takes it, until the server
// closes the connection, `stop` is set or `limit` bytes went out; reads whatever comes back
// when `reading`. Runs on its own thread.
struct Flood
{
    QByteArray prefix;
    QByteArray filler;
    qint64 limit = qint64(1) << 30;
    bool reading = true;

    std::atomic<bool> stop { false };
    std::atomic<bool> done { false };
    std::atomic<qint64> sent { 0 };
    QByteArray received; // read only once done
    bool closedByServer = false;

    void run(int fd)
    {
        QByteArray pending = prefix;
        char buffer[64 * 1024];
        while (!stop && sent < limit) {
            if (pending.isEmpty())
                pending = filler;
            pollfd p { fd, short(POLLOUT | (reading ? POLLIN : 0)), 0 };
            if (::poll(&p, 1, 50) <= 0)
                continue;
            if (p.revents & POLLIN) {
                const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                if (n <= 0) {
                    closedByServer = true;
                    break;
                }
                received.append(buffer, n);
            }
            if (p.revents & (POLLERR | POLLHUP)) {
                closedByServer = true;
                break;
            }
            if (p.revents & POLLOUT) {
                const ssize_t n = ::send(fd, pending.constData(),
                    size_t(qMin<qsizetype>(pending.size(), 64 * 1024)),
                    MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                    closedByServer = true;
                    break;
                }
                if (n > 0) {
                    pending.remove(0, n);
                    sent += n;
                }
            }
        }
        // What the server answered before it closed may still be on its way.
        for (int i = 0; reading && i < 20; ++i) {
            pollfd p { fd, POLLIN, 0 };
            if (::poll(&p, 1, 50) <= 0)
                continue;
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n <= 0)
                break;
            received.append(buffer, n);
        }
        done = true;
    }
};

// One GET /health on a fresh connection from its own thread: the time to the whole answer in
// milliseconds, or -1 when none came within five seconds.
qint64 timedHealthCheck(const char *source, quint16 port)
{
    QElapsedTimer clock;
    clock.start();
    const int fd = connectFrom(source, port);
    if (fd < 0)
        return -1;
    const QByteArray request = "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n";
    qint64 result = -1;
    if (::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) == request.size()) {
        QByteArray answer;
        char buffer[4096];
        while (clock.elapsed() < 5000) {
            pollfd p { fd, POLLIN, 0 };
            if (::poll(&p, 1, 50) <= 0)
                continue;
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            answer.append(buffer, n);
            const qsizetype headEnd = answer.indexOf("\r\n\r\n");
            const qsizetype lengthAt = answer.toLower().indexOf("content-length:");
            if (headEnd > 0 && lengthAt > 0 && answer.startsWith("HTTP/1.1 200")) {
                const qint64 length
                    = answer.mid(lengthAt + 15, answer.indexOf('\r', lengthAt) - lengthAt - 15)
                          .trimmed()
                          .toLongLong();
                if (answer.size() >= headEnd + 4 + length) {
                    result = clock.elapsed();
                    break;
                }
            }
        }
    }
    ::close(fd);
    return result;
}

// Runs `work` on its own thread while this thread runs the server's event loop.
template<typename Work> void whileServing(Work work)
{
    std::atomic<bool> finished { false };
    std::thread thread([&] {
        work();
        finished = true;
    });
    while (!finished)
        QTest::qWait(2);
    thread.join();
}

qint64 median(QList<qint64> values)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

} // namespace

class TestHttpHostile final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void hostileBodiesAnswer400AndServingGoesOn_data();
    void hostileBodiesAnswer400AndServingGoesOn();
    void malformedHttpGetsTheRightStatusAndServingGoesOn_data();
    void malformedHttpGetsTheRightStatusAndServingGoesOn();
    void oversizedBodyAnswers413BeforeTheBodyIsSent();
    void oversizedBodyWithoutTokenAnswers401First();
    void oversizedBodyForUnknownRouteAnswers404First();
    void oversizedChunkedBodyAnswers413MidStream();
    void oversizedUploadFromAnHttpClientReads413();
    void bodyJustUnderTheLimitIsRead();
    void chunkedBodyWithinTheLimitIsRead();
    void expectContinueOverTheLimitGets413WithoutContinue();
    void silentConnectionIsClosedAfterTheIdleTimeout();
    void slowRequestGets408();
    void waitingForAnOutcomeIsNotIdleness();
    void connectionsOverTheCapGet503();
    void pipelinedRequestsAreAnsweredInOrder();
    void clientLeavingBeforeItsAnswerHarmsNothing_data();
    void clientLeavingBeforeItsAnswerHarmsNothing();
    void serverGoingAwayWithRequestsInFlightEndsThemCleanly();
    void chunkedTrailerHidingARequestIsRefusedAndMemoryStaysBounded();
    void pipelinedFloodThatNeverReadsIsBoundedAndOthersAreServed();
    void crlfTricklerIsClosedByTheRequestDeadline();
    void tricklersFromOneAddressCannotLockOutAnother();
    void connectionsWaitingToBeAcceptedAreTakenAFewAtATime();
    void refusalsOfAFloodAreBoundedAndOthersAreServedMeanwhile();

private:
    void verifyStillServing();
    void restart(const ServerOptions &options);

    QTemporaryDir m_dir;
    int m_counter = 0;
    std::unique_ptr<TestServer> m_server;
};

void TestHttpHostile::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false\n"
                                                    "waybill.http.api.warning=false"));
}

void TestHttpHostile::init()
{
    ServerOptions options;
    options.idleTimeoutMs = 1500;
    options.requestTimeoutMs = 3000;
    options.maxConnections = 8;
    m_server = std::make_unique<TestServer>(
        DatabaseUrl::sqlite(m_dir.filePath(QStringLiteral("waybill-%1.db").arg(++m_counter))),
        options);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

void TestHttpHostile::cleanup()
{
    m_server.reset();
}

void TestHttpHostile::restart(const ServerOptions &options)
{
    m_server.reset();
    m_server = std::make_unique<TestServer>(
        DatabaseUrl::sqlite(m_dir.filePath(QStringLiteral("waybill-%1.db").arg(++m_counter))),
        options);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

void TestHttpHostile::verifyStillServing()
{
    const HttpResponse health = m_server->request("GET", QStringLiteral("/health"));
    QVERIFY2(health.status == 200, "the server stopped serving: " + health.describe());
    const HttpResponse list = m_server->get(QStringLiteral("/shipments"));
    QVERIFY2(list.status == 200, "the server stopped serving: " + list.describe());
}

void TestHttpHostile::hostileBodiesAnswer400AndServingGoesOn_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    const QString submit = QStringLiteral("/shipments/s1/commands/submit");
    const QString payment = QStringLiteral("/accounts/a1/commands/payment");
    QTest::newRow("invalid JSON") << submit << QByteArray("{\"shipFrom\": ");
    QTest::newRow("trailing garbage") << submit << validSubmit() + "xyz";
    QTest::newRow("deep nesting") << submit << QByteArray(100000, '[') + QByteArray(100000, ']');
    QTest::newRow("deep nesting in a key")
        << submit << "{\"shipFrom\":" + QByteArray(5000, '[') + QByteArray(5000, ']') + "}";
    QTest::newRow("huge number") << payment << QByteArray("{\"amount\": 1e400}");
    QTest::newRow("huge exact amount")
        << payment << QByteArray("{\"amount\": 123456789012345678901234567890}");
    QTest::newRow("NaN") << payment << QByteArray("{\"amount\": NaN}");
    QTest::newRow("Infinity") << payment << QByteArray("{\"amount\": Infinity}");
    QTest::newRow("weight as text")
        << submit << validSubmit().replace("\"weightInPounds\":10", "\"weightInPounds\":\"10\"");
    QTest::newRow("weight too large")
        << submit << validSubmit().replace("\"weightInPounds\":10", "\"weightInPounds\":80001");
    QTest::newRow("address as text") << submit << QByteArray("{\"shipFrom\":\"home\"}");
    QTest::newRow("unknown key") << payment << QByteArray("{\"amount\": 5, \"currency\": \"EUR\"}");
    QTest::newRow("non-UTF-8 string")
        << payment << QByteArray("{\"amount\": 5, \"note\": \"caf\xe9\"}");
    QTest::newRow("non-UTF-8 key") << submit << QByteArray("{\"\xff\xfe\": 1}");
    // A raw NUL is not JSON, inside a string or out; an escaped one is JSON but no text a
    // database can store.
    QTest::newRow("raw NUL after a value") << payment << QByteArray("{\"amount\": 5\0}", 14);
    QTest::newRow("raw NUL inside a string")
        << submit << validSubmit().replace("Des Moines", QByteArray("Des\0Moines", 10));
    QTest::newRow("escaped NUL inside a string")
        << submit << validSubmit().replace("Des Moines", "Des\\u0000Moines");
    QTest::newRow("array body") << payment << QByteArray("[1, 2, 3]");
    QTest::newRow("string body") << payment << QByteArray("\"pay me\"");
    QTest::newRow("null body") << payment << QByteArray("null");
    QTest::newRow("empty body") << submit << QByteArray();
    QTest::newRow("ship with a body")
        << QStringLiteral("/shipments/s1/commands/ship") << QByteArray("{\"when\":\"now\"}");
}

void TestHttpHostile::hostileBodiesAnswer400AndServingGoesOn()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    const HttpResponse r = m_server->raw(post(path, body, m_server->token(Role::Admin)));
    QVERIFY2(r.status == 400, r.describe());
    const QJsonArray errors = r.object().value(QStringLiteral("errors")).toArray();
    QVERIFY2(!errors.isEmpty(), r.describe());
    QVERIFY(!errors.first().toObject().value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY(!r.object().value(QStringLiteral("message")).toString().isEmpty());
    verifyStillServing();
}

void TestHttpHostile::malformedHttpGetsTheRightStatusAndServingGoesOn_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("not HTTP") << QByteArray("HELLO THERE\r\n\r\n") << 400;
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 400;
    QTest::newRow("HTTP/0.9") << QByteArray("GET /health\r\n\r\n") << 400;
    QTest::newRow("request line too long") << "GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n\r\n"
                                           << 414;
    QTest::newRow("headers too large") << "GET /health HTTP/1.1\r\nX-Big: " + QByteArray(70000, 'b')
            + "\r\n\r\n" << 431;
    QByteArray many = "GET /health HTTP/1.1\r\n";
    for (int i = 0; i < 150; ++i)
        many += "X-" + QByteArray::number(i) + ": 1\r\n";
    QTest::newRow("too many headers") << many + "\r\n" << 431;
    QTest::newRow("header without colon")
        << QByteArray("GET /health HTTP/1.1\r\nnonsense\r\n\r\n") << 400;
    QTest::newRow("folded header")
        << QByteArray("GET /health HTTP/1.1\r\nX-A: 1\r\n  folded\r\n\r\n") << 400;
    QTest::newRow("negative length")
        << QByteArray("POST /health HTTP/1.1\r\nContent-Length: -5\r\n\r\n") << 400;
    QTest::newRow("two lengths") << QByteArray(
        "POST /health HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")
                                 << 400;
    QTest::newRow("length and chunked") << QByteArray(
        "POST /health HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")
                                        << 400;
    QTest::newRow("gzip transfer")
        << QByteArray("POST /health HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") << 501;
    QTest::newRow("bad chunk size") << QByteArray(
        "POST /health HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
                                    << 400;
    QTest::newRow("chunk longer than said") << QByteArray(
        "POST /health HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n")
                                            << 400;
    QTest::newRow("trailer after the last chunk") << QByteArray(
        "POST /health HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: "
        "1\r\n\r\n") << 400;
    QTest::newRow("LF alone after a chunk size") << QByteArray(
        "POST /health HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n")
                                                 << 400;
    QTest::newRow("two equal lengths")
        << QByteArray("POST /health HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")
        << 400;
    QTest::newRow("chunked after gzip")
        << QByteArray("POST /health HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")
        << 400;
    QTest::newRow("space before a colon")
        << QByteArray("POST /health HTTP/1.1\r\nContent-Length : 2\r\n\r\nok") << 400;
    QTest::newRow("too many empty lines first") << QByteArray(64, '\n')
            + "GET /health HTTP/1.1\r\n\r\n" << 400;
    QTest::newRow("WebSocket upgrade elsewhere") << QByteArray(
        "GET /shipments HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
                                                 << 401;
}

void TestHttpHostile::malformedHttpGetsTheRightStatusAndServingGoesOn()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const HttpResponse r = m_server->raw(request);
    QVERIFY2(r.status == status, r.describe());
    QVERIFY(!r.object().value(QStringLiteral("message")).toString().isEmpty());
    QCOMPARE(r.header("Connection"), QByteArray("close"));
    verifyStillServing();
}

void TestHttpHostile::oversizedBodyAnswers413BeforeTheBodyIsSent()
{
    // Only the head is sent: the answer cannot depend on reading the body.
    const QByteArray head
        = "POST /shipments/s1/commands/submit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + m_server->token(Role::Admin).toLatin1()
        + "\r\nContent-Length: " + QByteArray::number(kLimit + 1) + "\r\n\r\n";
    std::unique_ptr<QTcpSocket> socket;
    const HttpResponse r = m_server->raw(head + "{\"shipFrom\":", 5000, &socket);
    QVERIFY2(r.status == 413, r.describe());
    QVERIFY(!r.object().value(QStringLiteral("message")).toString().isEmpty());
    // The client may go on sending what it was refused: it is drained, then the connection ends.
    const QByteArray junk(256 * 1024, 'x');
    socket->write(junk);
    QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 5000);
    verifyStillServing();
}

void TestHttpHostile::oversizedBodyWithoutTokenAnswers401First()
{
    const QByteArray head = "POST /shipments/s1/commands/submit HTTP/1.1\r\nHost: "
                            "x\r\nContent-Length: 99999999\r\n\r\n";
    HttpResponse r = m_server->raw(head);
    QVERIFY2(r.status == 401, r.describe());
    const QByteArray dispatch
        = "POST /shipments/s1/commands/submit HTTP/1.1\r\nAuthorization: Bearer "
        + m_server->token(Role::Dispatch).toLatin1() + "\r\nContent-Length: 99999999\r\n\r\n";
    r = m_server->raw(dispatch);
    QVERIFY2(r.status == 403, r.describe());
    verifyStillServing();
}

void TestHttpHostile::oversizedBodyForUnknownRouteAnswers404First()
{
    const QByteArray token = m_server->token(Role::Admin).toLatin1();
    HttpResponse r = m_server->raw("POST /upload HTTP/1.1\r\nAuthorization: Bearer " + token
        + "\r\nContent-Length: 99999999\r\n\r\n");
    QVERIFY2(r.status == 404, r.describe());
    r = m_server->raw("PUT /shipments HTTP/1.1\r\nAuthorization: Bearer " + token
        + "\r\nContent-Length: 99999999\r\n\r\n");
    QVERIFY2(r.status == 405, r.describe());
    // GET /health needs no token: a large body there is simply too large. Other methods on it
    // are no route without a token, so 401 comes first.
    r = m_server->raw(QByteArray("POST /health HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"));
    QVERIFY2(r.status == 401, r.describe());
    r = m_server->raw(QByteArray("GET /health HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"));
    QVERIFY2(r.status == 413, r.describe());
}

void TestHttpHostile::oversizedChunkedBodyAnswers413MidStream()
{
    QByteArray request = "POST /accounts/a/commands/payment HTTP/1.1\r\nAuthorization: Bearer "
        + m_server->token(Role::Admin).toLatin1() + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    const QByteArray chunk(64 * 1024, ' ');
    for (int i = 0; i < 17; ++i) // 1088 KiB, a little over the limit; the final chunk never comes
        request += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    const HttpResponse r = m_server->raw(request);
    QVERIFY2(r.status == 413, r.describe());
    verifyStillServing();
}

void TestHttpHostile::oversizedUploadFromAnHttpClientReads413()
{
    // A client that sends the whole body before it reads must still get the answer, not a reset.
    const HttpResponse r
        = m_server->request("POST", QStringLiteral("/shipments/s1/commands/submit"),
            QByteArray(4 * kLimit, ' '), m_server->token(Role::Admin));
    QVERIFY2(r.status == 413, r.describe());
    verifyStillServing();
}

void TestHttpHostile::bodyJustUnderTheLimitIsRead()
{
    QByteArray body = validSubmit();
    body.append(
        QByteArray(kLimit - body.size(), ' ')); // exactly the limit: JSON allows trailing blanks
    const HttpResponse r = m_server->request("POST",
        QStringLiteral("/shipments/s1/commands/submit"), body, m_server->token(Role::Admin));
    QVERIFY2(r.status == 202, r.describe());
}

void TestHttpHostile::chunkedBodyWithinTheLimitIsRead()
{
    const QByteArray body = validSubmit();
    QByteArray request = "POST /shipments/s1/commands/submit HTTP/1.1\r\nAuthorization: Bearer "
        + m_server->token(Role::Admin).toLatin1() + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    const qsizetype half = body.size() / 2;
    request += QByteArray::number(half, 16) + ";ext=1\r\n" + body.left(half) + "\r\n";
    request
        += QByteArray::number(body.size() - half, 16) + "\r\n" + body.mid(half) + "\r\n0\r\n\r\n";
    const HttpResponse r = m_server->raw(request);
    QVERIFY2(r.status == 202, r.describe());
}

void TestHttpHostile::expectContinueOverTheLimitGets413WithoutContinue()
{
    const QByteArray head = "POST /shipments/s1/commands/submit HTTP/1.1\r\nAuthorization: Bearer "
        + m_server->token(Role::Admin).toLatin1()
        + "\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n";
    std::unique_ptr<QTcpSocket> socket;
    const HttpResponse r = m_server->raw(head, 5000, &socket);
    QVERIFY2(r.status == 413, r.describe());
}

void TestHttpHostile::silentConnectionIsClosedAfterTheIdleTimeout()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, 5000);
    QElapsedTimer clock;
    clock.start();
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
    QVERIFY2(clock.elapsed() >= 1000,
        qPrintable(QStringLiteral("closed after %1 ms").arg(clock.elapsed())));
    // A kept-alive connection is closed the same way once its answers are written.
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, 5000);
    socket.write("GET /health HTTP/1.1\r\n\r\n");
    QCOMPARE(readRawResponse(socket, 5000).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10000);
}

void TestHttpHostile::slowRequestGets408()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, 5000);
    // A trickle of bytes, never the end of the head: each byte comes well within the idle time.
    const QByteArray head = "GET /health HTTP/1.1\r\nX-Slow: ";
    QElapsedTimer clock;
    clock.start();
    QByteArray pending;
    HttpResponse r;
    for (int i = 0; clock.elapsed() < 8000 && socket.state() == QAbstractSocket::ConnectedState;
         ++i) {
        socket.write(head.mid(i, 1).isEmpty() ? QByteArray("x") : head.mid(i, 1));
        r = readRawResponse(socket, 400, &pending);
        if (r.status != 0)
            break;
    }
    QVERIFY2(r.status == 408, r.describe());
    QVERIFY2(clock.elapsed() < 6000,
        qPrintable(QStringLiteral("refused after %1 ms").arg(clock.elapsed())));
}

void TestHttpHostile::waitingForAnOutcomeIsNotIdleness()
{
    // Prefer: wait longer than the idle timeout: the connection stays for its answer.
    const HttpResponse r = m_server->raw(
        post(QStringLiteral("/shipments/s1/commands/submit"), validSubmit(),
            m_server->token(Role::Admin), "Prefer: wait=3\r\nIdempotency-Key: k\r\n"),
        10000);
    QVERIFY2(r.status == 200, r.describe());
}

void TestHttpHostile::connectionsOverTheCapGet503()
{
    std::vector<std::unique_ptr<QTcpSocket>> open;
    for (int i = 0; i < 8; ++i) {
        open.push_back(std::make_unique<QTcpSocket>());
        open.back()->connectToHost(QHostAddress::LocalHost, m_server->port());
        QTRY_COMPARE_WITH_TIMEOUT(open.back()->state(), QAbstractSocket::ConnectedState, 5000);
    }
    HttpResponse refused;
    QTRY_VERIFY2_WITH_TIMEOUT(
        (refused = m_server->raw("GET /health HTTP/1.1\r\n\r\n")).status == 503, refused.describe(),
        5000);
    QCOMPARE(refused.header("Retry-After"), QByteArray("1"));
    QVERIFY(!refused.object().value(QStringLiteral("message")).toString().isEmpty());
    // Those already in are served.
    open.front()->write("GET /health HTTP/1.1\r\n\r\n");
    QCOMPARE(readRawResponse(*open.front(), 5000).status, 200);
    open.clear();
    QTRY_VERIFY_WITH_TIMEOUT(m_server->raw("GET /health HTTP/1.1\r\n\r\n").status == 200, 5000);
}

void TestHttpHostile::pipelinedRequestsAreAnsweredInOrder()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, 5000);
    const QString token = m_server->token(Role::Admin);
    // A slow answer (it waits for the command's outcome, from other threads), then fast ones.
    QByteArray requests = post(QStringLiteral("/shipments/p1/commands/submit"), validSubmit(),
        token, "Prefer: wait=5\r\n");
    requests += "GET /health HTTP/1.1\r\n\r\n";
    requests += "GET /trucks HTTP/1.1\r\nAuthorization: Bearer " + token.toLatin1() + "\r\n\r\n";
    requests += "GET /nothing HTTP/1.1\r\nAuthorization: Bearer " + token.toLatin1() + "\r\n\r\n";
    socket.write(requests);
    QByteArray pending;
    const HttpResponse first = readRawResponse(socket, 10000, &pending);
    QVERIFY2(first.status == 200, first.describe());
    QCOMPARE(
        first.object().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    const HttpResponse second = readRawResponse(socket, 5000, &pending);
    QVERIFY2(second.status == 200 && second.object().contains(QStringLiteral("status")),
        second.describe());
    const HttpResponse third = readRawResponse(socket, 5000, &pending);
    QVERIFY2(third.status == 200 && third.body.startsWith('['), third.describe());
    const HttpResponse fourth = readRawResponse(socket, 5000, &pending);
    QVERIFY2(fourth.status == 404, fourth.describe());
}

void TestHttpHostile::clientLeavingBeforeItsAnswerHarmsNothing_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("waiting for an outcome") << QByteArray("submit-wait");
    QTest::newRow("waiting for a query") << QByteArray("query");
    QTest::newRow("mid-body") << QByteArray("partial");
    QTest::newRow("mid-export") << QByteArray("export");
}

void TestHttpHostile::clientLeavingBeforeItsAnswerHarmsNothing()
{
    QFETCH(QByteArray, request);
    const QString token = m_server->token(Role::Admin);
    for (int round = 0; round < 20; ++round) {
        QByteArray bytes;
        if (request == "submit-wait")
            bytes = post(QStringLiteral("/shipments/leave-%1/commands/submit").arg(round),
                validSubmit(), token, "Prefer: wait=10\r\n");
        else if (request == "query")
            bytes = "GET /shipments?limit=1000 HTTP/1.1\r\nAuthorization: Bearer "
                + token.toLatin1() + "\r\n\r\n";
        else if (request == "export")
            bytes = "GET /events.csv HTTP/1.1\r\nAuthorization: Bearer " + token.toLatin1()
                + "\r\n\r\n";
        else
            bytes = post(QStringLiteral("/shipments/x/commands/submit"), validSubmit(), token)
                        .chopped(20);
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, m_server->port());
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::ConnectedState, 5000);
        socket->write(bytes);
        socket->flush();
        QTest::qWait(round % 3); // leave at slightly different moments
        socket->abort();
    }
    // Every connection a client dropped is closed on the server's side as well, whatever it
    // was doing for it (reading its body, waiting for an outcome or a query, streaming).
    QTRY_COMPARE_WITH_TIMEOUT(m_server->server().openConnections(), 0, 10000);
    // A request whose client left may still be on a worker, on its way to the engine: first
    // the workers, then the engine, so that nothing slips between the two.
    QTRY_VERIFY_WITH_TIMEOUT(m_server->server().requestWorkIdle(), 10000);
    m_server->engine().waitIdle();
    verifyStillServing(); // the outcomes of the commands whose clients left came in meanwhile

    // What the departed clients left behind, as the database tells. A submit whose whole
    // request arrived may have been taken before its client left (the client cannot know: that
    // is what Idempotency-Key is for); taken or not, it is recorded at most once and processed.
    // A body cut short and a read record nothing at all.
    const QSqlDatabase db = m_server->database().connection();
    // A count, of one stream's rows when the statement binds one.
    const auto count = [&db](const QString &sql, const QString &stream = QString()) {
        QSqlQuery q = stream.isEmpty() ? runQuery(db, sql) : runQuery(db, sql, { stream });
        return q.next() ? q.value(0).toInt() : -1;
    };
    QCOMPARE(CommandStore::pendingCount(db), qint64(0));
    const int commands = count(QStringLiteral("SELECT COUNT(*) FROM commands"));
    const int events
        = count(QStringLiteral("SELECT COUNT(*) FROM events WHERE stream_id LIKE 'shipment-%'"));
    if (request != "submit-wait") {
        QCOMPARE(commands, 0);
        QCOMPARE(events, 0);
        return;
    }
    int taken = 0;
    for (int round = 0; round < 20; ++round) {
        const QString stream = shipmentStreamId(QStringLiteral("leave-%1").arg(round));
        const int recorded
            = count(QStringLiteral("SELECT COUNT(*) FROM commands WHERE stream_id = ?"), stream);
        const int succeeded = count(QStringLiteral("SELECT COUNT(*) FROM commands WHERE stream_id "
                                                   "= ? AND status = 'succeeded'"),
            stream);
        const int submitted
            = count(QStringLiteral(
                        "SELECT COUNT(*) FROM events WHERE stream_id = ? AND type = 'submitted'"),
                stream);
        QVERIFY2(recorded <= 1,
            qPrintable(QStringLiteral("%1 is recorded %2 times").arg(stream).arg(recorded)));
        // A fresh shipment with a valid body: a submit taken is a submit that succeeded, once.
        QVERIFY2(succeeded == recorded && submitted == recorded,
            qPrintable(QStringLiteral("%1: %2 recorded, %3 succeeded, %4 submitted events")
                           .arg(stream)
                           .arg(recorded)
                           .arg(succeeded)
                           .arg(submitted)));
        taken += recorded;
    }
    qInfo("%d of 20 submits were taken before their clients left", taken);
    QCOMPARE(commands, taken);
    QCOMPARE(events, taken);
}

void TestHttpHostile::serverGoingAwayWithRequestsInFlightEndsThemCleanly()
{
    const QString token = m_server->token(Role::Admin);
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 20; ++i) {
        replies << m_server->start("POST",
            QStringLiteral("/shipments/away-%1/commands/submit").arg(i), validSubmit(), token,
            { { "Prefer", "wait=10" } });
    }
    replies << m_server->start("GET", QStringLiteral("/events.csv"), {}, token);
    replies << m_server->start("GET", QStringLiteral("/shipments"), {}, token);
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(replies.begin(), replies.end(),
                                 [](QNetworkReply *r) { return r->isFinished(); }),
        10000);
    // The engine and the database go with the server, as when waybill-server stops.
    const DatabaseUrl url = m_server->database().url();
    m_server->stop();
    QList<int> statuses;
    for (QNetworkReply *reply : replies) {
        QTRY_VERIFY2_WITH_TIMEOUT(reply->isFinished(), qPrintable(reply->url().toString()), 10000);
        const HttpResponse r = TestServer::read(reply);
        QVERIFY2(r.status == 0 || r.status == 200 || r.status == 202, r.describe());
        statuses << r.status;
        reply->deleteLater();
    }
    // What became of each submit, as the database tells: an answered one is recorded and
    // processed; one that got no answer is either not recorded at all or recorded and processed
    // (the client cannot know which: that is what Idempotency-Key is for), never left pending.
    Database database(url);
    const QSqlDatabase db = database.connection();
    for (int i = 0; i < 20; ++i) {
        const QString stream = QStringLiteral("shipment-away-%1").arg(i);
        QSqlQuery q = runQuery(db,
            QStringLiteral(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 "
                "END), 0) FROM commands WHERE stream_id = ?"),
            { stream });
        QVERIFY(q.next());
        const int recorded = q.value(0).toInt();
        const int pending = q.value(1).toInt();
        QVERIFY2(pending == 0, qPrintable(stream + QStringLiteral(" was left pending")));
        if (statuses[i] != 0)
            QVERIFY2(recorded == 1,
                qPrintable(QStringLiteral("%1 was answered %2 but is recorded %3 times")
                               .arg(stream)
                               .arg(statuses[i])
                               .arg(recorded)));
        else
            QVERIFY2(recorded <= 1, qPrintable(stream + QStringLiteral(" is recorded twice")));
    }
}

void TestHttpHostile::chunkedTrailerHidingARequestIsRefusedAndMemoryStaysBounded()
{
    // No token; after the last chunk, a "trailer" that QHttpServer 6.4 would read as a second
    // request announcing 4 GB of body, then an endless stream of CRLF to fill that body.
    Flood flood;
    flood.prefix = "POST /shipments/s1/commands/submit HTTP/1.1\r\nHost: x\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n"
                   "5\r\nhello\r\n0\r\n"
                   "XXPOST /health HTTP/1.1\r\nContent-Length: 4000000000\r\n\r\n";
    flood.filler = QByteArray("\r\n").repeated(32 * 1024);
    flood.limit = qint64(2) << 30;
    const int fd = connectFrom("127.0.0.1", m_server->port());
    QVERIFY(fd >= 0);
    const qint64 before = residentBytes();
    QVERIFY(before > 0);
    constexpr qint64 kBound = 64 * 1024 * 1024;
    std::thread sender([&flood, fd] { flood.run(fd); });
    qint64 peak = before;
    QElapsedTimer clock;
    clock.start();
    while (!flood.done && clock.elapsed() < 10000) {
        QTest::qWait(20);
        peak = qMax(peak, residentBytes());
        if (peak - before > 4 * kBound)
            flood.stop = true; // failing already: spare the machine
    }
    flood.stop = true;
    sender.join();
    ::close(fd);
    QVERIFY2(peak - before < kBound,
        qPrintable(QStringLiteral("the server grew by %1 MiB while %2 MiB came in")
                       .arg((peak - before) >> 20)
                       .arg(flood.sent >> 20)));
    QVERIFY2(flood.closedByServer,
        qPrintable(QStringLiteral("still open after %1 ms").arg(clock.elapsed())));
    QVERIFY2(flood.received.startsWith("HTTP/1.1 400 "), flood.received.left(300));
    QVERIFY2(flood.received.count("HTTP/1.1 ") == 1, flood.received.left(600));
    verifyStillServing();
}

void TestHttpHostile::pipelinedFloodThatNeverReadsIsBoundedAndOthersAreServed()
{
    const quint16 port = m_server->port();
    // A baseline first: the same checks with nobody flooding.
    QList<qint64> quiet;
    whileServing([&] {
        for (int i = 0; i < 20; ++i)
            quiet << timedHealthCheck("127.0.0.3", port);
    });

    Flood flood;
    for (int i = 0; i < 2048; ++i)
        flood.filler += "GET /health HTTP/1.1\r\n\r\n";
    flood.reading = false;
    const int fd = connectFrom("127.0.0.2", port);
    QVERIFY(fd >= 0);
    const qint64 before = residentBytes();
    constexpr qint64 kBound = 48 * 1024 * 1024;
    std::thread sender([&flood, fd] { flood.run(fd); });
    std::atomic<bool> probing { true };
    std::atomic<bool> probed { false };
    QList<qint64> loaded; // the prober's until `probed`
    std::thread prober([&] {
        while (probing) {
            loaded << timedHealthCheck("127.0.0.3", port);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        probed = true;
    });
    qint64 peak = before;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 4000 && peak - before < 4 * kBound) {
        QTest::qWait(20);
        peak = qMax(peak, residentBytes());
    }
    probing = false;
    flood.stop = true;
    while (!flood.done || !probed) // both may wait for the server, which must run meanwhile
        QTest::qWait(5);
    sender.join();
    prober.join();
    ::close(fd);

    const qint64 missing = std::count(loaded.begin(), loaded.end(), qint64(-1));
    const qint64 slowest = loaded.isEmpty() ? -1 : *std::max_element(loaded.begin(), loaded.end());
    const QString figures = QStringLiteral("%1 MiB of requests sent; memory +%2 MiB; health "
                                           "checks: quiet median %3 ms, flooded median %4 ms, "
                                           "slowest %5 ms, %6 of %7 unanswered")
                                .arg(flood.sent >> 20)
                                .arg((peak - before) >> 20)
                                .arg(median(quiet))
                                .arg(median(loaded))
                                .arg(slowest)
                                .arg(missing)
                                .arg(loaded.size());
    qInfo().noquote() << figures;
    QVERIFY2(peak - before < kBound, qPrintable(figures));
    // Generous bounds (the machine is shared and sanitizer builds are slow): the build before
    // the connection guard read requests gave 3 or 4 answers in these four seconds, half of
    // them after more than five seconds.
    QVERIFY2(loaded.size() >= 8 && missing == 0, qPrintable(figures));
    QVERIFY2(median(loaded) < 1000, qPrintable(figures));
    QVERIFY2(slowest < 4000, qPrintable(figures));
    verifyStillServing();
}

void TestHttpHostile::crlfTricklerIsClosedByTheRequestDeadline()
{
    ServerOptions options;
    options.idleTimeoutMs = 1500;
    options.requestTimeoutMs = 3000;
    restart(options);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, 5000);
    // One empty-line byte a second, well within the idle time each: the request never starts,
    // yet the whole of it, blank lines included, has three seconds.
    QElapsedTimer clock;
    clock.start();
    QByteArray pending;
    HttpResponse r;
    while (clock.elapsed() < 12000 && socket.state() == QAbstractSocket::ConnectedState) {
        socket.write((clock.elapsed() / 1000) % 2 ? "\n" : "\r");
        r = readRawResponse(socket, 1000, &pending);
        if (r.status != 0)
            break;
    }
    QVERIFY2(r.status == 408, r.describe());
    QVERIFY2(clock.elapsed() >= 2500 && clock.elapsed() < 6000,
        qPrintable(QStringLiteral("refused after %1 ms").arg(clock.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
}

void TestHttpHostile::tricklersFromOneAddressCannotLockOutAnother()
{
    ServerOptions options;
    options.idleTimeoutMs = 20000;
    options.requestTimeoutMs = 20000;
    options.maxConnections = 8;
    options.maxConnectionsPerAddress = 4;
    restart(options);
    const quint16 port = m_server->port();
    // Eight connections from one address, each sending a byte of a request now and then.
    std::vector<std::unique_ptr<QTcpSocket>> tricklers;
    for (int i = 0; i < 8; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QVERIFY(socket->bind(QHostAddress(QStringLiteral("127.0.0.2"))));
        socket->connectToHost(QHostAddress::LocalHost, port);
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::ConnectedState, 5000);
        socket->write("G");
        tricklers.push_back(std::move(socket));
    }
    QTest::qWait(300);
    for (auto &socket : tricklers)
        socket->write("E");
    // Four of them were refused, with a reason.
    int refused = 0;
    for (auto &socket : tricklers) {
        QByteArray pending;
        const HttpResponse r = readRawResponse(*socket, 300, &pending);
        if (r.status == 0)
            continue;
        QVERIFY2(r.status == 503, r.describe());
        QVERIFY(!r.object().value(QStringLiteral("message")).toString().isEmpty());
        ++refused;
    }
    QCOMPARE(refused, 4);
    // Another address is served, however the first one behaves.
    auto other = std::make_unique<QTcpSocket>();
    QVERIFY(other->bind(QHostAddress(QStringLiteral("127.0.0.3"))));
    other->connectToHost(QHostAddress::LocalHost, port);
    QTRY_COMPARE_WITH_TIMEOUT(other->state(), QAbstractSocket::ConnectedState, 5000);
    other->write("GET /health HTTP/1.1\r\n\r\n");
    const HttpResponse served = readRawResponse(*other, 5000);
    QVERIFY2(served.status == 200, served.describe());
    // The tricklers that were let in are still waited for: they are within their time.
    int open = 0;
    for (auto &socket : tricklers)
        open += socket->state() == QAbstractSocket::ConnectedState ? 1 : 0;
    QCOMPARE(open, 4);
}

namespace {

// Opens n connections from source without waiting for them to be accepted (they complete in the
// kernel's queue); -1 for any that could not be opened.
std::vector<int> openQueued(const char *source, quint16 port, int n)
{
    std::vector<int> fds;
    for (int i = 0; i < n; ++i)
        fds.push_back(openFrom(source, port, false));
    return fds;
}

// Whether the server wrote something on fd (a refusal) that is waiting to be read.
bool hasAnswer(int fd)
{
    char byte = 0;
    return fd >= 0 && ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
}

} // namespace

// A thousand connections are waiting to be accepted, over their address's cap, when a request
// arrives on a connection already in. QTcpServer alone would accept, and refuse, all of them in
// one turn of the event loop before anything else ran; the server takes a few per turn, so the
// request is answered while most of them are still waiting.
void TestHttpHostile::connectionsWaitingToBeAcceptedAreTakenAFewAtATime()
{
    ServerOptions options;
    options.idleTimeoutMs = 20000;
    options.requestTimeoutMs = 20000;
    options.maxConnections = 2000; // a listen queue of 1,024
    options.maxConnectionsPerAddress = 4;
    restart(options);
    const quint16 port = m_server->port();
    const int in = connectFrom("127.0.0.3", port);
    QVERIFY(in >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->server().openConnections(), 1, 5000);

    // While the server does not run: the queue fills, and the request is sent.
    std::vector<int> queued;
    for (const char *source : { "127.0.0.2", "127.0.0.4" }) {
        const std::vector<int> more = openQueued(source, port, 500);
        queued.insert(queued.end(), more.begin(), more.end());
    }
    QVERIFY(std::count(queued.begin(), queued.end(), -1) == 0);
    QTest::qSleep(200); // the handshakes are done
    const QByteArray request = "GET /health HTTP/1.1\r\n\r\n";
    QCOMPARE(::send(in, request.constData(), size_t(request.size()), MSG_NOSIGNAL),
        ssize_t(request.size()));

    int refusedBefore = -1;
    whileServing([&] {
        char buffer[4096];
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 10000) {
            pollfd p { in, POLLIN, 0 };
            if (::poll(&p, 1, 5) > 0 && ::recv(in, buffer, sizeof buffer, MSG_DONTWAIT) > 0) {
                refusedBefore = int(std::count_if(queued.begin(), queued.end(), hasAnswer));
                break;
            }
        }
    });
    // 992 of the 1,000 are over their address's cap (4 each from two addresses are let in).
    QTRY_COMPARE_WITH_TIMEOUT(
        int(std::count_if(queued.begin(), queued.end(), hasAnswer)), 992, 30000);
    for (const int fd : queued)
        ::close(fd);
    ::close(in);
    QVERIFY2(refusedBefore >= 0, "the request on the connection already in was not answered");
    QVERIFY2(refusedBefore < 500,
        qPrintable(QStringLiteral("%1 of 992 refusals were written before the answer")
                       .arg(refusedBefore)));
    qInfo().noquote() << refusedBefore << "of 992 refusals were written before the answer";
}

// Six hundred connections over the cap arrive within a moment, and their client reads nothing and
// closes none. At most kLingering refusals linger at once; the others are closed as soon as their
// answer is out, so the server's open sockets stay bounded (a flood cannot use up its file
// descriptors, which once ended the process), and another client is served meanwhile.
void TestHttpHostile::refusalsOfAFloodAreBoundedAndOthersAreServedMeanwhile()
{
    ServerOptions options;
    options.idleTimeoutMs = 20000;
    options.requestTimeoutMs = 20000;
    options.maxConnections = 16; // a listen queue of 50
    options.maxConnectionsPerAddress = 8;
    restart(options);
    const quint16 port = m_server->port();
    const int admitted = options.maxConnectionsPerAddress;
    std::atomic<bool> finished { false };
    std::vector<int> flood;
    qint64 served = -1;
    bool keptUp = true;
    std::thread clients([&] {
        // In batches that fit the listen queue: a connection the kernel has no room for is lost
        // for good when its client sends nothing (a SYN cookie), and would never be answered.
        const auto answered = [&] { return std::count_if(flood.begin(), flood.end(), hasAnswer); };
        for (int batch = 0; batch < 15; ++batch) {
            const std::vector<int> more = openQueued("127.0.0.2", port, 40);
            flood.insert(flood.end(), more.begin(), more.end());
            QElapsedTimer clock;
            clock.start();
            while (answered() < qsizetype(flood.size()) - admitted && clock.elapsed() < 10000)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            keptUp = keptUp && answered() >= qsizetype(flood.size()) - admitted;
            if (batch == 7)
                served = timedHealthCheck("127.0.0.3", port);
        }
        finished = true;
    });
    // The server runs here, and its count of open sockets is read between its turns.
    int mostOpen = 0;
    while (!finished) {
        QTest::qWait(1);
        mostOpen = std::max(mostOpen, m_server->server().openConnections());
    }
    clients.join();
    const int answered = int(std::count_if(flood.begin(), flood.end(), hasAnswer));
    for (const int fd : flood)
        ::close(fd);

    QVERIFY2(keptUp, "the server did not answer a batch within ten seconds");
    QCOMPARE(answered, 600 - admitted);
    QVERIFY2(served >= 0, "another client was not served during the flood");
    // Closed sockets are counted until the next turn deletes them.
    const int bound = admitted + http::GuardedTcpServer::kLingering
        + 2 * http::GuardedTcpServer::kAcceptsPerTurn;
    QVERIFY2(mostOpen <= bound,
        qPrintable(
            QStringLiteral("%1 sockets open at once, more than %2").arg(mostOpen).arg(bound)));
    qInfo().noquote() << "at most" << mostOpen << "sockets open; another client served in" << served
                      << "ms";
}

QTEST_GUILESS_MAIN(TestHttpHostile)
#include "tst_httphostile.moc"
