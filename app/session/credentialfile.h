// A small JSON file for secrets (access tokens) that only its owner may read (mode 0600).
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace waybill::app {

class CredentialFile final
{
    Q_DECLARE_TR_FUNCTIONS(CredentialFile)
public:
    explicit CredentialFile(QString path);

    QString path() const { return m_path; }
    // The stored object; empty when the file is missing or unreadable.
    QJsonObject read() const;
    // Replaces the file atomically; it is never readable by others, not even for a moment.
    bool write(const QJsonObject &object, QString *error) const;

private:
    QString m_path;
};

} // namespace waybill::app
