// waybill-server's settings without a process: the INI reader, listen addresses, the precedence
// of flags over environment over config file over defaults, and the command line's rules.
#include "commandline.h"
#include "inifile.h"
#include "listenaddress.h"
#include "serverconfig.h"
#include "testcertificate.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace waybill;
using namespace waybill::cli;

class TestServerConfig final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeConfig(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // A real certificate and its key as NAME.crt and NAME.key in the test's folder: serving
    // checks that they belong together.
    bool writeCertificate(const QString &name, QString *why)
    {
        const QString folder = m_dir.filePath(QStringLiteral("made-") + name);
        if (!QDir().mkpath(folder))
            return false;
        const std::optional<waybill::test::TestCertificate> made
            = waybill::test::makeTestCertificate(folder, why);
        return made && QFile::copy(made->certificate, m_dir.filePath(name + QStringLiteral(".crt")))
            && QFile::copy(made->key, m_dir.filePath(name + QStringLiteral(".key")));
    }

    ConfigInputs inputs()
    {
        ConfigInputs in;
        in.defaultDataDirectory = m_dir.filePath(QStringLiteral("data"));
        return in;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void listenAddressAcceptsIpAndPort_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("address");
        QTest::addColumn<int>("port");
        QTest::newRow("ipv4") << "127.0.0.1:8080"
                              << "127.0.0.1" << 8080;
        QTest::newRow("any free port") << "127.0.0.1:0"
                                       << "127.0.0.1" << 0;
        QTest::newRow("every ipv4 interface") << "0.0.0.0:80"
                                              << "0.0.0.0" << 80;
        QTest::newRow("bracketed ipv6") << "[::1]:65535"
                                        << "::1" << 65535;
        QTest::newRow("localhost") << "localhost:9000"
                                   << "127.0.0.1" << 9000;
    }
    void listenAddressAcceptsIpAndPort()
    {
        QFETCH(QString, text);
        QFETCH(QString, address);
        QFETCH(int, port);
        QString error;
        const std::optional<ListenAddress> parsed = parseListenAddress(text, &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(parsed->address, QHostAddress(address));
        QCOMPARE(int(parsed->port), port);
    }

    void listenAddressRefusesMalformedText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("no port") << "127.0.0.1";
        QTest::newRow("empty port") << "127.0.0.1:";
        QTest::newRow("port too large") << "127.0.0.1:65536";
        QTest::newRow("signed port") << "127.0.0.1:+80";
        QTest::newRow("no host") << ":8080";
        QTest::newRow("host name") << "example.com:80";
        QTest::newRow("ipv6 without brackets") << "::1:80";
        QTest::newRow("bad ipv4") << "300.1.1.1:80";
        QTest::newRow("ipv4 in brackets") << "[127.0.0.1]:80";
    }
    void listenAddressRefusesMalformedText()
    {
        QFETCH(QString, text);
        QString error;
        const std::optional<ListenAddress> parsed = parseListenAddress(text, &error);
        QVERIFY2(!parsed,
            qPrintable(QStringLiteral("accepted as %1 port %2")
                           .arg(parsed ? parsed->address.toString() : QString())
                           .arg(parsed ? parsed->port : 0)));
        QVERIFY2(error.contains(text),
            qPrintable(QStringLiteral("the message does not quote the input: ") + error));
    }

    void iniReadsSectionsCommentsAndQuotedValues()
    {
        QString error;
        const std::optional<IniFile> ini = IniFile::parse("# comment\r\n"
                                                          "top = 1\n"
                                                          "[server]\n"
                                                          "  ; another comment\n"
                                                          "db = postgresql://u:p#;,w@h/db\n"
                                                          "tls-key = \"  spaced  \"\n"
                                                          "\n"
                                                          "[ limits ]\n"
                                                          "max-connections=7\n",
            QStringLiteral("x.ini"), &error);
        QVERIFY2(ini, qPrintable(error));
        QCOMPARE(ini->entries().size(), 4);
        QCOMPARE(ini->find(QString(), QStringLiteral("top"))->value, QStringLiteral("1"));
        QCOMPARE(ini->find(QStringLiteral("server"), QStringLiteral("db"))->value,
            QStringLiteral("postgresql://u:p#;,w@h/db"));
        QCOMPARE(ini->find(QStringLiteral("server"), QStringLiteral("db"))->line, 5);
        QCOMPARE(ini->find(QStringLiteral("server"), QStringLiteral("tls-key"))->value,
            QStringLiteral("  spaced  "));
        QCOMPARE(ini->find(QStringLiteral("limits"), QStringLiteral("max-connections"))->value,
            QStringLiteral("7"));
        QVERIFY(!ini->find(QStringLiteral("limits"), QStringLiteral("db")));
    }

    void iniErrorsNameFileAndLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no equals sign")
            << QByteArray("[server]\nlisten 127.0.0.1:80\n") << "bad.ini:2:";
        QTest::newRow("unclosed section") << QByteArray("\n\n[server\n") << "bad.ini:3:";
        QTest::newRow("key twice")
            << QByteArray("[server]\ndb=sqlite:a\ndb=sqlite:b\n") << "bad.ini:3:";
        QTest::newRow("empty key") << QByteArray("[server]\n=x\n") << "bad.ini:2:";
        // Read to the end of the line, the comment would have become part of the path.
        QTest::newRow("quoted value never closed")
            << QByteArray("[server]\ndb = \"sqlite:/data/w.db  # ours\n") << "bad.ini:2:";
        QTest::newRow("text after a quoted value")
            << QByteArray("[server]\n\ndb = \"sqlite:/data/w.db\" ours\n") << "bad.ini:3:";
    }
    void iniErrorsNameFileAndLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!IniFile::parse(text, QStringLiteral("bad.ini"), &error));
        QVERIFY2(error.startsWith(expected),
            qPrintable(QStringLiteral("expected %1..., got %2").arg(expected, error)));
    }

    // Each row gives the listen and db settings by flag, environment and file (empty: not given).
    void settingsComeFromFlagThenEnvironmentThenFileThenDefault_data()
    {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("environment");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected"); // "flag", "environment", "file" or "default"
        QTest::newRow("flag over everything") << "f"
                                              << "e"
                                              << "i"
                                              << "flag";
        QTest::newRow("flag over file") << "f"
                                        << ""
                                        << "i"
                                        << "flag";
        QTest::newRow("environment over file") << ""
                                               << "e"
                                               << "i"
                                               << "environment";
        QTest::newRow("environment alone") << ""
                                           << "e"
                                           << ""
                                           << "environment";
        QTest::newRow("file alone") << ""
                                    << ""
                                    << "i"
                                    << "file";
        QTest::newRow("nothing: default") << ""
                                          << ""
                                          << ""
                                          << "default";
    }
    void settingsComeFromFlagThenEnvironmentThenFileThenDefault()
    {
        QFETCH(QString, flag);
        QFETCH(QString, environment);
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const QMap<QString, int> ports { { QStringLiteral("flag"), 1001 },
            { QStringLiteral("environment"), 1002 }, { QStringLiteral("file"), 1003 },
            { QStringLiteral("default"), 8080 } };
        const QString folder = m_dir.path();
        ConfigInputs in = inputs();
        if (!flag.isEmpty()) {
            in.flags.listen = QStringLiteral("127.0.0.1:1001");
            in.flags.database = QStringLiteral("sqlite:%1/flag.db").arg(folder);
        }
        if (!environment.isEmpty()) {
            in.environment.insert(
                QStringLiteral("WAYBILL_LISTEN"), QStringLiteral("127.0.0.1:1002"));
            in.environment.insert(QStringLiteral("WAYBILL_DB"),
                QStringLiteral("sqlite:%1/environment.db").arg(folder));
        }
        if (!file.isEmpty()) {
            in.flags.configFile = writeConfig(QStringLiteral("precedence.ini"),
                QStringLiteral("[server]\nlisten = 127.0.0.1:1003\n"
                               "db = sqlite:%1/file.db\n")
                    .arg(folder)
                    .toUtf8());
        }
        QString error;
        const std::optional<ServerConfig> config = resolveServerConfig(in, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(int(config->server.port), ports.value(expected));
        const QString expectedDb = expected == QLatin1String("default")
            ? QStringLiteral("%1/data/waybill.db").arg(folder)
            : QStringLiteral("%1/%2.db").arg(folder, expected);
        QCOMPARE(config->database.path, expectedDb);
        QCOMPARE(config->databaseIsDefault, expected == QLatin1String("default"));
    }

    void recordSwitchesAreOffByDefaultAndComeFromFlagEnvironmentOrFile_data()
    {
        QTest::addColumn<bool>("flag");
        QTest::addColumn<QString>("environment");
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("expected");
        QTest::newRow("default: off") << false << ""
                                      << "" << false;
        QTest::newRow("flag") << true << ""
                              << "" << true;
        QTest::newRow("flag over environment") << true << "false"
                                               << "" << true;
        QTest::newRow("environment true") << false << "true"
                                          << "" << true;
        QTest::newRow("environment 1") << false << "1"
                                       << "" << true;
        QTest::newRow("environment over file") << false << "off"
                                               << "true" << false;
        QTest::newRow("file yes") << false << ""
                                  << "yes" << true;
        QTest::newRow("file false") << false << ""
                                    << "False" << false;
    }
    void recordSwitchesAreOffByDefaultAndComeFromFlagEnvironmentOrFile()
    {
        QFETCH(bool, flag);
        QFETCH(QString, environment);
        QFETCH(QString, file);
        QFETCH(bool, expected);
        // Each switch on its own: the accounts' and then the trucks'.
        for (const bool accounts : { true, false }) {
            ConfigInputs in = inputs();
            (accounts ? in.flags.requireRegisteredAccounts : in.flags.requireRegisteredTrucks)
                = flag;
            const QString key = accounts ? QStringLiteral("require-registered-accounts")
                                         : QStringLiteral("require-registered-trucks");
            if (!environment.isEmpty())
                in.environment.insert(accounts
                        ? QStringLiteral("WAYBILL_REQUIRE_REGISTERED_ACCOUNTS")
                        : QStringLiteral("WAYBILL_REQUIRE_REGISTERED_TRUCKS"),
                    environment);
            if (!file.isEmpty())
                in.flags.configFile = writeConfig(QStringLiteral("switches.ini"),
                    QStringLiteral("[server]\n%1 = %2\n").arg(key, file).toUtf8());
            QString error;
            const std::optional<ServerConfig> config = resolveServerConfig(in, &error);
            QVERIFY2(config, qPrintable(error));
            QCOMPARE(accounts ? config->engine.requireRegisteredAccounts
                              : config->engine.requireRegisteredTrucks,
                expected);
            QCOMPARE(accounts ? config->engine.requireRegisteredTrucks
                              : config->engine.requireRegisteredAccounts,
                false);
        }
    }

    void emptyEnvironmentVariableCountsAsUnset()
    {
        ConfigInputs in = inputs();
        in.environment.insert(QStringLiteral("WAYBILL_LISTEN"), QString());
        in.environment.insert(QStringLiteral("WAYBILL_DB"), QString());
        QString error;
        const std::optional<ServerConfig> config = resolveServerConfig(in, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(int(config->server.port), 8080);
        QVERIFY(config->databaseIsDefault);
    }

    void configFileSetsLimitsRatesThreadsAndTls()
    {
        QString why;
        QVERIFY2(writeCertificate(QStringLiteral("server"), &why), qPrintable(why));
        const QString cert = m_dir.filePath(QStringLiteral("server.crt"));
        const QString key = m_dir.filePath(QStringLiteral("server.key"));
        ConfigInputs in = inputs();
        in.flags.configFile = writeConfig(QStringLiteral("full.ini"),
            "[server]\n"
            "db = postgresql://waybill:s3cret@db.example.com:6543/ledger\n"
            "engine-threads = 3\n"
            "reader-threads = 7\n"
            "drain-seconds = 4\n"
            "tls-cert = server.crt\n"
            "tls-key = server.key\n"
            "[limits]\n"
            "max-body-bytes = 2048\n"
            "idle-timeout-seconds = 5\n"
            "request-timeout-seconds = 7\n"
            "max-connections = 12\n"
            "max-connections-per-address = 3\n"
            "live-client-buffer-bytes = 65536\n"
            "[rates]\n"
            "cents-per-pound = 31\n"
            "minimum-charge-cents = 1500\n");
        QString error;
        const std::optional<ServerConfig> config = resolveServerConfig(in, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->database.kind, DatabaseUrl::Kind::Postgres);
        QCOMPARE(config->database.host, QStringLiteral("db.example.com"));
        QCOMPARE(config->database.port, 6543);
        QCOMPARE(config->database.password, QStringLiteral("s3cret"));
        QCOMPARE(config->engine.workerThreads, 3);
        QCOMPARE(config->server.workerThreads, 7);
        QCOMPARE(config->server.drainDelayMs, 4000);
        QCOMPARE(config->server.liveClientBufferBytes, qint64(65536));
        QCOMPARE(config->server.maxBodyBytes, qint64(2048));
        QCOMPARE(config->server.idleTimeoutMs, 5000);
        QCOMPARE(config->server.requestTimeoutMs, 7000);
        QCOMPARE(config->server.maxConnections, 12);
        QCOMPARE(config->server.maxConnectionsPerAddress, 3);
        QVERIFY(config->engine.rates == RateTable::flat(31, 1500));
        // Relative paths in the file are relative to the file's folder.
        QCOMPARE(config->server.tlsCertificateFile, cert);
        QCOMPARE(config->server.tlsKeyFile, key);
    }

    void tlsFlagsOverrideTheFile()
    {
        QString why;
        QVERIFY2(writeCertificate(QStringLiteral("flag"), &why), qPrintable(why));
        // The file's pair is never opened: the flags win.
        const QString fileCert = writeConfig(QStringLiteral("file.crt"), "cert");
        const QString fileKey = writeConfig(QStringLiteral("file.key"), "key");
        const QString flagCert = m_dir.filePath(QStringLiteral("flag.crt"));
        const QString flagKey = m_dir.filePath(QStringLiteral("flag.key"));
        ConfigInputs in = inputs();
        in.flags.configFile = writeConfig(QStringLiteral("tls.ini"),
            QStringLiteral("[server]\ntls-cert=%1\ntls-key=%2\n").arg(fileCert, fileKey).toUtf8());
        in.flags.tlsCertificateFile = flagCert;
        in.flags.tlsKeyFile = flagKey;
        QString error;
        const std::optional<ServerConfig> config = resolveServerConfig(in, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->server.tlsCertificateFile, flagCert);
        QCOMPARE(config->server.tlsKeyFile, flagKey);
    }

    void relativeSqlitePathInFileIsRelativeToTheFile()
    {
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("etc")));
        ConfigInputs in = inputs();
        in.flags.configFile
            = writeConfig(QStringLiteral("etc/relative.ini"), "[server]\ndb = sqlite:data/w.db\n");
        QString error;
        const std::optional<ServerConfig> config = resolveServerConfig(in, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->database.path, m_dir.filePath(QStringLiteral("etc/data/w.db")));
    }

    void rateTableFileComesFromTheFlagOrTheConfigFile()
    {
        writeConfig(QStringLiteral("rates-file.json"),
            R"({"version": "from-file", "lanes": [{"from": "*", "to": "*", "centsPerPound": 30}]})");
        const QString flagged = writeConfig(QStringLiteral("rates-flag.json"),
            R"({"version": "from-flag", "lanes": [{"from": "*", "to": "*", "centsPerPound": 31}]})");
        ConfigInputs in = inputs();
        // Relative to the config file's folder.
        in.flags.configFile
            = writeConfig(QStringLiteral("rates.ini"), "[server]\nrates = rates-file.json\n");
        QString error;
        std::optional<ServerConfig> config = resolveServerConfig(in, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->engine.rates.version, QStringLiteral("from-file"));
        QCOMPARE(config->engine.rates.lanes.first().centsPerPound, Cents(30));
        in.flags.ratesFile = flagged;
        config = resolveServerConfig(in, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->engine.rates.version, QStringLiteral("from-flag"));
        // Without either, the [rates] section's single lane, or the built-in one.
        QVERIFY(resolveServerConfig(inputs(), &error)->engine.rates == RateTable());
    }

    void badRateTableIsRefusedWithItsLine_data()
    {
        QTest::addColumn<QByteArray>("table"); // empty: the file is not there
        QTest::addColumn<QByteArray>("ini"); // %1: the table's file name
        QTest::addColumn<QString>("expected"); // %1: the table's path, %2: the ini's
        QTest::newRow("a fault on line 2")
            << QByteArray("{\"version\": \"v1\",\n\"lanes\": 3}")
            << QByteArray("[server]\nrates = %1\n") << "%1:2: \"lanes\" must be a list";
        QTest::newRow("no such file") << QByteArray() << QByteArray("[server]\nrates = %1\n")
                                      << "%1: cannot read the rate table";
        QTest::newRow("an empty name") << QByteArray() << QByteArray("[server]\nrates =\n")
                                       << "%2:2: the rate table file is not named";
        QTest::newRow("[rates] beside a file")
            << QByteArray(
                   R"({"version": "v1", "lanes": [{"from": "*", "to": "*", "centsPerPound": 3}]})")
            << QByteArray("[server]\nrates = %1\n[rates]\ncents-per-pound = 30\n")
            << "%2:4: [rates] cents-per-pound cannot be used with a rate table file";
    }
    void badRateTableIsRefusedWithItsLine()
    {
        QFETCH(QByteArray, table);
        QFETCH(QByteArray, ini);
        QFETCH(QString, expected);
        const QString tablePath = m_dir.filePath(QStringLiteral("bad-rates.json"));
        QFile::remove(tablePath);
        if (!table.isEmpty())
            writeConfig(QStringLiteral("bad-rates.json"), table);
        ConfigInputs in = inputs();
        const QString iniPath = writeConfig(QStringLiteral("bad-rates.ini"),
            QString::fromUtf8(ini).arg(QStringLiteral("bad-rates.json")).toUtf8());
        in.flags.configFile = iniPath;
        QString error;
        QVERIFY(!resolveServerConfig(in, &error));
        expected.replace(QLatin1String("%1"), tablePath).replace(QLatin1String("%2"), iniPath);
        QVERIFY2(error.startsWith(expected),
            qPrintable(QStringLiteral("expected \"%1...\", got \"%2\"").arg(expected, error)));
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
    }

    void badSettingsAreRefusedWithTheirOrigin_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("dbFlag");
        QTest::addColumn<QString>("listenEnvironment");
        QTest::addColumn<QString>("expected"); // the start of the message
        QTest::newRow("unknown key") << QByteArray("[server]\nlisten=127.0.0.1:1\nlisen=x\n") << ""
                                     << ""
                                     << "%1:3: unknown setting \"lisen\" in [server]";
        QTest::newRow("key outside a section")
            << QByteArray("db=sqlite:x\n") << ""
            << ""
            << "%1:1: unknown setting \"db\" outside any section";
        QTest::newRow("unknown section") << QByteArray("[sever]\ndb=sqlite:x\n") << ""
                                         << ""
                                         << "%1:2: unknown setting \"db\" in [sever]";
        QTest::newRow("negative rate") << QByteArray("[rates]\ncents-per-pound=-1\n") << ""
                                       << ""
                                       << "%1:2: cents-per-pound";
        QTest::newRow("fractional threads") << QByteArray("[server]\nengine-threads=1.5\n") << ""
                                            << ""
                                            << "%1:2: engine-threads";
        QTest::newRow("no readers") << QByteArray("[server]\nreader-threads=0\n") << ""
                                    << ""
                                    << "%1:2: reader-threads";
        QTest::newRow("negative drain") << QByteArray("[server]\ndrain-seconds=-1\n") << ""
                                        << ""
                                        << "%1:2: drain-seconds";
        QTest::newRow("old thread setting")
            << QByteArray("[server]\nworker-threads=4\n") << ""
            << ""
            << "%1:2: unknown setting \"worker-threads\" in [server]";
        QTest::newRow("zero connections") << QByteArray("[limits]\nmax-connections=0\n") << ""
                                          << ""
                                          << "%1:2: max-connections";
        QTest::newRow("bad db in file") << QByteArray("\n[server]\ndb=mysql://x\n") << ""
                                        << ""
                                        << "%1:3: ";
        QTest::newRow("bad listen in file") << QByteArray("[server]\nlisten=nowhere\n") << ""
                                            << ""
                                            << "%1:2: ";
        QTest::newRow("bad db flag") << QByteArray() << "sqlite:"
                                     << ""
                                     << "--db: ";
        QTest::newRow("bad listen variable") << QByteArray() << ""
                                             << "1.2.3.4"
                                             << "WAYBILL_LISTEN: ";
        QTest::newRow("switch neither true nor false")
            << QByteArray("[server]\nrequire-registered-trucks=maybe\n") << ""
            << ""
            << "%1:2: require-registered-trucks must be true or false";
        QTest::newRow("certificate without key")
            << QByteArray("[server]\ntls-cert=/etc/hostname\n") << ""
            << ""
            << "HTTPS needs both";
        QTest::newRow("unreadable certificate")
            << QByteArray("[server]\ntls-cert=/nonexistent.crt\ntls-key=/nonexistent.key\n") << ""
            << ""
            << "%1:2: cannot read /nonexistent.crt";
    }
    void badSettingsAreRefusedWithTheirOrigin()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, dbFlag);
        QFETCH(QString, listenEnvironment);
        QFETCH(QString, expected);
        ConfigInputs in = inputs();
        QString path;
        if (!file.isEmpty()) {
            path = writeConfig(QStringLiteral("bad.ini"), file);
            in.flags.configFile = path;
        }
        if (!dbFlag.isEmpty())
            in.flags.database = dbFlag;
        if (!listenEnvironment.isEmpty())
            in.environment.insert(QStringLiteral("WAYBILL_LISTEN"), listenEnvironment);
        QString error;
        QVERIFY(!resolveServerConfig(in, &error));
        if (expected.contains(QLatin1String("%1")))
            expected = expected.arg(path);
        QVERIFY2(error.startsWith(expected),
            qPrintable(QStringLiteral("expected \"%1...\", got \"%2\"").arg(expected, error)));
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
    }

    // One validator: a file one command accepts, every command accepts, and the same for a file
    // one refuses (only the TLS files themselves are opened to serve alone).
    void everyCommandJudgesTheConfigFileAlike_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<bool>("valid");
        QTest::newRow("inline comment after a value")
            << QByteArray("[server]\nlisten = 127.0.0.1:9 # the office port\n") << true;
        QTest::newRow("inline ; comment after a value")
            << QByteArray("[limits]\nmax-connections = 10 ; enough\n") << true;
        QTest::newRow("bad listen") << QByteArray("[server]\nlisten = nowhere\n") << false;
        QTest::newRow("certificate without key")
            << QByteArray("[server]\ntls-cert = /etc/hostname\n") << false;
        QTest::newRow("bad trusted proxy")
            << QByteArray("[server]\ntrusted-proxies = 10.0.0.0/8, proxy.example\n") << false;
        QTest::newRow("trusted proxies") << QByteArray("[server]\ntrusted-proxies = 10.0.0.0/8, "
                                                       "192.0.2.7, ::1\n")
                                         << true;
    }
    void everyCommandJudgesTheConfigFileAlike()
    {
        QFETCH(QByteArray, file);
        QFETCH(bool, valid);
        const QString path = writeConfig(QStringLiteral("alike.ini"), file);
        QString servingError;
        QString adminError;
        ConfigInputs serving = inputs();
        serving.flags.configFile = path;
        ConfigInputs admin = serving;
        admin.serving = false;
        QCOMPARE(resolveServerConfig(serving, &servingError).has_value(), valid);
        QCOMPARE(resolveServerConfig(admin, &adminError).has_value(), valid);
        QCOMPARE(adminError, servingError);
    }

    void inlineCommentsEndTheValueButNotInsideIt()
    {
        QString error;
        const std::optional<IniFile> ini = IniFile::parse("[server]\n"
                                                          "db = sqlite:/data/w.db   # ours\n"
                                                          "a = pa#ss;word\n"
                                                          "b = \"secret #1\" ; quoted\n"
                                                          "c = \"say \"hi\"\"  # a quote\n"
                                                          "d = a\"#b\n",
            QStringLiteral("x.ini"), &error);
        QVERIFY2(ini, qPrintable(error));
        QCOMPARE(ini->find(QStringLiteral("server"), QStringLiteral("db"))->value,
            QStringLiteral("sqlite:/data/w.db"));
        QCOMPARE(ini->find(QStringLiteral("server"), QStringLiteral("a"))->value,
            QStringLiteral("pa#ss;word"));
        QCOMPARE(ini->find(QStringLiteral("server"), QStringLiteral("b"))->value,
            QStringLiteral("secret #1"));
        QCOMPARE(ini->find(QStringLiteral("server"), QStringLiteral("c"))->value,
            QStringLiteral("say \"hi\""));
        QCOMPARE(ini->find(QStringLiteral("server"), QStringLiteral("d"))->value,
            QStringLiteral("a\"#b"));
    }

    void trustedProxiesAreAddressesAndSubnets()
    {
        QString error;
        const auto subnets
            = parseTrustedProxies(QStringLiteral("10.0.0.0/8, 192.0.2.7 ,::1"), &error);
        QVERIFY2(subnets, qPrintable(error));
        QCOMPARE(subnets->size(), 3);
        QVERIFY(QHostAddress(QStringLiteral("10.200.1.1")).isInSubnet(subnets->at(0)));
        QVERIFY(!QHostAddress(QStringLiteral("11.0.0.1")).isInSubnet(subnets->at(0)));
        QCOMPARE(subnets->at(1), qMakePair(QHostAddress(QStringLiteral("192.0.2.7")), 32));
        QCOMPARE(subnets->at(2), qMakePair(QHostAddress(QStringLiteral("::1")), 128));
        QVERIFY(!parseTrustedProxies(QStringLiteral("10.0.0.0/33"), &error));
        QVERIFY2(error.contains(QStringLiteral("10.0.0.0/33")), qPrintable(error));
    }

    // libpq's options ride in the URL's query; percent-encoding carries any character.
    void postgresUrlCarriesLibpqOptions_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("connectOptions");
        QTest::newRow("sslmode") << "postgresql://w:pw@db.example:6543/ledger?sslmode=require"
                                 << "db.example" << 6543 << "pw"
                                 << "connect_timeout=10;sslmode='require'";
        QTest::newRow("Unix socket, peer authentication")
            << "postgresql://waybill@/ledger?host=/run/postgresql"
            << "/run/postgresql" << 5432 << ""
            << "connect_timeout=10";
        QTest::newRow("password with @ : / # and %")
            << "postgresql://w:p%40ss%3Aw%2Fo%23rd%25@h/ledger"
            << "h" << 5432 << "p@ss:w/o#rd%"
            << "connect_timeout=10";
        QTest::newRow("own timeout, quoted value")
            << "postgresql://w@h/ledger?connect_timeout=3&application_name=it%27s%20waybill"
            << "h" << 5432 << ""
            << "connect_timeout='3';application_name='it\\'s waybill'";
        QTest::newRow("port in the query") << "postgresql://w@h/ledger?port=7000"
                                           << "h" << 7000 << ""
                                           << "connect_timeout=10";
    }
    void postgresUrlCarriesLibpqOptions()
    {
        QFETCH(QString, url);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, password);
        QFETCH(QString, connectOptions);
        QString error;
        const std::optional<DatabaseUrl> parsed = DatabaseUrl::parse(url, &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(parsed->host, host);
        QCOMPARE(parsed->port, port);
        QCOMPARE(parsed->password, password);
        QCOMPARE(parsed->postgresConnectOptions(), connectOptions);
        QVERIFY(!parsed->toDisplayString().contains(QStringLiteral("pw")) || password.isEmpty());
    }

    void postgresUrlRefusesWhatLibpqWouldNotGet_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown option") << "postgresql://w@h/db?sslmod=require"
                                        << "sslmod";
        QTest::newRow("semicolon in a value") << "postgresql://w@h/db?options=a%3Bb"
                                              << "';'";
        QTest::newRow("no host anywhere") << "postgresql://w@/db"
                                          << "host=/run/postgresql";
        QTest::newRow("bad port in the query") << "postgresql://w@h/db?port=x"
                                               << "\"x\"";
    }
    void postgresUrlRefusesWhatLibpqWouldNotGet()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!DatabaseUrl::parse(url, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void missingConfigFileIsAnError()
    {
        ConfigInputs in = inputs();
        in.flags.configFile = m_dir.filePath(QStringLiteral("absent.ini"));
        QString error;
        QVERIFY(!resolveServerConfig(in, &error));
        QVERIFY2(error.contains(*in.flags.configFile), qPrintable(error));
    }

    void adminCommandsIgnoreListenAndTlsSettings()
    {
        ConfigInputs in = inputs();
        in.serving = false;
        in.environment.insert(QStringLiteral("WAYBILL_LISTEN"), QStringLiteral("not an address"));
        in.flags.tlsCertificateFile = QStringLiteral("/nonexistent.crt");
        QString error;
        QVERIFY2(resolveServerConfig(in, &error), qPrintable(error));
    }

    // The sample shipped for admins must parse, and say what the built-in defaults are.
    void sampleConfigParsesAndMatchesTheDefaults()
    {
        ConfigInputs in = inputs();
        in.flags.configFile
            = QStringLiteral(WAYBILL_SOURCE_DIR "/resources/waybill-server.ini.sample");
        QString error;
        const std::optional<ServerConfig> sample = resolveServerConfig(in, &error);
        QVERIFY2(sample, qPrintable(error));
        const std::optional<ServerConfig> defaults = resolveServerConfig(inputs(), &error);
        QVERIFY2(defaults, qPrintable(error));
        QCOMPARE(sample->server.address, defaults->server.address);
        QCOMPARE(sample->server.port, defaults->server.port);
        QCOMPARE(sample->server.maxBodyBytes, defaults->server.maxBodyBytes);
        QCOMPARE(sample->server.idleTimeoutMs, defaults->server.idleTimeoutMs);
        QCOMPARE(sample->server.maxConnections, defaults->server.maxConnections);
        QCOMPARE(sample->server.requestTimeoutMs, defaults->server.requestTimeoutMs);
        QCOMPARE(
            sample->server.maxConnectionsPerAddress, defaults->server.maxConnectionsPerAddress);
        QCOMPARE(sample->engine.workerThreads, defaults->engine.workerThreads);
        QCOMPARE(sample->server.workerThreads, defaults->server.workerThreads);
        QCOMPARE(sample->server.drainDelayMs, defaults->server.drainDelayMs);
        QCOMPARE(sample->server.liveClientBufferBytes, defaults->server.liveClientBufferBytes);
        QVERIFY(sample->engine.rates == defaults->engine.rates);
        QCOMPARE(sample->database.path, defaults->database.path);
        QCOMPARE(
            sample->engine.requireRegisteredAccounts, defaults->engine.requireRegisteredAccounts);
        QCOMPARE(sample->engine.requireRegisteredTrucks, defaults->engine.requireRegisteredTrucks);
        QVERIFY(!defaults->engine.requireRegisteredAccounts
            && !defaults->engine.requireRegisteredTrucks);
        QVERIFY(sample->server.tlsCertificateFile.isEmpty());
    }

    void commandLineRecognisesEachCommand_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("command");
        QTest::addColumn<QString>("tokenName");
        QTest::newRow("serve") << QStringList { "--db", "sqlite:x", "--listen", "127.0.0.1:0" }
                               << int(CliCommand::Serve) << "";
        QTest::newRow("token create") << QStringList { "--db", "sqlite:x", "token", "create",
            "--name", "ops", "--role", "admin" }
                                      << int(CliCommand::TokenCreate) << "ops";
        QTest::newRow("options after the command") << QStringList { "token", "create", "--role",
            "admin", "--name", "ops", "--db", "sqlite:x" }
                                                   << int(CliCommand::TokenCreate) << "ops";
        QTest::newRow("token list")
            << QStringList { "token", "list" } << int(CliCommand::TokenList) << "";
        QTest::newRow("token revoke")
            << QStringList { "token", "revoke", "ops" } << int(CliCommand::TokenRevoke) << "ops";
        QTest::newRow("export") << QStringList { "export", "--out", "f.csv", "--stream",
            "shipment-42" } << int(CliCommand::Export)
                                << "";
        QTest::newRow("verify") << QStringList { "verify" } << int(CliCommand::Verify) << "";
        QTest::newRow("rebuild") << QStringList { "rebuild-projections" }
                                 << int(CliCommand::RebuildProjections) << "";
    }
    void commandLineRecognisesEachCommand()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, command);
        QFETCH(QString, tokenName);
        const CommandLine parsed
            = parseCommandLine(QStringList { QStringLiteral("waybill-server") } + arguments);
        QVERIFY2(parsed.outcome == CommandLine::Outcome::Run, qPrintable(parsed.message));
        QCOMPARE(int(parsed.command), command);
        QCOMPARE(parsed.tokenName, tokenName);
    }

    void commandLineTakesTheRecordSwitchesWithoutAValue()
    {
        const CommandLine parsed = parseCommandLine(
            { QStringLiteral("waybill-server"), QStringLiteral("--require-registered-accounts"),
                QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") });
        QVERIFY2(parsed.outcome == CommandLine::Outcome::Run, qPrintable(parsed.message));
        QVERIFY(parsed.flags.requireRegisteredAccounts);
        QVERIFY(!parsed.flags.requireRegisteredTrucks);
        QCOMPARE(parsed.flags.listen, std::optional<QString>(QStringLiteral("127.0.0.1:0")));
    }

    void commandLineExportFilters()
    {
        const CommandLine parsed
            = parseCommandLine({ QStringLiteral("waybill-server"), QStringLiteral("export"),
                QStringLiteral("--from"), QStringLiteral("2026-11-27T10:00:00Z"),
                QStringLiteral("--to"), QStringLiteral("2026-11-28T00:00:00.000+01:00"),
                QStringLiteral("--stream"), QStringLiteral("account-acme") });
        QVERIFY2(parsed.outcome == CommandLine::Outcome::Run, qPrintable(parsed.message));
        QCOMPARE(parsed.from,
            std::optional<QDateTime>(QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC)));
        QCOMPARE(parsed.to,
            std::optional<QDateTime>(QDateTime(QDate(2026, 11, 27), QTime(23, 0), Qt::UTC)));
        QCOMPARE(parsed.streamId, QStringLiteral("account-acme"));
        QVERIFY(parsed.outFile.isEmpty());
    }

    void commandLineRefusesMisuse_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown option") << QStringList { "--bogus" } << "bogus";
        QTest::newRow("missing value") << QStringList { "--db" } << "db";
        QTest::newRow("option twice")
            << QStringList { "--db", "sqlite:a", "--db", "sqlite:b" } << "--db";
        QTest::newRow("unknown command") << QStringList { "frobnicate" } << "frobnicate";
        QTest::newRow("token without action") << QStringList { "token" } << "create";
        QTest::newRow("unknown token action") << QStringList { "token", "rotate" } << "rotate";
        QTest::newRow("create without name")
            << QStringList { "token", "create", "--role", "admin" } << "--name";
        QTest::newRow("create without role")
            << QStringList { "token", "create", "--name", "x" } << "--role";
        QTest::newRow("revoke without name") << QStringList { "token", "revoke" } << "name";
        QTest::newRow("extra argument") << QStringList { "verify", "now" } << "now";
        QTest::newRow("listen with a command")
            << QStringList { "verify", "--listen", "127.0.0.1:1" } << "--listen";
        QTest::newRow("export flag when serving") << QStringList { "--out", "x.csv" } << "--out";
        QTest::newRow("role with export")
            << QStringList { "export", "--role", "admin" } << "--role";
        QTest::newRow("bad from") << QStringList { "export", "--from", "yesterday" } << "yesterday";
        QTest::newRow("to before from") << QStringList { "export", "--from", "2026-01-02T00:00:00Z",
            "--to", "2026-01-01T00:00:00Z" }
                                        << "--to";
        QTest::newRow("bare id as stream") << QStringList { "export", "--stream", "42" } << "42";
        QTest::newRow("empty out") << QStringList { "export", "--out", "" } << "--out";
        QTest::newRow("switch with a command") << QStringList { "verify",
            "--require-registered-trucks" } << "--require-registered-trucks";
    }
    void commandLineRefusesMisuse()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        const CommandLine parsed
            = parseCommandLine(QStringList { QStringLiteral("waybill-server") } + arguments);
        QVERIFY2(parsed.outcome == CommandLine::Outcome::UsageError,
            qPrintable(QStringLiteral("accepted: ") + arguments.join(QLatin1Char(' '))));
        QVERIFY2(parsed.message.contains(mentions),
            qPrintable(
                QStringLiteral("expected a mention of %1 in: %2").arg(mentions, parsed.message)));
        QVERIFY2(!parsed.message.contains(QLatin1Char('\n')), qPrintable(parsed.message));
    }
};

QTEST_GUILESS_MAIN(TestServerConfig)
#include "tst_serverconfig.moc"
