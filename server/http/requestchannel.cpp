#include "requestchannel.h"

#include "connectionguard.h"

#include <cstring>

namespace waybill::http {

RequestChannel::RequestChannel(ConnectionGuard *guard, const QTcpSocket &network)
    : QTcpSocket(guard)
    , m_guard(guard)
{
    setPeerAddress(network.peerAddress());
    setPeerPort(network.peerPort());
    setLocalAddress(network.localAddress());
    setLocalPort(network.localPort());
    setSocketState(QAbstractSocket::ConnectedState);
    // The message is in memory already: QIODevice need not copy it into a buffer of its own.
    setOpenMode(QIODevice::ReadWrite | QIODevice::Unbuffered);
}

ConnectionGuard *RequestChannel::guard() const
{
    return m_guard.data();
}

RequestChannel::~RequestChannel()
{
    // QAbstractSocket's destructor would otherwise abort a socket it believes connected.
    setSocketState(QAbstractSocket::UnconnectedState);
}

void RequestChannel::supply(QByteArray message)
{
    if (m_read == m_pending.size()) {
        m_pending = std::move(message);
        m_read = 0;
    } else {
        m_pending += message;
    }
}

void RequestChannel::end()
{
    if (state() == QAbstractSocket::UnconnectedState)
        return;
    m_pending.clear();
    m_read = 0;
    setSocketState(QAbstractSocket::UnconnectedState);
    Q_EMIT disconnected();
}

qint64 RequestChannel::bytesAvailable() const
{
    return QIODevice::bytesAvailable() + (m_pending.size() - m_read);
}

void RequestChannel::disconnectFromHost()
{
    if (state() == QAbstractSocket::UnconnectedState)
        return;
    if (m_guard)
        m_guard->readerGaveUp();
    end();
}

qint64 RequestChannel::readData(char *data, qint64 maxSize)
{
    const qint64 n = qMin<qint64>(maxSize, m_pending.size() - m_read);
    if (n > 0) {
        std::memcpy(data, m_pending.constData() + m_read, size_t(n));
        m_read += n;
    }
    if (m_read == m_pending.size()) {
        m_pending.clear();
        m_read = 0;
    }
    return n;
}

qint64 RequestChannel::writeData(const char *, qint64)
{
    return -1; // answers go out through the connection guard
}

} // namespace waybill::http
