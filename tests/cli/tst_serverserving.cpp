// waybill-server serving over real HTTP: health on a free port, tokens made by its own CLI,
// clean stops on SIGTERM and SIGINT, and no acknowledged command lost when stopped under load.
#include "cliprocess.h"
#include "samplehistory.h"
#include "testcertificate.h"

#include "domain/ids.h"
#include "store/commandstore.h"
#include "store/database.h"
#include "store/sql.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace waybill;
using namespace waybill::test;

class TestServerServing final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;

    QProcessEnvironment environment() const
    {
        return isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
    }
    QString dbUrl(const QString &name) const
    {
        return QStringLiteral("sqlite:") + m_dir.filePath(name);
    }

    HttpAnswer get(const QUrl &url, const QString &token = QString())
    {
        return httpRequest(m_network, "GET", url, token);
    }

    QString createToken(const QString &db, const QString &name, const QString &role, QString *error)
    {
        return createTokenWithCli(environment(), name, role, error, db);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(serverBinaryIsBuilt(&error), qPrintable(error));
    }

    void servesHealthOnAFreePortAndStopsCleanlyOnSignal_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }
    void servesHealthOnAFreePortAndStopsCleanlyOnSignal()
    {
        QFETCH(int, signalNumber);
        ServerRun server(
            { QStringLiteral("--db"), dbUrl(QStringLiteral("health-%1.db").arg(signalNumber)),
                QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") },
            environment());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QCOMPARE(server.url().scheme(), QStringLiteral("http"));
        QCOMPARE(server.url().host(), QStringLiteral("127.0.0.1"));
        QVERIFY2(server.url().port() > 0, qPrintable(server.urlLine()));

        const HttpAnswer health = get(server.url().resolved(QUrl(QStringLiteral("/health"))));
        QVERIFY2(health.status == 200,
            qPrintable(QStringLiteral("GET /health: %1 %2 %3")
                           .arg(health.status)
                           .arg(QString::fromUtf8(health.body), health.error)));
        QCOMPARE(QJsonDocument::fromJson(health.body)
                     .object()
                     .value(QStringLiteral("status"))
                     .toString(),
            QStringLiteral("ok"));

        server.sendSignal(signalNumber);
        QVERIFY2(server.waitForExit(), "the server did not exit after the signal");
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QVERIFY2(server.exitCode() == 0, server.stdErr());
        // Only the URL line on stdout; everything else is the log.
        QCOMPARE(server.process().readAllStandardOutput(), QByteArray());
    }

    // --tls-cert and --tls-key: HTTPS that a client trusting that certificate accepts.
    void servesHttpsWithTheGivenCertificate()
    {
        WAYBILL_TEST_CERTIFICATE(made, m_dir.path());
        const QString cert = made.certificate;
        const QString key = made.key;

        ServerRun server({ QStringLiteral("--db"), dbUrl(QStringLiteral("tls.db")),
                             QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key },
            environment());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QCOMPARE(server.url().scheme(), QStringLiteral("https"));

        QNetworkRequest request(server.url().resolved(QUrl(QStringLiteral("/health"))));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(cert));
        request.setSslConfiguration(tls);
        std::unique_ptr<QNetworkReply> reply(m_network.get(request));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 15000);
        QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);

        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
        QCOMPARE(server.exitCode(), 0);
    }

    void logLinesCarryUtcTimeLevelAndCategory()
    {
        ServerRun server({ QStringLiteral("--db"), dbUrl(QStringLiteral("log.db")),
                             QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") },
            environment());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
        const QStringList lines
            = QString::fromUtf8(server.stdErr()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 2, server.stdErr());
        static const QRegularExpression shape(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z "
                           "(debug|info|warning|critical) [a-z][a-z0-9.]*: \\S"));
        for (const QString &line : lines)
            QVERIFY2(shape.match(line).hasMatch(),
                qPrintable(QStringLiteral("not a log line: ") + line));
        QVERIFY2(lines.filter(QStringLiteral("info waybill.server: listening on ")).size() == 1,
            server.stdErr());
    }

    void tokensFromTheCliAuthenticateUntilRevoked()
    {
        const QString db = dbUrl(QStringLiteral("tokens.db"));
        QString error;
        const QString kept
            = createToken(db, QStringLiteral("dispatch-desk"), QStringLiteral("dispatch"), &error);
        QVERIFY2(!kept.isEmpty(), qPrintable(error));
        const QString revoked
            = createToken(db, QStringLiteral("old-laptop"), QStringLiteral("finance"), &error);
        QVERIFY2(!revoked.isEmpty(), qPrintable(error));
        QVERIFY(kept != revoked);
        const CliResult revoke
            = runCli({ QStringLiteral("--db"), db, QStringLiteral("token"),
                         QStringLiteral("revoke"), QStringLiteral("old-laptop") },
                environment());
        QVERIFY2(revoke.finished && revoke.exitCode == 0, revoke.describe());

        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        QVERIFY2(server.start(&error), qPrintable(error));
        const QUrl shipments = server.url().resolved(QUrl(QStringLiteral("/shipments")));
        const HttpAnswer withKept = get(shipments, kept);
        QVERIFY2(withKept.status == 200,
            qPrintable(
                QStringLiteral("valid token: %1 %2").arg(withKept.status).arg(withKept.error)));
        const HttpAnswer withRevoked = get(shipments, revoked);
        QVERIFY2(withRevoked.status == 401,
            qPrintable(QStringLiteral("revoked token: %1").arg(withRevoked.status)));
        const HttpAnswer withNone = get(shipments);
        QVERIFY2(withNone.status == 401,
            qPrintable(QStringLiteral("no token: %1").arg(withNone.status)));

        // Revoking while it serves takes effect for the running server too.
        const CliResult revokeLive
            = runCli({ QStringLiteral("--db"), db, QStringLiteral("token"),
                         QStringLiteral("revoke"), QStringLiteral("dispatch-desk") },
                environment());
        QVERIFY2(revokeLive.finished && revokeLive.exitCode == 0, revokeLive.describe());
        QTRY_COMPARE_WITH_TIMEOUT(get(shipments, kept).status, 401, 15000);
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
        QCOMPARE(server.exitCode(), 0);
    }

    // One implementation behind both: the CLI's export and GET /events.csv give the same bytes,
    // whole and filtered by stream.
    // The compatibility switches reach the engine that serves, from each place a setting can come
    // from; off by default, an account never opened may be billed and a truck never registered
    // assigned, as the reference allowed.
    void recordSwitchesReachTheServingEngineFromFlagEnvironmentOrFile_data()
    {
        QTest::addColumn<QString>("source"); // flag, environment, file or none
        QTest::addColumn<bool>("refused");
        QTest::newRow("flag refuses unregistered ids") << QStringLiteral("flag") << true;
        QTest::newRow("environment refuses unregistered ids")
            << QStringLiteral("environment") << true;
        QTest::newRow("config file refuses unregistered ids") << QStringLiteral("file") << true;
        QTest::newRow("off by default: any id works") << QStringLiteral("none") << false;
    }

    void recordSwitchesReachTheServingEngineFromFlagEnvironmentOrFile()
    {
        QFETCH(QString, source);
        QFETCH(bool, refused);
        const QString db = dbUrl(QStringLiteral("switches-%1.db").arg(source));
        QString error;
        const QString token
            = createToken(db, QStringLiteral("admin-desk"), QStringLiteral("admin"), &error);
        QVERIFY2(!token.isEmpty(), qPrintable(error));
        QStringList arguments { QStringLiteral("--db"), db, QStringLiteral("--listen"),
            QStringLiteral("127.0.0.1:0") };
        QProcessEnvironment env = environment();
        if (source == QLatin1String("flag")) {
            arguments << QStringLiteral("--require-registered-accounts")
                      << QStringLiteral("--require-registered-trucks");
        } else if (source == QLatin1String("environment")) {
            env.insert(QStringLiteral("WAYBILL_REQUIRE_REGISTERED_ACCOUNTS"), QStringLiteral("1"));
            env.insert(QStringLiteral("WAYBILL_REQUIRE_REGISTERED_TRUCKS"), QStringLiteral("yes"));
        } else if (source == QLatin1String("file")) {
            const QString config = m_dir.filePath(QStringLiteral("switches.ini"));
            QFile file(config);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("[server]\nrequire-registered-accounts = true\n"
                       "require-registered-trucks = true\n");
            file.close();
            arguments << QStringLiteral("--config") << config;
        }
        ServerRun server(arguments, env);
        QVERIFY2(server.start(&error), qPrintable(error));
        const auto post = [&](const QString &path, const QByteArray &body) {
            return httpRequest(m_network, "POST", server.url().resolved(QUrl(path)), token, body,
                { { "Prefer", "wait=10" } });
        };
        const int expected = refused ? 409 : 200;
        HttpAnswer r = post(QStringLiteral("/shipments/s1/commands/submit"),
            submitBody(QStringLiteral("never-opened"), 10));
        QVERIFY2(r.status == expected, r.body + r.error.toUtf8());
        if (refused) {
            QVERIFY2(r.body.contains("not registered"), r.body);
            // Opened, the account may be billed; the truck is still refused until registered.
            r = post(QStringLiteral("/accounts/never-opened/commands/open"),
                R"({"name": "N", "billingAddress": {"name": "N", "line1": "1 Main St",
                    "city": "Austin", "state": "TX", "zip": "78701"}})");
            QVERIFY2(r.status == 200, r.body + r.error.toUtf8());
            r = post(QStringLiteral("/shipments/s1/commands/submit"),
                submitBody(QStringLiteral("never-opened"), 10));
            QVERIFY2(r.status == 200, r.body + r.error.toUtf8());
        }
        r = post(QStringLiteral("/shipments/s1/commands/assign"), R"({"truckId": "t-unknown"})");
        QVERIFY2(r.status == expected, r.body + r.error.toUtf8());
        if (refused)
            QVERIFY2(r.body.contains("Truck t-unknown is not registered"), r.body);
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
    }

    void cliExportIsByteForByteTheHttpExport()
    {
        const QString db = dbUrl(QStringLiteral("export-same.db"));
        QString error;
        QVERIFY2(
            recordSampleHistory(*DatabaseUrl::parse(db, &error), 6, &error), qPrintable(error));
        const QString token
            = createToken(db, QStringLiteral("auditor-desk"), QStringLiteral("auditor"), &error);
        QVERIFY2(!token.isEmpty(), qPrintable(error));
        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        QVERIFY2(server.start(&error), qPrintable(error));
        for (const QString &stream : { QString(), shipmentStreamId(QStringLiteral("s-2")) }) {
            QUrl url = server.url().resolved(QUrl(QStringLiteral("/events.csv")));
            QStringList cli { QStringLiteral("--db"), db, QStringLiteral("export") };
            if (!stream.isEmpty()) {
                url.setQuery(QStringLiteral("streamId=") + stream);
                cli << QStringLiteral("--stream") << stream;
            }
            const HttpAnswer http = get(url, token);
            QVERIFY2(http.status == 200,
                qPrintable(QStringLiteral("%1 %2").arg(http.status).arg(http.error)));
            const CliResult exported = runCli(cli, environment());
            QVERIFY2(exported.finished && exported.exitCode == 0, exported.describe());
            QVERIFY2(
                http.body.count("\r\n") > 1, "the export should hold events, not only its header");
            QCOMPARE(exported.out, http.body);
        }
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
    }

    // 200 submits in flight, SIGTERM as the first is acknowledged: the server exits 0 and every
    // command it acknowledged (202) is processed, none left pending or lost.
    void sigtermUnderLoadLosesNoAcknowledgedCommand()
    {
        const QString dbPath = m_dir.filePath(QStringLiteral("load.db"));
        const QString db = QStringLiteral("sqlite:") + dbPath;
        QString error;
        const QString token
            = createToken(db, QStringLiteral("load"), QStringLiteral("customer-service"), &error);
        QVERIFY2(!token.isEmpty(), qPrintable(error));
        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        QVERIFY2(server.start(&error), qPrintable(error));

        constexpr int kCommands = 200;
        std::vector<std::unique_ptr<QNetworkReply>> replies;
        for (int i = 0; i < kCommands; ++i) {
            QNetworkRequest request(server.url().resolved(
                QUrl(QStringLiteral("/shipments/load-%1/commands/submit").arg(i))));
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
            request.setHeader(
                QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            replies.emplace_back(
                m_network.post(request, submitBody(QStringLiteral("acct-load"), 10 + i)));
        }
        auto finished = [&] {
            return std::count_if(
                replies.begin(), replies.end(), [](const auto &r) { return r->isFinished(); });
        };
        auto acknowledged = [](const std::unique_ptr<QNetworkReply> &r) {
            return r->isFinished()
                && r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 202;
        };
        // Some acknowledged, most still in flight: then SIGTERM.
        QTRY_VERIFY_WITH_TIMEOUT(
            std::count_if(replies.begin(), replies.end(), acknowledged) >= 20, 20000);
        server.sendSignal(SIGTERM);
        const qint64 inFlightAtSignal = kCommands - finished();
        QTRY_COMPARE_WITH_TIMEOUT(finished(), qint64(kCommands), 60000);
        QVERIFY2(server.waitForExit(), "the server did not exit after SIGTERM");
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QVERIFY2(server.exitCode() == 0, server.stdErr());
        QVERIFY2(inFlightAtSignal > 0,
            "every request was answered before the signal: nothing was in flight");

        QStringList commandIds;
        QStringList refusedShipments; // answered with something else than 202, or not at all
        QMap<int, int> statuses;
        for (size_t i = 0; i < replies.size(); ++i) {
            const auto &reply = replies[i];
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            ++statuses[status];
            if (status == 202)
                commandIds << QJsonDocument::fromJson(reply->readAll())
                                  .object()
                                  .value(QStringLiteral("commandId"))
                                  .toString();
            else
                refusedShipments << QStringLiteral("load-%1").arg(i);
        }
        QVERIFY(!commandIds.isEmpty());
        QStringList histogram;
        for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
            histogram << QStringLiteral("%1 x %2").arg(it.value()).arg(it.key());
        qInfo("%lld of %d requests in flight at SIGTERM; answers: %s", inFlightAtSignal, kCommands,
            qPrintable(histogram.join(QLatin1String(", "))));
        for (auto it = statuses.cbegin(); it != statuses.cend(); ++it) {
            // Anything but 202 must be a refusal to take the command, never a failure after taking
            // it.
            QVERIFY2(it.key() == 202 || it.key() == 503 || it.key() == 0,
                qPrintable(
                    QStringLiteral("%1 answers with status %2").arg(it.value()).arg(it.key())));
        }

        Database database(DatabaseUrl::sqlite(dbPath));
        QSqlDatabase connection = database.connection();
        for (const QString &id : commandIds) {
            QVERIFY2(!id.isEmpty(), "a 202 without a commandId");
            const std::optional<CommandOutcome> outcome = CommandStore::outcome(connection, id);
            QVERIFY2(outcome,
                qPrintable(
                    QStringLiteral("acknowledged command %1 is not in the database").arg(id)));
            // Fresh shipments with valid bodies: each submit succeeds.
            QVERIFY2(outcome->status == CommandStatus::Succeeded,
                qPrintable(QStringLiteral("acknowledged command %1 is %2")
                               .arg(id, commandStatusName(outcome->status))));
        }
        QCOMPARE(CommandStore::pendingCount(connection), qint64(0));
        // A 503 says "not recorded", and the server drains before it exits: a request it did not
        // take before stopping never reached the inbox. Either way nothing of it may be there.
        for (const QString &shipment : std::as_const(refusedShipments)) {
            QSqlQuery recorded = runQuery(connection,
                QStringLiteral("SELECT (SELECT COUNT(*) FROM commands WHERE stream_id = ?) + "
                               "(SELECT COUNT(*) FROM events WHERE stream_id = ?)"),
                { shipmentStreamId(shipment), shipmentStreamId(shipment) });
            QVERIFY(recorded.next());
            QVERIFY2(recorded.value(0).toInt() == 0,
                qPrintable(
                    QStringLiteral("%1 was not acknowledged, yet it is recorded").arg(shipment)));
        }
        connection = QSqlDatabase();
        database.closeConnection();
    }
};

QTEST_GUILESS_MAIN(TestServerServing)
#include "tst_serverserving.moc"
