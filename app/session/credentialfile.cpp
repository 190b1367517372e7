#include "credentialfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace waybill::app {

namespace {
constexpr QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
} // namespace

CredentialFile::CredentialFile(QString path)
    : m_path(std::move(path))
{ }

QJsonObject CredentialFile::read() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool CredentialFile::write(const QJsonObject &object, QString *error) const
{
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(folder)) {
        if (error)
            *error = tr("The folder %1 could not be created.").arg(folder);
        return false;
    }
    QSaveFile file(m_path);
    // The permissions are set on the temporary file before a byte of the secret is written.
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(kOwnerOnly)) {
        if (error)
            *error = tr("%1 could not be written: %2").arg(m_path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(object).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        if (error)
            *error = tr("%1 could not be written: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

} // namespace waybill::app
