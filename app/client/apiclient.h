// The one HTTP client of Waybill's API, used alike for the embedded and for a remote server.
#pragma once

#include "apiresult.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <optional>

class QNetworkReply;
class QSslCertificate;

namespace waybill::app {

struct PostOptions
{
    int waitSeconds = 0; // Prefer: wait=N (0: answer as soon as the command is recorded)
    QString idempotencyKey; // Idempotency-Key, so that a retry never runs the command twice
    std::optional<int> ifMatch; // If-Match: the stream's version the user saw
    QString correlationId; // Correlation-Id: ties the commands of one action together
};

class ApiClient final : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const ApiResult &)>;

    ApiClient(const QUrl &serverUrl, const QString &token, QObject *parent = nullptr);
    ~ApiClient() override;
    Q_DISABLE_COPY_MOVE(ApiClient)

    QUrl serverUrl() const { return m_serverUrl; }
    // ws(s)://host:port/live?token=... for the live feed.
    QUrl liveUrl() const;
    QString token() const { return m_token; }

    // done is called on this thread once the answer is complete, unless context is gone by then
    // (the request is then abandoned). The reply may be aborted to cancel.
    QNetworkReply *get(
        const QString &path, const QUrlQuery &query, QObject *context, Callback done);
    QNetworkReply *post(const QString &path, const QJsonObject &body, const PostOptions &options,
        QObject *context, Callback done);
    // A GET whose body the caller reads as it arrives (the CSV export); the caller owns the reply
    // and turns it into a result with resultOf() once it finished.
    QNetworkReply *stream(const QString &path, const QUrlQuery &query);
    ApiResult resultOf(QNetworkReply *reply);

    int requestsInFlight() const { return m_inFlight; }
    // Sets how long a request may stay silent before it counts as failed.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // "/shipments/A%2F1": ids are put into paths encoded.
    static QString pathOf(std::initializer_list<QString> segments);

Q_SIGNALS:
    void busyChanged(bool busy);
    // The server refused the token (401): the session cannot go on with it.
    void tokenRejected();
    // The server's TLS certificate is neither signed by a trusted authority nor the one the user
    // accepted for it (ServerTrust): the request failed; ask the user, then try again.
    void certificateRejected(const QUrl &server, const QSslCertificate &certificate);

private:
    QNetworkRequest request(const QString &path, const QUrlQuery &query) const;
    QNetworkReply *track(QNetworkReply *reply, QObject *context, Callback done);
    void started();
    void finished();

    QNetworkAccessManager m_network;
    QUrl m_serverUrl;
    QString m_token;
    QByteArray m_authorization;
    int m_inFlight = 0;
    int m_timeoutMs = 30000;
};

} // namespace waybill::app
