// The request framer, byte by byte: every row is framed whole, one byte at a time and split in
// two at every point, with the same result. Then against QHttpServer 6.4.2's own reader: what
// the framer accepts, the reader reads alike (from the bytes as sent and from the rewrite it is
// given); what the framer refuses, the reader would read otherwise (each row says how).
#include "http/requestchannel.h"
#include "http/requestframer.h"

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QTest>

using namespace waybill::http;

namespace {

HttpLimits testLimits()
{
    HttpLimits limits;
    limits.maxBodyBytes = 64;
    limits.maxRequestLineBytes = 64;
    limits.maxHeaderBytes = 8 * 1024;
    return limits;
}

QByteArray describe(const QByteArray &method, const QByteArray &target, const QByteArray &body)
{
    QByteArray text = method + ' ' + target;
    if (!body.isEmpty())
        text += " [" + body + ']';
    return text;
}

struct Framed
{
    QList<RequestFramer::Request> requests;
    int refusal = 0;
    bool midRequest = false;
    qint64 consumed = 0;

    // "GET /a | POST /b [body]", then " | 400" when refused or " | ..." when a request is
    // unfinished.
    QByteArray summary() const
    {
        QByteArrayList parts;
        for (const auto &r : requests)
            parts << describe(r.head.method, r.head.target, r.body);
        if (refusal != 0)
            parts << QByteArray::number(refusal);
        else if (midRequest)
            parts << "...";
        return parts.join(" | ");
    }
};

// Feeds the parts one after the other, each until the framer took all of it or refused.
Framed frame(const QList<QByteArray> &parts, const HttpLimits &limits = testLimits())
{
    RequestFramer framer(limits);
    Framed result;
    for (const QByteArray &part : parts) {
        qint64 offset = 0;
        while (offset < part.size() && result.refusal == 0) {
            const RequestFramer::Step step
                = framer.feed(part.constData() + offset, part.size() - offset);
            offset += step.consumed();
            result.consumed += step.consumed();
            if (step.refused) {
                result.refusal = framer.refusalStatus();
                break;
            }
            if (step.requestComplete)
                result.requests << framer.takeRequest();
            if (step.consumed() == 0)
                break;
        }
    }
    result.midRequest = framer.midRequest();
    return result;
}

QList<QByteArray> pieces(const QByteArray &bytes, qsizetype size)
{
    QList<QByteArray> parts;
    for (qsizetype i = 0; i < bytes.size(); i += size)
        parts << bytes.mid(i, size);
    return parts;
}

// QHttpServer 6.4.2's reader, fed through a RequestChannel as the server feeds it.
class QtReader final : public QAbstractHttpServer
{
public:
    struct Read
    {
        QByteArray method;
        QByteArray target;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
    };

    QtReader()
    {
        m_listener = new Listener;
        m_listener->listen(QHostAddress::LocalHost, 0);
        bind(m_listener);
    }

    // What the reader reads from these parts, each handed over as one read; "closed" when it
    // gave up on the connection.
    QList<Read> read(const QList<QByteArray> &parts, bool *closed)
    {
        m_read.clear();
        QTcpSocket network;
        auto *channel = new RequestChannel(nullptr, network);
        m_listener->add(channel);
        for (const QByteArray &part : parts) {
            if (channel->state() != QAbstractSocket::ConnectedState)
                break;
            channel->supply(part);
            Q_EMIT channel->readyRead();
            // The reader reads one request per readyRead and asks for another itself.
            for (int i = 0; i < 50 && channel->state() == QAbstractSocket::ConnectedState
                 && channel->bytesAvailable() > 0;
                 ++i)
                QCoreApplication::processEvents();
        }
        *closed = channel->state() != QAbstractSocket::ConnectedState;
        delete channel;
        return m_read;
    }

