// GET /live: a WebSocket that pushes every event of the log, in position order, and every
// command outcome, to every client. A client that does not keep up is dropped, so that it
// never slows the server or makes it buffer without bound. A client whose token is revoked is
// closed: at once when the revocation is made in this process, and otherwise at the next poll
// (every kPollMs), since another server or `waybill-server token revoke` may have made it.
#pragma once

#include "store/commandstore.h"
#include "store/database.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <QVector>
#include <QWebSocketServer>

#include <atomic>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QWebSocket;
QT_END_NAMESPACE

namespace waybill::api {

class Workers;

class LiveFeed final : public QObject
{
    Q_OBJECT
public:
    // clientBufferBytes: what may wait unsent for one client before it is dropped.
    LiveFeed(
        Database &database, Workers &workers, qint64 clientBufferBytes, QObject *parent = nullptr);
    ~LiveFeed() override;
    Q_DISABLE_COPY_MOVE(LiveFeed)

    // A socket whose WebSocket handshake request is still unread in its buffer; authentication
    // was checked on the request head.
    void adopt(QTcpSocket *socket);
    // From the engine: a command's outcome. Its events are read from the log, so that the feed
    // also carries events other servers wrote, and each outcome follows its events.
    void commandFinished(const CommandOutcome &outcome);
    int clientCount() const { return m_clientCount.load(); }
    // Thread-safe.
    bool hasClients() const { return m_clientCount.load() > 0; }
    void closeAll();

    // For events written, and tokens revoked, by other processes on the same database.
    static constexpr int kPollMs = 1000;

private:
    void takePendingConnections();
    void requestFetch();
    void fetch();
    void broadcast(const QString &message);
    void drop(QWebSocket *client, const QString &why);
    void forget(QWebSocket *client);
    // Asks the database which clients' tokens were revoked, and closes those.
    void checkTokens();
    void close(QWebSocket *client, const QString &why);

    Database &m_database;
    Workers &m_workers;
    qint64 m_clientBufferBytes;
    QWebSocketServer m_server;
    QVector<QWebSocket *> m_clients;
    QHash<QWebSocket *, QString> m_publicIds; // of each client's token
    bool m_checking = false;
    bool m_checkAgain = false;
    std::atomic<int> m_clientCount { 0 };
    qint64 m_position = -1; // the last event pushed; -1: not read yet
    bool m_fetching = false;
    bool m_fetchAgain = false;
    QVector<CommandOutcome> m_outcomes; // waiting for their events to go first
    QTimer m_poll;
};

} // namespace waybill::api
