#include "apiclient.h"

#include <memory>

#include "apierrortext.h"
#include "servertrust.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace waybill::app {

ApiClient::ApiClient(const QUrl &serverUrl, const QString &token, QObject *parent)
    : QObject(parent)
    , m_serverUrl(serverUrl)
    , m_token(token)
    , m_authorization("Bearer " + token.toUtf8())
{
    connect(&m_network, &QNetworkAccessManager::sslErrors, this,
        [this](QNetworkReply *reply, const QList<QSslError> &errors) {
            if (ServerTrust::shared().accepts(m_serverUrl, errors)) {
                reply->ignoreSslErrors(errors);
                return;
            }
            Q_EMIT certificateRejected(m_serverUrl, reply->sslConfiguration().peerCertificate());
        });
}

ApiClient::~ApiClient() = default;

QUrl ApiClient::liveUrl() const
{
    QUrl url = m_serverUrl;
    url.setScheme(m_serverUrl.scheme() == QLatin1String("https") ? QStringLiteral("wss")
                                                                 : QStringLiteral("ws"));
    QString base = url.path();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + QStringLiteral("/live"));
    QUrlQuery query;
    query.addQueryItem(
        QStringLiteral("token"), QString::fromLatin1(QUrl::toPercentEncoding(m_token)));
    url.setQuery(query);
    return url;
}

QString ApiClient::pathOf(std::initializer_list<QString> segments)
{
    QString path;
    for (const QString &segment : segments)
        path += QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(segment));
    return path;
}

QNetworkRequest ApiClient::request(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_serverUrl;
    QString base = url.path();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + path, QUrl::TolerantMode);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", m_authorization);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(m_timeoutMs);
    if (url.scheme() == QLatin1String("https"))
        request.setSslConfiguration(ServerTrust::shared().sslConfiguration());
    return request;
}

QNetworkReply *ApiClient::get(
    const QString &path, const QUrlQuery &query, QObject *context, Callback done)
{
    return track(m_network.get(request(path, query)), context, std::move(done));
}

QNetworkReply *ApiClient::post(const QString &path, const QJsonObject &body,
    const PostOptions &options, QObject *context, Callback done)
{
    QNetworkRequest req = request(path, {});
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (options.waitSeconds > 0) {
        req.setRawHeader("Prefer", "wait=" + QByteArray::number(options.waitSeconds));
        req.setTransferTimeout(m_timeoutMs + options.waitSeconds * 1000);
    }
    if (!options.idempotencyKey.isEmpty())
        req.setRawHeader("Idempotency-Key", options.idempotencyKey.toUtf8());
    if (!options.correlationId.isEmpty())
        req.setRawHeader("Correlation-Id", options.correlationId.toLatin1());
    if (options.ifMatch)
        req.setRawHeader("If-Match", '"' + QByteArray::number(*options.ifMatch) + '"');
    const QByteArray payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return track(m_network.post(req, payload), context, std::move(done));
}

QNetworkReply *ApiClient::stream(const QString &path, const QUrlQuery &query)
{
    QNetworkRequest req = request(path, query);
    req.setRawHeader("Accept", "text/csv, application/json");
    QNetworkReply *reply = m_network.get(req);
    started();
    connect(reply, &QNetworkReply::finished, this, &ApiClient::finished);
    return reply;
}

QNetworkReply *ApiClient::track(QNetworkReply *reply, QObject *context, Callback done)
{
    started();
    // A context being destroyed is not called back: QWidget announces destroyed() from its own
    // destructor, while a QPointer to it still holds, and aborting the reply finishes it at once.
    auto contextAlive = std::make_shared<bool>(context != nullptr);
    connect(
        reply, &QNetworkReply::finished, this, [this, reply, contextAlive, done = std::move(done)] {
            const ApiResult result = resultOf(reply);
            reply->deleteLater();
            finished();
            if (*contextAlive && done)
                done(result);
        });
    if (context)
        connect(context, &QObject::destroyed, reply, [reply, contextAlive] {
            *contextAlive = false;
            reply->abort();
        });
    return reply;
}

ApiResult ApiClient::resultOf(QNetworkReply *reply)
{
    ApiResult result;
    result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.cancelled
        = reply->error() == QNetworkReply::OperationCanceledError && result.httpStatus == 0;
    if (reply->isOpen())
        result.body = reply->readAll();
    const QByteArray total = reply->rawHeader("X-Total-Count");
    bool ok = false;
    const qint64 count = total.toLongLong(&ok);
    if (ok)
        result.totalCount = count;
    if (!result.body.isEmpty()) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(result.body, &error);
        if (error.error == QJsonParseError::NoError)
            result.json
                = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
    result.errorText = ApiErrorText::describe(result, reply->error(), m_serverUrl);
    if (result.httpStatus == 401)
        Q_EMIT tokenRejected();
    return result;
}

void ApiClient::started()
{
    if (m_inFlight++ == 0)
        Q_EMIT busyChanged(true);
}

void ApiClient::finished()
{
    if (--m_inFlight == 0)
        Q_EMIT busyChanged(false);
}

} // namespace waybill::app
