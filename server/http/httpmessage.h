// Building HTTP/1.1 responses byte for byte, and reading the head of a request.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace waybill::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// "Not Found" for 404; "Unknown" for a code Waybill never sends.
QByteArray reasonPhrase(int status);

// Status line and headers up to and including the blank line. contentLength < 0 writes no
// Content-Length (the caller frames the body itself, e.g. chunked).
QByteArray responseHead(int status, const HeaderList &headers, qint64 contentLength, bool close);

// A complete response with a compact JSON body (an error's gains its "error", withErrorName).
QByteArray jsonResponse(
    int status, const QJsonObject &body, const HeaderList &headers = {}, bool close = false);

// {"message": ...}: every error answer carries one (jsonResponse and Reply::sendJson add the
// "error").
QJsonObject errorBody(const QString &message);
// The body with "error": "<reason phrase>" added when the status is an error (400 and up) and
// the body names none: the contract's rule for every error body, whoever builds it.
QJsonObject withErrorName(int status, QJsonObject body);

// The request line and headers of one request, as the request framer read them.
struct RequestHead
{
    QByteArray method;
    QByteArray target; // path and query, as sent
    QByteArray version; // "HTTP/1.1"
    HeaderList headers; // in order, names as sent, values without surrounding blanks

    // Every value of that header (case-insensitive) joined with ", ", as QHttpServerRequest's
    // value() gives it; empty when absent.
    QByteArray header(const QByteArray &lowerCaseName) const;
    // Every value of that header, in order.
    QList<QByteArray> headerValues(const QByteArray &lowerCaseName) const;
    // The client asked for the connection to end after this answer.
    bool wantsClose() const;
    // Connection: upgrade with Upgrade: websocket.
    bool isWebSocketUpgrade() const;
};

} // namespace waybill::http
