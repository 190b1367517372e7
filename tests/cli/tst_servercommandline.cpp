// The waybill-server binary's command line as a user meets it: help, version, usage errors
// (exit 2, one line on stderr), and where its settings come from when it serves.
#include "cliprocess.h"

#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace waybill::test;

class TestServerCommandLine final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QProcessEnvironment environment() const
    {
        return isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
    }

    QString writeFile(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    static bool stop(ServerRun &server, QString *why)
    {
        server.sendSignal(SIGTERM);
        if (!server.waitForExit()) {
            *why = QStringLiteral("did not exit after SIGTERM");
            return false;
        }
        if (server.exitStatus() != QProcess::NormalExit || server.exitCode() != 0) {
            *why = QStringLiteral("exit code %1 after SIGTERM; stderr:\n%2")
                       .arg(server.exitCode())
                       .arg(QString::fromUtf8(server.stdErr()));
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(serverBinaryIsBuilt(&error), qPrintable(error));
    }

    void helpAndVersionExitZero_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::newRow("--help") << QStringList { "--help" }
                                << "token create --name NAME --role ROLE";
        QTest::newRow("-h") << QStringList { "-h" } << "rebuild-projections";
        QTest::newRow("help after a command") << QStringList { "verify", "--help" } << "--db <URL>";
        QTest::newRow("--version")
            << QStringList { "--version" } << "waybill-server " WAYBILL_VERSION;
        QTest::newRow("-v") << QStringList { "-v" } << "waybill-server " WAYBILL_VERSION;
    }
    void helpAndVersionExitZero()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const CliResult result = runCli(arguments, environment());
        QVERIFY2(result.finished && result.exitCode == 0, result.describe());
        QVERIFY2(QString::fromUtf8(result.out).contains(expected),
            qPrintable(
                QStringLiteral("expected \"%1\" on stdout; got:\n").arg(expected) + result.out));
        QVERIFY2(result.err.isEmpty(), result.describe());
    }

    void badUsageExitsTwoWithOneLineOnStderr_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("variable"); // NAME=value set in the environment, or empty
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown flag") << QStringList { "--bogus" } << ""
                                      << "bogus";
        QTest::newRow("flag without its value") << QStringList { "--listen" } << ""
                                                << "listen";
        QTest::newRow("unknown command") << QStringList { "frobnicate" } << ""
                                         << "frobnicate";
        QTest::newRow("unknown database scheme")
            << QStringList { "--db", "mysql://u@h/db", "--listen", "127.0.0.1:0" } << ""
            << "mysql://u@h/db";
        QTest::newRow("postgres url without user")
            << QStringList { "--db", "postgresql://h/db", "--listen", "127.0.0.1:0" } << ""
            << "--db";
        QTest::newRow("sqlite url without path")
            << QStringList { "--db", "sqlite:", "verify" } << ""
            << "--db";
        QTest::newRow("listen without port") << QStringList { "--listen", "127.0.0.1" } << ""
                                             << "127.0.0.1";
        QTest::newRow("listen port out of range")
            << QStringList { "--listen", "127.0.0.1:99999" } << ""
            << "99999";
        QTest::newRow("listen on a host name") << QStringList { "--listen", "example.com:80" } << ""
                                               << "example.com";
        QTest::newRow("bad WAYBILL_LISTEN") << QStringList {} << "WAYBILL_LISTEN=everywhere"
                                            << "WAYBILL_LISTEN";
        QTest::newRow("bad WAYBILL_DB")
            << QStringList { "--listen", "127.0.0.1:0" } << "WAYBILL_DB=oracle:x"
            << "WAYBILL_DB";
        QTest::newRow("missing config file")
            << QStringList { "--config", "/nonexistent/waybill.ini" } << ""
            << "/nonexistent/waybill.ini";
        QTest::newRow("unknown role") << QStringList { "--db", "sqlite:@DIR@/roles.db", "token",
            "create", "--name", "x", "--role", "boss" }
                                      << ""
                                      << "boss";
        QTest::newRow("export time not ISO")
            << QStringList { "export", "--from", "last tuesday" } << ""
            << "last tuesday";
        QTest::newRow("serving flag on a command")
            << QStringList { "token", "list", "--tls-cert", "x.pem" } << ""
            << "--tls-cert";
    }
    void badUsageExitsTwoWithOneLineOnStderr()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, variable);
        QFETCH(QString, mentions);
        arguments.replaceInStrings(QStringLiteral("@DIR@"), m_dir.path());
        QProcessEnvironment env = environment();
        if (!variable.isEmpty())
            env.insert(
                variable.section(QLatin1Char('='), 0, 0), variable.section(QLatin1Char('='), 1));
        // A usage error must never fall through to serving: give it little time.
        const CliResult result = runCli(arguments, env, 10000);
        QVERIFY2(result.finished && result.exitCode == 2, result.describe());
        QCOMPARE(result.errLines().size(), 1);
        QVERIFY2(result.errLines().constFirst().startsWith(QLatin1String("waybill-server: ")),
            result.describe());
        QVERIFY2(result.errLines().constFirst().contains(mentions),
            qPrintable(QStringLiteral("expected a mention of \"%1\"; ").arg(mentions)
                + result.describe()));
        QVERIFY2(result.out.isEmpty(), result.describe());
    }

    void badConfigFileExitsTwoNamingTheLine()
    {
        const QString config = writeFile(
            QStringLiteral("typo.ini"), "[server]\nlisten = 127.0.0.1:0\nworkers = 4\n");
        const CliResult result
            = runCli({ QStringLiteral("--config"), config }, environment(), 10000);
        QVERIFY2(result.finished && result.exitCode == 2, result.describe());
        QCOMPARE(result.errLines().size(), 1);
        QVERIFY2(result.errLines().constFirst().contains(config + QStringLiteral(":3:")),
            result.describe());
    }

    // A rate table file with a fault stops the server before it serves, naming the file and the
    // line; by the flag or by the config file alike.
    void badRateTableExitsTwoNamingItsLine_data()
    {
        QTest::addColumn<bool>("byFlag");
        QTest::newRow("--rates FILE") << true;
        QTest::newRow("rates = FILE in the config file") << false;
    }
    void badRateTableExitsTwoNamingItsLine()
    {
        QFETCH(bool, byFlag);
        const QString rates = writeFile(QStringLiteral("rates.json"),
            "{\"version\": \"v1\",\n\"lanes\": [\n"
            "{\"from\": \"*\", \"to\": \"*\", \"centsPerPound\": -28}\n]}\n");
        QStringList arguments { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") };
        if (byFlag)
            arguments << QStringLiteral("--rates") << rates;
        else
            arguments << QStringLiteral("--config")
                      << writeFile(QStringLiteral("rates.ini"), "[server]\nrates = rates.json\n");
        const CliResult result = runCli(arguments, environment(), 10000);
        QVERIFY2(result.finished && result.exitCode == 2, result.describe());
        QCOMPARE(result.errLines().size(), 1);
        QVERIFY2(result.errLines().constFirst().contains(rates + QStringLiteral(":3: ")),
            result.describe());
        QVERIFY2(result.errLines().constFirst().contains(QLatin1String("centsPerPound")),
            result.describe());
        QVERIFY2(result.out.isEmpty(), result.describe());
    }

    // A flag beats its environment variable, which beats the config file: each source names
    // another loopback address (port 0: no port is picked before the server binds it) and another
    // database file; each time the winner's must be the ones used.
    void flagBeatsEnvironmentBeatsConfigFile_data()
    {
        QTest::addColumn<bool>("withFlag");
        QTest::addColumn<bool>("withEnvironment");
        QTest::addColumn<QString>("winner");
        QTest::newRow("flag, environment and file: the flag") << true << true << "flag";
        QTest::newRow("environment and file: the environment") << false << true << "environment";
        QTest::newRow("file alone: the file") << false << false << "file";
    }
    void flagBeatsEnvironmentBeatsConfigFile()
    {
        QFETCH(bool, withFlag);
        QFETCH(bool, withEnvironment);
        QFETCH(QString, winner);
        const QStringList sources { QStringLiteral("flag"), QStringLiteral("environment"),
            QStringLiteral("file") };
        const QStringList hosts { QStringLiteral("127.0.0.2"), QStringLiteral("127.0.0.3"),
            QStringLiteral("127.0.0.4") };
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto dbOf
            = [&](const QString &source) { return dir.filePath(source + QStringLiteral(".db")); };

        const QString config = writeFile(QStringLiteral("precedence.ini"),
            QStringLiteral("[server]\nlisten = %1:0\ndb = sqlite:%2\n")
                .arg(hosts.at(2), dbOf(QStringLiteral("file")))
                .toUtf8());
        QStringList arguments { QStringLiteral("--config"), config };
        if (withFlag)
            arguments << QStringLiteral("--listen") << hosts.at(0) + QStringLiteral(":0")
                      << QStringLiteral("--db")
                      << QStringLiteral("sqlite:") + dbOf(QStringLiteral("flag"));
        QProcessEnvironment env = environment();
        if (withEnvironment) {
            env.insert(QStringLiteral("WAYBILL_LISTEN"), hosts.at(1) + QStringLiteral(":0"));
            env.insert(QStringLiteral("WAYBILL_DB"),
                QStringLiteral("sqlite:") + dbOf(QStringLiteral("environment")));
        }

        ServerRun server(arguments, env);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString expectedHost = hosts.at(sources.indexOf(winner));
        QVERIFY2(server.url().host() == expectedHost && server.url().port() > 0,
            qPrintable(QStringLiteral("expected %1 with a port (from the %2); the server said: %3")
                           .arg(expectedHost, winner, server.urlLine())));
        QVERIFY2(stop(server, &error), qPrintable(error));
        for (const QString &source : sources) {
            QVERIFY2(QFileInfo::exists(dbOf(source)) == (source == winner),
                qPrintable(QStringLiteral("%1 database %2, expected only the %3's")
                               .arg(source,
                                   QFileInfo::exists(dbOf(source)) ? QStringLiteral("created")
                                                                   : QStringLiteral("absent"),
                                   winner)));
        }
    }

    void defaultDatabaseIsCreatedInTheDataFolder()
    {
        QTemporaryDir xdg;
        QVERIFY(xdg.isValid());
        const QString expected = xdg.filePath(QStringLiteral("waybill-server/waybill.db"));
        QVERIFY(!QFileInfo::exists(expected));
        ServerRun server({ QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") },
            isolatedEnvironment(xdg.path()));
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QVERIFY2(stop(server, &error), qPrintable(error));
        QVERIFY2(QFileInfo(expected).isFile(),
            qPrintable(expected + QStringLiteral(" was not created")));
    }

    void busyPortFailsWithExitOne()
    {
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        const QString listen = QStringLiteral("127.0.0.1:%1").arg(occupier.serverPort());
        const CliResult result
            = runCli({ QStringLiteral("--db"),
                         QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("busy.db")),
                         QStringLiteral("--listen"), listen },
                environment(), 20000);
        QVERIFY2(result.finished && result.exitCode == 1, result.describe());
        QVERIFY2(result.out.isEmpty(), result.describe());
        const QStringList lines = result.errLines();
        QVERIFY2(!lines.isEmpty() && lines.constLast().contains(listen), result.describe());
    }
};

QTEST_GUILESS_MAIN(TestServerCommandLine)
#include "tst_servercommandline.moc"