    static QByteArray summary(const QList<Read> &reads, bool closed)
    {
        QByteArrayList parts;
        for (const Read &r : reads)
            parts << describe(r.method, r.target, r.body);
        if (closed)
            parts << "closed";
        return parts.join(" | ");
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *) override
    {
        const QUrl url = request.url();
        QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
        if (url.hasQuery())
            target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
        static const QHash<QHttpServerRequest::Method, QByteArray> names {
            { QHttpServerRequest::Method::Get, "GET" },
            { QHttpServerRequest::Method::Post, "POST" },
            { QHttpServerRequest::Method::Put, "PUT" },
            { QHttpServerRequest::Method::Delete, "DELETE" },
            { QHttpServerRequest::Method::Head, "HEAD" },
            { QHttpServerRequest::Method::Options, "OPTIONS" },
            { QHttpServerRequest::Method::Patch, "PATCH" },
        };
        m_read << Read { names.value(request.method(), "UNKNOWN"), target, request.headers(),
            request.body() };
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override { }

private:
    class Listener final : public QTcpServer
    {
    public:
        void add(QTcpSocket *socket) { addPendingConnection(socket); }
    };

    Listener *m_listener;
    QList<Read> m_read;
};

// The path and query as QHttpServer reports them, for a target as sent.
QByteArray asReported(const QByteArray &target)
{
    const QUrl url = QUrl::fromEncoded(target);
    QByteArray text = url.path(QUrl::FullyEncoded).toLatin1();
    if (url.hasQuery())
        text += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    return text;
}

const QByteArray kPost = "POST /a HTTP/1.1\r\nHost: x\r\n";
const QByteArray kChunked = kPost + "Transfer-Encoding: chunked\r\n\r\n";

} // namespace

class TestRequestFramer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void framesTheSameHoweverTheBytesArrive_data();
    void framesTheSameHoweverTheBytesArrive();
    void acceptedRequestsAreReadAlikeByQtsReader_data();
    void acceptedRequestsAreReadAlikeByQtsReader();
    void refusedRequestsWouldBeReadOtherwiseByQtsReader_data();
    void refusedRequestsWouldBeReadOtherwiseByQtsReader();
    void rawBytesSplitBadlyAreMisreadByQtsReaderButNeverReachIt();
    void headerValuesAreKeptAsQtsReaderKeepsThem();
    void aRefusalIsFinal();
    void stepsStopAtTheHeadAndAtTheEndOfEachRequest();
    void blankBytesBeforeARequestAreCountedAndLimited();
    void limitsAreCheckedBeforeTheirLineEnds();
    void aLineTooLongIsRefusedAtTheSameByteHoweverSplit_data();
    void aLineTooLongIsRefusedAtTheSameByteHoweverSplit();
    void upgradeIsRecognisedAsQtsReaderRecognisesIt_data();
    void upgradeIsRecognisedAsQtsReaderRecognisesIt();
};

void TestRequestFramer::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("qt.httpserver*=false"));
}

