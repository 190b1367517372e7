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

QTcpSocket *GuardedTcpServer::nextPendingConnection()
{
    if (m_handedOut) {
        m_handedOut->followReader(parent());
        m_handedOut = nullptr;
    }
    QTcpSocket *socket = QTcpServer::nextPendingConnection();
    if (socket)
        m_handedOut = ConnectionGuard::of(socket);
    return socket;
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
    ++m_open;
    connect(socket, &QObject::destroyed, this, [this] { --m_open; });
    auto *guard = new ConnectionGuard(socket, m_limits, m_inspector);

    if (m_open > m_limits.maxConnections) {
        qCWarning(lcConnection) << "refusing a connection from" << socket->peerAddress()
                                << "- already" << m_open - 1 << "open";
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        guard->refuse(jsonResponse(503,
            errorBody(QCoreApplication::translate("waybill::http::GuardedTcpServer",
                "The server has too many connections; try again shortly")),
            { { QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1") } }, true));
        return;
    }
    if (!tlsSocket) {
        addPendingConnection(socket);
        return;
    }
    // Handed to the HTTP server only once the handshake is done; until then it is ours to delete.
    auto handshakeFailed
        = connect(tlsSocket, &QAbstractSocket::disconnected, tlsSocket, &QObject::deleteLater);
    connect(tlsSocket, &QSslSocket::encrypted, this, [this, tlsSocket, handshakeFailed] {
        disconnect(handshakeFailed);
        addPendingConnection(tlsSocket);
    });
    connect(tlsSocket, &QAbstractSocket::errorOccurred, tlsSocket,
        [tlsSocket](QAbstractSocket::SocketError) {
            if (!tlsSocket->isEncrypted())
                tlsSocket->abort();
        });
    tlsSocket->setSslConfiguration(*m_tls);
    tlsSocket->startServerEncryption();
}

} // namespace waybill::http
