// Waybill's HTTP API (docs: api.md section 1) on QHttpServer, with the limits 6.4 lacks.
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <QUrl>

#include <memory>
#include <optional>

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
    // The two files above as loaded and checked by whoever checked them (the config, at start
    // and at SIGHUP), so that they are read once; when empty, listen() and reload() load them.
    std::optional<QSslConfiguration> tlsConfiguration;
    int workerThreads = 4; // database reads off the HTTP thread
    qint64 liveClientBufferBytes = 4 * 1024 * 1024; // a /live client further behind is dropped
    // After SIGTERM: how long the server goes on serving while /health answers 503, before it
    // stops accepting connections (serve() reads it; 0: it stops at once).
    int drainDelayMs = 0;
    // Reverse proxies whose X-Forwarded-For names the client (in logs and metrics); from any
    // other peer the header is ignored, since anyone can send it.
    QList<QPair<QHostAddress, int>> trustedProxies;
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
    // No request's work is queued or running on the server's workers (a command a request
    // carried is then in the engine's hands, or refused).
    bool requestWorkIdle() const;
    // /health answers 503 from now on while every other route goes on serving: a load balancer
    // that checks /health stops sending requests here before close() refuses them.
    void startDraining();
    // Stops accepting connections; answers in flight are still written.
    void close();
    // SIGHUP: new TLS files (checked as at start) for the connections to come, while open ones
    // go on with theirs, and new trusted proxies. The other options stay as they were: the
    // caller says which of them would need a restart. False, with why, when the TLS files do
    // not pass: then nothing changes.
    bool reload(const ServerOptions &options, QString *error);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace waybill
