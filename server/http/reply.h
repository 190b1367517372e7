// One request's answer, shared by the continuations that produce it. It writes only while the
// client is still connected (the socket may go at any time), through the connection guard so
// that answers leave in request order, and logs one line when the answer is complete.
#pragma once

#include "connectionguard.h"
#include "httpmessage.h"

#include <QElapsedTimer>
#include <QJsonValue>
#include <QPointer>
#include <QString>
#include <QTcpSocket>

#include <functional>
#include <memory>

namespace waybill::http {

class Reply final
{
public:
    // On the thread of the socket, while QHttpServer hands over the request.
    Reply(QTcpSocket *socket, QByteArray method, QString path);
    ~Reply();
    Q_DISABLE_COPY_MOVE(Reply)

    bool isConnected() const { return !m_socket.isNull() && !m_guard.isNull(); }
    bool isAnswered() const { return m_state == State::Done; }
    bool isStreaming() const { return m_state == State::Streaming; }
    QTcpSocket *socket() const { return m_socket.data(); }
    void setUser(const QString &user) { m_user = user; }
    // The client as the log names it, when a trusted proxy forwarded the request (the socket's
    // peer is then the proxy).
    void setPeer(const QString &peer) { m_peer = peer; }
    const QString &peer() const { return m_peer; }
    // Called once with the status when the request ends (0: it ended unanswered), for counters.
    void setFinishObserver(std::function<void(int status)> observer)
    {
        m_finishObserver = std::move(observer);
    }
    const QByteArray &method() const { return m_method; }
    const QString &path() const { return m_path; }

    void send(int status, const QByteArray &contentType, const QByteArray &body,
        const HeaderList &headers = {});
    // An object or an array, compact.
    void sendJson(int status, const QJsonValue &body, const HeaderList &headers = {});
    // An object whose status is an error gains the contract's "error" (the reason phrase) when it
    // has none, so every error body is {"error", "message", ...}.
    // {"error": "<reason phrase>", "message": ...}
    void sendError(int status, const QString &message, const HeaderList &headers = {});

    // A body of unknown length, in chunks (Transfer-Encoding: chunked).
    void beginStream(int status, const QByteArray &contentType, const HeaderList &headers = {});
    void writeChunk(const QByteArray &data);
    void endStream();
    // Ends the connection mid-body, so the client sees the answer cut short rather than complete.
    void failStream(const QString &why);
    // Bytes of this answer not yet taken by the kernel (for back-pressure).
    qint64 pendingBytes() const;

private:
    enum class State { Open, Streaming, Done };
    void complete(ConnectionGuard::Close close);
    void log(const char *outcome);

    const QThread *m_thread; // the socket's: the only one that may write
    QPointer<QTcpSocket> m_socket;
    QPointer<ConnectionGuard> m_guard;
    ConnectionGuard::Ticket m_ticket;
    QByteArray m_method;
    QString m_path;
    QString m_peer;
    QString m_user;
    QElapsedTimer m_clock;
    State m_state = State::Open;
    int m_status = 0;
    qint64 m_bytes = 0;
    std::function<void(int)> m_finishObserver;
};

using ReplyPtr = std::shared_ptr<Reply>;

} // namespace waybill::http
