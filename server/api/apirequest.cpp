#include "apirequest.h"

#include "domain/timeformat.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLoggingCategory>

namespace waybill::api {

Q_LOGGING_CATEGORY(lcApi, "waybill.http.api")

namespace {
// Messages in the context "waybill::api"; a class, so that lupdate files them under that context
// too (it files a free tr() under whatever scope encloses the call).
struct ApiText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::api)
};
} // namespace

QByteArray ApiRequest::header(const QByteArray &lowerCaseName) const
{
    for (const auto &h : headers) {
        if (h.first.compare(lowerCaseName, Qt::CaseInsensitive) == 0)
            return h.second.trimmed();
    }
    return {};
}

bool ApiRequest::hasHeader(const QByteArray &lowerCaseName) const
{
    for (const auto &h : headers) {
        if (h.first.compare(lowerCaseName, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString ApiRequest::queryValue(const QString &key) const
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

int QueryReader::limit(int fallback, int maximum)
{
    return int(qMin<qint64>(count(QStringLiteral("limit"), fallback), maximum));
}

int QueryReader::offset()
{
    const qint64 value = count(QStringLiteral("offset"), 0);
    if (value > std::numeric_limits<int>::max()) {
        fail(QStringLiteral("offset"), ApiText::tr("\"offset\" is too large"));
        return 0;
    }
    return int(value);
}

qint64 QueryReader::count(const QString &key, qint64 fallback)
{
    if (!m_request.query.hasQueryItem(key))
        return fallback;
    const QString text = m_request.queryValue(key);
    bool ok = !text.isEmpty() && text.size() <= 18;
    for (const QChar c : text)
        ok = ok && c >= QLatin1Char('0') && c <= QLatin1Char('9');
    if (!ok) {
        fail(key, ApiText::tr("\"%1\" must be a whole number, 0 or more").arg(key));
        return fallback;
    }
    return text.toLongLong();
}

std::optional<QDateTime> QueryReader::time(const QString &key)
{
    if (!m_request.query.hasQueryItem(key))
        return std::nullopt;
    const auto parsed = parseIsoUtc(m_request.queryValue(key));
    if (!parsed)
        fail(key,
            ApiText::tr("\"%1\" must be an ISO-8601 time such as 2026-11-27T10:00:00.000Z")
                .arg(key));
    return parsed;
}

void QueryReader::fail(const QString &key, const QString &message)
{
    m_errors.append({ QJsonArray { key }, message });
}

ValidationError pathIdError(StreamKind kind)
{
    switch (kind) {
    case StreamKind::Account:
        return { QJsonArray { QStringLiteral("accountId") },
            ApiText::tr(
                "The account id in the path must be 1 to 64 letters, digits, '-', '_' or '.'") };
    case StreamKind::Truck:
        return { QJsonArray { QStringLiteral("truckId") },
            ApiText::tr(
                "The truck id in the path must be 1 to 64 letters, digits, '-', '_' or '.'") };
    default:
        return { QJsonArray { QStringLiteral("shipmentId") },
            ApiText::tr(
                "The shipment id in the path must be 1 to 64 letters, digits, '-', '_' or '.'") };
    }
}

void sendValidationErrors(const http::ReplyPtr &reply, const ValidationErrors &errors)
{
    QJsonObject body = validationErrorsToJson(errors);
    QString message
        = errors.isEmpty() ? ApiText::tr("The request is invalid") : errors.first().message;
    // Spelled out plainly: lupdate 6.4 misses or hangs on a tr() inside a conditional expression.
    const int more = int(errors.size()) - 1;
    if (more > 0)
        message = ApiText::tr("%1 (and %n more problem(s))", nullptr, more).arg(message);
    body.insert(QStringLiteral("message"), message);
    reply->sendJson(400, body);
}

void sendDatabaseError(const http::ReplyPtr &reply, const QString &error)
{
    qCWarning(lcApi).noquote()
        << QStringLiteral("database error path=%1: %2").arg(reply->path(), error);
    reply->sendError(503, ApiText::tr("The database could not answer; try again shortly"),
        { { QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1") } });
}

} // namespace waybill::api
