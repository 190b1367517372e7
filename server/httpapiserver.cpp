#include "httpapiserver.h"

#include "api/api.h"
#include "engine/engine.h"
#include "http/guardedtcpserver.h"
#include "http/requestchannel.h"
#include "tlsfiles.h"

#include <QAbstractHttpServer>
#include <QCoreApplication>
#include <QFile>
#include <QHttpServerRequest>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

namespace waybill {

namespace {

// Messages in the context "waybill::HttpApiServer"; a class, so that lupdate files them under that
// context too (it files a free tr() under whatever scope encloses the call).
struct ServerText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::HttpApiServer)
};

// QHttpServer's router and its QFuture answers are not used: every request goes to the API,
// which answers through its own replies (see http/reply.h), whatever the route. QHttpServer
// reads each request from the connection guard's channel; the API gets the network socket.
class RequestForwarder final : public QAbstractHttpServer
{
public:
    explicit RequestForwarder(api::Api &api)
        : m_api(api)
    { }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        const http::RequestChannel *channel = http::RequestChannel::of(socket);
        http::ConnectionGuard *guard = channel ? channel->guard() : nullptr;
        if (!guard)
            return true; // a connection already gone
        guard->requestDelivered();
        m_api.handle(request, guard->socket());
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override { }

private:
    api::Api &m_api;
};

// The options' TLS configuration, loaded from their files unless it was already.
std::optional<QSslConfiguration> tlsConfigurationOf(const ServerOptions &options, QString *error)
{
    if (options.tlsConfiguration)
        return options.tlsConfiguration;
    return loadTlsConfiguration(options.tlsCertificateFile, options.tlsKeyFile, error);
}

} // namespace

class HttpApiServer::Private
{
public:
    Private(Engine &engine, ServerOptions options)
        : options(std::move(options))
    {
        api::ApiOptions apiOptions;
        apiOptions.workerThreads = this->options.workerThreads;
        apiOptions.liveClientBufferBytes = this->options.liveClientBufferBytes;
        apiOptions.trustedProxies = this->options.trustedProxies;
        api = std::make_unique<api::Api>(engine, apiOptions);
        forwarder = std::make_unique<RequestForwarder>(*api);
    }

    ~Private()
    {
        // Live clients first (their sockets came from the listening server), then every
        // connection, then the work in flight, whose answers now have nowhere to go.
        api->shutDown();
        forwarder.reset();
        api.reset();
    }

    ServerOptions options;
    std::unique_ptr<api::Api> api;
    std::unique_ptr<RequestForwarder> forwarder;
    QPointer<http::GuardedTcpServer> listener;
};

HttpApiServer::HttpApiServer(Engine &engine, ServerOptions options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(engine, std::move(options)))
{ }

HttpApiServer::~HttpApiServer() = default;

bool HttpApiServer::listen(QString *error)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    if (d->listener) {
        message = ServerText::tr("The server is listening already");
        return false;
    }
    const ServerOptions &o = d->options;
    http::HttpLimits limits;
    limits.maxBodyBytes = o.maxBodyBytes;
    limits.idleTimeoutMs = o.idleTimeoutMs;
    limits.requestTimeoutMs = o.requestTimeoutMs;
    limits.maxConnections = o.maxConnections;
    limits.maxConnectionsPerAddress = o.maxConnectionsPerAddress;
    auto listener = std::make_unique<http::GuardedTcpServer>(limits, d->api.get());
    if (!o.tlsCertificateFile.isEmpty() || !o.tlsKeyFile.isEmpty()) {
        if (o.tlsCertificateFile.isEmpty() || o.tlsKeyFile.isEmpty()) {
            message = ServerText::tr("HTTPS needs both a certificate and a key");
            return false;
        }
        const std::optional<QSslConfiguration> tls = tlsConfigurationOf(o, &message);
        if (!tls)
            return false;
        listener->setTlsConfiguration(*tls);
    }
    if (!listener->listen(o.address, o.port)) {
        message = ServerText::tr("Cannot listen on %1:%2: %3")
                      .arg(o.address.toString())
                      .arg(o.port)
                      .arg(listener->errorString());
        return false;
    }
    d->listener = listener.get();
    d->forwarder->bind(listener.release()); // the forwarder owns it now
    QPointer<http::GuardedTcpServer> counted = d->listener;
    d->api->setConnectionCounter([counted] { return counted ? counted->openConnections() : 0; });
    return true;
}

QUrl HttpApiServer::url() const
{
    if (!d->listener || !d->listener->isListening())
        return {};
    QUrl url;
    url.setScheme(d->listener->isTls() ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(d->listener->serverAddress().toString());
    url.setPort(d->listener->serverPort());
    return url;
}

bool HttpApiServer::reload(const ServerOptions &options, QString *error)
{
    QString ignored;
    QString &message = error ? *error : ignored;
    const bool wasTls = !d->options.tlsCertificateFile.isEmpty();
    const bool isTls = !options.tlsCertificateFile.isEmpty();
    if (wasTls != isTls) {
        message = ServerText::tr("Switching between HTTP and HTTPS needs a restart");
        return false;
    }
    if (isTls) {
        const std::optional<QSslConfiguration> tls = tlsConfigurationOf(options, &message);
        if (!tls)
            return false;
        if (d->listener)
            d->listener->setTlsConfiguration(*tls);
        d->options.tlsCertificateFile = options.tlsCertificateFile;
        d->options.tlsKeyFile = options.tlsKeyFile;
        d->options.tlsConfiguration = tls;
    }
    d->options.trustedProxies = options.trustedProxies;
    d->api->setTrustedProxies(options.trustedProxies);
    return true;
}

int HttpApiServer::openConnections() const
{
    return d->listener ? d->listener->openConnections() : 0;
}

bool HttpApiServer::requestWorkIdle() const
{
    return !d->api || d->api->workIdle();
}

void HttpApiServer::startDraining()
{
    d->api->setDraining();
}

void HttpApiServer::close()
{
    if (d->listener)
        d->listener->close();
}

} // namespace waybill
