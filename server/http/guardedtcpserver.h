// The listening socket of the HTTP server: caps the number of connections, puts a
// ConnectionGuard on each one before QHttpServer reads it, and speaks TLS when configured.
#pragma once

#include "connectionguard.h"

#include <QPointer>
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

    // QAbstractHttpServer takes each connection here and then connects its reader to it; the
    // next call (it calls until there is none left) lets the guard of the previous connection
    // follow that reader.
    QTcpSocket *nextPendingConnection() override;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    HttpLimits m_limits;
    HeadInspector *m_inspector;
    std::optional<QSslConfiguration> m_tls;
    int m_open = 0;
    QPointer<ConnectionGuard> m_handedOut;
};

} // namespace waybill::http
