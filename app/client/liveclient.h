// The live feed (GET /live over a WebSocket): every event and every command outcome as it happens.
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace waybill::app {

class LiveClient final : public QObject
{
    Q_OBJECT
public:
    explicit LiveClient(const QUrl &liveUrl, QObject *parent = nullptr);
    ~LiveClient() override;
    Q_DISABLE_COPY_MOVE(LiveClient)

    // Connects, and reconnects after a loss with a growing pause, until stop().
    void start();
    void stop();
    bool isConnected() const { return m_connected; }

Q_SIGNALS:
    // The event envelope: position, streamId, version, type, timestamp, commandId, user, data.
    void eventReceived(const QJsonObject &event);
    // {"commandId", "status", "message"?, ...} as the server pushed it.
    void commandFinished(const QJsonObject &outcome);
    void connectedChanged(bool connected);
    // Connected again after a loss: what was missed in between must be read again.
    void resynchronise();

private:
    void open();
    void onConnected();
    void onDisconnected();
    void onMessage(const QString &text);

    QUrl m_url;
    QWebSocket m_socket;
    QTimer m_retry;
    int m_attempt = 0;
    bool m_running = false;
    bool m_connected = false;
    bool m_everConnected = false;
};

} // namespace waybill::app
