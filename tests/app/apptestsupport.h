// What the app's tests share: settings kept apart from the user's, the app's real embedded
// server in a temporary folder, tokens for each role, commands sent through the app's client, the
// app itself started against a server, the dialogs it opens, and a day that will not end mid-test.
#pragma once

#include "appcontroller.h"
#include "client/apiclient.h"
#include "client/commandsender.h"
#include "embedded/embeddedserver.h"
#include "session/apppaths.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUrl>
#include <QWidget>

#include <chrono>
#include <memory>
#include <optional>

namespace waybill {
class Database;
}

namespace waybill::app::test {

// QSettings and QStandardPaths of this test process go to folder, never to the user's.
void isolateSettings(const QString &folder);

// Started within `margin` of the end of a day in zone, waits until the next day has begun (at most
// margin and a second): a test that reads "today" more than once, the app and the test each in
// turn, then reads one day throughout, whatever the time it is run. False if the day did not end.
bool waitOutTheDaysEnd(const QTimeZone &zone, std::chrono::seconds margin);

// The embedded server, started for real (SQLite file, engine, HTTP on loopback).
class TestServer final
{
public:
    // ratesTable: the text of a rate table file to price by; empty: the standard rate.
    // history: a SQLite file whose copy the server opens (and upgrades); empty: a new one.
    explicit TestServer(const QByteArray &ratesTable = {}, const QString &history = {});
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

// The app's data and configuration folders, both inside home.
AppPaths appPathsIn(const QTemporaryDir &home);

// The app started as `waybill --server URL --token TOKEN` starts it, keeping its own files under
// paths; nothing when its session was not ready within 15 s.
std::unique_ptr<AppController> openApp(
    const QUrl &server, const QString &token, const AppPaths &paths);

// The dialog of type T that owner opened, once it is there; nothing when none came within 5 s.
template<typename T> T *waitForDialog(QWidget *owner)
{
    T *dialog = nullptr;
    const bool opened = QTest::qWaitFor(
        [&] {
            dialog = owner->findChild<T *>();
            return dialog != nullptr;
        },
        5000);
    return opened ? dialog : nullptr;
}

// The same, once the dialog is also shown.
template<typename T> T *waitForShownDialog(QWidget *owner)
{
    T *dialog = nullptr;
    const bool shown = QTest::qWaitFor(
        [&] {
            dialog = owner->findChild<T *>();
            return dialog != nullptr && dialog->isVisible();
        },
        5000);
    return shown ? dialog : nullptr;
}

// Bodies of valid commands.
QJsonObject address(const QString &name, const QString &city, const QString &zip);
CommandRequest submit(const QString &id, const QString &account, double weight = 100);
CommandRequest assign(const QString &id, const QString &truck);
CommandRequest ship(const QString &id);
CommandRequest deliver(const QString &id, const QString &signedBy = {});
CommandRequest payment(const QString &account, double amount);

} // namespace waybill::app::test
