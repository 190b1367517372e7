#include "api.h"

#include "auditroutes.h"
#include "commandroutes.h"
#include "domain/ids.h"
#include "financeroutes.h"
#include "queryroutes.h"
#include "quoteroutes.h"
#include "reportroutes.h"
#include "statusroutes.h"

#include <QCoreApplication>
#include <QHttpServerRequest>
#include <QTcpSocket>
#include <QUrlQuery>

namespace waybill::api {

namespace {

// Messages in the context "waybill::api"; a class, so that lupdate files them under that context
// too (it files a free tr() under whatever scope encloses the call).
struct ApiText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::api)
};

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put:
        return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post:
        return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head:
        return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options:
        return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch:
        return QByteArrayLiteral("PATCH");
    case QHttpServerRequest::Method::Connect:
        return QByteArrayLiteral("CONNECT");
    case QHttpServerRequest::Method::Trace:
        return QByteArrayLiteral("TRACE");
    default:
        return QByteArrayLiteral("UNKNOWN");
    }
}

QList<QByteArray> forwardedForValues(const QHttpServerRequest &request)
{
    QList<QByteArray> values;
    for (const auto &header : request.headers()) {
        if (header.first.compare("x-forwarded-for", Qt::CaseInsensitive) == 0)
            values.append(header.second);
    }
    return values;
}

const http::HeaderList &bearerChallenge()
{
    static const http::HeaderList headers { { QByteArrayLiteral("WWW-Authenticate"),
        QByteArrayLiteral("Bearer realm=\"waybill\"") } };
    return headers;
}

QString unauthorizedMessage()
{
    return ApiText::tr(
        "A valid token is required: send the header \"Authorization: Bearer <token>\"");
}

QString forbiddenMessage(Role role)
{
    return ApiText::tr("The role %1 may not do this").arg(roleName(role));
}

QString notFoundMessage()
{
    return ApiText::tr("No such route");
}

QString methodMessage(const QByteArray &method)
{
    return ApiText::tr("%1 is not allowed on this path").arg(QString::fromLatin1(method));
}

void upgradeRequired(ApiContext &, const ApiRequest &request)
{
    request.reply->sendError(426,
        ApiText::tr("/live is a WebSocket: open it with an upgrade request"),
        { { QByteArrayLiteral("Upgrade"), QByteArrayLiteral("websocket") } });
}

} // namespace

QHostAddress Api::clientAddress(const QHostAddress &peer, const QList<QByteArray> &forwardedFor,
    const QList<QPair<QHostAddress, int>> &trusted, bool *forwarded)
{
    if (forwarded)
        *forwarded = false;
    const auto isTrusted = [&trusted](const QHostAddress &address) {
        for (const auto &subnet : trusted) {
            if (address.isInSubnet(subnet))
                return true;
        }
        return false;
    };
    // An IPv4 peer on a dual-stack socket comes as ::ffff:a.b.c.d.
    const auto plain = [](const QHostAddress &address) {
        bool isV4 = false;
        const quint32 v4 = address.toIPv4Address(&isV4);
        return isV4 ? QHostAddress(v4) : address;
    };
    QHostAddress client = plain(peer);
    if (!isTrusted(client))
        return client;
    QList<QByteArray> hops;
    for (const QByteArray &value : forwardedFor) {
        for (const QByteArray &hop : value.split(','))
            hops.append(hop.trimmed());
    }
    for (qsizetype i = hops.size() - 1; i >= 0; --i) {
        const QHostAddress hop = plain(QHostAddress(QString::fromLatin1(hops.at(i))));
        if (hop.isNull())
            break; // not an address (an "unknown" or a port): trust stops here
        client = hop;
        if (forwarded)
            *forwarded = true;
        if (!isTrusted(hop))
            break;
    }
    return client;
}

QString bearerToken(const QByteArray &authorization)
{
    const QByteArray value = authorization.trimmed();
    if (value.size() < 7 || value.left(7).toLower() != "bearer ")
        return {};
    return QString::fromLatin1(value.mid(7).trimmed());
}

