#include "appcontroller.h"

#include "client/apiclient.h"
#include "client/servertrust.h"
#include "embedded/embeddedserver.h"
#include "screenshots/demodata.h"
#include "session/remoteconnection.h"
#include "session/session.h"
#include "views/certificateprompt.h"
#include "views/connectiondialog.h"
#include "views/mainwindow.h"
#include "views/movedatadialog.h"
#include "views/shipmentboard.h"

#include <QDir>
#include <QFileInfo>
#include <QUrlQuery>

namespace waybill::app {

AppController::AppController(CommandLineOptions options, AppPaths paths, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_paths(std::move(paths))
    , m_window(std::make_unique<MainWindow>())
{
    connect(m_window.get(), &MainWindow::connectRequested, this, [this] { chooseConnection(); });
    connect(m_window.get(), &MainWindow::moveDataRequested, this, &AppController::moveData);
    connect(m_window.get(), &MainWindow::retryRequested, this, &AppController::retry);
    ServerTrust::shared().setStoreFile(m_paths.trustedCertificatesFile());
    QString caError;
    if (!ServerTrust::shared().setCaFile(m_options.caFile, &caError))
        qWarning("%s", qPrintable(caError)); // the command line checked it is readable
    if (m_options.demo) {
        // The demo runs on its own database, never on a server or on the user's data.
    } else if (m_options.isRemote()) {
        m_remote = true;
        m_remoteUrl = m_options.serverUrl;
        m_remoteToken = m_options.token;
    } else {
        const RemoteConnection remembered = RemoteConnection::load(m_paths.connectionFile());
        if (remembered.connectAtStart && remembered.isComplete()) {
            m_remote = true;
            m_remoteUrl = remembered.serverUrl;
            m_remoteToken = remembered.token;
        }
    }
}

AppController::~AppController()
{
    // Views first (they use the session), then the embedded server while the session's
    // connections are still open (it closes them as it stops), then the session. A live client
    // that hangs up while its server runs costs that server a small leak (docs/desktop.md,
    // "Known issues").
    m_window.reset();
    if (m_embedded)
        m_embedded->stop();
    delete m_session;
}

void AppController::start()
{
    m_window->show();
    retry();
}

void AppController::retry()
{
    if (m_remote) {
        m_window->showStarting(tr("Connecting to %1…").arg(m_remoteUrl.toDisplayString()));
        openSession(m_remoteUrl, m_remoteToken, Identity::unknownRole(), m_remoteUrl.authority());
    } else {
        startEmbedded();
    }
}

void AppController::startEmbedded()
{
    if (m_embedded && m_embedded->isRunning()) {
        openSession(m_embedded->url(), m_embedded->token(),
            Identity::withRole(m_embedded->config().tokenName, QStringLiteral("admin")),
            tr("This computer"));
        return;
    }
    m_window->showStarting(tr("Opening this computer's Waybill data…"));
    if (!m_embedded) {
        AppPaths paths = m_paths;
        if (!m_options.dataDir.isEmpty())
            paths.dataDir = m_options.dataDir;
        if (m_options.demo)
            paths.dataDir = QDir(paths.dataDir).filePath(QStringLiteral("demo"));
        EmbeddedServerConfig config { paths.databaseFile(), paths.embeddedTokenFile(),
            EmbeddedServerConfig::defaultTokenName(), {} };
        // A rate table beside the data prices this computer's shipments (docs/desktop.md).
        const QString rates
            = QFileInfo(paths.databaseFile()).dir().filePath(QStringLiteral("rates.json"));
        if (QFileInfo::exists(rates))
            config.ratesFile = rates;
        m_embedded = std::make_unique<EmbeddedServer>(config);
        connect(m_embedded.get(), &EmbeddedServer::ready, this,
            [this](const QUrl &url, const QString &token) {
                if (!m_remote)
                    openSession(url, token,
                        Identity::withRole(m_embedded->config().tokenName, QStringLiteral("admin")),
                        m_options.demo ? tr("Demo data on this computer") : tr("This computer"));
            });
        connect(m_embedded.get(), &EmbeddedServer::failed, m_window.get(),
            &MainWindow::showStartFailed);
    }
    m_embedded->start();
}

void AppController::openSession(
    const QUrl &server, const QString &token, const Identity &fallback, const QString &where)
{
    m_window->clearSession();
    if (m_session)
        m_session->deleteLater();
    auto *session = new Session(server, token, this);
    m_session = session;
    session->setFallbackIdentity(fallback);
    connect(
        session->api(), &ApiClient::certificateRejected, this, &AppController::askAboutCertificate);
    connect(session, &Session::ready, this, [this, session, where] {
        if (session != m_session)
            return;
        m_window->setSession(session, where);
        Q_EMIT sessionReady();
        if (m_options.demo && !m_remote)
            seedDemo(session);
    });
    connect(session, &Session::failed, this, [this, session](const QString &message) {
        if (session == m_session)
            m_window->showStartFailed(message);
    });
    session->start();
}

void AppController::seedDemo(Session *session)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QStringLiteral("1"));
    session->api()->get(
        QStringLiteral("/shipments"), query, session, [this, session](const ApiResult &result) {
            if (!result.ok()) {
                Q_EMIT demoSeeded(result.errorText);
                return;
            }
            if (result.totalCount > 0) { // seeded on an earlier start
                Q_EMIT demoSeeded({});
                return;
            }
            auto *demo = new DemoData(session, session);
            demo->seed([this, demo, session](const QString &error) {
                demo->deleteLater();
                if (session == m_session && m_window)
                    m_window->board()->refresh();
                Q_EMIT demoSeeded(error);
            });
        });
}

