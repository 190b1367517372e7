// The server inside the desktop app: database, engine and HTTP API on a thread of their own, on a
// loopback port, so that the app talks to it over HTTP exactly as to a remote server.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

#include <memory>

namespace waybill {
class Engine;
}

namespace waybill::app {

struct EmbeddedServerConfig
{
    QString databaseFile; // SQLite
    QString tokenFile; // where the administrator token is kept (mode 0600)
    QString tokenName; // the token's name, shown as "who" in the history
    QString ratesFile; // a rate table file to price by; empty: the standard rate

    // The login name of this computer's user, as a token name.
    static QString defaultTokenName();
};

class EmbeddedServer final : public QObject
{
    Q_OBJECT
public:
    explicit EmbeddedServer(EmbeddedServerConfig config, QObject *parent = nullptr);
    ~EmbeddedServer() override;
    Q_DISABLE_COPY_MOVE(EmbeddedServer)

    // Opens the database, starts the engine, makes sure there is an administrator token and
    // listens; all on the server's thread. Answers ready() or failed() on this thread.
    void start();
    // Stops listening, lets the engine finish what it accepted, closes the database. Blocks for
    // that long (it is short: the inbox drains in one transaction).
    void stop();

    bool isRunning() const { return m_url.isValid(); }
    QUrl url() const { return m_url; }
    QString token() const { return m_token; }
    const EmbeddedServerConfig &config() const { return m_config; }
    // The engine inside, between ready() and stop(): for tests and the benchmark's seeding.
    Engine *engine() const;

Q_SIGNALS:
    void ready(const QUrl &url, const QString &token);
    void failed(const QString &message);

private:
    class Host;
    void onStarted(const QUrl &url, const QString &token);

    EmbeddedServerConfig m_config;
    QThread m_thread;
    std::unique_ptr<Host> m_host;
    QUrl m_url;
    QString m_token;
    quint64 m_generation = 0; // answers of a start that was stopped meanwhile are dropped
};

} // namespace waybill::app
