// `cmake --install` puts waybill-server, its config and its systemd unit in place, with the unit
// pointing at where the binary and config really went; a config already there is the admin's
// and a later install keeps it.
#include "cliprocess.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace waybill::test;

class TestServerInstall final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void installsBinaryConfigAndUnit_data()
    {
        QTest::addColumn<QString>("prefix"); // @TMP@: the temporary folder
        QTest::addColumn<bool>("destdir"); // install into DESTDIR=@TMP@ (as packagers do)
        QTest::addColumn<QString>("etc"); // where the config folder is expected (before DESTDIR)
        QTest::addColumn<QString>("unitDir"); // where the unit is expected (before DESTDIR)
        QTest::newRow("own prefix") << "@TMP@/opt/waybill" << false << "@TMP@/opt/waybill/etc"
                                    << "@TMP@/opt/waybill/lib/systemd/system";
        QTest::newRow("/usr into DESTDIR") << "/usr" << true << "/etc"
                                           << "/lib/systemd/system";
    }
    void installsBinaryConfigAndUnit()
    {
        QFETCH(QString, prefix);
        QFETCH(bool, destdir);
        QFETCH(QString, etc);
        QFETCH(QString, unitDir);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        prefix.replace(QLatin1String("@TMP@"), tmp.path());
        etc.replace(QLatin1String("@TMP@"), tmp.path());
        unitDir.replace(QLatin1String("@TMP@"), tmp.path());
        const QString root = destdir ? tmp.path() : QString();

        const QString buildDir = qEnvironmentVariable("WAYBILL_TEST_BINARY_DIR");
        QVERIFY2(!buildDir.isEmpty(), "WAYBILL_TEST_BINARY_DIR is not set");
        QProcess install;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (destdir)
            env.insert(QStringLiteral("DESTDIR"), tmp.path());
        install.setProcessEnvironment(env);
        install.start(QStringLiteral(WAYBILL_CMAKE_COMMAND),
            { QStringLiteral("--install"), buildDir, QStringLiteral("--prefix"), prefix,
                QStringLiteral("--component"), QStringLiteral("server") });
        const auto runInstall = [&install] {
            install.waitForFinished(120000);
            return install.exitStatus() == QProcess::NormalExit && install.exitCode() == 0;
        };
        QVERIFY2(runInstall(), install.readAllStandardError() + install.readAllStandardOutput());

        const QString binary = root + prefix + QStringLiteral("/bin/waybill-server");
        const QString sample = root + etc + QStringLiteral("/waybill-server/waybill-server.ini");
        const QString unit = root + unitDir + QStringLiteral("/waybill-server.service");
        QVERIFY2(QFileInfo(binary).isExecutable(), qPrintable(binary));
        QVERIFY2(QFileInfo(sample).isFile(), qPrintable(sample));
        QVERIFY2(QFileInfo(unit).isFile(), qPrintable(unit));

        QFile unitFile(unit);
        QVERIFY(unitFile.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(unitFile.readAll());
        const QString execStart = QStringLiteral(
            "ExecStart=%1/bin/waybill-server --config %2/waybill-server/waybill-server.ini")
                                      .arg(prefix, etc);
        QVERIFY2(text.contains(execStart + QLatin1Char('\n')),
            qPrintable(QStringLiteral("expected \"%1\" in:\n%2").arg(execStart, text)));
        // (@system-service, a system call set, is systemd's own syntax.)
        static const QRegularExpression placeholder(QStringLiteral("@[A-Z_]+@"));
        QVERIFY2(!text.contains(placeholder),
            qPrintable(QStringLiteral("placeholder left in the unit:\n") + text));

        // The installed binary runs and accepts the installed sample config.
        QTemporaryDir data;
        QProcess run;
        run.setProcessEnvironment(isolatedEnvironment(data.path()));
        run.start(binary,
            { QStringLiteral("--config"), sample, QStringLiteral("--db"),
                QStringLiteral("sqlite:") + data.filePath(QStringLiteral("w.db")),
                QStringLiteral("token"), QStringLiteral("create"), QStringLiteral("--name"),
                QStringLiteral("first-admin"), QStringLiteral("--role"), QStringLiteral("admin") });
        QVERIFY(run.waitForFinished(30000));
        QVERIFY2(run.exitCode() == 0, run.readAllStandardError());
        QVERIFY2(
            QFileInfo(data.filePath(QStringLiteral("w.db"))).isFile(), "no database was created");

        // The config names the service's database outright, for admin commands run as its user.
        QFile config(sample);
        QVERIFY(config.open(QIODevice::ReadOnly));
        QVERIFY(config.readAll().contains("\ndb = sqlite:/var/lib/waybill-server/waybill.db\n"));
        config.close();
        // The admin's edit survives the next install.
        QVERIFY(config.open(QIODevice::Append));
        config.write("# edited by the admin\n");
        config.close();
        install.start(install.program(), install.arguments());
        QVERIFY2(runInstall(), install.readAllStandardError() + install.readAllStandardOutput());
        QVERIFY(config.open(QIODevice::ReadOnly));
        QVERIFY(config.readAll().endsWith("# edited by the admin\n"));
    }
};

QTEST_GUILESS_MAIN(TestServerInstall)
#include "tst_serverinstall.moc"
