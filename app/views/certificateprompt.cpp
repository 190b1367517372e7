#include "certificateprompt.h"

#include "client/servertrust.h"

#include <QPushButton>

namespace waybill::app {

CertificatePrompt::CertificatePrompt(const QUrl &server, const QSslCertificate &certificate,
    const QString &remembered, QWidget *parent)
    : QMessageBox(parent)
    , m_changed(!remembered.isEmpty())
{
    setObjectName(QStringLiteral("certificatePrompt"));
    const QString where = ServerTrust::serverKey(server);
    const QString shown = ServerTrust::fingerprint(certificate);
    const QString subject = certificate.subjectDisplayName();
    if (m_changed) {
        setIcon(QMessageBox::Critical);
        setWindowTitle(tr("The server's certificate has changed"));
        setText(
            tr("WARNING: the certificate of %1 is not the one you accepted before.").arg(where));
        setInformativeText(
            tr("Someone may be intercepting the connection, or the administrator replaced the "
               "certificate. Ask your administrator before going on, and compare the new "
               "SHA-256 fingerprint with theirs.\n\nAccepted before:\n%1\n\nShown now (%2):\n%3")
                .arg(remembered, subject, shown));
        m_trust = addButton(tr("Trust the New Certificate"), QMessageBox::DestructiveRole);
    } else {
        setIcon(QMessageBox::Warning);
        setWindowTitle(tr("Unknown server certificate"));
        setText(tr("The certificate of %1 is not signed by an authority this computer trusts.")
                    .arg(where));
        setInformativeText(
            tr("If your administrator gave you its SHA-256 fingerprint, compare it with this "
               "one before you trust it. Waybill remembers it and warns you if it ever "
               "changes.\n\nCertificate: %1\nSHA-256 fingerprint:\n%2")
                .arg(subject, shown));
        m_trust = addButton(tr("Trust This Certificate"), QMessageBox::AcceptRole);
    }
    QPushButton *cancel = addButton(QMessageBox::Cancel);
    setDefaultButton(cancel);
    setEscapeButton(cancel);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(this, &QMessageBox::buttonClicked, this,
        [this, server, certificate](QAbstractButton *button) {
            if (button == m_trust)
                Q_EMIT trusted(server, certificate);
        });
}

} // namespace waybill::app
