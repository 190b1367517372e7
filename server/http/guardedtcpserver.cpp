#include "guardedtcpserver.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSslSocket>
#include <QTimer>

namespace waybill::http {

Q_DECLARE_LOGGING_CATEGORY(lcConnection)

GuardedTcpServer::GuardedTcpServer(
    const HttpLimits &limits, HeadInspector *inspector, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_inspector(inspector)
{
    // A burst of clients connecting at once should wait in the kernel's queue, not be dropped.
    setListenBacklogSize(qBound(50, m_limits.maxConnections, 1024));
    m_pendingMaximum = maxPendingConnections();
    m_clock.start();
    connect(this, &QTcpServer::acceptError, this, &GuardedTcpServer::acceptFailed);
}

GuardedTcpServer::~GuardedTcpServer() = default;

void GuardedTcpServer::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tls = configuration;
}

QByteArray GuardedTcpServer::clientKey(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // IPv4-mapped IPv6 addresses too
    if (isV4)
        return QByteArray::number(v4);
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    return QByteArray(reinterpret_cast<const char *>(v6.c), 8);
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    QSslSocket *tlsSocket = m_tls ? new QSslSocket(this) : nullptr;
    QTcpSocket *socket = tlsSocket ? tlsSocket : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcConnection) << "could not take a connection:" << socket->errorString();
        delete socket;
        return;
    }
    m_acceptRetryMs = 0;
    // The caps count the connections let in; those being refused are bounded on their own (see
    // refuse()), so that a flood over one address's cap cannot fill the cap of all.
    const QByteArray key = clientKey(socket->peerAddress());
    const bool tooMany = m_open >= m_limits.maxConnections;
    const bool tooManyFromThere = m_limits.maxConnectionsPerAddress > 0
        && m_openFrom.value(key) >= m_limits.maxConnectionsPerAddress;
    if (tooMany || tooManyFromThere) {
        ++m_refusing;
        connect(socket, &QObject::destroyed, this, [this] { --m_refusing; });
    } else {
        ++m_openFrom[key];
        ++m_open;
        connect(socket, &QObject::destroyed, this, [this, key] {
            --m_open;
            if (--m_openFrom[key] <= 0)
                m_openFrom.remove(key);
        });
    }
    auto *guard = new ConnectionGuard(socket, m_limits, m_inspector);

    // The turn's budget; a new turn begins once the event loop has served the other sockets.
    if (m_acceptedThisTurn++ == 0) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_acceptedThisTurn = 0;
                if (m_holding)
                    releaseAccepting();
            },
            Qt::QueuedConnection);
    }
    if (m_acceptedThisTurn >= kAcceptsPerTurn)
        holdAccepting();

    if (tooMany) {
        refuse(guard,
            QCoreApplication::translate("waybill::http::GuardedTcpServer",
                "The server has too many connections; try again shortly"),
            socket->peerAddress(), "too many open");
        return;
    }
    if (tooManyFromThere) {
        refuse(guard,
            QCoreApplication::translate("waybill::http::GuardedTcpServer",
                "Too many connections from your address; try again shortly"),
            socket->peerAddress(), "too many open from there");
        return;
    }
    if (!tlsSocket) {
        addPendingConnection(guard->readerSocket());
        guard->start();
        return;
    }
    // Handed to the HTTP server only once the handshake is done (the guard closes a handshake
    // that stalls, as any silent connection).
    connect(tlsSocket, &QSslSocket::encrypted, guard, [this, guard] {
        addPendingConnection(guard->readerSocket());
        guard->start();
    });
    connect(tlsSocket, &QAbstractSocket::errorOccurred, tlsSocket,
        [tlsSocket](QAbstractSocket::SocketError) {
            if (!tlsSocket->isEncrypted())
                tlsSocket->abort();
        });
    tlsSocket->setSslConfiguration(*m_tls);
    tlsSocket->startServerEncryption();
}

void GuardedTcpServer::refuse(
    ConnectionGuard *guard, const QString &message, const QHostAddress &from, const char *why)
{
    ++m_refusedUnlogged;
    if (m_refusalLog.due(m_clock.elapsed())) {
        if (m_refusedUnlogged == 1) {
            qCWarning(lcConnection).nospace()
                << "refusing a connection from " << from << " (" << why << ")";
        } else {
            qCWarning(lcConnection).nospace()
                << "refused " << m_refusedUnlogged << " connections since the last such line, "
                << "the last from " << from << " (" << why << ")";
        }
        m_refusedUnlogged = 0;
    }
    const bool linger = m_lingering < kLingering;
    if (linger) {
        ++m_lingering;
        connect(guard, &QObject::destroyed, this, [this] { --m_lingering; });
    }
    guard->refuse(jsonResponse(503, errorBody(message),
                      { { QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1") } }, true),
        linger ? ResponseSequencer::Close::Lingering : ResponseSequencer::Close::Yes);
}

void GuardedTcpServer::holdAccepting()
{
    if (m_holding)
        return;
    m_holding = true;
    setMaxPendingConnections(0);
}

void GuardedTcpServer::releaseAccepting()
{
    m_holding = false;
    setMaxPendingConnections(m_pendingMaximum);
    if (!m_waitingToRetry)
        resumeAccepting();
}

void GuardedTcpServer::acceptFailed(QAbstractSocket::SocketError)
{
    // QTcpServer has paused accepting, for good unless resumed. The connection stays in the
    // kernel's queue; it is taken once the cause (mostly: no file descriptor left) has passed.
    m_acceptRetryMs = qBound(kFirstAcceptRetryMs, m_acceptRetryMs * 2, kLastAcceptRetryMs);
    if (m_acceptErrorLog.due(m_clock.elapsed())) {
        // Formatted as printf does, with no QDebug stream: the sanitizers check a stream's type
        // through a pipe, and there may be no descriptor left for one.
        qCWarning(lcConnection, "could not accept a connection (%s); trying again in %d ms",
            qUtf8Printable(errorString()), m_acceptRetryMs);
    }
    m_waitingToRetry = true;
    QTimer::singleShot(m_acceptRetryMs, this, [this] {
        m_waitingToRetry = false;
        if (!m_holding)
            resumeAccepting();
    });
}

} // namespace waybill::http
