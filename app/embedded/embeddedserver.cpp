#include "embeddedserver.h"

#include "domain/ids.h"
#include "domain/ratetablefile.h"
#include "engine/engine.h"
#include "httpapiserver.h"
#include "session/apppaths.h"
#include "session/credentialfile.h"
#include "store/database.h"
#include "store/sql.h"
#include "tokenstore.h"

#include <QCoreApplication>
#include <QDir>

namespace waybill::app {

// Everything that lives on the server's thread. Created there, destroyed there.
class EmbeddedServer::Host final
{
    Q_DECLARE_TR_FUNCTIONS(EmbeddedServer)
public:
    explicit Host(const EmbeddedServerConfig &config)
        : m_config(config)
    { }

    // Returns the error for people, or empty once listening.
    QString start()
    {
        QString privacyError;
        if (!AppPaths::makeDatabasePrivate(m_config.databaseFile, &privacyError))
            return privacyError;
        try {
            EngineOptions engineOptions;
            if (!m_config.ratesFile.isEmpty()) {
                QString error;
                const std::optional<RateTable> rates = loadRateTable(m_config.ratesFile, &error);
                if (!rates)
                    return tr("The rate table is refused: %1").arg(error);
                engineOptions.rates = *rates;
            }
            m_database = std::make_unique<Database>(DatabaseUrl::sqlite(m_config.databaseFile));
            m_engine = std::make_unique<Engine>(*m_database, engineOptions);
            m_engine->start();
            QString error;
            m_token = adminToken(&error);
            if (m_token.isEmpty())
                return error;
            ServerOptions options;
            options.address = QHostAddress::LocalHost;
            options.port = 0;
            m_server = std::make_unique<HttpApiServer>(*m_engine, options);
            if (!m_server->listen(&error))
                return tr("The local server could not start: %1").arg(error);
        } catch (const StoreError &e) {
            return tr("The local database %1 could not be opened: %2")
                .arg(QDir::toNativeSeparators(m_config.databaseFile), e.message());
        }
        return {};
    }

    void stop()
    {
        if (m_server)
            m_server->close();
        m_server.reset();
        if (m_engine)
            m_engine->stop();
        m_engine.reset();
        if (m_database)
            m_database->closeConnection();
        m_database.reset();
    }

    QUrl url() const { return m_server ? m_server->url() : QUrl(); }
    QString token() const { return m_token; }
    Engine *engine() const { return m_engine.get(); }

private:
    // The token kept in the user's config if the database still knows it as an administrator's;
    // otherwise a new one (first run, or a database that was replaced).
    QString adminToken(QString *error)
    {
        const CredentialFile file(m_config.tokenFile);
        const QJsonObject stored = file.read();
        TokenStore tokens(*m_database);
        const QString kept = stored.value(QLatin1String("token")).toString();
        if (!kept.isEmpty()) {
            const std::optional<TokenInfo> owner = tokens.authenticate(kept);
            if (owner && owner->role == Role::Admin)
                return kept;
        }
        tokens.revoke(m_config.tokenName);
        const QString token = tokens.create(m_config.tokenName, Role::Admin);
        QString writeError;
        if (!file.write({ { QStringLiteral("name"), m_config.tokenName },
                            { QStringLiteral("token"), token },
                            { QStringLiteral("database"), m_config.databaseFile } },
                &writeError)) {
            *error = tr("The access token could not be kept: %1").arg(writeError);
            return {};
        }
        return token;
    }

    EmbeddedServerConfig m_config;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<HttpApiServer> m_server;
    QString m_token;
};

QString EmbeddedServerConfig::defaultTokenName()
{
    const QString login = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    // Token names are ids (they appear as every event's "user"): other characters become '_'.
    QString name;
    for (const QChar c : login.left(64)) {
        const char16_t u = c.unicode();
        const bool allowed = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')
            || (u >= '0' && u <= '9') || u == '-' || u == '_' || u == '.';
        name += allowed ? c : QLatin1Char('_');
    }
    return isValidId(name) ? name : QStringLiteral("desktop");
}

EmbeddedServer::EmbeddedServer(EmbeddedServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_thread.setObjectName(QStringLiteral("embedded-server"));
}

EmbeddedServer::~EmbeddedServer()
{
    stop();
}

void EmbeddedServer::start()
{
    if (m_thread.isRunning())
        return;
    m_thread.start();
    // A context object in the server's thread runs the start there; the answer comes back here.
    auto *context = new QObject;
    context->moveToThread(&m_thread);
    const quint64 generation = ++m_generation;
    QMetaObject::invokeMethod(
        context,
        [this, context, generation] {
            auto host = std::make_unique<Host>(m_config);
            const QString error = host->start();
            if (!error.isEmpty())
                host->stop();
            const QUrl url = error.isEmpty() ? host->url() : QUrl();
            const QString token = host->token();
            if (error.isEmpty())
                m_host = std::move(host);
            delete context;
            QMetaObject::invokeMethod(
                this,
                [this, error, url, token, generation] {
                    if (generation != m_generation)
                        return; // stopped meanwhile
                    if (!error.isEmpty()) {
                        m_thread.quit();
                        m_thread.wait();
                        Q_EMIT failed(error);
                    } else {
                        onStarted(url, token);
                    }
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void EmbeddedServer::onStarted(const QUrl &url, const QString &token)
{
    m_url = url;
    m_token = token;
    Q_EMIT ready(url, token);
}

void EmbeddedServer::stop()
{
    if (!m_thread.isRunning())
        return;
    auto *context = new QObject;
    context->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        context,
        [this, context] {
            if (m_host)
                m_host->stop();
            m_host.reset();
            delete context;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    ++m_generation;
    m_url.clear();
    m_token.clear();
}

Engine *EmbeddedServer::engine() const
{
    return m_host ? m_host->engine() : nullptr;
}

} // namespace waybill::app
