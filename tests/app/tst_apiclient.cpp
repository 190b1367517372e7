// The app's one HTTP client against the real embedded server: answers, errors in words, pages,
// commands followed to their outcome, the live feed and the streamed CSV export.
#include "apptestsupport.h"
#include "client/apiclient.h"
#include "client/csvdownload.h"
#include "client/liveclient.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace waybill;
using namespace waybill::app;

class TestApiClient final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void unknownTokenIsRefusedInWords();
    void unreachableServerIsReportedInWords();
    void missingShipmentAnswersNotFound();
    void invalidBodyNamesEachFieldByPath();
    void commandWithWaitAnswersItsEvents();
    void illegalCommandIsRefusedWithTheReason();
    void equalPaymentsSentTwiceAreTwoPayments();
    void pagedListCarriesTheTotalCount();
    void liveFeedPushesEventsAndCommandOutcomes();
    void csvExportIsWrittenAsItArrives();
    void cancelledExportLeavesNoFile();

private:
    ApiResult get(ApiClient &api, const QString &path, const QUrlQuery &query = {});
    QTemporaryDir m_settings;
    std::unique_ptr<test::TestServer> m_server;
    std::unique_ptr<ApiClient> m_api;
};

void TestApiClient::initTestCase()
{
    test::isolateSettings(m_settings.path());
    m_server = std::make_unique<test::TestServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_api = std::make_unique<ApiClient>(m_server->url(), m_server->adminToken());
}

void TestApiClient::cleanupTestCase()
{
    m_api.reset();
    m_server.reset();
}

ApiResult TestApiClient::get(ApiClient &api, const QString &path, const QUrlQuery &query)
{
    std::optional<ApiResult> result;
    api.get(path, query, this, [&result](const ApiResult &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 15000)) {
        ApiResult none;
        none.errorText = QStringLiteral("no answer within 15 s");
        return none;
    }
    return *result;
}

void TestApiClient::unknownTokenIsRefusedInWords()
{
    ApiClient stranger(m_server->url(), QStringLiteral("wb_not_a_token"));
    QSignalSpy rejected(&stranger, &ApiClient::tokenRejected);
    const ApiResult answer = get(stranger, QStringLiteral("/shipments"));
    QCOMPARE(answer.httpStatus, 401);
    QVERIFY2(
        answer.errorText.contains(QLatin1String("access token")), qPrintable(answer.errorText));
    QCOMPARE(rejected.count(), 1);
}

void TestApiClient::unreachableServerIsReportedInWords()
{
    QUrl closed = m_server->url();
    closed.setPort(1); // nothing listens on port 1
    ApiClient api(closed, m_server->adminToken());
    const ApiResult answer = get(api, QStringLiteral("/shipments"));
    QCOMPARE(answer.httpStatus, 0);
    QVERIFY2(
        answer.errorText.contains(QLatin1String("cannot reach")), qPrintable(answer.errorText));
}

void TestApiClient::missingShipmentAnswersNotFound()
{
    const ApiResult answer
        = get(*m_api, ApiClient::pathOf({ QStringLiteral("shipments"), QStringLiteral("NOPE-1") }));
    QCOMPARE(answer.httpStatus, 404);
    QVERIFY2(answer.errorText.startsWith(QLatin1String("Not found")), qPrintable(answer.errorText));
}

