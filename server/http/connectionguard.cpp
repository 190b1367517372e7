#include "connectionguard.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QVarLengthArray>

#include <cstring>

namespace waybill::http {

Q_LOGGING_CATEGORY(lcConnection, "waybill.http.connection")

namespace {

constexpr int kMaxChunkSizeLine = 1024;
constexpr qint64 kUpgradeReadBuffer = 64 * 1024;
constexpr int kMaxPipelined = 32; // answers queued on one connection before reading stops

// QHttpServer skips these before a request line (left over from the previous request).
bool isLeadingWhitespace(char c)
{
    return c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v';
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (c <= 32 || c >= 127 || std::strchr("()<>@,;:\\\"/[]?={}", c))
            return false;
    }
    return true;
}

} // namespace

ConnectionGuard::ConnectionGuard(
    QTcpSocket *socket, const HttpLimits &limits, HeadInspector *inspector)
    : QObject(socket)
    , m_socket(socket)
    , m_limits(limits)
    , m_inspector(inspector)
{
    setObjectName(QStringLiteral("waybill-connection-guard"));
    connect(m_socket, &QIODevice::readyRead, this, &ConnectionGuard::beforeReader);
    // Activity only notes the time; the timer, armed once, looks at it when it fires (cheaper
    // than restarting a timer on every read and write).
    connect(m_socket, &QIODevice::bytesWritten, this, [this] { m_lastActivity.start(); });
    m_lastActivity.start();
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &ConnectionGuard::onIdle);
    m_idleTimer.start(qMax(1, m_limits.idleTimeoutMs));
    m_lingerTimer.setSingleShot(true);
    connect(&m_lingerTimer, &QTimer::timeout, this, [this] {
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->disconnectFromHost();
    });
}

ConnectionGuard::~ConnectionGuard() = default;

ConnectionGuard *ConnectionGuard::of(const QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(
               QStringLiteral("waybill-connection-guard"), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

void ConnectionGuard::followReader(QObject *reader)
{
    if (m_followingReader)
        return;
    m_reader = reader;
    m_followingReader = true;
    // Connected after the HTTP server's own reader, so it runs after it on every readyRead.
    connect(m_socket, &QIODevice::readyRead, this, &ConnectionGuard::afterReader);
}

void ConnectionGuard::beforeReader()
{
    switch (m_phase) {
    case Phase::Upgrading:
    case Phase::Upgraded:
        return; // the handshake must stay in the buffer
    case Phase::Inspecting:
    case Phase::Closing:
        discardInput();
        return;
    default:
        break;
    }
    m_lastActivity.start();
    if (m_requestClock.isValid() && m_requestClock.elapsed() > m_limits.idleTimeoutMs) {
        reject(408, tr("The request took too long to arrive"));
        return;
    }
    const qint64 available = m_socket->bytesAvailable();
    const qint64 from = qMin(m_carried, available);
    m_unscanned = 0;
    if (available > from) {
        // peek() leaves the bytes for QHttpServer's reader, which runs next. Most requests fit
        // the buffer on the stack.
        QVarLengthArray<char, 16 * 1024> data(available);
        const qint64 peeked = m_socket->peek(data.data(), available);
        if (peeked > from) {
            const qint64 used = scan(data.constData() + from, peeked - from);
            m_unscanned = peeked - from - used;
        }
    }
}

void ConnectionGuard::afterReader()
{
    if (m_phase == Phase::Inspecting || m_phase == Phase::Closing || m_phase == Phase::Upgrading
        || m_phase == Phase::Upgraded)
        return;
    // What the reader left is what the guard saw but the reader did not take, plus what the
    // guard stopped short of (a pipelined request: one request per readyRead, like the reader).
    const qint64 remaining = m_socket->bytesAvailable();
    m_carried = qMax<qint64>(0, remaining - m_unscanned);
    continuePipeline();
}

void ConnectionGuard::continuePipeline()
{
    // QHttpServer 6.4 reads one request per readyRead and leaves a pipelined one in the buffer
    // until more bytes come; ask it to read on, as long as the queue of answers stays short.
    if (m_unscanned <= 0 || m_pipelineScheduled || m_phase != Phase::RequestLine
        || m_nextTicket - m_headTicket >= kMaxPipelined)
        return;
    m_pipelineScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_pipelineScheduled = false;
            if (m_phase == Phase::RequestLine && m_socket->bytesAvailable() > 0
                && m_socket->state() == QAbstractSocket::ConnectedState)
                Q_EMIT m_socket->readyRead();
        },
        Qt::QueuedConnection);
}

