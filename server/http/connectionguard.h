// Watches the bytes of one connection before QHttpServer 6.4 reads them, to give it what it
// lacks: a body-size limit that refuses without reading the body, limits on the request head,
// an idle timeout and a deadline for slow requests, and answers written in request order.
#pragma once

#include "httpmessage.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>
#include <map>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace waybill::http {

struct HttpLimits
{
    qint64 maxBodyBytes = 1024 * 1024;
    int idleTimeoutMs = 30000; // silence allowed between requests, and time allowed for one
    int maxConnections = 1024;
    int maxRequestLineBytes = 8 * 1024;
    int maxHeaderBytes = 64 * 1024;
    int maxHeaderCount = 100;
    int lingerMs = 1000; // after an error answer, input is drained this long, then closed
};

// What the API decides about a request from its head alone (the guard acts before the body).
class HeadInspector
{
public:
    // A complete response to send (then the connection closes), or empty.
    using Answer = std::function<void(const QByteArray &response)>;
    virtual ~HeadInspector() = default;
    // The body is over the limit: answer with whatever error comes before 413 in the API's
    // order (401, 403, 404, 405), or empty to let the guard answer 413.
    virtual void inspectOversized(const RequestHead &head, Answer answer) = 0;
    // A WebSocket upgrade: a refusal, or empty to accept; then adoptUpgrade() gets the socket,
    // with the handshake request still unread in it.
    virtual void inspectUpgrade(const RequestHead &head, Answer answer) = 0;
    virtual void adoptUpgrade(QTcpSocket *socket) = 0;
};

class ConnectionGuard final : public QObject
{
    Q_OBJECT
public:
    // Becomes a child of the socket. Connect it before the HTTP server connects its reader.
    ConnectionGuard(QTcpSocket *socket, const HttpLimits &limits, HeadInspector *inspector);
    ~ConnectionGuard() override;
    Q_DISABLE_COPY_MOVE(ConnectionGuard)

    static ConnectionGuard *of(const QTcpSocket *socket);

    // The HTTP server has connected `reader` to the socket's readyRead (after the guard): the
    // guard now also looks after it on each readyRead, to know what it consumed, and can
    // disconnect it to keep a refused request away from it.
    void followReader(QObject *reader);

    // Each answer takes a ticket when its request is handled; the bytes of a later ticket wait
    // until every earlier answer is complete (HTTP/1.1 pipelining).
    struct Ticket
    {
        quint64 id = 0;
        bool close = false; // the client asked to close after this answer
    };
    Ticket takeTicket();
    void write(quint64 ticket, const QByteArray &bytes);
    enum class Close { No, Yes, Lingering };
    void finish(quint64 ticket, Close close);
    // Bytes of this answer written but not yet taken by the kernel.
    qint64 pendingBytes(quint64 ticket) const;

    // Answers before any request is read (too many connections), then closes.
    void refuse(const QByteArray &response);

private:
    enum class Phase {
        RequestLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailers,
        Inspecting, // the API decides about an oversized request; input is discarded
        Upgrading, // the API decides about an upgrade; input stays for the handshake
        Upgraded, // the socket belongs to the WebSocket server
        Closing // an answer that ends the connection is queued; input is discarded
    };

    void beforeReader();
    void afterReader();
    qint64 scan(const char *data, qint64 size);
    bool lineLimitExceeded();
    bool lineComplete(const QByteArray &line);
    bool requestLineComplete(const QByteArray &line);
    bool headerLineComplete(const QByteArray &line);
    bool headComplete();
    bool chunkSizeComplete(const QByteArray &line);
    void requestComplete();
    void reject(int status, const QString &message);
    void respondAndClose(const QByteArray &response);
    void inspectOversized();
    void inspectUpgrade();
    void handOver();
    void disconnectReader();
    void discardInput();
    void writeNow(const QByteArray &bytes);
    void advance();
    void closeAfterFlush(Close close);
    void continuePipeline();
    void onIdle();

    struct Waiting
    {
        QByteArray bytes;
        bool finished = false;
        Close close = Close::No;
    };

    QTcpSocket *m_socket;
    HttpLimits m_limits;
    HeadInspector *m_inspector;
    QPointer<QObject> m_reader;
    bool m_followingReader = false;

    Phase m_phase = Phase::RequestLine;
    QByteArray m_line;
    RequestHead m_head;
    qint64 m_headBytes = 0;
    int m_headerCount = 0;
    qint64 m_remaining = 0; // of the body or of the current chunk
    qint64 m_bodyBytes = 0; // chunked bodies: total so far
    qint64 m_carried = 0; // bytes at the front of the socket buffer the guard has seen already
    qint64 m_unscanned = 0; // bytes at the back of the socket buffer the guard has not seen
    QElapsedTimer m_requestClock;
    std::deque<bool> m_completed; // requests read, not yet handled: does each want a close?

    quint64 m_nextTicket = 1;
    quint64 m_headTicket = 1; // the answer being written now
    std::map<quint64, Waiting> m_waiting;
    bool m_closing = false;
    bool m_pipelineScheduled = false;

    QElapsedTimer m_lastActivity;
    QTimer m_idleTimer;
    QTimer m_lingerTimer;
};

} // namespace waybill::http