Api::Api(Engine &engine, const ApiOptions &options, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_tokens(engine.database())
    , m_workers(this, engine.database(), options.workerThreads, options.longWorkerThreads)
    , m_waiters(&answerWithOutcome)
    , m_live(engine.database(), m_workers, options.liveClientBufferBytes)
    , m_context { engine, engine.database(), m_workers, m_metrics, m_waiters, m_live, {}, false }
    , m_trustedProxies(options.trustedProxies)
{
    // Direct: outcomes are sorted where they are made, most of them never reach this thread.
    m_relayGate = std::make_shared<RelayGate>();
    m_relayConnection = connect(
        &engine, &Engine::commandFinished, [this, gate = m_relayGate](const CommandOutcome &o) {
            QMutexLocker lock(&gate->mutex);
            if (gate->open)
                relayOutcome(o);
        });
    addRoutes();
}

Api::~Api()
{
    shutDown();
}

void Api::shutDown()
{
    {
        // Once closed, no engine thread is inside relayOutcome() or will enter it.
        QMutexLocker lock(&m_relayGate->mutex);
        m_relayGate->open = false;
    }
    disconnect(m_relayConnection);
    m_live.closeAll();
    m_workers.shutDown();
}

void Api::add(const QByteArray &method, const QString &pattern, Roles roles, Handler handler,
    bool open, Where where)
{
    QString label = pattern;
    label.replace(QLatin1String("{}"), QLatin1String("{id}"));
    m_router.add(method, pattern, Route { roles, open, where, std::move(handler), label });
    m_routeList.append({ method, pattern });
}

void Api::addRoutes()
{
    const QByteArray get = QByteArrayLiteral("GET");
    const QByteArray post = QByteArrayLiteral("POST");
    add(get, QStringLiteral("/health"), 0, &health, true);
    add(get, QStringLiteral("/metrics"), kMetricsRoles, &metrics);
    add(get, QStringLiteral("/me"), kEveryRole, &me);
    add(get, QStringLiteral("/openapi.json"), kEveryRole, &openApiDocument);
    add(get, QStringLiteral("/live"), kEveryRole, &upgradeRequired);

    add(get, QStringLiteral("/shipments"), kEveryRole, &listShipments);
    add(get, QStringLiteral("/shipments/{}"), kEveryRole, &getShipment);
    add(get, QStringLiteral("/shipments/{}/events"), kEveryRole, &listShipmentEvents);
    add(get, QStringLiteral("/accounts"), kEveryRole, &listAccounts);
    add(get, QStringLiteral("/accounts/{}"), kEveryRole, &getAccount);
    add(get, QStringLiteral("/accounts/{}/events"), kEveryRole, &listAccountEvents);
    add(get, QStringLiteral("/accounts/{}/invoices"), kEveryRole, &listAccountInvoices);
    add(get, QStringLiteral("/reports/aging"), kEveryRole, &agingReport);
    add(get, QStringLiteral("/reports/revenue"), kEveryRole, &revenueReport);
    add(get, QStringLiteral("/reports/on-time"), kEveryRole, &onTimeReport);
    add(get, QStringLiteral("/reports/utilisation"), kEveryRole, &utilisationReport);
    add(get, QStringLiteral("/trucks"), kEveryRole, &listTrucks);
    add(get, QStringLiteral("/trucks/{}"), kEveryRole, &getTruck);
    add(get, QStringLiteral("/trucks/{}/events"), kEveryRole, &listTruckEvents);
    // One POST per business event, on the stream the command changes.
    for (CommandType type : { CommandType::Submit, CommandType::Assign, CommandType::Ship,
             CommandType::Deliver, CommandType::Cancel, CommandType::Amend, CommandType::Reschedule,
             CommandType::Payment, CommandType::Open, CommandType::Update, CommandType::Hold,
             CommandType::Release, CommandType::ReversePayment, CommandType::Credit,
             CommandType::Register, CommandType::OutOfService, CommandType::ReturnToService }) {
        const StreamKind kind = streamKindOf(type);
        const QString collection = kind == StreamKind::Account ? QStringLiteral("/accounts")
            : kind == StreamKind::Truck                        ? QStringLiteral("/trucks")
                                                               : QStringLiteral("/shipments");
        addOnWorker(
            post, collection + QStringLiteral("/{}/commands/") + commandTypeName(type),
            rolesThatMay(type),
            [type](ApiContext &context, const ApiRequest &request) {
                runCommand(context, request, type);
            },
            Where::WorkerReadingItsToken);
    }
    add(get, QStringLiteral("/commands/{}"), kEveryRole, &getCommand);
    // A quote records nothing: every role that reads may ask for one.
    add(post, QStringLiteral("/quotes"), kEveryRole, &quoteShipment);
    add(get, QStringLiteral("/events"), kEveryRole, &listEvents);
    add(get, QStringLiteral("/events.csv"), kAuditRoles, &exportEventsCsv);
    add(get, QStringLiteral("/audit/verify"), kAuditRoles, &verifyChain);
    add(get, QStringLiteral("/audit/proof"), kEveryRole, &chainProof);
}

void Api::handle(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QUrl url = request.url();
    ApiRequest r;
    r.method = methodName(request.method());
    r.reply = std::make_shared<http::Reply>(socket, r.method, url.path());
    const auto match = m_router.match(r.method, url.path(QUrl::FullyEncoded));
    if (socket) {
        const QList<QByteArray> forwardedFor = forwardedForValues(request);
        if (!forwardedFor.isEmpty()) {
            bool forwarded = false;
            const QHostAddress client
                = clientAddress(socket->peerAddress(), forwardedFor, m_trustedProxies, &forwarded);
            if (forwarded)
                r.reply->setPeer(client.toString());
            else
                m_metrics.forwardedForIgnored();
        }
    }
    // Counted by route pattern (a bounded set), never by path.
    const QString routeLabel = match.target ? match.target->label
        : match.allowedMethods.isEmpty()    ? QStringLiteral("unmatched")
                                            : QStringLiteral("method-not-allowed");
    // A reply may end after this Api is gone (the server went away with requests in flight):
    // the gate, closed by shutDown(), says whether the metrics still exist.
    r.reply->setFinishObserver(
        [gate = m_relayGate, metrics = &m_metrics, method = r.method, routeLabel](int status) {
            QMutexLocker lock(&gate->mutex);
            if (gate->open)
                metrics->requestFinished(method, routeLabel, status);
        });
    r.params = match.params;
    r.query = QUrlQuery(url);
    r.headers = request.headers();
    r.body = request.body();
    const Route *route = match.target;
    if (route && route->open) {
        route->handler(m_context, r);
        return;
    }
    admit(route, match.allowedMethods, std::move(r),
        bearerToken(request.value(QByteArrayLiteral("authorization"))));
}

void Api::admit(const Route *route, const QByteArrayList &allowedMethods, ApiRequest request,
    const QString &token)
{
    // `this` outlives the job: shutDown() waits for the workers before anything here goes.
    m_workers.runDetached([this, route, allowedMethods, r = std::move(request), token]() mutable {
        const Poster &poster = m_workers.poster();
        // Answers the refusal or the database's error itself when it returns nothing. rows: the
        // token's rows as the route's own first statement just read them.
        auto admitFrom
            = [this, route, allowedMethods, method = r.method, reply = r.reply, token](
                  const QVector<TokenTable::TokenRow> *rows) -> std::optional<TokenInfo> {
            const Poster &poster = m_workers.poster();
            std::optional<TokenInfo> owner;
            try {
                // Always the database (one indexed lookup, or the rows read just now with the
                // route's first statement): a revoked token stops at once.
                owner
                    = rows ? TokenStore::authenticate(token, *rows) : m_tokens.authenticate(token);
            } catch (const StoreError &e) {
                poster([reply, error = e.message()] { sendDatabaseError(reply, error); });
                return std::nullopt;
            }
            Refusal refused = refusalFor(route, allowedMethods, method, owner);
            if (refused.status != 0) {
                poster([reply, refused = std::move(refused)] {
                    reply->sendError(refused.status, refused.message, refused.headers);
                });
                return std::nullopt;
            }
            // Read only when the answer is logged, on the HTTP thread, after the handler's post.
            reply->setUser(owner->name);
            return owner;
        };
        if (route && route->where == Where::WorkerReadingItsToken
            && TokenStore::isWellFormed(token)) {
            r.tokenSalt = TokenStore::publicIdOf(token);
            r.admit = std::move(admitFrom);
            route->handler(m_context, r);
            return;
        }
        const std::optional<TokenInfo> owner = admitFrom(nullptr);
        if (!owner)
            return;
        r.user = *owner;
        if (route->where != Where::HttpThread) {
            route->handler(m_context, r);
            return;
        }
        poster([this, route, r = std::move(r)] { route->handler(m_context, r); });
    });
}

void Api::authenticate(
    const QString &token, std::function<void(std::optional<TokenInfo>, const QString &)> then)
{
    if (token.isEmpty() || !TokenStore::isWellFormed(token)) {
        then(std::nullopt, {});
        return;
    }
    // Always the database (one indexed lookup, on a worker): a revoked token stops at once.
    TokenStore *tokens = &m_tokens;
    m_workers.run([tokens, token] { return tokens->authenticate(token); },
        [then](const WorkResult<std::optional<TokenInfo>> &result) {
            if (!result.value)
                then(std::nullopt, result.error);
            else
                then(*result.value, {});
        });
}

Api::Refusal Api::refusalFor(const Route *route, const QByteArrayList &allowedMethods,
    const QByteArray &method, const std::optional<TokenInfo> &owner)
{
    if (route && route->open)
        return {};
    if (!owner)
        return { 401, unauthorizedMessage(), bearerChallenge() };
    if (!route) {
        if (allowedMethods.isEmpty())
            return { 404, notFoundMessage(), {} };
        return { 405, methodMessage(method),
            { { QByteArrayLiteral("Allow"), allowedMethods.join(", ") } } };
    }
    if (!mayDo(owner->role, route->roles))
        return { 403, forbiddenMessage(owner->role), {} };
    return {};
}

QByteArray Api::refusal(const QByteArray &method, const QString &encodedPath,
    const std::optional<TokenInfo> &owner) const
{
    const auto match = m_router.match(method, encodedPath);
    const Refusal refused = refusalFor(match.target, match.allowedMethods, method, owner);
    if (refused.status == 0)
        return {};
    return http::jsonResponse(
        refused.status, http::errorBody(refused.message), refused.headers, true);
}

void Api::inspectOversized(const http::RequestHead &head, Answer answer)
{
    const QByteArray method = head.method;
    const QString path = QUrl::fromEncoded(head.target).path(QUrl::FullyEncoded);
    authenticate(bearerToken(head.header("authorization")),
        [this, method, path, answer](std::optional<TokenInfo> owner, const QString &error) {
            if (!error.isEmpty()) {
                answer(http::jsonResponse(503,
                    http::errorBody(
                        ApiText::tr("The database could not answer; try again shortly")),
                    {}, true));
                return;
            }
            answer(refusal(method, path, owner));
        });
}

void Api::inspectUpgrade(const http::RequestHead &head, Answer answer)
{
    const QUrl url = QUrl::fromEncoded(head.target);
    const QString path = url.path(QUrl::FullyEncoded);
    QString token = bearerToken(head.header("authorization"));
    if (token.isEmpty())
        token = QUrlQuery(url).queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
    const QByteArray method = head.method;
    authenticate(
        token, [this, method, path, answer](std::optional<TokenInfo> owner, const QString &error) {
            if (!error.isEmpty()) {
                answer(http::jsonResponse(503,
                    http::errorBody(
                        ApiText::tr("The database could not answer; try again shortly")),
                    {}, true));
                return;
            }
            QByteArray refused = refusal(method, path, owner);
            if (refused.isEmpty() && path != QLatin1String("/live"))
                refused = http::jsonResponse(
                    400, http::errorBody(ApiText::tr("Only /live speaks WebSocket")), {}, true);
            answer(refused);
        });
}

void Api::adoptUpgrade(QTcpSocket *socket)
{
    m_live.adopt(socket);
}

void Api::relayOutcome(const CommandOutcome &outcome)
{
    m_metrics.commandFinished(outcome);
    const bool waited = m_waiters.isWaitedFor(outcome.commandId);
    const bool live = m_live.hasClients();
    if (!waited && !live)
        return;
    m_workers.poster()([this, outcome, waited, live] {
        if (waited)
            m_waiters.resolve(outcome);
        if (live)
            m_live.commandFinished(outcome);
    });
}

} // namespace waybill::api
