#include "httpmessage.h"

#include <QJsonDocument>

namespace waybill::http {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return QByteArrayLiteral("Continue");
    case 101:
        return QByteArrayLiteral("Switching Protocols");
    case 200:
        return QByteArrayLiteral("OK");
    case 201:
        return QByteArrayLiteral("Created");
    case 202:
        return QByteArrayLiteral("Accepted");
    case 204:
        return QByteArrayLiteral("No Content");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 408:
        return QByteArrayLiteral("Request Timeout");
    case 409:
        return QByteArrayLiteral("Conflict");
    case 411:
        return QByteArrayLiteral("Length Required");
    case 412:
        return QByteArrayLiteral("Precondition Failed");
    case 413:
        return QByteArrayLiteral("Payload Too Large");
    case 414:
        return QByteArrayLiteral("URI Too Long");
    case 422:
        return QByteArrayLiteral("Unprocessable Entity");
    case 426:
        return QByteArrayLiteral("Upgrade Required");
    case 431:
        return QByteArrayLiteral("Request Header Fields Too Large");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 501:
        return QByteArrayLiteral("Not Implemented");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    default:
        return QByteArrayLiteral("Unknown");
    }
}

QByteArray responseHead(int status, const HeaderList &headers, qint64 contentLength, bool close)
{
    QByteArray head;
    head.reserve(160);
    head += "HTTP/1.1 ";
    head += QByteArray::number(status);
    head += ' ';
    head += reasonPhrase(status);
    head += "\r\n";
    for (const auto &h : headers) {
        head += h.first;
        head += ": ";
        head += h.second;
        head += "\r\n";
    }
    if (contentLength >= 0) {
        head += "Content-Length: ";
        head += QByteArray::number(contentLength);
        head += "\r\n";
    }
    if (close)
        head += "Connection: close\r\n";
    head += "\r\n";
    return head;
}

QByteArray jsonResponse(int status, const QJsonObject &body, const HeaderList &headers, bool close)
{
    const QByteArray json
        = QJsonDocument(withErrorName(status, body)).toJson(QJsonDocument::Compact);
    HeaderList all { { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json") } };
    all += headers;
    return responseHead(status, all, json.size(), close) + json;
}

QJsonObject errorBody(const QString &message)
{
    return { { QStringLiteral("message"), message } };
}

QJsonObject withErrorName(int status, QJsonObject body)
{
    if (status >= 400 && !body.contains(QLatin1String("error")))
        body.insert(QStringLiteral("error"), QString::fromLatin1(reasonPhrase(status)));
    return body;
}

QByteArray RequestHead::header(const QByteArray &lowerCaseName) const
{
    return headerValues(lowerCaseName).join(", ");
}

QList<QByteArray> RequestHead::headerValues(const QByteArray &lowerCaseName) const
{
    QList<QByteArray> values;
    for (const auto &h : headers) {
        if (h.first.compare(lowerCaseName, Qt::CaseInsensitive) == 0)
            values.append(h.second.trimmed());
    }
    return values;
}

bool RequestHead::wantsClose() const
{
    const QByteArray connection = header("connection").toLower();
    if (version == "HTTP/1.0")
        return !connection.contains("keep-alive");
    return connection.contains("close");
}

bool RequestHead::isWebSocketUpgrade() const
{
    return header("connection").toLower().contains("upgrade")
        && header("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

} // namespace waybill::http
