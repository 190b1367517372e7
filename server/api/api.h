// Waybill's HTTP API: routes, authentication and roles, in the order of checks the contract
// sets (401, 403, 404/405, 413, 400, 409).
#pragma once

#include "apicontext.h"
#include "apirequest.h"
#include "commandwaiters.h"
#include "http/connectionguard.h"
#include "http/router.h"
#include "livefeed.h"
#include "metrics.h"
#include "roles.h"
#include "tokenstore.h"
#include "workers.h"

#include <QHostAddress>
#include <QMutex>
#include <QObject>

#include <functional>

QT_BEGIN_NAMESPACE
class QHttpServerRequest;
class QTcpSocket;
QT_END_NAMESPACE

namespace waybill::api {

struct ApiOptions
{
    int workerThreads = 4;
    int longWorkerThreads = 2;
    qint64 liveClientBufferBytes = 4 * 1024 * 1024;
    // Peers whose X-Forwarded-For is believed (see clientAddress()).
    QList<QPair<QHostAddress, int>> trustedProxies;
};

// The route patterns the API answers, with "{}" for a path segment, and their methods: for the
// OpenAPI document's test, and what /metrics labels requests with.
struct RouteEntry
{
    QByteArray method;
    QString pattern;
};

class Api final : public QObject, public http::HeadInspector
{
    Q_OBJECT
public:
    // Lives in the HTTP thread; the engine must outlive it.
    Api(Engine &engine, const ApiOptions &options, QObject *parent = nullptr);
    ~Api() override;
    Q_DISABLE_COPY_MOVE(Api)

    // A complete request from QHttpServer; the request object is not used after this returns.
    void handle(const QHttpServerRequest &request, QTcpSocket *socket);
    void setConnectionCounter(std::function<int()> counter)
    {
        m_context.openConnections = std::move(counter);
    }
    // From now on /health answers 503 "shutting down"; every other route serves as before.
    void setDraining() { m_context.draining = true; }
    // No request's database work queued or running.
    bool workIdle() const { return m_workers.idle(); }
    // Waits for the database work in flight, drops what was not delivered, closes live clients.
    void shutDown();
    // Every route, in the order they were added.
    QVector<RouteEntry> routes() const { return m_routeList; }
    // Replaces the trusted proxies (SIGHUP's reload); on the API's thread.
    void setTrustedProxies(const QList<QPair<QHostAddress, int>> &proxies)
    {
        m_trustedProxies = proxies;
    }
    // The client of a request: the socket's peer, or, when that peer is a trusted proxy, the
    // nearest address in X-Forwarded-For that is not a trusted proxy (the rightmost entries
    // are the ones the trusted proxies appended; the leftmost could be anything a client
    // wrote). Empty headers or garbage leave the peer.
    static QHostAddress clientAddress(const QHostAddress &peer,
        const QList<QByteArray> &forwardedFor, const QList<QPair<QHostAddress, int>> &trusted,
        bool *forwarded = nullptr);

    void inspectOversized(const http::RequestHead &head, Answer answer) override;
    void inspectUpgrade(const http::RequestHead &head, Answer answer) override;
    void adoptUpgrade(QTcpSocket *socket) override;

private:
    using Handler = std::function<void(ApiContext &, const ApiRequest &)>;
    // Where a route's handler runs once its request is admitted.
    enum class Where {
        HttpThread,
        // In the worker's job that admitted the request; it answers through the workers' poster.
        Worker,
        // The same, but admitted by the handler (ApiRequest::admit), from the token's rows as
        // its own first statement reads them: a command's pre-check.
        WorkerReadingItsToken,
    };
    struct Route
    {
        Roles roles = 0;
        bool open = false; // no token needed
        Where where = Where::HttpThread;
        Handler handler;
        QString label; // the pattern, "{id}" for each parameter: /metrics's route label
    };
    void addRoutes();
    void add(const QByteArray &method, const QString &pattern, Roles roles, Handler handler,
        bool open = false, Where where = Where::HttpThread);
    // A route whose handler runs on a worker, in the job that admitted its request.
    void addOnWorker(const QByteArray &method, const QString &pattern, Roles roles, Handler handler,
        Where where = Where::Worker)
    {
        add(method, pattern, roles, std::move(handler), false, where);
    }
    // One job on a worker looks the token up and refuses (401, 404, 405, 403) or admits the
    // request; an admitted request goes on where its route says (route is null when no route
    // matched). A command thus crosses to a worker and back once; its route, with a token of
    // the right shape, is admitted by its handler instead (Where::WorkerReadingItsToken).
    void admit(const Route *route, const QByteArrayList &allowedMethods, ApiRequest request,
        const QString &token);
    // Finds the token's owner in the database and calls back on this thread:
    // with the owner, or with nothing for an unknown token, or with an error text.
    void authenticate(
        const QString &token, std::function<void(std::optional<TokenInfo>, const QString &)> then);
    // The first of 401, 404, 405 and 403 that applies (status 0: none), in the contract's order.
    struct Refusal
    {
        int status = 0;
        QString message;
        http::HeaderList headers;
    };
    static Refusal refusalFor(const Route *route, const QByteArrayList &allowedMethods,
        const QByteArray &method, const std::optional<TokenInfo> &owner);
    // The same as a full response that closes the connection, for the connection guard.
    QByteArray refusal(const QByteArray &method, const QString &encodedPath,
        const std::optional<TokenInfo> &owner) const;
    // On an engine thread, for every outcome: counts it, and sends it to the HTTP thread only
    // if a request waits for it or live clients are connected.
    void relayOutcome(const CommandOutcome &outcome);

    Engine &m_engine;
    TokenStore m_tokens;
    Workers m_workers;
    Metrics m_metrics;
    CommandWaiters m_waiters;
    LiveFeed m_live;
    ApiContext m_context;
    http::Router<Route> m_router;
    QVector<RouteEntry> m_routeList;
    QList<QPair<QHostAddress, int>> m_trustedProxies;
    struct RelayGate
    {
        QMutex mutex;
        bool open = true;
    };
    std::shared_ptr<RelayGate> m_relayGate;
    QMetaObject::Connection m_relayConnection;
};

// "Bearer <token>" -> token; empty when the header is absent or of another scheme.
QString bearerToken(const QByteArray &authorization);

} // namespace waybill::api