namespace {

// Every framing row: its name, the bytes, and what the framer makes of them.
struct Row
{
    const char *name;
    QByteArray bytes;
    QByteArray framed;
};

QList<Row> framingRows()
{
    QList<Row> rows;

    // Read.
    rows.append({ "a GET", QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"),
        QByteArray("GET /health") });
    rows.append({ "line ends of LF alone", QByteArray("GET /a HTTP/1.1\nHost: x\n\n"),
        QByteArray("GET /a") });
    rows.append({ "HTTP/1.0", QByteArray("GET /a HTTP/1.0\r\n\r\n"), QByteArray("GET /a") });
    rows.append({ "absolute target", QByteArray("GET http://x/a HTTP/1.1\r\n\r\n"),
        QByteArray("GET http://x/a") });
    rows.append(
        { "query", QByteArray("GET /a?b=1&c HTTP/1.1\r\n\r\n"), QByteArray("GET /a?b=1&c") });
    rows.append({ "Content-Length", kPost + "Content-Length: 5\r\n\r\nhello",
        QByteArray("POST /a [hello]") });
    rows.append({ "Content-Length 0", kPost + "Content-Length: 0\r\n\r\n", QByteArray("POST /a") });
    rows.append({ "Content-Length with leading zeros", kPost + "Content-Length: 005\r\n\r\nhello",
        QByteArray("POST /a [hello]") });
    rows.append(
        { "Content-Length at the limit", kPost + "Content-Length: 64\r\n\r\n" + QByteArray(64, 'b'),
            "POST /a [" + QByteArray(64, 'b') + ']' });
    rows.append({ "chunked", kChunked + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        QByteArray("POST /a [hello world]") });
    rows.append({ "chunk extension", kChunked + "5;name=\"v\"\r\nhello\r\n0;x\r\n\r\n",
        QByteArray("POST /a [hello]") });
    rows.append({ "upper-case hexadecimal", kChunked + "A\r\n0123456789\r\n0\r\n\r\n",
        QByteArray("POST /a [0123456789]") });
    rows.append({ "last chunk as 000", kChunked + "000\r\n\r\n", QByteArray("POST /a") });
    rows.append(
        { "chunked in capitals", kPost + "TRANSFER-ENCODING: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            QByteArray("POST /a [ok]") });
    rows.append({ "pipelined",
        QByteArray("GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nxy"
                   "GET /c HTTP/1.1\r\n\r\n"),
        QByteArray("GET /a | POST /b [xy] | GET /c") });
    rows.append({ "16 blank bytes before a request",
        QByteArray("\r\n\r\n\r\n\r\n\r\n\r\n \t\v\nGET /a HTTP/1.1\r\n\r\n"),
        QByteArray("GET /a") });
    rows.append({ "blank lines after a chunked body",
        kChunked + "0\r\n\r\n\r\n\r\nGET /b HTTP/1.1\r\n\r\n", QByteArray("POST /a | GET /b") });
    rows.append({ "100 headers",
        [] {
            QByteArray r = "GET /a HTTP/1.1\r\n";
            for (int i = 0; i < 100; ++i)
                r += "X-" + QByteArray::number(i) + ": 1\r\n";
            return r + "\r\n";
        }(),
        QByteArray("GET /a") });
    rows.append(
        { "an unfinished head", QByteArray("GET /a HTTP/1.1\r\nHost: x\r\n"), QByteArray("...") });
    rows.append(
        { "an unfinished body", kPost + "Content-Length: 5\r\n\r\nhel", QByteArray("...") });
    rows.append(
        { "an unfinished chunked body", kChunked + "5\r\nhello\r\n0\r\n\r", QByteArray("...") });
    rows.append({ "blank bytes alone", QByteArray("\r\n\r\n"), QByteArray("...") });
    rows.append({ "nothing", QByteArray(), QByteArray() });

    // Refused: the chunked body.
    rows.append({ "trailer after the last chunk",
        kChunked + "5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n", QByteArray("400") });
    rows.append({ "trailer hiding a request",
        kChunked + "5\r\nhello\r\n0\r\nXXPOST /b HTTP/1.1\r\nContent-Length: 4000000000\r\n\r\n",
        QByteArray("400") });
    rows.append(
        { "chunk longer than its size", kChunked + "2\r\nhello\r\n0\r\n\r\n", QByteArray("400") });
    rows.append(
        { "chunk size not hexadecimal", kChunked + "zz\r\nhello\r\n0\r\n\r\n", QByteArray("400") });
    rows.append(
        { "chunk size with 0x", kChunked + "0x5\r\nhello\r\n0\r\n\r\n", QByteArray("400") });
    rows.append(
        { "negative chunk size", kChunked + "-5\r\nhello\r\n0\r\n\r\n", QByteArray("400") });
    rows.append(
        { "space after a chunk size", kChunked + "5 \r\nhello\r\n0\r\n\r\n", QByteArray("400") });
    rows.append(
        { "empty chunk size line", kChunked + "\r\n5\r\nhello\r\n0\r\n\r\n", QByteArray("400") });
    rows.append(
        { "LF alone after a chunk size", kChunked + "5\nhello\r\n0\r\n\r\n", QByteArray("400") });
    rows.append(
        { "LF alone after chunk data", kChunked + "5\r\nhello\n0\r\n\r\n", QByteArray("400") });
    rows.append(
        { "CR and something after the last chunk", kChunked + "0\r\n\rX", QByteArray("400") });
    rows.append({ "LF alone after the last chunk", kChunked + "0\r\n\nGET /b HTTP/1.1\r\n\r\n",
        QByteArray("400") });
    rows.append({ "chunk size of 16 digits", kChunked + "0000000000000005\r\nhello\r\n0\r\n\r\n",
        QByteArray("400") });
    rows.append({ "control character in a chunk extension",
        kChunked + "5;a\x01\r\nhello\r\n0\r\n\r\n", QByteArray("400") });
    rows.append({ "chunks over the body limit",
        kChunked + "40\r\n" + QByteArray(64, 'b') + "\r\n1\r\nb\r\n0\r\n\r\n", QByteArray("413") });
    rows.append(
        { "chunk size far over the limit", kChunked + "ffffffffffff\r\n", QByteArray("413") });

    // Refused: how long the body is.
    rows.append({ "two equal lengths",
        kPost + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", QByteArray("400") });
    rows.append({ "two lengths", kPost + "Content-Length: 3\r\nContent-Length: 5\r\n\r\nhello",
        QByteArray("400") });
    rows.append(
        { "length with a sign", kPost + "Content-Length: +5\r\n\r\nhello", QByteArray("400") });
    rows.append(
        { "length in hexadecimal", kPost + "Content-Length: 0x5\r\n\r\nhello", QByteArray("400") });
    rows.append(
        { "length as a list", kPost + "Content-Length: 5, 5\r\n\r\nhello", QByteArray("400") });
    rows.append({ "empty length", kPost + "Content-Length:\r\n\r\n", QByteArray("400") });
    rows.append({ "length past 64 bits",
        kPost + "Content-Length: 18446744073709551615\r\n\r\nhello", QByteArray("400") });
    rows.append(
        { "length over the limit", kPost + "Content-Length: 65\r\n\r\n", QByteArray("413") });
    rows.append({ "length and chunked",
        kPost + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        QByteArray("400") });
    rows.append({ "chunked twice",
        kPost + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        QByteArray("400") });
    rows.append({ "gzip then chunked", kPost + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        QByteArray("400") });
    rows.append({ "chunked inside a word", kPost + "Transfer-Encoding: xchunkedx\r\n\r\n0\r\n\r\n",
        QByteArray("400") });
    rows.append({ "gzip alone", kPost + "Transfer-Encoding: gzip\r\n\r\n", QByteArray("501") });
    rows.append({ "identity", kPost + "Transfer-Encoding: identity\r\n\r\n", QByteArray("501") });

    // Refused: the headers.
    rows.append(
        { "space before a colon", kPost + "Content-Length : 5\r\n\r\nhello", QByteArray("400") });
    rows.append({ "folded header", kPost + "X-A: 1\r\n folded\r\nContent-Length: 5\r\n\r\nhello",
        QByteArray("400") });
    rows.append({ "header without a colon", kPost + "nonsense\r\nContent-Length: 5\r\n\r\nhello",
        QByteArray("400") });
    rows.append({ "header without a name", kPost + ": x\r\n\r\n", QByteArray("400") });
    rows.append(
        { "control character in a value", kPost + "X-A: a\x01z\r\n\r\n", QByteArray("400") });
    rows.append({ "CR inside a header line", kPost + "X-A: a\rContent-Length: 5\r\n\r\nhello",
        QByteArray("400") });
    rows.append(
        { "NUL in a header", kPost + QByteArray("X-A: a\0z\r\n\r\n", 12), QByteArray("400") });
    rows.append({ "CR CR LF after a header", kPost + "X-A: a\r\r\n\r\n", QByteArray("400") });
    rows.append({ "101 headers",
        [] {
            QByteArray r = "POST /a HTTP/1.1\r\n";
            for (int i = 0; i < 101; ++i)
                r += "X-" + QByteArray::number(i) + ": 1\r\n";
            return r + "Content-Length: 5\r\n\r\nhello";
        }(),
        QByteArray("431") });
    rows.append({ "headers too large",
        "GET /a HTTP/1.1\r\nX-Big: " + QByteArray(9000, 'b') + "\r\n\r\n", QByteArray("431") });

    // Refused: the request line.
    rows.append({ "17 blank bytes before a request",
        QByteArray("\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\nGET /a HTTP/1.1\r\n\r\n"),
        QByteArray("400") });
    rows.append({ "not HTTP", QByteArray("HELLO THERE\r\n\r\n"), QByteArray("400") });
    rows.append(
        { "HTTP/2 preface", QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), QByteArray("400") });
    rows.append({ "HTTP/0.9", QByteArray("GET /a\r\n\r\n"), QByteArray("400") });
    rows.append({ "HTTP/1.2", QByteArray("GET /a HTTP/1.2\r\n\r\n"), QByteArray("400") });
    rows.append({ "two spaces", QByteArray("GET  /a HTTP/1.1\r\n\r\n"), QByteArray("400") });
    rows.append({ "words after the version", QByteArray("GET /a HTTP/1.1 junk\r\n\r\n"),
        QByteArray("400") });
    rows.append({ "tab between words", QByteArray("GET\t/a HTTP/1.1\r\n\r\n"), QByteArray("400") });
    rows.append({ "byte over 0x7f in the target", QByteArray("GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n"),
        QByteArray("400") });
    rows.append(
        { "target without a slash", QByteArray("GET a HTTP/1.1\r\n\r\n"), QByteArray("400") });
    rows.append({ "CR CR LF after the request line", QByteArray("GET /a HTTP/1.1\r\r\n\r\n"),
        QByteArray("400") });
    rows.append({ "request line too long", "GET /" + QByteArray(60, 'a') + " HTTP/1.1\r\n\r\n",
        QByteArray("414") });
    rows.append({ "a refusal after a request",
        QByteArray("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1 x\r\n\r\n"),
        QByteArray("GET /a | 400") });
    return rows;
}

void addFramingRows(bool acceptedOnly)
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("framed");
    for (const Row &row : framingRows()) {
        const bool accepted = !row.framed.isEmpty() && row.framed != "..."
            && !QChar::fromLatin1(row.framed.back()).isDigit();
        if (!acceptedOnly || accepted)
            QTest::newRow(row.name) << row.bytes << row.framed;
    }
}

} // namespace

void TestRequestFramer::framesTheSameHoweverTheBytesArrive_data()
{
    addFramingRows(false);
}

void TestRequestFramer::framesTheSameHoweverTheBytesArrive()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, framed);
    const Framed whole = frame({ bytes });
    QCOMPARE(whole.summary(), framed);
    QCOMPARE(frame(pieces(bytes, 1)).summary(), framed);
    QCOMPARE(frame(pieces(bytes, 7)).summary(), framed);
    for (qsizetype split = 1; split < bytes.size(); ++split) {
        const Framed parts = frame({ bytes.left(split), bytes.mid(split) });
        QVERIFY2(parts.summary() == framed,
            qPrintable(QStringLiteral("split at %1: %2")
                           .arg(split)
                           .arg(QString::fromLatin1(parts.summary()))));
    }
    // Everything is taken unless refused; a refusal takes nothing after the offending byte.
    if (whole.refusal == 0)
        QCOMPARE(whole.consumed, bytes.size());
    else
        QVERIFY(whole.consumed <= bytes.size());
}

