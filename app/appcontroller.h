// Wires the app together: which server to talk to (embedded, remote from the command line, or
// the remembered one), the session with it, and the main window.
#pragma once

#include "commandlineoptions.h"
#include "session/apppaths.h"
#include "session/identity.h"
#include "session/remoteconnection.h"
#include "session/session.h"

#include <QObject>
#include <QPointer>
#include <QSslCertificate>

#include <memory>
#include <optional>

namespace waybill::app {

class EmbeddedServer;
class MainWindow;

class AppController final : public QObject
{
    Q_OBJECT
public:
    AppController(CommandLineOptions options, AppPaths paths, QObject *parent = nullptr);
    ~AppController() override;
    Q_DISABLE_COPY_MOVE(AppController)

    // Shows the window and starts connecting; nothing here blocks the window.
    void start();

    MainWindow *window() const { return m_window.get(); }
    EmbeddedServer *embeddedServer() const { return m_embedded.get(); }
    Session *session() const { return m_session; }

Q_SIGNALS:
    // The views are built and filling (tests and the benchmark wait for this).
    void sessionReady();
    // --demo: the sample data is in the demo database (error is empty), or could not be put
    // there.
    void demoSeeded(const QString &error);

private:
    void startEmbedded();
    void openSession(
        const QUrl &server, const QString &token, const Identity &fallback, const QString &where);
    // prefill: what the dialog shows for a server (else the remembered connection), remote
    // chosen when given.
    void chooseConnection(const std::optional<RemoteConnection> &prefill = std::nullopt);
    void moveData();
    void retry();
    // The session's server showed a certificate nobody vouches for: ask, as ssh does.
    void askAboutCertificate(const QUrl &server, const QSslCertificate &certificate);
    // --demo: fills the demo database with the sample working week, once (when it is empty).
    void seedDemo(Session *session);

    CommandLineOptions m_options;
    AppPaths m_paths;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<EmbeddedServer> m_embedded;
    QPointer<Session> m_session;
    bool m_remote = false;
    QUrl m_remoteUrl;
    QString m_remoteToken;
    QPointer<QWidget> m_certificatePrompt; // one question at a time
};

} // namespace waybill::app
