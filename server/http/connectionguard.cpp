#include "connectionguard.h"

#include "requestchannel.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QVarLengthArray>

#include <algorithm>

namespace waybill::http {

Q_LOGGING_CATEGORY(lcConnection, "waybill.http.connection")

namespace {

// Input is looked at through a window of this size, at most kBytesPerTurn bytes and
// kRequestsPerTurn requests per turn of the event loop; then the guard yields to the other
// connections and goes on in the next turn.
constexpr qint64 kWindowBytes = 16 * 1024;
constexpr qint64 kBytesPerTurn = 64 * 1024;
constexpr int kRequestsPerTurn = 16;

// The socket buffers no more than this from the kernel: a head being read stays in it (until
// it is known whether the WebSocket server must read it), and a window more.
qint64 readBufferBytes(const HttpLimits &limits)
{
    return qint64(limits.maxLeadingBlankBytes) + limits.maxRequestLineBytes + limits.maxHeaderBytes
        + 2 * kWindowBytes;
}

} // namespace

ConnectionGuard::ConnectionGuard(
    QTcpSocket *socket, const HttpLimits &limits, HeadInspector *inspector)
    : QObject(socket)
    , m_socket(socket)
    , m_limits(limits)
    , m_inspector(inspector)
    , m_framer(limits)
    , m_sequencer([this](const QByteArray &bytes) { writeOut(bytes); },
          [this](Close close) { closeAfterAnswer(close); })
{
    setObjectName(QStringLiteral("waybill-connection-guard"));
    m_channel = new RequestChannel(this, *socket);
    m_socket->setReadBufferSize(readBufferBytes(m_limits));
    connect(m_socket, &QIODevice::readyRead, this, [this] {
        if (m_phase == Phase::Closing || m_phase == Phase::Inspecting)
            discardInput();
        else if (m_started && !m_reading && !m_readScheduled)
            readSome();
    });
    connect(m_socket, &QIODevice::bytesWritten, this, [this] {
        progressed();
        if (!readingPaused())
            scheduleRead();
    });
    connect(m_socket, &QAbstractSocket::disconnected, this, &ConnectionGuard::onDisconnected);
    connect(m_socket, &QAbstractSocket::disconnected, m_socket, &QObject::deleteLater);
    m_clock.start();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::onTimer);
    m_lingerTimer.setSingleShot(true);
    connect(&m_lingerTimer, &QTimer::timeout, this, [this] {
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->disconnectFromHost();
    });
    armTimer();
}

ConnectionGuard::~ConnectionGuard() = default;

ConnectionGuard *ConnectionGuard::of(const QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(
               QStringLiteral("waybill-connection-guard"), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

QTcpSocket *ConnectionGuard::readerSocket() const
{
    return m_channel.data();
}

void ConnectionGuard::start()
{
    m_started = true;
    scheduleRead();
}

// --- Input -------------------------------------------------------------------------------

bool ConnectionGuard::readingPaused() const
{
    return m_sequencer.unfinished() >= m_limits.maxPipelinedRequests
        || m_socket->bytesToWrite() + m_sequencer.heldBytes() > m_limits.maxOutputBytes;
}

void ConnectionGuard::scheduleRead()
{
    if (m_readScheduled || !m_started || m_phase != Phase::Reading
        || m_socket->bytesAvailable() <= 0)
        return;
    m_readScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_readScheduled = false;
            if (!m_reading)
                readSome();
        },
        Qt::QueuedConnection);
}

void ConnectionGuard::readSome()
{
    if (m_phase != Phase::Reading || !m_started)
        return;
    if (m_requestStartedAt >= 0
        && m_clock.elapsed() - m_requestStartedAt > m_limits.requestTimeoutMs && !readingPaused()) {
        reject(408, tr("The request took too long to arrive"));
        return;
    }
    m_reading = true;
    QVarLengthArray<char, kWindowBytes> window(kWindowBytes);
    qint64 budget = kBytesPerTurn;
    int delivered = 0;
    while (m_phase == Phase::Reading && !readingPaused()) {
        const qint64 available = m_socket->bytesAvailable();
        if (available <= 0)
            break;
        if (budget <= 0 || delivered >= kRequestsPerTurn) {
            m_reading = false;
            scheduleRead(); // the rest in a later turn: other connections go first
            return;
        }
        // Peeking leaves the bytes in the socket; consume() then takes what the framer took.
        const qint64 peeked
            = m_socket->peek(window.data(), std::min({ available, kWindowBytes, budget }));
        if (peeked <= 0)
            break;
        qint64 offset = 0;
        while (offset < peeked && m_phase == Phase::Reading && !readingPaused()) {
            const RequestFramer::Step step
                = m_framer.feed(window.constData() + offset, peeked - offset);
            consume(step);
            offset += step.consumed();
            budget -= step.consumed();
            if (step.consumed() > 0)
                progressed();
            if (m_requestStartedAt < 0 && m_framer.midRequest()) {
                m_requestStartedAt = m_clock.elapsed();
                armTimer();
            }
            if (step.refused) {
                framingRefused();
                break;
            }
            if (step.headComplete && !headRead())
                break;
            if (step.requestComplete) {
                m_requestStartedAt = -1;
                deliver();
                ++delivered;
            }
            if (step.consumed() == 0)
                break;
        }
        keepHeadInSocket();
    }
    keepHeadInSocket();
    m_reading = false;
}

