#include "livefeed.h"

#include "store/eventstore.h"
#include "tokenstore.h"
#include "workers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>

namespace waybill::api {

Q_LOGGING_CATEGORY(lcLive, "waybill.http.live")

namespace {

constexpr int kPageSize = 1000;
constexpr int kSocketSendBuffer = 64 * 1024; // kernel buffering per client stays small too
constexpr quint64 kMaxIncomingMessage = 64 * 1024; // clients have nothing to say
constexpr int kCloseGraceMs = 2000; // for a closed client to answer the close frame

// The token the upgrade request carried (checked before the upgrade): the Authorization
// header's bearer token, or ?token= in the URL.
QString tokenOf(const QWebSocket *client)
{
    const QByteArray authorization = client->request().rawHeader("Authorization").trimmed();
    if (authorization.size() > 7 && authorization.left(7).toLower() == "bearer ")
        return QString::fromLatin1(authorization.mid(7).trimmed());
    return QUrlQuery(client->requestUrl())
        .queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
}

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString commandMessage(const CommandOutcome &outcome)
{
    QJsonObject message { { QStringLiteral("kind"), QStringLiteral("command") },
        { QStringLiteral("commandId"), outcome.commandId },
        { QStringLiteral("status"), commandStatusName(outcome.status) },
        { QStringLiteral("type"), commandTypeName(outcome.type) },
        { QStringLiteral("streamId"), outcome.streamId } };
    if (outcome.status == CommandStatus::Rejected)
        message.insert(QStringLiteral("message"), outcome.message);
    return compact(message);
}

struct Page
{
    qint64 position = 0; // the last position read
    EventList events;
    bool full = false;
};

} // namespace

LiveFeed::LiveFeed(Database &database, Workers &workers, qint64 clientBufferBytes, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_workers(workers)
    , m_clientBufferBytes(clientBufferBytes)
    , m_server(QStringLiteral("Waybill"), QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, &LiveFeed::takePendingConnections);
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        requestFetch();
        checkTokens();
    });
    connect(&TokenRevocations::instance(), &TokenRevocations::revoked, this,
        [this](const QString &database) {
            if (database == TokenRevocations::databaseKey(m_database))
                checkTokens();
        });
}

LiveFeed::~LiveFeed()
{
    closeAll();
}

void LiveFeed::adopt(QTcpSocket *socket)
{
    socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, kSocketSendBuffer);
    // QHttpServer frees its per-connection request on the socket's destroyed signal, and a
    // QWebSocket's destructor disconnects every handler of its socket: the socket must go first.
    // Connected before the QWebSocket exists, this runs before its own handlers.
    connect(socket, &QAbstractSocket::stateChanged, socket,
        [socket](QAbstractSocket::SocketState state) {
            if (state == QAbstractSocket::UnconnectedState)
                socket->deleteLater();
        });
    m_server.handleConnection(socket);
    // The handshake is in the buffer already; no new bytes will announce it.
    Q_EMIT socket->readyRead();
}

void LiveFeed::takePendingConnections()
{
    while (QWebSocket *client = m_server.nextPendingConnection()) {
        client->setParent(this);
        client->setMaxAllowedIncomingMessageSize(kMaxIncomingMessage);
        client->setMaxAllowedIncomingFrameSize(kMaxIncomingMessage);
        connect(client, &QWebSocket::disconnected, this, [this, client] {
            forget(client);
            client->deleteLater();
        });
        m_clients.append(client);
        m_publicIds.insert(client, TokenStore::publicIdOf(tokenOf(client)));
        m_clientCount = int(m_clients.size());
        qCInfo(lcLive).noquote() << QStringLiteral("live client connected peer=%1 clients=%2")
                                        .arg(client->peerAddress().toString())
                                        .arg(m_clients.size());
        if (!m_poll.isActive())
            m_poll.start();
        if (m_position < 0)
            requestFetch();
    }
    // The token was checked on the upgrade request; a revocation since then is found now.
    checkTokens();
}

void LiveFeed::forget(QWebSocket *client)
{
    m_clients.removeOne(client);
    m_publicIds.remove(client);
    m_clientCount = int(m_clients.size());
    if (m_clients.isEmpty()) {
        m_poll.stop();
        m_outcomes.clear();
        m_position = -1; // the next client starts from the log's end then
    }
}

