// The embedded server: on its own thread, on loopback, with an administrator token kept in a
// file only the user can read, and reached over HTTP by the same client as a remote server.
#include "apptestsupport.h"
#include "client/apiclient.h"
#include "session/credentialfile.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace waybill::app;

class TestEmbeddedServer final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void startsOnLoopbackWithoutBlockingTheCallersThread();
    void firstRunCreatesAnAdminTokenReadableByTheUserOnly();
    void laterRunsReuseTheKeptToken();
    void replacedDatabaseGetsANewToken();
    void unusableDataFolderIsReportedInWords();

private:
    QTemporaryDir m_settings;
};

void TestEmbeddedServer::initTestCase()
{
    test::isolateSettings(m_settings.path());
}

void TestEmbeddedServer::startsOnLoopbackWithoutBlockingTheCallersThread()
{
    test::TestServer server;
    // The caller's event loop keeps turning while the database opens and the engine starts.
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, [&ticks] { ++ticks; });
    ticker.start(1);
    QElapsedTimer clock;
    clock.start();
    QSignalSpy ready(&server.server(), &EmbeddedServer::ready);
    server.server().start();
    QVERIFY2(clock.elapsed() < 50,
        qPrintable(QStringLiteral("start() blocked for %1 ms").arg(clock.elapsed())));
    QVERIFY(ready.wait(30000));
    QVERIFY2(ticks > 0, "the caller's thread did not run while the server started");

    const QUrl url = server.url();
    QCOMPARE(QHostAddress(url.host()), QHostAddress(QHostAddress::LocalHost));
    QVERIFY(url.port() > 0);

    ApiClient api(url, server.adminToken());
    std::optional<ApiResult> health;
    api.get(QStringLiteral("/shipments"), {}, this, [&health](const ApiResult &r) { health = r; });
    QTRY_VERIFY_WITH_TIMEOUT(health.has_value(), 10000);
    QVERIFY2(health->ok(),
        qPrintable(QStringLiteral("GET /shipments answered %1: %2")
                       .arg(health->httpStatus)
                       .arg(health->errorText)));
    QCOMPARE(health->totalCount, qint64(0));
}

void TestEmbeddedServer::firstRunCreatesAnAdminTokenReadableByTheUserOnly()
{
    test::TestServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QString tokenFile = server.config().tokenFile;
    QVERIFY2(QFile::exists(tokenFile), qPrintable(tokenFile));
    QCOMPARE(CredentialFile(tokenFile).read().value(QLatin1String("token")).toString(),
        server.adminToken());
    QVERIFY2(!(QFile::permissions(tokenFile) & (QFile::ReadGroup | QFile::ReadOther)),
        "the token file must be readable by its owner only");
    QVERIFY2(QFile::exists(server.config().databaseFile), "the SQLite file is in the data folder");

    // The token is an administrator's: it may read the audit chain.
    ApiClient api(server.url(), server.adminToken());
    std::optional<ApiResult> verify;
    api.get(
        QStringLiteral("/audit/verify"), {}, this, [&verify](const ApiResult &r) { verify = r; });
    QTRY_VERIFY_WITH_TIMEOUT(verify.has_value(), 10000);
    QCOMPARE(verify->httpStatus, 200);
}

void TestEmbeddedServer::laterRunsReuseTheKeptToken()
{
    test::TestServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QString first = server.adminToken();
    server.stop();
    QVERIFY2(server.start(&error), qPrintable(error));
    QCOMPARE(server.adminToken(), first);
}

void TestEmbeddedServer::replacedDatabaseGetsANewToken()
{
    test::TestServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QString first = server.adminToken();
    server.stop();
    const QString db = server.config().databaseFile;
    for (const QString &suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") })
        QFile::remove(db + suffix);
    QVERIFY2(server.start(&error), qPrintable(error));
    QVERIFY2(server.adminToken() != first, "a new database does not know the old token");
    ApiClient api(server.url(), server.adminToken());
    std::optional<ApiResult> answer;
    api.get(QStringLiteral("/shipments"), {}, this, [&answer](const ApiResult &r) { answer = r; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10000);
    QCOMPARE(answer->httpStatus, 200);
}

void TestEmbeddedServer::unusableDataFolderIsReportedInWords()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(QStringLiteral("not-a-folder")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    EmbeddedServer server({ dir.filePath(QStringLiteral("not-a-folder/waybill.db")),
        dir.filePath(QStringLiteral("token.json")), QStringLiteral("someone"), {} });
    QSignalSpy failed(&server, &EmbeddedServer::failed);
    server.start();
    QVERIFY(failed.wait(30000));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QLatin1String("not-a-folder")), qPrintable(message));
    QVERIFY(!server.isRunning());
}

QTEST_MAIN(TestEmbeddedServer)
#include "tst_embeddedserver.moc"
