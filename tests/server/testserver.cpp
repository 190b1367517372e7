#include "testserver.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QNetworkRequest>
#include <QTest>
#include <QTimer>

namespace waybill::test {

QByteArray HttpResponse::describe() const
{
    if (status == 0)
        return "no answer (" + error.toUtf8() + ")";
    return QByteArray::number(status) + ' ' + body.left(600);
}

TestServer::TestServer(const DatabaseUrl &url, ServerOptions options, EngineOptions engineOptions)
    : m_url(url)
    , m_options(std::move(options))
    , m_engineOptions(engineOptions)
{
    m_options.address = QHostAddress::LocalHost;
    m_options.port = 0;
}

TestServer::~TestServer()
{
    stop();
    m_network.clearConnectionCache();
}

bool TestServer::start(QString *error)
{
    try {
        m_database = std::make_unique<Database>(m_url, Durability::Process);
        m_engine = std::make_unique<Engine>(*m_database, m_engineOptions);
        m_engine->start();
        TokenStore tokens(*m_database);
        for (Role role : kAllRoles)
            m_tokens.insert(int(role), tokens.create(roleName(role), role));
    } catch (const StoreError &e) {
        *error = e.message();
        return false;
    }
    m_server = std::make_unique<HttpApiServer>(*m_engine, m_options);
    return m_server->listen(error);
}

std::unique_ptr<TestServer> startOnFreshDatabase(TestDatabases &databases, const QString &backend,
    QString *error, ServerOptions options, EngineOptions engineOptions, DatabaseUrl *url)
{
    const std::optional<DatabaseUrl> fresh = databases.fresh(backend);
    if (!fresh)
        return nullptr;
    if (url)
        *url = *fresh;
    auto server = std::make_unique<TestServer>(*fresh, std::move(options), engineOptions);
    QString why;
    if (!server->start(&why)) {
        if (error)
            *error = why.isEmpty() ? QStringLiteral("no reason given") : why;
        return nullptr;
    }
    return server;
}

void TestServer::stop()
{
    m_server.reset();
    if (m_engine)
        m_engine->stop();
    m_engine.reset();
    m_database.reset();
}

QUrl TestServer::url(const QString &pathAndQuery) const
{
    QUrl base = m_server->url();
    return base.resolved(QUrl(pathAndQuery));
}

quint16 TestServer::port() const
{
    return quint16(m_server->url().port());
}

QNetworkReply *TestServer::start(const QByteArray &method, const QString &pathAndQuery,
    const QByteArray &body, const QString &token,
    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(url(pathAndQuery));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    if (!body.isEmpty() && !request.hasRawHeader("Content-Type"))
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    // Test servers with TLS use a self-signed certificate.
    QObject::connect(
        reply, &QNetworkReply::sslErrors, reply, [reply] { reply->ignoreSslErrors(); });
    return reply;
}

HttpResponse TestServer::read(QNetworkReply *reply)
{
    HttpResponse response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        response.headers.insert(pair.first.toLower(), pair.second);
    if (reply->error() != QNetworkReply::NoError && response.status == 0)
        response.error = reply->errorString();
    return response;
}

HttpResponse TestServer::request(const QByteArray &method, const QString &pathAndQuery,
    const QByteArray &body, const QString &token,
    const QList<QPair<QByteArray, QByteArray>> &headers, int timeoutMs)
{
    QNetworkReply *reply = start(method, pathAndQuery, body, token, headers);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpResponse response;
    if (!reply->isFinished()) {
        response.error = QStringLiteral("timed out");
        reply->abort();
    } else {
        response = read(reply);
    }
    reply->deleteLater();
    return response;
}

HttpResponse TestServer::get(const QString &pathAndQuery, Role role)
{
    return request("GET", pathAndQuery, {}, token(role));
}

HttpResponse TestServer::post(const QString &pathAndQuery, const QJsonObject &body, Role role,
    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return request("POST", pathAndQuery, QJsonDocument(body).toJson(QJsonDocument::Compact),
        token(role), headers);
}

namespace {

// A whole answer at the front of data: fills response and returns its length; 0 if incomplete.
// With headOnly, the status line and headers are the whole answer.
qsizetype parseRawResponse(const QByteArray &data, HttpResponse *response, bool headOnly = false)
{
    const qsizetype headEnd = data.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return 0;
    const QList<QByteArray> lines = data.left(headEnd).split('\n');
    QHash<QByteArray, QByteArray> headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    const qint64 length = headOnly ? 0 : headers.value("content-length", "-1").toLongLong();
    const qsizetype bodyStart = headEnd + 4;
    if (length < 0 || data.size() - bodyStart < length)
        return 0;
    response->status = lines.first().trimmed().split(' ').value(1).toInt();
    response->headers = headers;
    response->body = data.mid(bodyStart, length);
    return bodyStart + length;
}

HttpResponse readRaw(QTcpSocket &socket, int timeoutMs, QByteArray *pending, bool headOnly)
{
    QByteArray local;
    QByteArray &data = pending ? *pending : local;
    QDeadlineTimer deadline(timeoutMs);
    HttpResponse response;
    for (;;) {
        data += socket.readAll();
        if (const qsizetype used = parseRawResponse(data, &response, headOnly)) {
            data.remove(0, used);
            return response;
        }
        if (deadline.hasExpired()) {
            response.error = QStringLiteral("timed out; got %1 bytes").arg(data.size());
            return response;
        }
        if (socket.state() == QAbstractSocket::UnconnectedState && socket.bytesAvailable() == 0) {
            response.error = QStringLiteral("closed after %1 bytes").arg(data.size());
            return response;
        }
        // The server runs in this thread: wait by running its event loop, never by blocking.
        QTest::qWait(2);
    }
}

} // namespace

HttpResponse readRawResponse(QTcpSocket &socket, int timeoutMs, QByteArray *pending)
{
    return readRaw(socket, timeoutMs, pending, false);
}

HttpResponse TestServer::raw(
    const QByteArray &bytes, int timeoutMs, std::unique_ptr<QTcpSocket> *keep)
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(QHostAddress::LocalHost, port());
    QDeadlineTimer connecting(5000);
    while (socket->state() != QAbstractSocket::ConnectedState && !connecting.hasExpired())
        QTest::qWait(2);
    socket->write(bytes);
    const HttpResponse response = readRawResponse(*socket, timeoutMs);
    if (keep)
        *keep = std::move(socket);
    return response;
}

HttpResponse TestServer::rawHead(const QByteArray &bytes, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port());
    QDeadlineTimer connecting(5000);
    while (socket.state() != QAbstractSocket::ConnectedState && !connecting.hasExpired())
        QTest::qWait(2);
    socket.write(bytes);
    return readRaw(socket, timeoutMs, nullptr, true);
}

QJsonObject addressJson(const QString &name)
{
    return { { QStringLiteral("name"), name },
        { QStringLiteral("line1"), QStringLiteral("100 Grand Ave") },
        { QStringLiteral("city"), QStringLiteral("Des Moines") },
        { QStringLiteral("state"), QStringLiteral("IA") },
        { QStringLiteral("zip"), QStringLiteral("50309") } };
}

QJsonObject submitBody(const QString &account, double weight)
{
    return { { QStringLiteral("shipFrom"), addressJson(QStringLiteral("Acme")) },
        { QStringLiteral("shipTo"), addressJson(QStringLiteral("Globex")) },
        { QStringLiteral("weightInPounds"), weight },
        { QStringLiteral("billToAccountId"), account } };
}

} // namespace waybill::test
