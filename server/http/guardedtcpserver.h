// The listening socket of the HTTP server: caps the number of connections, in all and from one
// client address, puts a ConnectionGuard on each one, speaks TLS when configured, and hands
// QHttpServer the guard's request channel rather than the network socket.
#pragma once

#include "connectionguard.h"

#include <QByteArray>
#include <QHash>
#include <QSslConfiguration>
#include <QTcpServer>

#include <optional>

namespace waybill::http {

class GuardedTcpServer final : public QTcpServer
{
    Q_OBJECT
public:
    // inspector must outlive the server.
    GuardedTcpServer(const HttpLimits &limits, HeadInspector *inspector, QObject *parent = nullptr);
    ~GuardedTcpServer() override;
    Q_DISABLE_COPY_MOVE(GuardedTcpServer)

    void setTlsConfiguration(const QSslConfiguration &configuration);
    bool isTls() const { return m_tls.has_value(); }
    int openConnections() const { return m_open; }

    // The key connections are counted under: an IPv4 address, or an IPv6 address's /64 (one
    // host usually has a whole /64 to itself).
    static QByteArray clientKey(const QHostAddress &address);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void refuse(ConnectionGuard *guard, const QString &message);

    HttpLimits m_limits;
    HeadInspector *m_inspector;
    std::optional<QSslConfiguration> m_tls;
    int m_open = 0;
    QHash<QByteArray, int> m_openFrom;
};

} // namespace waybill::http
