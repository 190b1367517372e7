#include "apptestsupport.h"

#include "client/apiclient.h"
#include "store/database.h"
#include "tokenstore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

namespace waybill::app::test {

bool waitOutTheDaysEnd(const QTimeZone &zone, std::chrono::seconds margin)
{
    const QDateTime now = QDateTime::currentDateTimeUtc().toTimeZone(zone);
    const QDateTime nextDay(now.date().addDays(1), QTime(0, 0, 1), zone);
    const qint64 left = now.msecsTo(nextDay);
    if (left > (qint64(margin.count()) + 1) * 1000)
        return true;
    // By the wall clock, which is what the app reads its day from.
    return QTest::qWaitFor(
        [&nextDay] { return QDateTime::currentDateTimeUtc() >= nextDay; }, int(left) + 5000);
}

void isolateSettings(const QString &folder)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, folder);
    QSettings().clear();
}

TestServer::TestServer(const QByteArray &ratesTable, const QString &history)
{
    if (!ratesTable.isEmpty()) {
        m_ratesFile = m_dir.filePath(QStringLiteral("rates.json"));
        QFile file(m_ratesFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(ratesTable) != ratesTable.size())
            qFatal("cannot write %s", qPrintable(m_ratesFile));
    }
    if (!history.isEmpty()) {
        const QString copy = config().databaseFile;
        if (!QDir().mkpath(QFileInfo(copy).path()) || !QFile::copy(history, copy)
            || !QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner))
            qFatal("cannot copy %s to %s", qPrintable(history), qPrintable(copy));
    }
    m_server = std::make_unique<EmbeddedServer>(config());
}

TestServer::~TestServer()
{
    stop();
}

EmbeddedServerConfig TestServer::config() const
{
    return { m_dir.filePath(QStringLiteral("data/waybill.db")),
        m_dir.filePath(QStringLiteral("config/embedded-token.json")),
        QStringLiteral("office-admin"), m_ratesFile };
}

bool TestServer::start(QString *error)
{
    QSignalSpy ready(m_server.get(), &EmbeddedServer::ready);
    QSignalSpy failed(m_server.get(), &EmbeddedServer::failed);
    m_server->start();
    if (!QTest::qWaitFor([&] { return !ready.isEmpty() || !failed.isEmpty(); }, 30000)) {
        *error = QStringLiteral("the embedded server neither started nor failed within 30 s");
        return false;
    }
    if (!failed.isEmpty()) {
        *error = failed.first().first().toString();
        return false;
    }
    return true;
}

void TestServer::stop()
{
    if (m_database) {
        m_database->closeConnection();
        m_database.reset();
    }
    m_server->stop();
}

QString TestServer::createToken(const QString &name, const QString &role)
{
    if (!m_database)
        m_database = std::make_unique<Database>(DatabaseUrl::sqlite(config().databaseFile));
    return TokenStore(*m_database).create(name, *roleFromName(role));
}

AppPaths appPathsIn(const QTemporaryDir &home)
{
    return { home.filePath(QStringLiteral("data")), home.filePath(QStringLiteral("config")) };
}

std::unique_ptr<AppController> openApp(
    const QUrl &server, const QString &token, const AppPaths &paths)
{
    CommandLineOptions options;
    options.serverUrl = server;
    options.token = token;
    auto app = std::make_unique<AppController>(options, paths);
    QSignalSpy ready(app.get(), &AppController::sessionReady);
    app->start();
    if (!ready.wait(15000))
        return nullptr;
    return app;
}

QString runCommands(ApiClient *api, const QVector<CommandRequest> &commands)
{
    CommandSender sender(api, nullptr);
    sender.setWaitSeconds(10);
    for (const CommandRequest &request : commands) {
        std::optional<CommandResult> outcome;
        QObject context;
        sender.send(request, &context, [&outcome](const CommandResult &r) { outcome = r; });
        if (!QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 20000))
            return request.description() + QStringLiteral(": no answer within 20 s");
        if (outcome->outcome != CommandResult::Outcome::Succeeded)
            return request.description() + QStringLiteral(": ") + outcome->message;
    }
    return {};
}

std::optional<ApiResult> getNow(ApiClient *api, const QString &path, int timeoutMs)
{
    std::optional<ApiResult> answer;
    QObject context;
    api->get(path, {}, &context, [&answer](const ApiResult &result) { answer = result; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, timeoutMs))
        return std::nullopt;
    return answer;
}

QJsonObject address(const QString &name, const QString &city, const QString &zip)
{
    return { { QStringLiteral("name"), name },
        { QStringLiteral("line1"), QStringLiteral("1 Main St") }, { QStringLiteral("city"), city },
        { QStringLiteral("state"), QStringLiteral("TX") }, { QStringLiteral("zip"), zip } };
}

CommandRequest submit(const QString &id, const QString &account, double weight)
{
    return { CommandType::Submit, id,
        { { QStringLiteral("shipFrom"),
              address(QStringLiteral("Lone Star Grocers"), QStringLiteral("Austin"),
                  QStringLiteral("78701")) },
            { QStringLiteral("shipTo"),
                address(QStringLiteral("Bayou Bottling"), QStringLiteral("Houston"),
                    QStringLiteral("77002")) },
            { QStringLiteral("weightInPounds"), weight },
            { QStringLiteral("billToAccountId"), account } } };
}

CommandRequest assign(const QString &id, const QString &truck)
{
    return { CommandType::Assign, id, { { QStringLiteral("truckId"), truck } } };
}

CommandRequest ship(const QString &id)
{
    return { CommandType::Ship, id, {} };
}

CommandRequest deliver(const QString &id, const QString &signedBy)
{
    QJsonObject body;
    if (!signedBy.isEmpty())
        body.insert(QStringLiteral("signedBy"), signedBy);
    return { CommandType::Deliver, id, body };
}

CommandRequest payment(const QString &account, double amount)
{
    return { CommandType::Payment, account, { { QStringLiteral("amount"), amount } } };
}

} // namespace waybill::app::test
