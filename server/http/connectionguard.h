// Stands between one network connection and QHttpServer 6.4, to give the server what it lacks:
// the guard alone reads the socket, frames each request (RequestFramer), and hands QHttpServer's
// reader one whole request at a time through a RequestChannel; answers leave in request order
// (ResponseSequencer). It bounds what a connection may cost: bytes read per turn of the event
// loop, buffered input and output, unanswered requests (reading stops there), the time a whole
// request may take, and silence.
#pragma once

#include "httplimits.h"
#include "httpmessage.h"
#include "requestframer.h"
#include "responsesequencer.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace waybill::http {

class RequestChannel;

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
    // Becomes a child of the socket, and deletes it once it is disconnected.
    ConnectionGuard(QTcpSocket *socket, const HttpLimits &limits, HeadInspector *inspector);
    ~ConnectionGuard() override;
    Q_DISABLE_COPY_MOVE(ConnectionGuard)

    // The guard of a network socket.
    static ConnectionGuard *of(const QTcpSocket *socket);

    QTcpSocket *socket() const { return m_socket; }
    // What QHttpServer must read requests from (never the network socket).
    QTcpSocket *readerSocket() const;
    // QHttpServer reads from readerSocket() now: the guard starts reading the network.
    void start();
    // QHttpServer's reader read a request the guard gave it and handed it to the API.
    void requestDelivered() { ++m_delivered; }
    // QHttpServer's reader could not read a request the guard gave it.
    void readerGaveUp();

    // Each answer takes a ticket when its request is handled; the bytes of a later ticket wait
    // until every earlier answer is complete (HTTP/1.1 pipelining).
    struct Ticket
    {
        quint64 id = 0;
        bool close = false; // the client asked to close after this answer
    };
    Ticket takeTicket();
    void write(quint64 ticket, const QByteArray &bytes);
    using Close = ResponseSequencer::Close;
    void finish(quint64 ticket, Close close);
    // Bytes of this answer written but not yet taken by the kernel.
    qint64 pendingBytes(quint64 ticket) const;

    // Answers before any request is read (too many connections), then closes: after draining
    // the client's input a moment (Lingering), or as soon as the answer is out (Yes).
    void refuse(const QByteArray &response, Close close);

private:
    enum class Phase {
        Reading,
        Inspecting, // the API decides about an oversized request; input is discarded
        Upgrading, // the API decides about an upgrade; the handshake waits in the socket
        Upgraded, // the socket belongs to the WebSocket server
        Closing // an answer that ends the connection is queued; input is discarded
    };

    void readSome();
    void scheduleRead();
    bool readingPaused() const;
    void consume(const RequestFramer::Step &step);
    void keepHeadInSocket();
    bool headRead();
    void deliver();
    void framingRefused();
    void reject(int status, const QString &message);
    void respondAndClose(const QByteArray &response, Close close = Close::Lingering);
    void inspectOversized();
    void inspectUpgrade();
    void handOver();
    void discardInput();
    void writeOut(const QByteArray &bytes);
    void closeAfterAnswer(Close close);
    void progressed();
    void onDisconnected();
    void armTimer();
    void onTimer();

    QTcpSocket *m_socket;
    HttpLimits m_limits;
    HeadInspector *m_inspector;
    RequestFramer m_framer;
    ResponseSequencer m_sequencer;
    QPointer<RequestChannel> m_channel;
    Phase m_phase = Phase::Reading;
    std::deque<bool> m_delivering; // requests given to the reader, ticket not yet taken: close?
    int m_delivered = 0;
    qint64 m_headUnconsumed = 0; // head bytes the framer took and the socket still holds
    bool m_started = false;
    bool m_readScheduled = false;
    bool m_reading = false;

    // Times, in milliseconds on m_clock.
    QElapsedTimer m_clock;
    qint64 m_requestStartedAt = -1; // the first byte of the request being read
    qint64 m_lastProgressAt = 0; // input taken or output sent
    qint64 m_timerDueAt = -1;
    QTimer m_timer;
    QTimer m_lingerTimer;
};

} // namespace waybill::http