qint64 ConnectionGuard::scan(const char *data, qint64 size)
{
    qint64 i = 0;
    while (i < size) {
        switch (m_phase) {
        case Phase::Body: {
            const qint64 take = qMin(size - i, m_remaining);
            i += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                requestComplete();
                return i; // the reader handles one request per readyRead: so does the guard
            }
            break;
        }
        case Phase::ChunkData: {
            const qint64 take = qMin(size - i, m_remaining);
            i += take;
            m_remaining -= take;
            if (m_remaining == 0)
                m_phase = Phase::ChunkEnd;
            break;
        }
        case Phase::RequestLine:
            if (m_line.isEmpty() && isLeadingWhitespace(data[i])) {
                ++i;
                break;
            }
            if (!m_requestClock.isValid())
                m_requestClock.start();
            [[fallthrough]];
        case Phase::Headers:
        case Phase::ChunkSize:
        case Phase::ChunkEnd:
        case Phase::Trailers: {
            const auto *newline
                = static_cast<const char *>(std::memchr(data + i, '\n', size_t(size - i)));
            const qint64 take = newline ? (newline - (data + i)) + 1 : size - i;
            m_line.append(data + i, take);
            i += take;
            if (lineLimitExceeded())
                return i;
            if (!newline)
                return i;
            m_line.chop(1);
            if (m_line.endsWith('\r'))
                m_line.chop(1);
            const QByteArray line = std::exchange(m_line, QByteArray());
            if (!lineComplete(line))
                return i;
            break;
        }
        case Phase::Inspecting:
        case Phase::Upgrading:
        case Phase::Upgraded:
        case Phase::Closing:
            return i;
        }
    }
    return i;
}

bool ConnectionGuard::lineLimitExceeded()
{
    switch (m_phase) {
    case Phase::RequestLine:
        if (m_line.size() > m_limits.maxRequestLineBytes) {
            reject(414,
                tr("The request line is longer than %1 bytes").arg(m_limits.maxRequestLineBytes));
            return true;
        }
        return false;
    case Phase::Headers:
    case Phase::Trailers:
        if (m_headBytes + m_line.size() > m_limits.maxHeaderBytes) {
            reject(431,
                tr("The request headers are larger than %1 bytes").arg(m_limits.maxHeaderBytes));
            return true;
        }
        return false;
    case Phase::ChunkSize:
        if (m_line.size() > kMaxChunkSizeLine) {
            reject(400, tr("A chunk size line is too long"));
            return true;
        }
        return false;
    case Phase::ChunkEnd:
        if (m_line.size() > 2) {
            reject(400, tr("A chunk is longer than its size says"));
            return true;
        }
        return false;
    default:
        return false;
    }
}

bool ConnectionGuard::lineComplete(const QByteArray &line)
{
    switch (m_phase) {
    case Phase::RequestLine:
        return requestLineComplete(line);
    case Phase::Headers:
        return headerLineComplete(line);
    case Phase::ChunkSize:
        return chunkSizeComplete(line);
    case Phase::ChunkEnd:
        if (!line.isEmpty()) {
            reject(400, tr("A chunk is longer than its size says"));
            return false;
        }
        m_phase = Phase::ChunkSize;
        return true;
    case Phase::Trailers:
        m_headBytes += line.size() + 2;
        if (line.isEmpty()) {
            requestComplete();
            return false;
        }
        return true;
    default:
        return false;
    }
}

