// libFuzzer target: the HTTP request framer (server/http/requestframer.h), seeds in
// corpus/requestframer/ (regressions/requestframer/: inputs it once failed on). Besides not
// crashing, it checks on every input that
// - the framing does not depend on how the bytes arrive (whole, byte by byte, split in two at
//   every point for short inputs, at 32 points for longer ones),
// - everything is taken unless refused, and nothing past a refusal,
// - each request read keeps within the limits, and its rewrite for QHttpServer's reader frames
//   back to the same request,
// - QHttpServer 6.4.2's own reader reads that rewrite as one request, the same one (upgrades
//   aside, which the reader must recognise exactly as the framer does).
// A broken invariant aborts, which libFuzzer reports as a crash with the input.
#include "http/requestchannel.h"
#include "http/requestframer.h"

#include <QAbstractHttpServer>
#include <QCoreApplication>
#include <QHttpServerRequest>
#include <QLoggingCategory>
#include <QTcpServer>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace waybill::http;

namespace {

HttpLimits fuzzLimits()
{
    // Small, so that inputs reach them.
    HttpLimits limits;
    limits.maxBodyBytes = 4096;
    limits.maxRequestLineBytes = 256;
    limits.maxHeaderBytes = 2048;
    return limits;
}

void require(bool condition, const char *invariant)
{
    if (!condition) {
        std::fprintf(stderr, "request framer invariant broken: %s\n", invariant);
        std::abort();
    }
}

struct Outcome
{
    QList<RequestFramer::Request> requests;
    int refusal = 0;
    bool midRequest = false;
    qint64 consumed = 0;

    bool operator==(const Outcome &other) const
    {
        if (refusal != other.refusal || midRequest != other.midRequest || consumed != other.consumed
            || requests.size() != other.requests.size())
            return false;
        for (qsizetype i = 0; i < requests.size(); ++i) {
            const RequestFramer::Request &a = requests.at(i);
            const RequestFramer::Request &b = other.requests.at(i);
            if (a.head.method != b.head.method || a.head.target != b.head.target
                || a.head.version != b.head.version || a.head.headers != b.head.headers
                || a.body != b.body)
                return false;
        }
        return true;
    }
};

// Frames data delivered in the pieces that `cuts` (increasing offsets) make.
Outcome frame(const char *data, qint64 size, const std::vector<qint64> &cuts)
{
    RequestFramer framer(fuzzLimits());
    Outcome outcome;
    qint64 from = 0;
    for (size_t c = 0; c <= cuts.size() && outcome.refusal == 0; ++c) {
        const qint64 to = c < cuts.size() ? cuts[c] : size;
        qint64 offset = from;
        while (offset < to) {
            const RequestFramer::Step step = framer.feed(data + offset, to - offset);
            require(
                step.consumed() >= 0 && step.consumed() <= to - offset, "a step takes what it has");
            require(!(step.head > 0 && step.body > 0), "a step ends at the end of a head");
            offset += step.consumed();
            outcome.consumed += step.consumed();
            if (step.refused) {
                require(framer.isRefused(), "a refused step leaves the framer refused");
                outcome.refusal = framer.refusalStatus();
                require(!framer.refusalMessage().isEmpty(), "a refusal says why");
                const RequestFramer::Step after = framer.feed(data, size);
                require(after.refused && after.consumed() == 0, "a refusal is final");
                break;
            }
            if (step.requestComplete)
                outcome.requests << framer.takeRequest();
            if (step.consumed() == 0)
                break;
        }
        from = to;
    }
    outcome.midRequest = framer.midRequest();
    return outcome;
}

// QHttpServer's reader, given messages through a RequestChannel as the server gives them.
class QtReader final : public QAbstractHttpServer
{
public:
    QtReader()
    {
        // It listens only to be a server QHttpServer accepts; channels are handed over by hand.
        m_listener = new Listener;
        m_listener->listen(QHostAddress::LocalHost, 0);
        bind(m_listener);
    }

    QList<QByteArray> methods;
    QList<QByteArray> paths;
    QList<QList<QPair<QByteArray, QByteArray>>> headers;
    QList<QByteArray> bodies;

