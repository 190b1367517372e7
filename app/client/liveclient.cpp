#include "liveclient.h"

#include "servertrust.h"

#include <QJsonDocument>

#include <algorithm>

namespace waybill::app {

namespace {
// Pauses before reconnecting: quick at first, then every ten seconds at most.
constexpr int kRetryDelaysMs[] = { 500, 1000, 2000, 5000, 10000 };
} // namespace

LiveClient::LiveClient(const QUrl &liveUrl, QObject *parent)
    : QObject(parent)
    , m_url(liveUrl)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &LiveClient::open);
    connect(&m_socket, &QWebSocket::connected, this, &LiveClient::onConnected);
    // A failed attempt never reaches "connected"; the state change covers it and a lost link alike.
    connect(&m_socket, &QWebSocket::stateChanged, this, [this](QAbstractSocket::SocketState state) {
        if (state == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &LiveClient::onMessage);
    // The certificate the HTTP client was allowed to accept (the same server) is accepted here.
    connect(&m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        if (ServerTrust::shared().accepts(m_url, errors))
            m_socket.ignoreSslErrors();
    });
}

LiveClient::~LiveClient()
{
    stop();
}

void LiveClient::start()
{
    if (m_running)
        return;
    m_running = true;
    open();
}

void LiveClient::stop()
{
    m_running = false;
    m_retry.stop();
    m_socket.abort();
}

void LiveClient::open()
{
    if (!m_running)
        return;
    if (m_url.scheme() == QLatin1String("wss"))
        m_socket.setSslConfiguration(ServerTrust::shared().sslConfiguration());
    m_socket.open(m_url);
}

void LiveClient::onConnected()
{
    m_attempt = 0;
    m_connected = true;
    Q_EMIT connectedChanged(true);
    if (m_everConnected)
        Q_EMIT resynchronise();
    m_everConnected = true;
}

void LiveClient::onDisconnected()
{
    if (m_connected) {
        m_connected = false;
        Q_EMIT connectedChanged(false);
    }
    if (!m_running || m_retry.isActive())
        return;
    const int last = int(std::size(kRetryDelaysMs)) - 1;
    m_retry.start(kRetryDelaysMs[std::min(m_attempt++, last)]);
}

void LiveClient::onMessage(const QString &text)
{
    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString kind = message.value(QLatin1String("kind")).toString();
    if (kind == QLatin1String("event"))
        Q_EMIT eventReceived(message.value(QLatin1String("event")).toObject());
    else if (kind == QLatin1String("command"))
        Q_EMIT commandFinished(message);
}

} // namespace waybill::app