bool ConnectionGuard::requestLineComplete(const QByteArray &line)
{
    // METHOD SP target SP version; QHttpServer allows runs of spaces, so does this.
    const QByteArrayView text(line);
    const qsizetype methodEnd = text.indexOf(' ');
    qsizetype targetStart = methodEnd;
    while (targetStart >= 0 && targetStart < text.size() && text.at(targetStart) == ' ')
        ++targetStart;
    const qsizetype targetEnd = targetStart < 0 ? -1 : text.indexOf(' ', targetStart);
    qsizetype versionStart = targetEnd;
    while (versionStart >= 0 && versionStart < text.size() && text.at(versionStart) == ' ')
        ++versionStart;
    const QByteArrayView method = methodEnd < 0 ? QByteArrayView() : text.first(methodEnd);
    const QByteArrayView target
        = targetEnd < 0 ? QByteArrayView() : text.sliced(targetStart, targetEnd - targetStart);
    const QByteArrayView version
        = versionStart < 0 ? QByteArrayView() : text.sliced(versionStart).trimmed();
    const bool shaped = isToken(method)
        && (target.startsWith('/') || target.startsWith("http://") || target.startsWith("https://"))
        && !version.contains(' ');
    if (!shaped) {
        reject(400, tr("The request line is not HTTP"));
        return false;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        reject(400, tr("Only HTTP/1.0 and HTTP/1.1 are spoken here"));
        return false;
    }
    m_head = RequestHead { method.toByteArray(), target.toByteArray(), version.toByteArray(), {} };
    m_headBytes = line.size() + 2;
    m_phase = Phase::Headers;
    return true;
}

bool ConnectionGuard::headerLineComplete(const QByteArray &line)
{
    m_headBytes += line.size() + 2;
    if (line.isEmpty())
        return headComplete();
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith(' ') || line.startsWith('\t')
        || !isToken(QByteArrayView(line).first(colon))) {
        reject(400, tr("A request header is malformed"));
        return false;
    }
    if (++m_headerCount > m_limits.maxHeaderCount) {
        reject(431, tr("The request has more than %1 headers").arg(m_limits.maxHeaderCount));
        return false;
    }
    // Only what the guard and the head inspection use is kept; QHttpServer reads them all.
    static const QByteArrayView kept[] = { "content-length", "transfer-encoding", "connection",
        "upgrade", "authorization", "expect" };
    const QByteArrayView name = QByteArrayView(line).first(colon);
    for (const QByteArrayView k : kept) {
        if (name.compare(k, Qt::CaseInsensitive) == 0) {
            m_head.headers.append({ name.toByteArray(), line.mid(colon + 1).trimmed() });
            break;
        }
    }
    return true;
}

bool ConnectionGuard::headComplete()
{
    const QByteArray transferEncoding = m_head.header("transfer-encoding").toLower();
    const QList<QByteArray> lengths = m_head.headerValues("content-length");
    // QHttpServer takes any Transfer-Encoding that mentions chunked as chunked.
    const bool chunked = transferEncoding.contains("chunked");
    if (!transferEncoding.isEmpty() && !chunked) {
        reject(501,
            tr("Transfer-Encoding \"%1\" is not supported")
                .arg(QString::fromLatin1(transferEncoding)));
        return false;
    }
    if (chunked && !lengths.isEmpty()) {
        reject(400, tr("A request cannot have both Content-Length and Transfer-Encoding"));
        return false;
    }
    qint64 length = 0;
    for (const QByteArray &value : lengths) {
        bool digits = !value.isEmpty() && value.size() <= 18;
        for (const char c : value)
            digits = digits && c >= '0' && c <= '9';
        const qint64 parsed = digits ? value.toLongLong() : -1;
        if (parsed < 0 || (length != 0 && parsed != length)) {
            reject(400, tr("Content-Length is not one valid number"));
            return false;
        }
        length = parsed;
    }
    if (m_head.isWebSocketUpgrade()) {
        inspectUpgrade();
        return false;
    }
    if (length > m_limits.maxBodyBytes) {
        inspectOversized();
        return false;
    }
    if (chunked) {
        m_bodyBytes = 0;
        m_phase = Phase::ChunkSize;
        return true;
    }
    if (length > 0) {
        m_remaining = length;
        m_phase = Phase::Body;
        return true;
    }
    requestComplete();
    return false;
}

