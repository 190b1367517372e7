// What QHttpServer's reader reads requests from instead of the network: a socket connected to
// nothing, which the connection guard gives one whole request at a time, rewritten plainly
// (messageForReader()). The reader so never sees a byte the guard did not frame, and never more
// requests than the guard lets through.
#pragma once

#include <QByteArray>
#include <QPointer>
#include <QTcpSocket>

namespace waybill::http {

class ConnectionGuard;

class RequestChannel final : public QTcpSocket
{
public:
    // Connected, with the network socket's addresses (QHttpServer records the peer's).
    RequestChannel(ConnectionGuard *guard, const QTcpSocket &network);
    ~RequestChannel() override;
    Q_DISABLE_COPY_MOVE(RequestChannel)

    ConnectionGuard *guard() const;
    static RequestChannel *of(QTcpSocket *socket) { return dynamic_cast<RequestChannel *>(socket); }

    // The next message to read; readyRead() is for the caller to emit.
    void supply(QByteArray message);
    // The connection is over: disconnected, so that the reader lets go of it.
    void end();

    qint64 bytesAvailable() const override;
    // The reader gives up on a message it cannot read.
    void disconnectFromHost() override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    QPointer<ConnectionGuard> m_guard;
    QByteArray m_pending;
    qsizetype m_read = 0;
};

} // namespace waybill::http
