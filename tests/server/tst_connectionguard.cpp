// The connection guard with the real listener and QHttpServer's real reader, over loopback, and
// a handler that answers when the test says so: what the reader is given, and when the guard
// stops reading (unanswered requests, unsent answers), whatever the client keeps sending.
#include "http/guardedtcpserver.h"
#include "http/requestchannel.h"

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace waybill::http;

namespace {

// Lets oversized bodies get 413; accepts upgrades when told to, and keeps the socket.
class Inspector final : public HeadInspector
{
public:
    bool acceptUpgrades = false;
    QPointer<QTcpSocket> adopted;

    void inspectOversized(const RequestHead &, Answer answer) override { answer({}); }
    void inspectUpgrade(const RequestHead &, Answer answer) override
    {
        answer(acceptUpgrades
                ? QByteArray()
                : jsonResponse(400, errorBody(QStringLiteral("no upgrades here")), {}, true));
    }
    void adoptUpgrade(QTcpSocket *socket) override { adopted = socket; }
};

struct Handled
{
    QByteArray target;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QPointer<ConnectionGuard> guard;
    ConnectionGuard::Ticket ticket;
};

// Takes a ticket for every request, as the API does, and answers only when told to
// (`answerBytes` > 0: at once, with a body that long).
class Handler final : public QAbstractHttpServer
{
public:
    QList<Handled> handled;
    qsizetype answerBytes = 0;

    void answer(Handled &h, qsizetype bytes = 2)
    {
        if (!h.guard)
            return;
        h.guard->write(h.ticket.id, responseHead(200, {}, bytes, false) + QByteArray(bytes, 'a'));
        h.guard->finish(h.ticket.id, ConnectionGuard::Close::No);
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        ConnectionGuard *guard = RequestChannel::of(socket)->guard();
        guard->requestDelivered();
        handled << Handled { request.url().path().toLatin1(), request.body(), request.headers(),
            guard, guard->takeTicket() };
        if (answerBytes > 0)
            answer(handled.last(), answerBytes);
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override { }
};

struct Setup
{
    explicit Setup(const HttpLimits &limits = {})
    {
        auto *listener = new GuardedTcpServer(limits, &inspector);
        listener->listen(QHostAddress::LocalHost, 0);
        port = listener->serverPort();
        handler.bind(listener);
    }

    std::unique_ptr<QTcpSocket> connect()
    {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, port);
        socket->waitForConnected(5000);
        return socket;
    }

    Inspector inspector;
    Handler handler;
    quint16 port = 0;
};

} // namespace

class TestConnectionGuard final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void theReaderGetsEachRequestWholeHoweverItArrives();
    void unansweredRequestsStopReadingAtTheCap();
    void unsentAnswersStopReading();
    void aRefusedRequestNeverReachesTheReader();
    void answersLeaveInRequestOrderOnTheWire();
    void anUpgradeHeadArrivingInPiecesIsHandedOverWhole();
    void acceptingResumesOnceFileDescriptorsAreFreeAgain();
};

void TestConnectionGuard::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.connection.info=false\n"
                                                    "qt.httpserver*=false"));
}

void TestConnectionGuard::theReaderGetsEachRequestWholeHoweverItArrives()
{
    Setup setup;
    setup.handler.answerBytes = 2;
    auto client = setup.connect();
    const QByteArray bytes = "\r\nPOST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
                             "5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n"
                             "GET /b HTTP/1.1\r\n\r\n";
    for (const char c : bytes) {
        client->write(&c, 1);
        client->flush();
        QTest::qWait(1);
    }
    QTRY_COMPARE_WITH_TIMEOUT(setup.handler.handled.size(), 2, 5000);
    const Handled &post = setup.handler.handled.first();
    QCOMPARE(post.target, QByteArray("/a"));
    QCOMPARE(post.body, QByteArray("hello world"));
    // Chunked on the wire, a plain length for the reader.
    const QList<QPair<QByteArray, QByteArray>> headers { { "X-A", "1" },
        { "Content-Length", "11" } };
    QCOMPARE(post.headers, headers);
    QCOMPARE(setup.handler.handled.at(1).target, QByteArray("/b"));
}