// The socket gives up exactly what the framer took. Head bytes are taken only once the head is
// complete: an upgrade leaves them for the WebSocket server to read.
void ConnectionGuard::consume(const RequestFramer::Step &step)
{
    if (step.blank > 0)
        m_socket->skip(step.blank);
    m_headUnconsumed += step.head;
    if (step.body > 0)
        m_socket->skip(step.body);
}

// A head that goes on past what was peeked: the part read goes into a read transaction, which
// keeps it in the socket while the next bytes are peeked.
void ConnectionGuard::keepHeadInSocket()
{
    if (m_headUnconsumed == 0 || m_phase != Phase::Reading)
        return;
    if (!m_socket->isTransactionStarted())
        m_socket->startTransaction();
    m_socket->skip(m_headUnconsumed);
    m_headUnconsumed = 0;
}

bool ConnectionGuard::headRead()
{
    if (m_framer.head().isWebSocketUpgrade()) {
        if (m_socket->isTransactionStarted())
            m_socket->rollbackTransaction();
        m_headUnconsumed = 0;
        inspectUpgrade();
        return false;
    }
    m_socket->skip(m_headUnconsumed);
    m_headUnconsumed = 0;
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    return true;
}

void ConnectionGuard::deliver()
{
    RequestFramer::Request request = m_framer.takeRequest();
    if (!m_channel) {
        m_socket->abort();
        return;
    }
    m_delivering.push_back(request.head.wantsClose());
    const int expected = m_delivered + 1;
    m_channel->supply(messageForReader(request.head, std::move(request.body)));
    request = {};
    // QHttpServer's reader reads the whole message at once and hands it to the API, which
    // takes a ticket for its answer, all before this returns.
    Q_EMIT m_channel->readyRead();
    if (m_delivered != expected || (m_channel && m_channel->bytesAvailable() > 0)) {
        qCCritical(lcConnection) << "QHttpServer read a request otherwise than it was framed;"
                                 << "closing the connection from" << m_socket->peerAddress();
        m_socket->abort();
    }
}

void ConnectionGuard::readerGaveUp()
{
    qCCritical(lcConnection) << "QHttpServer could not read a request as it was framed;"
                             << "closing the connection from" << m_socket->peerAddress();
    m_socket->abort();
}

void ConnectionGuard::framingRefused()
{
    const int status = m_framer.refusalStatus();
    if (status == 413) {
        inspectOversized();
        return;
    }
    reject(status, m_framer.refusalMessage());
}

void ConnectionGuard::discardInput()
{
    m_headUnconsumed = 0;
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    m_socket->skip(m_socket->bytesAvailable());
}

// --- Refusals, oversized bodies and upgrades ----------------------------------------------

void ConnectionGuard::reject(int status, const QString &message)
{
    qCInfo(lcConnection).noquote() << QStringLiteral("refused status=%1 peer=%2 reason=\"%3\"")
                                          .arg(status)
                                          .arg(m_socket->peerAddress().toString(), message);
    respondAndClose(jsonResponse(status, errorBody(message), {}, true));
}

void ConnectionGuard::respondAndClose(const QByteArray &response, Close close)
{
    m_phase = Phase::Closing;
    m_requestStartedAt = -1;
    discardInput();
    const quint64 ticket = m_sequencer.open();
    m_sequencer.write(ticket, response);
    // The client may still be sending what it was refused: it is drained for a moment, so that
    // closing does not reset the connection before the client read the answer.
    m_sequencer.finish(ticket, close);
    armTimer();
}

void ConnectionGuard::refuse(const QByteArray &response, Close close)
{
    respondAndClose(response, close);
}

void ConnectionGuard::inspectOversized()
{
    m_phase = Phase::Inspecting;
    m_requestStartedAt = -1;
    discardInput();
    QPointer<ConnectionGuard> self(this);
    const qint64 limit = m_limits.maxBodyBytes;
    m_inspector->inspectOversized(m_framer.head(), [self, limit](const QByteArray &response) {
        if (!self || self->m_phase != Phase::Inspecting)
            return;
        if (!response.isEmpty()) {
            self->respondAndClose(response);
            return;
        }
        self->reject(413, tr("The body is larger than %1 bytes").arg(limit));
    });
}