void AppController::askAboutCertificate(const QUrl &server, const QSslCertificate &certificate)
{
    if (m_certificatePrompt || certificate.isNull())
        return;
    auto *prompt = new CertificatePrompt(
        server, certificate, ServerTrust::shared().rememberedFingerprint(server), m_window.get());
    prompt->setAttribute(Qt::WA_DeleteOnClose);
    m_certificatePrompt = prompt;
    connect(prompt, &CertificatePrompt::trusted, this,
        [this](const QUrl &trustedServer, const QSslCertificate &trusted) {
            QString error;
            if (!ServerTrust::shared().remember(trustedServer, trusted, &error)) {
                m_window->showStartFailed(error);
                return;
            }
            retry();
        });
    prompt->open();
}

void AppController::moveData()
{
    auto *dialog = new MoveDataDialog(m_paths.databaseFile(), m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &MoveDataDialog::connectToServerRequested, this, [this] {
        // The copied tokens work on the server: this computer's own is offered.
        RemoteConnection next = RemoteConnection::load(m_paths.connectionFile());
        if (m_embedded && !m_embedded->token().isEmpty())
            next.token = m_embedded->token();
        chooseConnection(next);
    });
    dialog->open();
}

void AppController::chooseConnection(const std::optional<RemoteConnection> &prefill)
{
    const RemoteConnection remembered
        = prefill.value_or(RemoteConnection::load(m_paths.connectionFile()));
    auto *dialog = new ConnectionDialog(remembered, m_remote || prefill, m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->useRemote()) {
            const RemoteConnection chosen = dialog->connection();
            QString error;
            if (!chosen.save(m_paths.connectionFile(), &error))
                m_window->showStartFailed(error);
            m_remote = true;
            m_remoteUrl = chosen.serverUrl;
            m_remoteToken = chosen.token;
            if (m_embedded)
                m_embedded->stop(); // nobody talks to it any more
        } else {
            RemoteConnection kept = RemoteConnection::load(m_paths.connectionFile());
            if (kept.connectAtStart) {
                kept.connectAtStart = false;
                QString error;
                kept.save(m_paths.connectionFile(), &error);
            }
            m_remote = false;
        }
        retry();
    });
    dialog->open();
}

} // namespace waybill::app