void TestApiClient::invalidBodyNamesEachFieldByPath()
{
    CommandRequest bad = test::submit(QStringLiteral("BAD-1"), QStringLiteral("ACME"));
    QJsonObject to = bad.body.value(QLatin1String("shipTo")).toObject();
    to.insert(QStringLiteral("zip"), QStringLiteral("7700"));
    bad.body.insert(QStringLiteral("shipTo"), to);
    bad.body.insert(QStringLiteral("weightInPounds"), 0);
    CommandSender sender(m_api.get(), nullptr);
    std::optional<CommandResult> result;
    sender.send(bad, this, [&result](const CommandResult &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15000);
    QCOMPARE(result->outcome, CommandResult::Outcome::Refused);
    QStringList paths;
    for (const FieldError &e : result->fieldErrors)
        paths << e.path.join(QLatin1Char('/'));
    QVERIFY2(paths.contains(QLatin1String("shipTo/zip"))
            && paths.contains(QLatin1String("weightInPounds")),
        qPrintable(paths.join(QLatin1String(", "))));
}

void TestApiClient::commandWithWaitAnswersItsEvents()
{
    CommandSender sender(m_api.get(), nullptr);
    std::optional<CommandResult> result;
    sender.send(test::submit(QStringLiteral("WAIT-1"), QStringLiteral("ACME"), 10), this,
        [&result](const CommandResult &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15000);
    QCOMPARE(result->outcome, CommandResult::Outcome::Succeeded);
    QCOMPARE(result->events.size(), 1);
    const QJsonObject data
        = result->events.first().toObject().value(QLatin1String("data")).toObject();
    QCOMPARE(data.value(QLatin1String("costCents")).toInt(), 280); // 10 lb at 28 cents
}

void TestApiClient::illegalCommandIsRefusedWithTheReason()
{
    QCOMPARE(test::runCommands(
                 m_api.get(), { test::submit(QStringLiteral("EARLY-1"), QStringLiteral("ACME")) }),
        QString());
    CommandSender sender(m_api.get(), nullptr);
    std::optional<CommandResult> result;
    sender.send(test::ship(QStringLiteral("EARLY-1")), this,
        [&result](const CommandResult &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15000);
    QCOMPARE(result->outcome, CommandResult::Outcome::Refused);
    QVERIFY2(result->message.contains(QLatin1String("cannot be done now"))
            && result->message.contains(QLatin1String("EARLY-1")),
        qPrintable(result->message));
}

void TestApiClient::equalPaymentsSentTwiceAreTwoPayments()
{
    // Each click is a new intent: the idempotency key is reused only to retry a lost answer.
    QCOMPARE(test::runCommands(m_api.get(),
                 { test::payment(QStringLiteral("TWICE"), 12.5),
                     test::payment(QStringLiteral("TWICE"), 12.5) }),
        QString());
    const ApiResult account = get(*m_api, QStringLiteral("/accounts/TWICE"));
    QCOMPARE(account.httpStatus, 200);
    QCOMPARE(account.object().value(QLatin1String("balanceCents")).toInt(), 2500);
}

void TestApiClient::pagedListCarriesTheTotalCount()
{
    QVector<CommandRequest> commands;
    for (int i = 0; i < 3; ++i)
        commands << test::submit(QStringLiteral("PAGE-%1").arg(i), QStringLiteral("PAGED"));
    QCOMPARE(test::runCommands(m_api.get(), commands), QString());
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("accountId"), QStringLiteral("PAGED"));
    query.addQueryItem(QStringLiteral("limit"), QStringLiteral("2"));
    const ApiResult page = get(*m_api, QStringLiteral("/shipments"), query);
    QCOMPARE(page.httpStatus, 200);
    QCOMPARE(page.array().size(), 2);
    QCOMPARE(page.totalCount, qint64(3));
}

void TestApiClient::liveFeedPushesEventsAndCommandOutcomes()
{
    LiveClient live(m_api->liveUrl());
    QSignalSpy connected(&live, &LiveClient::connectedChanged);
    QSignalSpy events(&live, &LiveClient::eventReceived);
    QSignalSpy outcomes(&live, &LiveClient::commandFinished);
    live.start();
    QTRY_VERIFY_WITH_TIMEOUT(live.isConnected(), 10000);
    QCOMPARE(test::runCommands(
                 m_api.get(), { test::submit(QStringLiteral("LIVE-1"), QStringLiteral("ACME")) }),
        QString());
    auto sawEvent = [&events] {
        for (const QList<QVariant> &args : events) {
            if (args.first().toJsonObject().value(QLatin1String("streamId")).toString()
                == QLatin1String("shipment-LIVE-1"))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(sawEvent(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!outcomes.isEmpty(), 10000);
    QCOMPARE(outcomes.last().first().toJsonObject().value(QLatin1String("status")).toString(),
        QStringLiteral("succeeded"));
}

void TestApiClient::csvExportIsWrittenAsItArrives()
{
    QCOMPARE(test::runCommands(
                 m_api.get(), { test::submit(QStringLiteral("CSV-1"), QStringLiteral("ACME")) }),
        QString());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("events.csv"));
    CsvDownload download(m_api.get());
    QSignalSpy finished(&download, &CsvDownload::finished);
    QString error;
    QVERIFY2(download.start(path, {}, &error), qPrintable(error));
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray csv = file.readAll();
    QVERIFY2(
        csv.startsWith("position,timestamp,stream_id,version,type,command_id,user,data,hash\r\n"),
        csv.left(100).constData());
    QVERIFY(csv.contains("shipment-CSV-1"));
    QCOMPARE(download.rowsWritten(), qint64(csv.count("\r\n") - 1));
}

void TestApiClient::cancelledExportLeavesNoFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cancelled.csv"));
    CsvDownload download(m_api.get());
    QSignalSpy finished(&download, &CsvDownload::finished);
    QString error;
    QVERIFY2(download.start(path, {}, &error), qPrintable(error));
    download.cancel();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY2(!QFile::exists(path), "a cancelled export must leave no file behind");
    QVERIFY2(QDir(dir.path()).entryList(QDir::Files).isEmpty(), "nor a temporary one");
}

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
