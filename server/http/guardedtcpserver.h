// The listening socket of the HTTP server: caps the number of connections, in all and from one
// client address, puts a ConnectionGuard on each one, speaks TLS when configured, and hands
// QHttpServer the guard's request channel rather than the network socket.
//
// Accepting is bounded, so that new connections cannot crowd out those already in: at most
// kAcceptsPerTurn connections are taken per turn of the event loop (QTcpServer would take them
// until the kernel's queue is empty, which under a client reconnecting as fast as it is refused
// is never). A refusal lingers (drains the client's input for a moment before closing, so that
// the client reads the answer rather than a reset), but at most kLingering refusals at once:
// beyond that a refused connection is closed as soon as its answer is out, so a flood of
// connections that are never closed by their clients cannot use up the file descriptors.
// When accepting fails in a way QTcpServer takes as lasting (no file descriptor left, before any
// connection was accepted), it pauses accepting for good; the server tries again after a pause.
#pragma once

#include "connectionguard.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QSslConfiguration>
#include <QTcpServer>

#include <optional>

namespace waybill::http {

class GuardedTcpServer final : public QTcpServer
{
    Q_OBJECT
public:
    // inspector must outlive the server.
    GuardedTcpServer(const HttpLimits &limits, HeadInspector *inspector, QObject *parent = nullptr);
    ~GuardedTcpServer() override;
    Q_DISABLE_COPY_MOVE(GuardedTcpServer)

    void setTlsConfiguration(const QSslConfiguration &configuration);
    bool isTls() const { return m_tls.has_value(); }
    // Sockets open now: those let in and those being refused.
    int openConnections() const { return m_open + m_refusing; }

    // The key connections are counted under: an IPv4 address, or an IPv6 address's /64 (one
    // host usually has a whole /64 to itself).
    static QByteArray clientKey(const QHostAddress &address);

    static constexpr int kAcceptsPerTurn = 32;
    static constexpr int kLingering = 64;
    static constexpr int kFirstAcceptRetryMs = 5;
    static constexpr int kLastAcceptRetryMs = 1000;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void refuse(
        ConnectionGuard *guard, const QString &message, const QHostAddress &from, const char *why);
    // Stops taking connections for the rest of this turn: QTcpServer's loop ends at its next
    // check of the pending connections against their maximum, and its notifier is off until
    // releaseAccepting().
    void holdAccepting();
    void releaseAccepting();
    // Accepting failed (no file descriptor left, for one): tries again after a pause that grows
    // from kFirstAcceptRetryMs to kLastAcceptRetryMs while it keeps failing.
    void acceptFailed(QAbstractSocket::SocketError error);

    HttpLimits m_limits;
    HeadInspector *m_inspector;
    std::optional<QSslConfiguration> m_tls;
    int m_open = 0; // let in
    int m_refusing = 0; // refused, not yet closed
    QHash<QByteArray, int> m_openFrom;
    int m_acceptedThisTurn = 0;
    bool m_holding = false;
    int m_lingering = 0; // refused connections draining their input
    int m_pendingMaximum = 0;
    // Lets a line that may repeat many times a second into the log at most once a second.
    class OncePerSecond final
    {
    public:
        bool due(qint64 nowMs)
        {
            if (m_lastMs >= 0 && nowMs - m_lastMs < 1000)
                return false;
            m_lastMs = nowMs;
            return true;
        }

    private:
        qint64 m_lastMs = -1;
    };
    // Refusals are logged once, then at most once a second with how many there were since.
    qint64 m_refusedUnlogged = 0;
    OncePerSecond m_refusalLog;
    int m_acceptRetryMs = 0; // the last pause after a failed accept; 0 once one succeeds
    bool m_waitingToRetry = false;
    OncePerSecond m_acceptErrorLog;
    QElapsedTimer m_clock;
};

} // namespace waybill::http