void TestConnectionGuard::unansweredRequestsStopReadingAtTheCap()
{
    HttpLimits limits;
    limits.maxPipelinedRequests = 4;
    Setup setup(limits);
    auto client = setup.connect();
    QByteArray requests;
    for (int i = 0; i < 10; ++i)
        requests += "GET /" + QByteArray::number(i) + " HTTP/1.1\r\n\r\n";
    client->write(requests);
    QTRY_COMPARE_WITH_TIMEOUT(setup.handler.handled.size(), 4, 5000);
    // However long it waits (QHttpServer's reader asks to read on by itself), no more.
    QTest::qWait(300);
    QCOMPARE(setup.handler.handled.size(), 4);
    // One answered, one more read: the fifth, in order.
    setup.handler.answer(setup.handler.handled[0]);
    QTRY_COMPARE_WITH_TIMEOUT(setup.handler.handled.size(), 5, 5000);
    QTest::qWait(100);
    QCOMPARE(setup.handler.handled.size(), 5);
    QCOMPARE(setup.handler.handled.last().target, QByteArray("/4"));
    for (int i = 1; i < 10; ++i) {
        QTRY_VERIFY_WITH_TIMEOUT(setup.handler.handled.size() > i, 5000);
        setup.handler.answer(setup.handler.handled[i]);
    }
    QTRY_COMPARE_WITH_TIMEOUT(setup.handler.handled.size(), 10, 5000);
}

void TestConnectionGuard::unsentAnswersStopReading()
{
    HttpLimits limits;
    limits.maxOutputBytes = 256 * 1024;
    Setup setup(limits);
    setup.handler.answerBytes = 64 * 1024;
    auto client = setup.connect();
    // Never read: the kernel's buffers fill, then the guard's output, then it stops reading.
    client->setReadBufferSize(1);
    QByteArray requests;
    for (int i = 0; i < 400; ++i)
        requests += "GET /x HTTP/1.1\r\n\r\n";
    client->write(requests);
    qsizetype handled = -1;
    for (int i = 0; i < 50 && handled != setup.handler.handled.size(); ++i) {
        handled = setup.handler.handled.size();
        QTest::qWait(100);
    }
    QVERIFY2(handled < 400, qPrintable(QString::number(handled)));
    QPointer<ConnectionGuard> guard = setup.handler.handled.last().guard;
    QVERIFY(guard);
    // At most one answer past the limit waits in the server (the kernel holds the rest).
    QVERIFY2(guard->socket()->bytesToWrite() <= limits.maxOutputBytes + 64 * 1024 + 256,
        qPrintable(QString::number(guard->socket()->bytesToWrite())));
    // Reading the answers lets it read on.
    client->setReadBufferSize(0);
    QTRY_VERIFY_WITH_TIMEOUT((client->readAll(), setup.handler.handled.size() == 400), 20000);
}

void TestConnectionGuard::aRefusedRequestNeverReachesTheReader()
{
    Setup setup;
    auto client = setup.connect();
    client->write("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"
                  "XXGET /b HTTP/1.1\r\n\r\n");
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += client->readAll()).contains("\r\n\r\n{"), 5000);
    QVERIFY2(answer.startsWith("HTTP/1.1 400 "), answer.constData());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(setup.handler.handled.size(), 0);
}

