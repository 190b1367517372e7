#include "testcertificate.h"

#include <QDir>
#include <QProcess>
#include <QSslSocket>

namespace waybill::test {

namespace {

bool isOn(const QByteArray &value)
{
    const QByteArray v = value.trimmed().toLower();
    return !v.isEmpty() && v != "0" && v != "false";
}

} // namespace

bool requireTls()
{
    if (qEnvironmentVariableIsSet("WAYBILL_REQUIRE_TLS"))
        return isOn(qgetenv("WAYBILL_REQUIRE_TLS"));
    return isOn(qgetenv("CI"));
}

std::optional<TestCertificate> makeTestCertificate(const QString &folder, QString *why)
{
    if (!QSslSocket::supportsSsl()) {
        *why = QStringLiteral("this Qt has no TLS backend (is libssl3 installed?)");
        return std::nullopt;
    }
    const QDir dir(folder);
    TestCertificate made { dir.filePath(QStringLiteral("test-certificate.pem")),
        dir.filePath(QStringLiteral("test-key.pem")) };
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), made.key, QStringLiteral("-out"), made.certificate,
            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
            QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
            QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost") });
    if (!openssl.waitForStarted(10000)) {
        *why = QStringLiteral("the openssl tool could not be started (%1), so no test certificate "
                              "can be made")
                   .arg(openssl.errorString());
        return std::nullopt;
    }
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit
        || openssl.exitCode() != 0) {
        *why = QStringLiteral("openssl could not make a test certificate: %1")
                   .arg(QString::fromLocal8Bit(openssl.readAllStandardError()));
        return std::nullopt;
    }
    return made;
}

} // namespace waybill::test