void TestRequestFramer::acceptedRequestsAreReadAlikeByQtsReader_data()
{
    addFramingRows(true);
}

void TestRequestFramer::acceptedRequestsAreReadAlikeByQtsReader()
{
    QFETCH(QByteArray, bytes);
    const Framed framed = frame({ bytes });
    QCOMPARE(framed.refusal, 0);
    QVERIFY(!framed.requests.isEmpty());
    QtReader reader;
    bool closed = false;
    // The bytes as sent, whole (complete requests only).
    const QByteArray complete = bytes.left(framed.consumed);
    const QList<QtReader::Read> raw = reader.read({ complete }, &closed);
    QVERIFY(!closed);
    QCOMPARE(raw.size(), framed.requests.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const RequestFramer::Request &ours = framed.requests.at(i);
        QCOMPARE(raw.at(i).method, ours.head.method);
        QCOMPARE(raw.at(i).target, asReported(ours.head.target));
        QCOMPARE(raw.at(i).headers, ours.head.headers);
        QCOMPARE(raw.at(i).body, ours.body);
    }
    // And the rewrite it is given, one request at a time, as the server gives it.
    for (const RequestFramer::Request &ours : framed.requests) {
        const QByteArray message = messageForReader(ours.head, ours.body);
        const QList<QtReader::Read> read = reader.read({ message }, &closed);
        QVERIFY(!closed);
        QCOMPARE(read.size(), 1);
        QCOMPARE(read.first().method, ours.head.method);
        QCOMPARE(read.first().target, asReported(ours.head.target));
        QCOMPARE(read.first().body, ours.body);
        // The same headers, with the body's length in place of how it was sent.
        QList<QPair<QByteArray, QByteArray>> expected;
        bool hadLength = false;
        for (const auto &h : ours.head.headers) {
            const bool length = h.first.compare("content-length", Qt::CaseInsensitive) == 0;
            hadLength = hadLength || length;
            if (!length && h.first.compare("transfer-encoding", Qt::CaseInsensitive) != 0)
                expected << h;
        }
        if (hadLength || !ours.body.isEmpty())
            expected << qMakePair(
                QByteArray("Content-Length"), QByteArray::number(ours.body.size()));
        QCOMPARE(read.first().headers, expected);
        // The rewrite frames back to itself.
        const Framed again = frame({ message });
        QCOMPARE(again.requests.size(), 1);
        QCOMPARE(again.consumed, message.size());
        QCOMPARE(again.requests.first().body, ours.body);
    }
}

