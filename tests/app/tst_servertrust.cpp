// The desktop's trust in a server's TLS certificate, against a real HTTPS server with a
// self-signed certificate: refused and reported until the user accepts its fingerprint (the
// HTTP client and the live feed alike), remembered per server across restarts, a changed
// certificate refused with a loud warning, and a CA file that makes it trusted outright.
#include "client/apiclient.h"
#include "client/liveclient.h"
#include "client/servertrust.h"
#include "testcertificate.h"
#include "testserver.h"
#include "views/certificateprompt.h"

#include <QAbstractButton>
#include <QDir>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace waybill;
using namespace waybill::app;

class TestServerTrust final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<waybill::test::TestServer> m_server;
    QString m_certificateFile;
    QString m_otherCertificateFile;
    int m_storeNumber = 0;

    QSslCertificate certificate() const
    {
        return QSslCertificate::fromPath(m_certificateFile).value(0);
    }
    ApiResult getMe(ApiClient &api)
    {
        ApiResult result;
        bool done = false;
        api.get(QStringLiteral("/me"), {}, this, [&](const ApiResult &answer) {
            result = answer;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 15000))
            result.errorText = QStringLiteral("no answer in 15 s");
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString serverDir = m_dir.filePath(QStringLiteral("server-tls"));
        const QString otherDir = m_dir.filePath(QStringLiteral("other-tls"));
        QVERIFY(QDir().mkpath(serverDir) && QDir().mkpath(otherDir));
        WAYBILL_TEST_CERTIFICATE(made, serverDir);
        WAYBILL_TEST_CERTIFICATE(other, otherDir);
        m_certificateFile = made.certificate;
        m_otherCertificateFile = other.certificate;
        ServerOptions options;
        options.tlsCertificateFile = made.certificate;
        options.tlsKeyFile = made.key;
        m_server = std::make_unique<waybill::test::TestServer>(
            DatabaseUrl::sqlite(m_dir.filePath(QStringLiteral("trust.db"))), options);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        QCOMPARE(m_server->url().scheme(), QStringLiteral("https"));
    }
    void cleanupTestCase() { m_server.reset(); }

    // Each test starts with nothing accepted and no CA file.
    void init()
    {
        ServerTrust::shared().setStoreFile(
            m_dir.filePath(QStringLiteral("store-%1/trusted.ini").arg(++m_storeNumber)));
        QVERIFY(ServerTrust::shared().setCaFile(QString(), nullptr));
    }

    void unknownCertificateIsRefusedAndReported()
    {
        ApiClient api(m_server->url(), m_server->token(Role::Dispatch));
        QSignalSpy rejected(&api, &ApiClient::certificateRejected);
        const ApiResult answer = getMe(api);
        QVERIFY2(!answer.ok(), qPrintable(answer.errorText));
        QVERIFY2(
            answer.errorText.contains(QStringLiteral("--ca-file")), qPrintable(answer.errorText));
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.first().at(1).value<QSslCertificate>(), certificate());
        QCOMPARE(ServerTrust::shared().judge(m_server->url(), certificate()),
            ServerTrust::Verdict::Unknown);
    }

    void acceptedCertificateIsTrustedAndRememberedPerServer()
    {
        QString error;
        QVERIFY2(ServerTrust::shared().remember(m_server->url(), certificate(), &error),
            qPrintable(error));
        ApiClient api(m_server->url(), m_server->token(Role::Dispatch));
        QSignalSpy rejected(&api, &ApiClient::certificateRejected);
        const ApiResult answer = getMe(api);
        QVERIFY2(answer.ok(), qPrintable(answer.errorText));
        QCOMPARE(rejected.size(), 0);

        // The live feed (wss) to the same server takes the same certificate.
        LiveClient live(api.liveUrl());
        live.start();
        QTRY_VERIFY_WITH_TIMEOUT(live.isConnected(), 15000);
        live.stop();

        // Remembered in the store: a restarted app (another ServerTrust on the same file)
        // knows it, for this host and port only.
        ServerTrust restarted;
        restarted.setStoreFile(
            m_dir.filePath(QStringLiteral("store-%1/trusted.ini").arg(m_storeNumber)));
        QCOMPARE(restarted.judge(m_server->url(), certificate()), ServerTrust::Verdict::Remembered);
        QUrl otherPort = m_server->url();
        otherPort.setPort(m_server->port() == 1 ? 2 : 1);
        QCOMPARE(restarted.judge(otherPort, certificate()), ServerTrust::Verdict::Unknown);
    }

    void changedCertificateIsRefusedWithALoudWarning()
    {
        const QSslCertificate before = QSslCertificate::fromPath(m_otherCertificateFile).value(0);
        QString error;
        QVERIFY(ServerTrust::shared().remember(m_server->url(), before, &error));
        ApiClient api(m_server->url(), m_server->token(Role::Dispatch));
        QSignalSpy rejected(&api, &ApiClient::certificateRejected);
        QVERIFY(!getMe(api).ok());
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(ServerTrust::shared().judge(m_server->url(), certificate()),
            ServerTrust::Verdict::Changed);

        CertificatePrompt prompt(m_server->url(), certificate(),
            ServerTrust::shared().rememberedFingerprint(m_server->url()));
        QVERIFY(prompt.isChangeWarning());
        QCOMPARE(prompt.icon(), QMessageBox::Critical);
        QVERIFY(prompt.text().contains(QStringLiteral("WARNING")));
        QVERIFY(prompt.informativeText().contains(ServerTrust::fingerprint(before)));
        QVERIFY(prompt.informativeText().contains(ServerTrust::fingerprint(certificate())));
        // Enter or Escape must not trust it.
        QVERIFY(prompt.defaultButton());
        QVERIFY(prompt.defaultButton() != prompt.trustButton());
        QVERIFY(prompt.escapeButton());
        QVERIFY(prompt.escapeButton() != prompt.trustButton());

        QSignalSpy trusted(&prompt, &CertificatePrompt::trusted);
        prompt.trustButton()->click();
        QCOMPARE(trusted.size(), 1);
    }

    // What the user compares on first connect is what openssl prints for the server's file.
    void firstConnectPromptShowsTheFingerprintOpensslPrints()
    {
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
            { QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-fingerprint"),
                QStringLiteral("-sha256"), QStringLiteral("-in"), m_certificateFile });
        QVERIFY(openssl.waitForFinished(15000));
        const QString printed = QString::fromLatin1(openssl.readAllStandardOutput()).trimmed();
        QVERIFY2(printed.contains(QLatin1Char('=')), qPrintable(printed));
        const QString expected = printed.section(QLatin1Char('='), 1);
        QCOMPARE(ServerTrust::fingerprint(certificate()), expected);

        CertificatePrompt prompt(m_server->url(), certificate(), QString());
        QVERIFY(!prompt.isChangeWarning());
        QVERIFY(prompt.informativeText().contains(expected));
        // Enter must not trust it.
        QVERIFY(prompt.defaultButton());
        QVERIFY(prompt.defaultButton() != prompt.trustButton());
    }

    void caFileMakesTheServerTrusted()
    {
        QString error;
        QVERIFY(
            !ServerTrust::shared().setCaFile(m_dir.filePath(QStringLiteral("trust.db")), &error));
        QVERIFY2(error.contains(QStringLiteral("trust.db")), qPrintable(error));
        QVERIFY2(ServerTrust::shared().setCaFile(m_certificateFile, &error), qPrintable(error));
        ApiClient api(m_server->url(), m_server->token(Role::Dispatch));
        QSignalSpy rejected(&api, &ApiClient::certificateRejected);
        const ApiResult answer = getMe(api);
        QVERIFY2(answer.ok(), qPrintable(answer.errorText));
        QCOMPARE(rejected.size(), 0);
        QVERIFY(ServerTrust::shared().rememberedFingerprint(m_server->url()).isEmpty());
    }
};

QTEST_MAIN(TestServerTrust)
#include "tst_servertrust.moc"
