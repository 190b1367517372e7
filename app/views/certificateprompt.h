// The question the desktop asks when a server's TLS certificate is not signed by an authority it
// trusts: on first connect, its SHA-256 fingerprint to compare with the administrator's; when a
// remembered server shows another certificate, a loud warning that names both fingerprints and
// leaves "Cancel" the default.
#pragma once

#include <QMessageBox>
#include <QSslCertificate>
#include <QUrl>

namespace waybill::app {

class CertificatePrompt final : public QMessageBox
{
    Q_OBJECT
public:
    // remembered: the fingerprint accepted earlier for this server; empty on first connect.
    CertificatePrompt(const QUrl &server, const QSslCertificate &certificate,
        const QString &remembered, QWidget *parent = nullptr);

    bool isChangeWarning() const { return m_changed; }
    QAbstractButton *trustButton() const { return m_trust; }

Q_SIGNALS:
    // The user chose to trust it (the caller remembers it and connects again).
    void trusted(const QUrl &server, const QSslCertificate &certificate);

private:
    QAbstractButton *m_trust = nullptr;
    bool m_changed = false;
};

} // namespace waybill::app