void TestRequestFramer::refusedRequestsWouldBeReadOtherwiseByQtsReader_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("qtReads");
    // What QHttpServer 6.4.2 makes of these, against what they say: each is why the framer
    // refuses them.
    QTest::newRow("a trailer is read as the next request")
        << kChunked + "5\r\nhello\r\n0\r\nXXGET /b HTTP/1.1\r\n\r\n"
        << QByteArray("POST /a [hello] | GET /b");
    QTest::newRow("a trailer hides a request with a 4 GB body")
        << kChunked + "5\r\nhello\r\n0\r\nXXPOST /b HTTP/1.1\r\nContent-Length: 4000000000\r\n\r\n"
        << QByteArray("POST /a [hello]");
    QTest::newRow("a chunk longer than its size loses what follows") << kChunked
            + "2\r\nhello\r\n0\r\n\r\n" << QByteArray("POST /a [he]");
    QTest::newRow("a chunk size that is no number reads as the last chunk") << kChunked
            + "zz\r\nhello\r\n0\r\n\r\n" << QByteArray("POST /a | closed");
    QTest::newRow("LF alone after a chunk size loses the body") << kChunked
            + "5\nhello\r\n0\r\n\r\n" << QByteArray("POST /a");
    QTest::newRow("LF alone after chunk data eats a byte")
        << kChunked + "5\r\nhello\n0\r\n\r\nGET /b HTTP/1.1\r\n\r\n"
        << QByteArray("POST /a [hello] | UNKNOWN /b");
    QTest::newRow("the first of two lengths is taken")
        << kPost + "Content-Length: 3\r\nContent-Length: 5\r\n\r\nabcGET /b HTTP/1.1\r\n\r\n"
        << QByteArray("POST /a [abc] | GET /b");
    QTest::newRow("chunked wins over a length") << kPost
            + "Content-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /b "
              "HTTP/1.1\r\n\r\n" << QByteArray("POST /a | GET /b");
    QTest::newRow("chunked after gzip is read as chunked")
        << kPost + "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
        << QByteArray("POST /a [ok]");
    QTest::newRow("a length in hexadecimal is no length")
        << kPost + "Content-Length: 0x3\r\n\r\nGET /b HTTP/1.1\r\n\r\n"
        << QByteArray("POST /a | GET /b");
    QTest::newRow("a length past 63 bits is no length")
        << kPost + "Content-Length: 18446744073709551615\r\n\r\nGET /b HTTP/1.1\r\n\r\n"
        << QByteArray("POST /a | GET /b");
    QTest::newRow("a space before a colon drops every header")
        << kPost + "Content-Length : 3\r\n\r\nGET /b HTTP/1.1\r\n\r\n"
        << QByteArray("POST /a | GET /b");
    QTest::newRow("a line without a colon drops every header")
        << kPost + "nonsense\r\nContent-Length: 3\r\n\r\nGET /b HTTP/1.1\r\n\r\n"
        << QByteArray("POST /a | GET /b");
    QTest::newRow("101 headers drop every header") << [] {
        QByteArray r = "POST /a HTTP/1.1\r\n";
        for (int i = 0; i < 101; ++i)
            r += "X-" + QByteArray::number(i) + ": 1\r\n";
        return r + "Content-Length: 3\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
    }() << QByteArray("POST /a | GET /b");
    QTest::newRow("a folded length is no length")
        << kPost + "Content-Length: 1\r\n 6\r\n\r\nGET /b HTTP/1.1\r\n\r\n"
        << QByteArray("POST /a | GET /b");
    QTest::newRow("blank bytes before a request are skipped without end") << QByteArray(4096, '\n')
            + "GET /b HTTP/1.1\r\n\r\n" << QByteArray("GET /b");
    QTest::newRow("words after the version are ignored")
        << QByteArray("GET /b HTTP/1.1 junk\r\n\r\n") << QByteArray("GET /b");
}

