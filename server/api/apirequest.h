// A request as the route handlers see it: copied out of QHttpServer's request, which is reused
// for the connection's next request, so handlers can continue on other threads and later.
#pragma once

#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "http/reply.h"
#include "tokenstore.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QStringList>
#include <QUrlQuery>

#include <functional>
#include <optional>

namespace waybill::api {

// waybill.http.api: what the routes log (database errors, with the reason the client is not told).
Q_DECLARE_LOGGING_CATEGORY(lcApi)

struct ApiRequest
{
    http::ReplyPtr reply;
    QByteArray method;
    QStringList params; // the {…} parts of the route's path, percent-decoded
    QUrlQuery query;
    http::HeaderList headers;
    QByteArray body;
    TokenInfo user;
    // Set for a route that reads its token with its own first statement (a command's
    // pre-check reads the token's rows with the states it needs: one round trip for both), and
    // then user is not yet known: the token's public id, and what admits the request from the
    // token's rows as just read (or, with none given, after looking them up itself). It answers
    // a refusal (401, 403) or the database's error itself and then returns nothing; else the
    // owner, who may do what the route does. Called once, before anything else is answered.
    QString tokenSalt;
    std::function<std::optional<TokenInfo>(const QVector<TokenTable::TokenRow> *rows)> admit;

    // The first header of that name, trimmed; empty when absent.
    QByteArray header(const QByteArray &lowerCaseName) const;
    bool hasHeader(const QByteArray &lowerCaseName) const;
    // The query parameter, percent-decoded; empty when absent.
    QString queryValue(const QString &key) const;
};

// Query parameters, with their errors collected for one 400 answer.
class QueryReader final
{
public:
    explicit QueryReader(const ApiRequest &request)
        : m_request(request)
    { }

    // ?limit= (default 100, more than 1000 taken as 1000) and ?offset= (default 0).
    int limit(int fallback = 100, int maximum = 1000);
    int offset();
    // A non-negative whole number, or the fallback when absent.
    qint64 count(const QString &key, qint64 fallback);
    // An ISO-8601 time, or nothing when absent.
    std::optional<QDateTime> time(const QString &key);
    void fail(const QString &key, const QString &message);
    const ValidationErrors &errors() const { return m_errors; }

private:
    const ApiRequest &m_request;
    ValidationErrors m_errors;
};

// The 400 error of an id in the path that is not a valid id, named for its kind of stream.
ValidationError pathIdError(StreamKind kind);

// 400 {"message", "errors": [{path, message}]}
void sendValidationErrors(const http::ReplyPtr &reply, const ValidationErrors &errors);
// 503: the database could not answer.
void sendDatabaseError(const http::ReplyPtr &reply, const QString &error);

} // namespace waybill::api
