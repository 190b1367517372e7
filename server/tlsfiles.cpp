#include "tlsfiles.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace waybill {

namespace {

// Messages in the context "waybill::HttpApiServer", where they were before they moved here.
struct TlsText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::HttpApiServer)
};

// Never ask a terminal for a passphrase: an encrypted key is refused as unreadable instead.
extern "C" int refusePassphrase(char *, int, int, void *)
{
    return 0;
}

// Qt has no way to tell whether a private key belongs to a certificate; OpenSSL (which Qt's TLS
// backend uses underneath) does. A mismatch would otherwise start "fine" and fail every
// handshake.
bool keyBelongsToCertificate(const QByteArray &certificatePem, const QByteArray &keyPem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> certificateBio(
        BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size())), &BIO_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> keyBio(
        BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())), &BIO_free);
    if (!certificateBio || !keyBio)
        return false;
    std::unique_ptr<X509, decltype(&X509_free)> certificate(
        PEM_read_bio_X509(certificateBio.get(), nullptr, &refusePassphrase, nullptr), &X509_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, &refusePassphrase, nullptr), &EVP_PKEY_free);
    return certificate && key && X509_check_private_key(certificate.get(), key.get()) == 1;
}

} // namespace

std::optional<QSslConfiguration> loadTlsConfiguration(
    const QString &certificateFile, const QString &keyFile, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<QSslConfiguration> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QFile certificateIo(certificateFile);
    QFile keyIo(keyFile);
    if (!certificateIo.open(QIODevice::ReadOnly))
        return fail(TlsText::tr("Cannot read the TLS certificate %1: %2")
                        .arg(certificateFile, certificateIo.errorString()));
    if (!keyIo.open(QIODevice::ReadOnly))
        return fail(
            TlsText::tr("Cannot read the TLS key %1: %2").arg(keyFile, keyIo.errorString()));
    const QByteArray certificateData = certificateIo.readAll();
    const QByteArray keyData = keyIo.readAll();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificateData, QSsl::Pem);
    if (chain.isEmpty())
        return fail(TlsText::tr("%1 holds no PEM certificate").arg(certificateFile));
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
        key = QSslKey(keyData, algorithm, QSsl::Pem);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return fail(
            TlsText::tr("%1 holds no PEM private key (RSA, EC or DSA, unencrypted)").arg(keyFile));
    if (!keyBelongsToCertificate(chain.first().toPem(), keyData))
        return fail(TlsText::tr("the private key %1 does not belong to the certificate %2 (a "
                                "key and a certificate from different pairs?)")
                        .arg(keyFile, certificateFile));
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

} // namespace waybill
