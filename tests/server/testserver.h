// A real Waybill HTTP server over a real database for tests, and clients that talk to it over
// loopback: QNetworkAccessManager for well-formed requests, a raw socket for everything else.
#pragma once

#include "engine/engine.h"
#include "httpapiserver.h"
#include "store/database.h"
#include "store/sql.h"
#include "testdatabases.h"
#include "tokenstore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>

#include <memory>

namespace waybill::test {

struct HttpResponse
{
    int status = 0; // 0: no HTTP answer (see error)
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QString error;

    QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    // "201 {...}" for failure messages.
    QByteArray describe() const;
};

constexpr Role kAllRoles[]
    = { Role::CustomerService, Role::Dispatch, Role::Finance, Role::Auditor, Role::Admin };

class TestServer final
{
public:
    TestServer(
        const DatabaseUrl &url, ServerOptions options = {}, EngineOptions engineOptions = {});
    ~TestServer();
    Q_DISABLE_COPY_MOVE(TestServer)

    // Starts the engine, makes one token per role, listens on a free loopback port.
    bool start(QString *error);
    void stop();

    QUrl url(const QString &pathAndQuery = QString()) const;
    quint16 port() const;
    QString token(Role role) const { return m_tokens.value(int(role)); }
    Engine &engine() { return *m_engine; }
    Database &database() { return *m_database; }
    HttpApiServer &server() { return *m_server; }

    HttpResponse request(const QByteArray &method, const QString &pathAndQuery,
        const QByteArray &body = {}, const QString &token = {},
        const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 20000);
    HttpResponse get(const QString &pathAndQuery, Role role = Role::Admin);
    HttpResponse post(const QString &pathAndQuery, const QJsonObject &body, Role role,
        const QList<QPair<QByteArray, QByteArray>> &headers = {});
    // Starts a request and returns at once; the reply finishes as the event loop runs.
    QNetworkReply *start(const QByteArray &method, const QString &pathAndQuery,
        const QByteArray &body, const QString &token,
        const QList<QPair<QByteArray, QByteArray>> &headers = {});
    static HttpResponse read(QNetworkReply *reply);

    // Sends bytes on a fresh connection and reads until the server closes it or one whole
    // answer arrived; the socket is handed back for more when asked.
    HttpResponse raw(const QByteArray &bytes, int timeoutMs = 10000,
        std::unique_ptr<QTcpSocket> *keep = nullptr);
    // The same, but reads only the status line and headers: for answers without a framed body,
    // such as 101 Switching Protocols.
    HttpResponse rawHead(const QByteArray &bytes, int timeoutMs = 10000);

    QNetworkAccessManager &network() { return m_network; }

private:
    DatabaseUrl m_url;
    ServerOptions m_options;
    EngineOptions m_engineOptions;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<HttpApiServer> m_server;
    QHash<int, QString> m_tokens;
    QNetworkAccessManager m_network;
};

// A started server on a fresh database of `backend` (whose URL goes to url, if given). nullptr
// when `databases` has no such database (error then stays empty: the caller skips or fails as
// `databases` says) or when the server did not start (error says why).
std::unique_ptr<TestServer> startOnFreshDatabase(TestDatabases &databases, const QString &backend,
    QString *error, ServerOptions options = {}, EngineOptions engineOptions = {},
    DatabaseUrl *url = nullptr);

// "Prefer: wait=20": a command's answer waits for its outcome (200 rather than 202), with room
// for a busy machine.
inline const QList<QPair<QByteArray, QByteArray>> kPreferWait { { QByteArrayLiteral("Prefer"),
    QByteArrayLiteral("wait=20") } };

// Reads one HTTP/1.1 answer (Content-Length framed) from a socket while the event loop runs,
// up to timeoutMs; status 0 if none came (error says why). Bytes after it stay in `pending`.
HttpResponse readRawResponse(QTcpSocket &socket, int timeoutMs, QByteArray *pending = nullptr);

// Valid bodies.
QJsonObject addressJson(const QString &name);
QJsonObject submitBody(const QString &account, double weight = 10);

} // namespace waybill::test

// Sets `server` (a std::unique_ptr<TestServer>) to a started server on a fresh database of
// `backend`, the rest as startOnFreshDatabase takes it; ends the test when there is no database
// (skips or fails, as WAYBILL_SKIP_OR_FAIL) and fails it, alone, when the server does not start.
#define WAYBILL_START_SERVER(server, databases, backend, ...)                                      \
    do {                                                                                           \
        QString startError_;                                                                       \
        (server) = waybill::test::startOnFreshDatabase(                                            \
            (databases), (backend), &startError_, ##__VA_ARGS__);                                  \
        if (!(server)) {                                                                           \
            if (!startError_.isEmpty())                                                            \
                QFAIL(                                                                             \
                    qPrintable(QStringLiteral("the test server did not start: ") + startError_));  \
            WAYBILL_SKIP_OR_FAIL(databases);                                                       \
        }                                                                                          \
    } while (false)
