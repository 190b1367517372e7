// Waybill's HTTP API (docs: api.md section 1) on QHttpServer, with the limits 6.4 lacks.
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <memory>

namespace waybill {

class Engine;

struct ServerOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; // 0: a free port
    qint64 maxBodyBytes = 1024 * 1024; // larger bodies: 413 without reading them
    int idleTimeoutMs = 30000; // a connection silent this long is closed
    int requestTimeoutMs = 30000; // a request's head and body must arrive within this
    int maxConnections = 1024; // more are refused
    int maxConnectionsPerAddress = 128; // more from one client address are refused; 0: no cap
    QString tlsCertificateFile; // both set: HTTPS
    QString tlsKeyFile;
    int workerThreads = 4; // database reads off the HTTP thread
    qint64 liveClientBufferBytes = 4 * 1024 * 1024; // a /live client further behind is dropped
};

class HttpApiServer final : public QObject
{
    Q_OBJECT
public:
    // The engine must be started, and outlive the server. Lives in the thread that creates it.
    HttpApiServer(Engine &engine, ServerOptions options, QObject *parent = nullptr);
    ~HttpApiServer() override;

    bool listen(QString *error);
    // http(s)://HOST:PORT with the real port, once listening.
    QUrl url() const;
    // Connections open now (including those being refused or closed).
    int openConnections() const;
    // Stops accepting connections; answers in flight are still written.
    void close();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace waybill