void LiveFeed::checkTokens()
{
    if (m_clients.isEmpty())
        return;
    if (m_checking) {
        m_checkAgain = true;
        return;
    }
    m_checking = true;
    m_checkAgain = false;
    QSet<QString> publicIds;
    for (const QString &id : std::as_const(m_publicIds))
        publicIds.insert(id);
    Database &database = m_database;
    m_workers.run(
        [&database, publicIds] {
            return TokenStore::revokedAmong(database.connection(), publicIds);
        },
        [this](const WorkResult<QSet<QString>> &result) {
            m_checking = false;
            if (!result.value) {
                qCWarning(lcLive) << "could not check the live clients' tokens:"
                                  << result.error; // the poll tries again
            } else if (!result.value->isEmpty()) {
                const QVector<QWebSocket *> clients = m_clients;
                for (QWebSocket *client : clients) {
                    if (result.value->contains(m_publicIds.value(client)))
                        close(client, QStringLiteral("token revoked"));
                }
            }
            if (m_checkAgain)
                checkTokens();
        });
}

void LiveFeed::close(QWebSocket *client, const QString &why)
{
    qCInfo(lcLive).noquote() << QStringLiteral("closing live client peer=%1 reason=\"%2\"")
                                    .arg(client->peerAddress().toString(), why);
    // Nothing more is sent to it; its disconnected handler deletes it once the close is done.
    forget(client);
    QTimer::singleShot(kCloseGraceMs, client, [client] { client->abort(); });
    client->close(QWebSocketProtocol::CloseCodePolicyViolated, why);
}

void LiveFeed::commandFinished(const CommandOutcome &outcome)
{
    if (m_clients.isEmpty())
        return;
    m_outcomes.append(outcome);
    requestFetch();
}

void LiveFeed::requestFetch()
{
    if (m_clients.isEmpty())
        return;
    if (m_fetching) {
        m_fetchAgain = true;
        return;
    }
    fetch();
}

void LiveFeed::fetch()
{
    m_fetching = true;
    m_fetchAgain = false;
    // The outcomes known now were committed with their events: this read includes them.
    const int ready = int(m_outcomes.size());
    const qint64 after = m_position;
    Database &database = m_database;
    m_workers.run(
        [&database, after] {
            Page page;
            const QSqlDatabase db = database.connection();
            if (after < 0) {
                page.position = EventStore::lastPosition(db); // a first client: from now on
                return page;
            }
            page.events = EventStore::readAfter(db, after, kPageSize);
            page.position = page.events.isEmpty() ? after : page.events.last().position;
            page.full = page.events.size() == kPageSize;
            return page;
        },
        [this, ready](const WorkResult<Page> &result) {
            m_fetching = false;
            if (m_clients.isEmpty())
                return;
            if (!result.value) {
                qCWarning(lcLive) << "could not read the log:"
                                  << result.error; // the poll tries again
                return;
            }
            for (const RecordedEvent &e : result.value->events) {
                broadcast(compact(QJsonObject { { QStringLiteral("kind"), QStringLiteral("event") },
                    { QStringLiteral("event"), e.toJson() } }));
            }
            m_position = result.value->position;
            if (!result.value->full) {
                const QVector<CommandOutcome> outcomes
                    = m_outcomes.mid(0, qMin(ready, int(m_outcomes.size())));
                m_outcomes.remove(0, outcomes.size());
                for (const CommandOutcome &o : outcomes)
                    broadcast(commandMessage(o));
            }
            if (m_fetchAgain || result.value->full)
                fetch();
        });
}

void LiveFeed::broadcast(const QString &message)
{
    const QVector<QWebSocket *> clients = m_clients;
    for (QWebSocket *client : clients) {
        client->sendTextMessage(message);
        if (client->bytesToWrite() > m_clientBufferBytes)
            drop(client, QStringLiteral("too slow"));
    }
}

void LiveFeed::drop(QWebSocket *client, const QString &why)
{
    qCWarning(lcLive).noquote() << QStringLiteral(
        "dropping live client peer=%1 reason=\"%2\" queued=%3")
                                       .arg(client->peerAddress().toString(), why)
                                       .arg(client->bytesToWrite());
    forget(client);
    client->disconnect(this);
    client->abort();
    client->deleteLater();
}

void LiveFeed::closeAll()
{
    const QVector<QWebSocket *> clients = std::exchange(m_clients, {});
    m_publicIds.clear();
    m_clientCount = 0;
    for (QWebSocket *client : clients) {
        client->disconnect(this);
        client->close(QWebSocketProtocol::CloseCodeGoingAway);
        client->deleteLater();
    }
    m_poll.stop();
}

} // namespace waybill::api
