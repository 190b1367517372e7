#include "session.h"

#include "client/apiclient.h"
#include "client/commandsender.h"
#include "client/liveclient.h"

namespace waybill::app {

Session::Session(const QUrl &serverUrl, const QString &token, QObject *parent)
    : QObject(parent)
    , m_api(new ApiClient(serverUrl, token, this))
    , m_live(new LiveClient(m_api->liveUrl(), this))
    , m_commands(new CommandSender(m_api, m_live, this))
{ }

Session::~Session() = default;

QUrl Session::serverUrl() const
{
    return m_api->serverUrl();
}

void Session::start()
{
    m_api->get(QStringLiteral("/me"), {}, this, [this](const ApiResult &answer) {
        if (answer.ok()) {
            m_identity = Identity::fromJson(answer.object());
        } else if (answer.httpStatus == 404 || answer.httpStatus == 405) {
            m_identity = m_fallback;
            if (!m_identity.isKnown() || m_identity.role().isEmpty())
                Q_EMIT notice(tr("This server does not say what your role may do: every action is "
                                 "offered, and the server refuses what your role may not do."));
        } else {
            Q_EMIT failed(answer.errorText);
            return;
        }
        m_live->start();
        Q_EMIT ready();
    });
}

} // namespace waybill::app
