#include "guardedtcpserver.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSslSocket>

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
    // Every open socket counts, those being refused included, until it is gone.
    const QByteArray key = clientKey(socket->peerAddress());
    const int fromThere = ++m_openFrom[key];
    ++m_open;
    connect(socket, &QObject::destroyed, this, [this, key] {
        --m_open;
        if (--m_openFrom[key] <= 0)
            m_openFrom.remove(key);
    });
    auto *guard = new ConnectionGuard(socket, m_limits, m_inspector);

    if (m_open > m_limits.maxConnections) {
        qCWarning(lcConnection) << "refusing a connection from" << socket->peerAddress()
                                << "- already" << m_open - 1 << "open";
        refuse(guard,
            QCoreApplication::translate("waybill::http::GuardedTcpServer",
                "The server has too many connections; try again shortly"));
        return;
    }
    if (m_limits.maxConnectionsPerAddress > 0 && fromThere > m_limits.maxConnectionsPerAddress) {
        qCWarning(lcConnection) << "refusing a connection from" << socket->peerAddress()
                                << "- already" << fromThere - 1 << "open from there";
        refuse(guard,
            QCoreApplication::translate("waybill::http::GuardedTcpServer",
                "Too many connections from your address; try again shortly"));
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

void GuardedTcpServer::refuse(ConnectionGuard *guard, const QString &message)
{
    guard->refuse(jsonResponse(503, errorBody(message),
        { { QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1") } }, true));
}

} // namespace waybill::http
