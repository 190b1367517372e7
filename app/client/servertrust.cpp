#include "servertrust.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace waybill::app {

namespace {

struct TrustText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::app::ServerTrust)
};

const QString kGroup = QStringLiteral("certificates");

} // namespace

ServerTrust &ServerTrust::shared()
{
    static ServerTrust trust;
    return trust;
}

bool ServerTrust::setCaFile(const QString &path, QString *error)
{
    if (path.isEmpty()) {
        m_caFile.clear();
        m_authorities.clear();
        return true;
    }
    if (!QFileInfo(path).isReadable()) {
        if (error)
            *error = TrustText::tr("The CA file %1 cannot be read.").arg(path);
        return false;
    }
    const QList<QSslCertificate> authorities = QSslCertificate::fromPath(path, QSsl::Pem);
    if (authorities.isEmpty()) {
        if (error)
            *error = TrustText::tr("The CA file %1 holds no PEM certificate.").arg(path);
        return false;
    }
    m_caFile = QFileInfo(path).absoluteFilePath();
    m_authorities = authorities;
    return true;
}

QSslConfiguration ServerTrust::sslConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    if (!m_authorities.isEmpty())
        configuration.addCaCertificates(m_authorities);
    return configuration;
}

ServerTrust::Verdict ServerTrust::judge(
    const QUrl &server, const QSslCertificate &certificate) const
{
    const QString remembered = rememberedFingerprint(server);
    if (remembered.isEmpty())
        return Verdict::Unknown;
    return remembered == fingerprint(certificate) ? Verdict::Remembered : Verdict::Changed;
}

bool ServerTrust::accepts(const QUrl &server, const QList<QSslError> &errors) const
{
    if (errors.isEmpty())
        return true;
    const QString remembered = rememberedFingerprint(server);
    if (remembered.isEmpty())
        return false;
    // Every complaint must be about the certificate the user accepted (self-signed, unknown
    // authority, another name): a chain error about some other certificate is not excused.
    for (const QSslError &error : errors) {
        if (error.certificate().isNull() || fingerprint(error.certificate()) != remembered)
            return false;
    }
    return true;
}

QString ServerTrust::rememberedFingerprint(const QUrl &server) const
{
    if (m_storeFile.isEmpty())
        return {};
    QSettings store(m_storeFile, QSettings::IniFormat);
    store.beginGroup(kGroup);
    return store.value(serverKey(server)).toString();
}

bool ServerTrust::remember(const QUrl &server, const QSslCertificate &certificate, QString *error)
{
    if (m_storeFile.isEmpty() || certificate.isNull()
        || !QDir().mkpath(QFileInfo(m_storeFile).absolutePath())) {
        if (error)
            *error = TrustText::tr("The accepted certificate could not be remembered in %1.")
                         .arg(m_storeFile);
        return false;
    }
    QSettings store(m_storeFile, QSettings::IniFormat);
    store.beginGroup(kGroup);
    store.setValue(serverKey(server), fingerprint(certificate));
    store.endGroup();
    store.sync();
    if (store.status() != QSettings::NoError) {
        if (error)
            *error = TrustText::tr("The accepted certificate could not be remembered in %1.")
                         .arg(m_storeFile);
        return false;
    }
    return true;
}

QString ServerTrust::fingerprint(const QSslCertificate &certificate)
{
    const QByteArray hex = certificate.digest(QCryptographicHash::Sha256).toHex().toUpper();
    QStringList pairs;
    for (qsizetype i = 0; i + 1 < hex.size(); i += 2)
        pairs.append(QString::fromLatin1(hex.mid(i, 2)));
    return pairs.join(QLatin1Char(':'));
}

QString ServerTrust::serverKey(const QUrl &server)
{
    const bool secure
        = server.scheme() == QLatin1String("https") || server.scheme() == QLatin1String("wss");
    // QSettings keys may not hold '/' or '\\'; a host never does. IPv6 literals keep brackets.
    const QString host = server.host().contains(QLatin1Char(':'))
        ? QLatin1Char('[') + server.host() + QLatin1Char(']')
        : server.host().toLower();
    return host + QLatin1Char(':') + QString::number(server.port(secure ? 443 : 80));
}

} // namespace waybill::app
