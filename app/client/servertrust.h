// Which TLS certificates the desktop trusts from a Waybill server, beyond the system's
// authorities: the authorities of a CA file the user names (--ca-file, remembered), and, the way
// ssh trusts host keys, a server's own certificate the user accepted by its SHA-256 fingerprint on
// first connect, remembered per server (host and port). A remembered server that shows another
// certificate is refused until the user accepts the new one in the loud warning.
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>
#include <QUrl>

namespace waybill::app {

class ServerTrust final
{
public:
    // What the app uses: configured once by main() (and by tests), read by every connection.
    static ServerTrust &shared();

    // Where accepted certificates are remembered (an INI file in the user's config folder).
    void setStoreFile(const QString &path) { m_storeFile = path; }
    // The authorities of a PEM file, trusted for every server besides the system's. False, with
    // why, when the file cannot be read or holds no certificate; an empty path forgets them.
    bool setCaFile(const QString &path, QString *error);
    QString caFile() const { return m_caFile; }

    // The TLS settings of every connection: the system's authorities and the CA file's.
    QSslConfiguration sslConfiguration() const;

    enum class Verdict {
        Remembered, // the certificate the user accepted for this server
        Unknown, // no certificate accepted for this server yet: ask
        Changed // another certificate than the one accepted: warn loudly
    };
    Verdict judge(const QUrl &server, const QSslCertificate &certificate) const;
    // Whether a connection to server that met these errors may go on: only when the certificate
    // is the one the user accepted for it.
    bool accepts(const QUrl &server, const QList<QSslError> &errors) const;
    // The fingerprint remembered for server; empty when none.
    QString rememberedFingerprint(const QUrl &server) const;
    // The user accepted this certificate for this server (replacing any earlier one).
    bool remember(const QUrl &server, const QSslCertificate &certificate, QString *error);

    // SHA-256 of the certificate as "AB:CD:...": what `openssl x509 -fingerprint -sha256` shows.
    static QString fingerprint(const QSslCertificate &certificate);
    // "host:port" (the scheme's port when the URL names none): the key a certificate is kept by.
    static QString serverKey(const QUrl &server);

private:
    QString m_storeFile;
    QString m_caFile;
    QList<QSslCertificate> m_authorities;
};

} // namespace waybill::app