void TestConnectionGuard::answersLeaveInRequestOrderOnTheWire()
{
    Setup setup;
    auto client = setup.connect();
    client->write("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(setup.handler.handled.size(), 3, 5000);
    setup.handler.answer(setup.handler.handled[2], 3);
    setup.handler.answer(setup.handler.handled[1], 2);
    QTest::qWait(100);
    QCOMPARE(client->bytesAvailable(), 0);
    setup.handler.answer(setup.handler.handled[0], 1);
    QByteArray wire;
    QTRY_VERIFY_WITH_TIMEOUT((wire += client->readAll()).endsWith("aaa"), 5000);
    const qsizetype one = wire.indexOf("\r\n\r\na");
    const qsizetype two = wire.indexOf("\r\n\r\naa", one + 1);
    const qsizetype three = wire.indexOf("\r\n\r\naaa", two + 1);
    QVERIFY2(one > 0 && two > one && three > two, wire.constData());
    QVERIFY(wire.contains("Content-Length: 1\r\n"));
}

void TestConnectionGuard::anUpgradeHeadArrivingInPiecesIsHandedOverWhole()
{
    // Longer than the guard's window, in pieces over several turns: the WebSocket server must
    // still find every byte of the handshake, and what came after it, in the socket.
    Setup setup;
    setup.inspector.acceptUpgrades = true;
    auto client = setup.connect();
    const QByteArray head = "GET /live HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                            "X-Pad: "
        + QByteArray(40000, 'p') + "\r\n\r\n";
    const QByteArray after = "first frame";
    client->write("\r\n");
    for (qsizetype i = 0; i < head.size(); i += 3000) {
        client->write(head.mid(i, 3000));
        client->flush();
        QTest::qWait(5);
    }
    client->write(after);
    QTRY_VERIFY_WITH_TIMEOUT(setup.inspector.adopted, 5000);
    QTcpSocket *adopted = setup.inspector.adopted;
    QTRY_VERIFY_WITH_TIMEOUT(adopted->bytesAvailable() >= head.size() + after.size(), 5000);
    QCOMPARE(adopted->readAll(), head + after);
    QCOMPARE(setup.handler.handled.size(), 0);
}

// The process has no file descriptor left when a client connects. QTcpServer 6.4 then stops
// accepting for good (it pauses, and says so with acceptError); the listener tries again after a
// short pause, and takes the client once descriptors are free again. (The listener and the
// handler run on this thread, and no other thread starts while descriptors are short.)
void TestConnectionGuard::acceptingResumesOnceFileDescriptorsAreFreeAgain()
{
    Setup setup;
    rlimit saved {};
    QVERIFY(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
    // A new descriptor takes the lowest free number: below the client's socket none is free, so
    // with the limit just above it the listener has none left to accept with.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    QVERIFY(fd >= 0);
    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("could not accept a connection")));
    rlimit tight = saved;
    tight.rlim_cur = rlim_t(fd) + 1;
    const bool tightened = ::setrlimit(RLIMIT_NOFILE, &tight) == 0;
    sockaddr_in server {};
    server.sin_family = AF_INET;
    server.sin_port = htons(setup.port);
    ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    const int connected = ::connect(fd, reinterpret_cast<sockaddr *>(&server), sizeof server);
    const int connectError = errno;
    const QByteArray request = "GET /x HTTP/1.1\r\n\r\n";
    QTest::qWait(50); // the handshake completes in the kernel; accepting it fails
    const ssize_t sent = ::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL);
    QTest::qWait(100);
    const qsizetype handledWhileShort = setup.handler.handled.size();
    QVERIFY(::setrlimit(RLIMIT_NOFILE, &saved) == 0);
    QVERIFY(tightened);
    QVERIFY(connected == 0 || connectError == EINPROGRESS);
    QCOMPARE(sent, ssize_t(request.size()));
    QCOMPARE(handledWhileShort, 0);

    QTRY_COMPARE_WITH_TIMEOUT(setup.handler.handled.size(), 1, 5000);
    QCOMPARE(setup.handler.handled.first().target, QByteArray("/x"));
    ::close(fd);
}

QTEST_GUILESS_MAIN(TestConnectionGuard)
#include "tst_connectionguard.moc"