bool ConnectionGuard::chunkSizeComplete(const QByteArray &line)
{
    const QByteArray text = line.split(';').first().trimmed(); // extensions ignored
    bool ok = !text.isEmpty() && text.size() <= 15;
    const qint64 size = ok ? text.toLongLong(&ok, 16) : -1;
    if (!ok || size < 0) {
        reject(400, tr("A chunk size is not a hexadecimal number"));
        return false;
    }
    if (size == 0) {
        m_phase = Phase::Trailers;
        return true;
    }
    m_bodyBytes += size;
    if (m_bodyBytes > m_limits.maxBodyBytes) {
        inspectOversized();
        return false;
    }
    m_remaining = size;
    m_phase = Phase::ChunkData;
    return true;
}

void ConnectionGuard::requestComplete()
{
    m_completed.push_back(m_head.wantsClose());
    m_head = {};
    m_headBytes = 0;
    m_headerCount = 0;
    m_bodyBytes = 0;
    m_remaining = 0;
    m_requestClock.invalidate();
    m_phase = Phase::RequestLine;
}

void ConnectionGuard::reject(int status, const QString &message)
{
    qCInfo(lcConnection).noquote() << QStringLiteral("refused status=%1 peer=%2 reason=\"%3\"")
                                          .arg(status)
                                          .arg(m_socket->peerAddress().toString(), message);
    respondAndClose(jsonResponse(status, errorBody(message), {}, true));
}

void ConnectionGuard::respondAndClose(const QByteArray &response)
{
    disconnectReader();
    m_phase = Phase::Closing;
    discardInput();
    const quint64 ticket = m_nextTicket++;
    write(ticket, response);
    // The client may still be sending the body it was refused: drain it for a moment so that
    // closing does not reset the connection before the client read the answer.
    finish(ticket, Close::Lingering);
}

