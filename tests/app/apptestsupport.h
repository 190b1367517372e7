// What the app's tests share: settings kept apart from the user's, the app's real embedded
// server in a temporary folder, tokens for each role, and commands sent through the app's client.
#pragma once

#include "client/apiclient.h"
#include "client/commandsender.h"
#include "embedded/embeddedserver.h"

#include <QTemporaryDir>
#include <QUrl>

#include <memory>
#include <optional>

namespace waybill {
class Database;
}

namespace waybill::app::test {

// QSettings and QStandardPaths of this test process go to folder, never to the user's.
void isolateSettings(const QString &folder);

// The embedded server, started for real (SQLite file, engine, HTTP on loopback).
class TestServer final
{
public:
    // ratesTable: the text of a rate table file to price by; empty: the standard rate.
    explicit TestServer(const QByteArray &ratesTable = {});
    ~TestServer();
    Q_DISABLE_COPY_MOVE(TestServer)

    // Starts and waits until it listens; false with the reason.
    bool start(QString *error);
    void stop();
    EmbeddedServer &server() { return *m_server; }
    QUrl url() const { return m_server->url(); }
    QString adminToken() const { return m_server->token(); }
    Engine *engine() const { return m_server->engine(); }
    QString folder() const { return m_dir.path(); }
    EmbeddedServerConfig config() const;

    // A new token with this role ("dispatch", ...), as an administrator would make it.
    QString createToken(const QString &name, const QString &role);

private:
    QTemporaryDir m_dir;
    QString m_ratesFile;
    std::unique_ptr<EmbeddedServer> m_server;
    std::unique_ptr<Database> m_database; // the test's own connection to the same file
};

// Sends the commands one after another through the app's client; the first failure, or empty.
QString runCommands(ApiClient *api, const QVector<CommandRequest> &commands);

// GET path through the client, waited for; empty when no answer came within timeoutMs.
std::optional<ApiResult> getNow(ApiClient *api, const QString &path, int timeoutMs = 10000);

// Bodies of valid commands.
QJsonObject address(const QString &name, const QString &city, const QString &zip);
CommandRequest submit(const QString &id, const QString &account, double weight = 100);
CommandRequest assign(const QString &id, const QString &truck);
CommandRequest ship(const QString &id);
CommandRequest deliver(const QString &id, const QString &signedBy = {});
CommandRequest payment(const QString &account, double amount);

} // namespace waybill::app::test