    bool read(const QByteArray &message)
    {
        methods.clear();
        paths.clear();
        headers.clear();
        bodies.clear();
        QTcpSocket network;
        auto *channel = new RequestChannel(nullptr, network);
        m_listener->add(channel);
        channel->supply(message);
        Q_EMIT channel->readyRead();
        const bool whole
            = channel->state() == QAbstractSocket::ConnectedState && channel->bytesAvailable() == 0;
        delete channel;
        return whole;
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *) override
    {
        static const QHash<QHttpServerRequest::Method, QByteArray> names {
            { QHttpServerRequest::Method::Get, "GET" },
            { QHttpServerRequest::Method::Post, "POST" },
            { QHttpServerRequest::Method::Put, "PUT" },
            { QHttpServerRequest::Method::Delete, "DELETE" },
            { QHttpServerRequest::Method::Head, "HEAD" },
            { QHttpServerRequest::Method::Options, "OPTIONS" },
            { QHttpServerRequest::Method::Patch, "PATCH" },
            { QHttpServerRequest::Method::Connect, "CONNECT" },
        };
        methods << names.value(request.method(), "UNKNOWN");
        paths << request.url().path(QUrl::FullyEncoded).toLatin1();
        headers << request.headers();
        bodies << request.body();
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
};

QByteArray knownMethodOrUnknown(const QByteArray &method)
{
    static const QByteArrayList known { "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH",
        "CONNECT" };
    return known.contains(method) ? method : QByteArray("UNKNOWN");
}

QtReader &qtReader()
{
    static int argc = 1;
    static char name[] = "fuzz_requestframer";
    static char *argv[] = { name, nullptr };
    static QCoreApplication app(argc, argv);
    static const bool quiet = [] {
        QLoggingCategory::setFilterRules(QStringLiteral("qt.*=false"));
        return true;
    }();
    Q_UNUSED(quiet);
    static QtReader reader;
    return reader;
}

void checkRequest(const RequestFramer::Request &request, const HttpLimits &limits)
{
    require(request.body.size() <= limits.maxBodyBytes, "a body keeps within its limit");
    require(request.head.headers.size() <= 100, "at most 100 headers");
    require(request.head.version == "HTTP/1.1" || request.head.version == "HTTP/1.0",
        "HTTP/1.0 or HTTP/1.1");

    // The rewrite frames back to the same request, and nothing else.
    const QByteArray message = messageForReader(request.head, request.body);
    const Outcome again = frame(message.constData(), message.size(), {});
    require(again.refusal == 0 && !again.midRequest && again.requests.size() == 1
            && again.consumed == message.size(),
        "the rewrite is one whole request");
    const RequestFramer::Request &back = again.requests.first();
    require(back.head.method == request.head.method && back.head.target == request.head.target
            && back.head.version == request.head.version && back.body == request.body,
        "the rewrite frames back to the same request");

    // QHttpServer's reader reads it whole, as one request, the same one; a WebSocket upgrade
    // goes to the WebSocket server instead, and the reader takes exactly these for upgrades
    // (it would give up on the channel otherwise, and read() would say so).
    if (request.head.isWebSocketUpgrade())
        return;
    QtReader &reader = qtReader();
    require(reader.read(message), "QHttpServer reads the rewrite whole");
    require(reader.methods.size() == 1, "QHttpServer reads one request from the rewrite");
    require(reader.methods.first() == knownMethodOrUnknown(request.head.method),
        "QHttpServer reads the same method");
    require(reader.paths.first()
            == QUrl::fromEncoded(request.head.target).path(QUrl::FullyEncoded).toLatin1(),
        "QHttpServer reads the same path");
    require(reader.bodies.first() == request.body, "QHttpServer reads the same body");
    QList<QPair<QByteArray, QByteArray>> expected;
    for (const auto &h : back.head.headers)
        expected << h;
    require(reader.headers.first() == expected, "QHttpServer reads the same headers");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t length)
{
    if (length > 64 * 1024)
        return 0;
    const char *data = reinterpret_cast<const char *>(bytes);
    const qint64 size = qint64(length);

    const Outcome whole = frame(data, size, {});
    require(whole.consumed <= size, "never more than the input");
    require(whole.refusal != 0 || whole.consumed == size, "everything is taken unless refused");

    std::vector<qint64> everyByte;
    for (qint64 i = 1; i < size; ++i)
        everyByte.push_back(i);
    require(frame(data, size, everyByte) == whole, "byte by byte frames as whole");
    const qint64 step = size <= 128 ? 1 : size / 32;
    for (qint64 cut = 1; cut < size; cut += step)
        require(frame(data, size, { cut }) == whole, "split in two frames as whole");

    const HttpLimits limits = fuzzLimits();
    for (const RequestFramer::Request &request : whole.requests)
        checkRequest(request, limits);
    return 0;
}