void ConnectionGuard::inspectOversized()
{
    m_phase = Phase::Inspecting;
    disconnectReader();
    discardInput();
    QPointer<ConnectionGuard> self(this);
    const qint64 limit = m_limits.maxBodyBytes;
    m_inspector->inspectOversized(m_head, [self, limit](const QByteArray &response) {
        if (!self)
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
    disconnectReader();
    m_socket->setReadBufferSize(kUpgradeReadBuffer);
    QPointer<ConnectionGuard> self(this);
    m_inspector->inspectUpgrade(m_head, [self](const QByteArray &response) {
        if (!self)
            return;
        self->m_socket->setReadBufferSize(0);
        if (!response.isEmpty()) {
            self->respondAndClose(response);
            return;
        }
        if (self->m_headTicket != self->m_nextTicket) {
            self->reject(400, tr("Earlier requests on this connection are still being answered"));
            return;
        }
        self->handOver();
    });
}

void ConnectionGuard::handOver()
{
    m_phase = Phase::Upgraded;
    m_idleTimer.stop();
    disconnect(m_socket, &QIODevice::readyRead, this, nullptr);
    // The reader may have taken part of the handshake already, inside its read transaction.
    if (m_socket->isTransactionStarted())
        m_socket->rollbackTransaction();
    m_inspector->adoptUpgrade(m_socket);
}

void ConnectionGuard::disconnectReader()
{
    if (m_reader)
        disconnect(m_socket, &QIODevice::readyRead, m_reader, nullptr);
    m_reader = nullptr;
}

void ConnectionGuard::discardInput()
{
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    m_socket->skip(m_socket->bytesAvailable());
}

ConnectionGuard::Ticket ConnectionGuard::takeTicket()
{
    Ticket ticket { m_nextTicket++, false };
    if (!m_completed.empty()) {
        ticket.close = m_completed.front();
        m_completed.pop_front();
    }
    return ticket;
}

void ConnectionGuard::write(quint64 ticket, const QByteArray &bytes)
{
    if (ticket < m_headTicket || bytes.isEmpty())
        return;
    if (ticket == m_headTicket)
        writeNow(bytes);
    else
        m_waiting[ticket].bytes += bytes;
}

void ConnectionGuard::writeNow(const QByteArray &bytes)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->write(bytes);
    // Hand it to the kernel now rather than on the next turn of the event loop.
    m_socket->flush();
}

void ConnectionGuard::finish(quint64 ticket, Close close)
{
    if (ticket < m_headTicket)
        return;
    if (ticket != m_headTicket) {
        Waiting &w = m_waiting[ticket];
        w.finished = true;
        w.close = close;
        return;
    }
    if (close != Close::No) {
        closeAfterFlush(close);
        return;
    }
    advance();
}

void ConnectionGuard::advance()
{
    ++m_headTicket;
    while (!m_closing) {
        const auto it = m_waiting.find(m_headTicket);
        if (it == m_waiting.end())
            break;
        writeNow(it->second.bytes);
        if (!it->second.finished) {
            it->second.bytes.clear(); // the rest of this answer is written as it comes
            break;
        }
        const Close close = it->second.close;
        m_waiting.erase(it);
        if (close != Close::No) {
            closeAfterFlush(close);
            return;
        }
        ++m_headTicket;
    }
    continuePipeline();
}

qint64 ConnectionGuard::pendingBytes(quint64 ticket) const
{
    if (ticket == m_headTicket)
        return m_socket->bytesToWrite();
    const auto it = m_waiting.find(ticket);
    return it == m_waiting.end() ? 0 : it->second.bytes.size();
}

void ConnectionGuard::closeAfterFlush(Close close)
{
    m_closing = true;
    m_waiting.clear();
    if (m_phase != Phase::Closing) {
        disconnectReader();
        m_phase = Phase::Closing;
    }
    if (close == Close::Lingering && m_limits.lingerMs > 0) {
        m_lingerTimer.start(m_limits.lingerMs);
        return;
    }
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->disconnectFromHost(); // after what is queued is written
}

void ConnectionGuard::refuse(const QByteArray &response)
{
    respondAndClose(response);
}

void ConnectionGuard::onIdle()
{
    switch (m_phase) {
    case Phase::Upgraded:
        return;
    case Phase::Inspecting:
    case Phase::Upgrading:
        m_idleTimer.start(m_limits.idleTimeoutMs); // the API is deciding
        return;
    default:
        break;
    }
    const qint64 quiet = m_lastActivity.elapsed();
    if (quiet < m_limits.idleTimeoutMs) {
        m_idleTimer.start(int(m_limits.idleTimeoutMs - quiet));
        return;
    }
    if (m_phase == Phase::Closing) {
        m_socket->abort(); // the client does not read its answer
        return;
    }
    if (m_requestClock.isValid()) {
        reject(408, tr("The request took too long to arrive"));
        return;
    }
    const bool answering = m_headTicket != m_nextTicket;
    if (answering && m_socket->bytesToWrite() == 0) {
        m_idleTimer.start(m_limits.idleTimeoutMs); // still working on an answer (e.g. Prefer: wait)
        return;
    }
    qCDebug(lcConnection) << "closing an idle connection from" << m_socket->peerAddress();
    if (m_socket->bytesToWrite() > 0)
        m_socket->abort(); // an answer is stuck: the client stopped reading
    else
        m_socket->disconnectFromHost();
}

} // namespace waybill::http