void TestRequestFramer::refusedRequestsWouldBeReadOtherwiseByQtsReader()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, qtReads);
    QVERIFY(frame({ bytes }).refusal != 0);
    QtReader reader;
    bool closed = false;
    const QList<QtReader::Read> reads = reader.read({ bytes }, &closed);
    QCOMPARE(QtReader::summary(reads, closed), qtReads);
}

void TestRequestFramer::rawBytesSplitBadlyAreMisreadByQtsReaderButNeverReachIt()
{
    // QHttpServer takes the two bytes after the last chunk as they come: a lone CR, then the
    // LF with the next request's first byte. The framer reads the same bytes right, and the
    // reader is only ever given whole rewritten requests.
    const QByteArray first = kChunked + "3\r\nabc\r\n0\r\n\r";
    const QByteArray second = "\nGET /b HTTP/1.1\r\n\r\n";
    QtReader reader;
    bool closed = false;
    QCOMPARE(QtReader::summary(reader.read({ first, second }, &closed), closed),
        QByteArray("POST /a [abc] | UNKNOWN /b"));
    QCOMPARE(frame({ first, second }).summary(), QByteArray("POST /a [abc] | GET /b"));
}

void TestRequestFramer::headerValuesAreKeptAsQtsReaderKeepsThem()
{
    const Framed framed = frame({ "GET /a HTTP/1.1\r\nX-Empty:\r\nX-Padded: \t v w \t\r\n"
                                  "X-Latin: caf\xc3\xa9\r\nx-lower: 1\r\n\r\n" });
    QCOMPARE(framed.requests.size(), 1);
    const HeaderList expected { { "X-Empty", "" }, { "X-Padded", "v w" },
        { "X-Latin", "caf\xc3\xa9" }, { "x-lower", "1" } };
    QCOMPARE(framed.requests.first().head.headers, expected);
    QtReader reader;
    bool closed = false;
    const auto reads = reader.read({ messageForReader(framed.requests.first().head, {}) }, &closed);
    QCOMPARE(reads.size(), 1);
    QCOMPARE(reads.first().headers, expected);
}

