#include "apppaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace waybill::app {

AppPaths AppPaths::standard()
{
    return { QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
        QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) };
}

QString AppPaths::databaseFile() const
{
    return QDir(dataDir).filePath(QStringLiteral("waybill.db"));
}

QString AppPaths::embeddedTokenFile() const
{
    return QDir(configDir).filePath(QStringLiteral("embedded-token.json"));
}

QString AppPaths::connectionFile() const
{
    return QDir(configDir).filePath(QStringLiteral("connection.json"));
}

QString AppPaths::trustedCertificatesFile() const
{
    return QDir(configDir).filePath(QStringLiteral("trusted-certificates.ini"));
}

namespace {

constexpr QFileDevice::Permissions kFolderOwnerOnly
    = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions kFileOwnerOnly
    = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

QString tr(const char *text)
{
    return QCoreApplication::translate("waybill::app::AppPaths", text);
}

} // namespace

bool AppPaths::makeDatabasePrivate(const QString &databaseFile, QString *error)
{
    const QFileInfo file(databaseFile);
    const QString folder = file.absolutePath();
    const QString shown = QDir::toNativeSeparators(folder);
    if (!QFileInfo(folder).isDir()) {
        // The folders above are the user's own (~/.local/share, say): made as usual. This one
        // is made user-only from the start (mkdir's mode is only narrowed by the umask).
        const QFileInfo info(folder);
        if (!QDir().mkpath(info.absolutePath()) || !QDir().mkdir(folder, kFolderOwnerOnly)) {
            *error = tr("The data folder %1 could not be created.").arg(shown);
            return false;
        }
    }
    if (!QFile::setPermissions(folder, kFolderOwnerOnly)) {
        *error = tr("The data folder %1 could not be made private.").arg(shown);
        return false;
    }
    if (!file.exists()) {
        QFile empty(databaseFile);
        if (!empty.open(QIODevice::WriteOnly | QIODevice::NewOnly, kFileOwnerOnly)) {
            *error = tr("The database %1 could not be created: %2")
                         .arg(QDir::toNativeSeparators(databaseFile), empty.errorString());
            return false;
        }
    }
    for (const QString &suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") }) {
        const QString path = databaseFile + suffix;
        if (QFileInfo::exists(path) && !QFile::setPermissions(path, kFileOwnerOnly)) {
            *error = tr("The database file %1 could not be made private.")
                         .arg(QDir::toNativeSeparators(path));
            return false;
        }
    }
    return true;
}

} // namespace waybill::app
