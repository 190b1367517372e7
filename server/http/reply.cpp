#include "reply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QThread>

namespace waybill::http {

Q_LOGGING_CATEGORY(lcRequest, "waybill.http.request")

Reply::Reply(QTcpSocket *socket, QByteArray method, QString path)
    : m_thread(QThread::currentThread())
    , m_socket(socket)
    , m_guard(ConnectionGuard::of(socket))
    , m_method(std::move(method))
    , m_path(std::move(path))
    , m_peer(socket ? socket->peerAddress().toString() : QString())
{
    m_clock.start();
    if (m_guard)
        m_ticket = m_guard->takeTicket();
}

Reply::~Reply()
{
    if (m_state == State::Done)
        return;
    // Nobody answered (the client went away first, or the server is shutting down): a
    // connection whose answer is missing or cut short cannot carry another one.
    if (QThread::currentThread() == m_thread && m_guard)
        m_guard->finish(m_ticket.id, ConnectionGuard::Close::Yes);
    log(isConnected() ? "abandoned" : "client-gone");
}

void Reply::send(
    int status, const QByteArray &contentType, const QByteArray &body, const HeaderList &headers)
{
    if (m_state != State::Open)
        return;
    m_status = status;
    m_state = State::Done;
    if (!isConnected()) {
        log("client-gone");
        return;
    }
    HeaderList all { { QByteArrayLiteral("Content-Type"), contentType } };
    all += headers;
    const QByteArray head = responseHead(status, all, body.size(), m_ticket.close);
    m_bytes = body.size();
    m_guard->write(m_ticket.id, head + body);
    complete(m_ticket.close ? ConnectionGuard::Close::Yes : ConnectionGuard::Close::No);
}

void Reply::sendJson(int status, const QJsonValue &body, const HeaderList &headers)
{
    const QByteArray json = body.isArray()
        ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
        : QJsonDocument(withErrorName(status, body.toObject())).toJson(QJsonDocument::Compact);
    send(status, QByteArrayLiteral("application/json"), json, headers);
}

void Reply::sendError(int status, const QString &message, const HeaderList &headers)
{
    sendJson(status, errorBody(message), headers);
}

void Reply::beginStream(int status, const QByteArray &contentType, const HeaderList &headers)
{
    if (m_state != State::Open)
        return;
    m_status = status;
    m_state = State::Streaming;
    if (!isConnected())
        return;
    HeaderList all { { QByteArrayLiteral("Content-Type"), contentType },
        { QByteArrayLiteral("Transfer-Encoding"), QByteArrayLiteral("chunked") } };
    all += headers;
    m_guard->write(m_ticket.id, responseHead(status, all, -1, m_ticket.close));
}

void Reply::writeChunk(const QByteArray &data)
{
    if (m_state != State::Streaming || data.isEmpty() || !isConnected())
        return;
    m_bytes += data.size();
    m_guard->write(m_ticket.id, QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void Reply::endStream()
{
    if (m_state != State::Streaming)
        return;
    m_state = State::Done;
    if (!isConnected()) {
        log("client-gone");
        return;
    }
    m_guard->write(m_ticket.id, QByteArrayLiteral("0\r\n\r\n"));
    complete(m_ticket.close ? ConnectionGuard::Close::Yes : ConnectionGuard::Close::No);
}

void Reply::failStream(const QString &why)
{
    if (m_state != State::Streaming)
        return;
    m_state = State::Done;
    qCWarning(lcRequest).noquote()
        << QStringLiteral("stream failed path=%1 reason=\"%2\"").arg(m_path, why);
    if (m_socket)
        m_socket->abort();
    log("failed");
}

qint64 Reply::pendingBytes() const
{
    return isConnected() ? m_guard->pendingBytes(m_ticket.id) : 0;
}

void Reply::complete(ConnectionGuard::Close close)
{
    m_guard->finish(m_ticket.id, close);
    log("answered");
}

void Reply::log(const char *outcome)
{
    if (m_finishObserver) {
        const auto observer = std::move(m_finishObserver);
        m_finishObserver = nullptr;
        observer(m_state == State::Done ? m_status : 0);
    }
    // One line per request, key=value, for log collectors.
    qCInfo(lcRequest).noquote() << QStringLiteral(
        "method=%1 path=%2 status=%3 ms=%4 bytes=%5 user=%6 peer=%7 outcome=%8")
                                       .arg(QString::fromLatin1(m_method), m_path)
                                       .arg(m_status)
                                       .arg(double(m_clock.nsecsElapsed()) / 1e6, 0, 'f', 2)
                                       .arg(m_bytes)
                                       .arg(m_user.isEmpty() ? QStringLiteral("-") : m_user,
                                           m_peer.isEmpty() ? QStringLiteral("-") : m_peer,
                                           QString::fromLatin1(outcome));
}

} // namespace waybill::http