void ConnectionGuard::inspectUpgrade()
{
    m_phase = Phase::Upgrading;
    m_requestStartedAt = -1;
    QPointer<ConnectionGuard> self(this);
    m_inspector->inspectUpgrade(m_framer.head(), [self](const QByteArray &response) {
        if (!self || self->m_phase != Phase::Upgrading)
            return;
        if (!response.isEmpty()) {
            self->respondAndClose(response);
            return;
        }
        if (self->m_sequencer.unfinished() > 0 || self->m_socket->bytesToWrite() > 0) {
            self->reject(400, tr("Earlier requests on this connection are still being answered"));
            return;
        }
        self->handOver();
    });
}

void ConnectionGuard::handOver()
{
    m_phase = Phase::Upgraded;
    m_timer.stop();
    m_lingerTimer.stop();
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->setReadBufferSize(0);
    if (m_channel)
        m_channel->end(); // QHttpServer lets go of the connection
    m_inspector->adoptUpgrade(m_socket);
}

// --- Output ------------------------------------------------------------------------------

ConnectionGuard::Ticket ConnectionGuard::takeTicket()
{
    Ticket ticket { m_sequencer.open(), false };
    if (!m_delivering.empty()) {
        ticket.close = m_delivering.front();
        m_delivering.pop_front();
    }
    return ticket;
}

void ConnectionGuard::write(quint64 ticket, const QByteArray &bytes)
{
    m_sequencer.write(ticket, bytes);
}

void ConnectionGuard::finish(quint64 ticket, Close close)
{
    m_sequencer.finish(ticket, close);
    if (!readingPaused())
        scheduleRead();
    armTimer();
}

qint64 ConnectionGuard::pendingBytes(quint64 ticket) const
{
    if (ticket == m_sequencer.current())
        return m_socket->bytesToWrite();
    return m_sequencer.heldBytes(ticket);
}

void ConnectionGuard::writeOut(const QByteArray &bytes)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->write(bytes);
    // Hand it to the kernel now rather than on the next turn of the event loop.
    m_socket->flush();
}

void ConnectionGuard::closeAfterAnswer(Close close)
{
    m_phase = Phase::Closing;
    m_requestStartedAt = -1;
    if (close == Close::Lingering && m_limits.lingerMs > 0) {
        m_lingerTimer.start(m_limits.lingerMs);
        return;
    }
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->disconnectFromHost(); // after what is queued is written
}

void ConnectionGuard::onDisconnected()
{
    m_timer.stop();
    m_lingerTimer.stop();
    if (m_channel)
        m_channel->end();
}

// --- Time --------------------------------------------------------------------------------

void ConnectionGuard::progressed()
{
    m_lastProgressAt = m_clock.elapsed();
}

// One timer per connection, armed for the earliest moment something may be due and looked at
// again when it fires (cheaper than restarting a timer on every read).
void ConnectionGuard::armTimer()
{
    if (m_phase == Phase::Upgraded)
        return;
    qint64 due = m_lastProgressAt + m_limits.idleTimeoutMs;
    if (m_requestStartedAt >= 0)
        due = qMin(due, m_requestStartedAt + m_limits.requestTimeoutMs);
    const qint64 now = m_clock.elapsed();
    due = qMax(due, now + 1);
    if (m_timer.isActive() && m_timerDueAt <= due)
        return;
    m_timerDueAt = due;
    m_timer.start(int(due - now));
}

void ConnectionGuard::onTimer()
{
    m_timerDueAt = -1;
    const qint64 now = m_clock.elapsed();
    const bool quiet = now - m_lastProgressAt >= m_limits.idleTimeoutMs;
    switch (m_phase) {
    case Phase::Upgraded:
        return;
    case Phase::Inspecting:
    case Phase::Upgrading:
        break; // the API is deciding
    case Phase::Closing:
        if (quiet) {
            m_socket->abort(); // the client does not read its answer
            return;
        }
        break;
    case Phase::Reading: {
        const bool answering = m_sequencer.unfinished() > 0;
        const qint64 unsent = m_socket->bytesToWrite() + m_sequencer.heldBytes();
        if (m_requestStartedAt >= 0 && !readingPaused()
            && (now - m_requestStartedAt >= m_limits.requestTimeoutMs || quiet)) {
            reject(408, tr("The request took too long to arrive"));
            return;
        }
        if (!quiet)
            break;
        if (unsent > 0) {
            qCDebug(lcConnection) << "aborting a connection whose client stopped reading:"
                                  << m_socket->peerAddress();
            m_socket->abort();
            return;
        }
        if (answering) {
            progressed(); // still working on an answer (e.g. Prefer: wait)
            break;
        }
        qCDebug(lcConnection) << "closing an idle connection from" << m_socket->peerAddress();
        m_socket->disconnectFromHost();
        return;
    }
    }
    armTimer();
}

} // namespace waybill::http