void TestRequestFramer::aRefusalIsFinal()
{
    RequestFramer framer(testLimits());
    const QByteArray bad = "GET /a HTTP/1.1 x\r\n";
    RequestFramer::Step step = framer.feed(bad.constData(), bad.size());
    QVERIFY(step.refused);
    QCOMPARE(framer.refusalStatus(), 400);
    QVERIFY(!framer.refusalMessage().isEmpty());
    QVERIFY(!framer.midRequest());
    const QByteArray good = "GET /a HTTP/1.1\r\n\r\n";
    step = framer.feed(good.constData(), good.size());
    QVERIFY(step.refused);
    QCOMPARE(step.consumed(), 0);
}

void TestRequestFramer::stepsStopAtTheHeadAndAtTheEndOfEachRequest()
{
    RequestFramer framer(testLimits());
    const QByteArray bytes
        = "\r\nPOST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nxyGET /b HTTP/1.1\r\n\r\n";
    const char *data = bytes.constData();
    RequestFramer::Step step = framer.feed(data, bytes.size());
    QCOMPARE(step.blank, 2);
    QCOMPARE(step.head, bytes.indexOf("xy") - 2);
    QCOMPARE(step.body, 0);
    QVERIFY(step.headComplete && !step.requestComplete);
    QCOMPARE(framer.head().method, QByteArray("POST"));
    qint64 at = step.consumed();
    step = framer.feed(data + at, bytes.size() - at);
    QCOMPARE(step.body, 2);
    QVERIFY(!step.headComplete && step.requestComplete);
    QCOMPARE(framer.takeRequest().body, QByteArray("xy"));
    QVERIFY(!framer.midRequest());
    at += step.consumed();
    step = framer.feed(data + at, bytes.size() - at);
    QVERIFY(step.headComplete && step.requestComplete);
    QCOMPARE(at + step.consumed(), bytes.size());
    QCOMPARE(framer.takeRequest().head.target, QByteArray("/b"));
}

