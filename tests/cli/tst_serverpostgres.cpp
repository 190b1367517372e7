// waybill-server against a real PostgreSQL: tokens made by the CLI, serving and processing a
// command, then verify and export on the same database.
#include "cliprocess.h"
#include "postgrescluster.h"
#include "samplehistory.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace waybill::test;

class TestServerPostgres final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PostgresCluster m_cluster;
    QNetworkAccessManager m_network;

    QProcessEnvironment environment() const
    {
        return isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(serverBinaryIsBuilt(&error), qPrintable(error));
        if (!m_cluster.start(&error)) {
            if (PostgresCluster::requirePostgres())
                QFAIL(qPrintable(error));
            QSKIP(qPrintable(error));
        }
    }

    void servesAndAdministersAPostgresDatabase()
    {
        QString error;
        const QString db = m_cluster.createDatabase(QStringLiteral("cli_serve"), &error);
        QVERIFY2(!db.isEmpty(), qPrintable(error));
        // Given through the environment, as a service would.
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("WAYBILL_DB"), db);

        const QByteArray token
            = createTokenWithCli(env, QStringLiteral("desk"), QStringLiteral("admin"), &error)
                  .toUtf8();
        QVERIFY2(!token.isEmpty(), qPrintable(error));

        ServerRun server({ QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") }, env);
        QVERIFY2(server.start(&error), qPrintable(error));
        QNetworkRequest submit(
            server.url().resolved(QUrl(QStringLiteral("/shipments/pg-1/commands/submit"))));
        submit.setRawHeader("Authorization", "Bearer " + token);
        submit.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        std::unique_ptr<QNetworkReply> reply(
            m_network.post(submit, submitBody(QStringLiteral("acct-pg"), 250)));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 20000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        QVERIFY2(status == 202,
            qPrintable(QStringLiteral("submit: %1 %2").arg(status).arg(QString::fromUtf8(body))));
        // Stopped at once: the acknowledged command is processed before the server exits.
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
        QVERIFY2(server.exitCode() == 0, server.stdErr());

        const CliResult verified = runCli({ QStringLiteral("verify") }, env);
        QVERIFY2(verified.finished && verified.exitCode == 0, verified.describe());
        QVERIFY2(verified.out.contains(": 1\n"), verified.describe());
        const CliResult exported = runCli({ QStringLiteral("export"), QStringLiteral("--stream"),
                                              QStringLiteral("shipment-pg-1") },
            env);
        QVERIFY2(exported.finished && exported.exitCode == 0, exported.describe());
        const QList<QByteArray> rows = exported.out.split('\n');
        QVERIFY2(rows.size() == 3 && rows.at(1).contains(",shipment-pg-1,1,submitted,"),
            exported.describe());
        const CliResult listed = runCli({ QStringLiteral("token"), QStringLiteral("list") }, env);
        QVERIFY2(listed.finished && listed.exitCode == 0 && listed.out.contains("desk"),
            listed.describe());
    }

    // The URL's query reaches libpq: sslmode=require is refused by this cluster, which has no
    // TLS, instead of being ignored; host=FOLDER connects over the Unix socket.
    void urlOptionsReachTheClientLibrary()
    {
        QString error;
        const QString tcp = m_cluster.createDatabase(QStringLiteral("cli_options"), &error);
        QVERIFY2(!tcp.isEmpty(), qPrintable(error));
        const QStringList token { QStringLiteral("token"), QStringLiteral("create"),
            QStringLiteral("--name"), QStringLiteral("n"), QStringLiteral("--role"),
            QStringLiteral("admin") };

        const CliResult encrypted = runCli(
            QStringList { QStringLiteral("--db"), tcp + QStringLiteral("?sslmode=require") }
                + token,
            environment());
        QVERIFY2(encrypted.finished && encrypted.exitCode == 1, encrypted.describe());
        QVERIFY2(encrypted.err.contains("SSL"), encrypted.describe());

        const QString socket = QStringLiteral("postgresql://waybill@/cli_options?host=%1&port=%2")
                                   .arg(QString::fromLatin1(
                                       QUrl::toPercentEncoding(m_cluster.socketDirectory(), "/")))
                                   .arg(m_cluster.port());
        const CliResult overSocket
            = runCli(QStringList { QStringLiteral("--db"), socket } + token, environment());
        QVERIFY2(overSocket.finished && overSocket.exitCode == 0, overSocket.describe());
        // The same database: the token made over the socket is listed over TCP.
        const CliResult listed = runCli(
            { QStringLiteral("--db"), tcp, QStringLiteral("token"), QStringLiteral("list") },
            environment());
        QVERIFY2(listed.finished && listed.exitCode == 0 && listed.out.contains("admin"),
            listed.describe());
    }

    void unreachableDatabaseFailsWithExitOne()
    {
        // A port that refuses connections, held so that no server can take it meanwhile.
        const RefusingPort refusing;
        QVERIFY(refusing.port() != 0);
        const QString db
            = QStringLiteral("postgresql://waybill@127.0.0.1:%1/nothing").arg(refusing.port());
        const CliResult result = runCli(
            { QStringLiteral("--db"), db, QStringLiteral("verify") }, environment(), 30000);
        QVERIFY2(result.finished && result.exitCode == 1, result.describe());
        QVERIFY2(
            result.errLines().constLast().contains(QLatin1String("127.0.0.1")), result.describe());
    }
};

QTEST_GUILESS_MAIN(TestServerPostgres)
#include "tst_serverpostgres.moc"
