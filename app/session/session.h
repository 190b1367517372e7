// One connection to a Waybill server: the HTTP client, the live feed, the command sender, and
// who we are there.
#pragma once

#include "identity.h"

#include <QObject>
#include <QUrl>

namespace waybill::app {

class ApiClient;
class CommandSender;
class LiveClient;

class Session final : public QObject
{
    Q_OBJECT
public:
    Session(const QUrl &serverUrl, const QString &token, QObject *parent = nullptr);
    ~Session() override;
    Q_DISABLE_COPY_MOVE(Session)

    ApiClient *api() const { return m_api; }
    LiveClient *live() const { return m_live; }
    CommandSender *commands() const { return m_commands; }
    const Identity &identity() const { return m_identity; }
    QUrl serverUrl() const;

    // What to assume when the server has no GET /me: the embedded server's token is known to be
    // an administrator's; for a remote one everything is offered and the server decides.
    void setFallbackIdentity(const Identity &identity) { m_fallback = identity; }
    // Asks who we are (GET /me), then opens the live feed: ready() or failed(). Asynchronous.
    void start();

Q_SIGNALS:
    void ready();
    void failed(const QString &message);
    // Something the user should know that does not stop the work.
    void notice(const QString &message);

private:
    ApiClient *m_api;
    LiveClient *m_live;
    CommandSender *m_commands;
    Identity m_identity;
    Identity m_fallback = Identity::unknownRole();
};

} // namespace waybill::app