void TestRequestFramer::blankBytesBeforeARequestAreCountedAndLimited()
{
    RequestFramer framer(testLimits());
    const QByteArray blank(16, '\n');
    RequestFramer::Step step = framer.feed(blank.constData(), blank.size());
    QCOMPARE(step.blank, 16);
    QVERIFY(!step.refused);
    // A blank line is the start of a request: its time runs from there.
    QVERIFY(framer.midRequest());
    step = framer.feed("\r", 1);
    QVERIFY(step.refused);
    QCOMPARE(framer.refusalStatus(), 400);
}

void TestRequestFramer::limitsAreCheckedBeforeTheirLineEnds()
{
    // Refused as soon as the line is too long, not when (if ever) it ends.
    RequestFramer line(testLimits());
    const QByteArray longLine = "GET /" + QByteArray(100, 'a');
    QVERIFY(line.feed(longLine.constData(), longLine.size()).refused);
    QCOMPARE(line.refusalStatus(), 414);
    RequestFramer headers(testLimits());
    const QByteArray longHeader = "GET /a HTTP/1.1\r\nX-Big: " + QByteArray(9000, 'b');
    QVERIFY(headers.feed(longHeader.constData(), longHeader.size()).refused);
    QCOMPARE(headers.refusalStatus(), 431);
    QCOMPARE(frame({ kChunked + "5;" + QByteArray(2000, 'e') }).refusal, 400);
}

void TestRequestFramer::aLineTooLongIsRefusedAtTheSameByteHoweverSplit_data()
{
    // Found by the fuzzer: a line refused whole took more bytes than the same line byte by byte.
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QTest::newRow("request line") << "GET /" + QByteArray(100, 'a') + " HTTP/1.1\r\n\r\n" << 414;
    QTest::newRow("request line ending in CR at the limit") << "GET /" + QByteArray(59, 'a')
            + "\r\rxx\r\n" << 414;
    QTest::newRow("header line") << "GET /a HTTP/1.1\r\nX-Big: " + QByteArray(9000, 'b')
            + "\r\n\r\n" << 431;
}

void TestRequestFramer::aLineTooLongIsRefusedAtTheSameByteHoweverSplit()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    const Framed whole = frame({ bytes });
    QCOMPARE(whole.refusal, status);
    const Framed byByte = frame(pieces(bytes, 1));
    QCOMPARE(byByte.refusal, status);
    QCOMPARE(whole.consumed, byByte.consumed);
    QVERIFY(whole.consumed < bytes.size());
}

void TestRequestFramer::upgradeIsRecognisedAsQtsReaderRecognisesIt_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<bool>("upgrade");
    // QHttpServer: Connection (all of them, joined) mentions "upgrade", and Upgrade (joined)
    // is "websocket" in any case.
    QTest::newRow("plain") << QByteArray("Connection: Upgrade\r\nUpgrade: websocket\r\n") << true;
    QTest::newRow("among others") << QByteArray(
        "Connection: keep-alive, Upgrade\r\nUpgrade: WebSocket\r\n")
                                  << true;
    QTest::newRow("in a second Connection header")
        << QByteArray("Connection: keep-alive\r\nConnection: upgrade\r\nUpgrade: websocket\r\n")
        << true;
    QTest::newRow("two Upgrade headers")
        << QByteArray("Connection: upgrade\r\nUpgrade: websocket\r\nUpgrade: websocket\r\n")
        << false;
    QTest::newRow("another protocol")
        << QByteArray("Connection: upgrade\r\nUpgrade: h2c\r\n") << false;
    QTest::newRow("no Connection") << QByteArray("Upgrade: websocket\r\n") << false;
}

void TestRequestFramer::upgradeIsRecognisedAsQtsReaderRecognisesIt()
{
    QFETCH(QByteArray, headers);
    QFETCH(bool, upgrade);
    const Framed framed = frame({ "GET /live HTTP/1.1\r\n" + headers + "\r\n" });
    QCOMPARE(framed.requests.size(), 1);
    QCOMPARE(framed.requests.first().head.isWebSocketUpgrade(), upgrade);
}

QTEST_GUILESS_MAIN(TestRequestFramer)
#include "tst_requestframer.moc"
