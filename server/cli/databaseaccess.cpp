#include "databaseaccess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace waybill::cli {

namespace {

constexpr QFileDevice::Permissions kOwnerOnlyFolder
    = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions kOwnerOnlyFile
    = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

// Like mkpath, but every folder it makes is its owner's alone (the events are the company's
// books); folders that exist are left as they are.
bool makeOwnerOnlyPath(const QString &folder)
{
    // The nearest folder that exists, and the names to make under it (QDir::cdUp() refuses to go
    // up from a folder that does not exist, so this walks the path as text).
    QString existing = QDir::cleanPath(QDir(folder).absolutePath());
    QStringList missing;
    while (!QFileInfo::exists(existing)) {
        const qsizetype slash = existing.lastIndexOf(QLatin1Char('/'));
        if (slash < 0)
            return false;
        missing.prepend(existing.mid(slash + 1));
        existing = slash == 0 ? QStringLiteral("/") : existing.left(slash);
    }
    QDir dir(existing);
    for (const QString &name : std::as_const(missing)) {
        if (!dir.mkdir(name, kOwnerOnlyFolder) && !dir.exists(name))
            return false;
        if (!dir.cd(name))
            return false;
    }
    return true;
}

} // namespace

bool prepareDatabaseLocation(const ServerConfig &config, QString *error)
{
    if (config.database.kind != DatabaseUrl::Kind::Sqlite)
        return true;
    const QString path = config.database.path;
    const QString folder = QFileInfo(path).absolutePath();
    if (!makeOwnerOnlyPath(folder)) {
        if (error)
            *error
                = QCoreApplication::translate("DatabaseAccess", "cannot create the data folder %1")
                      .arg(folder);
        return false;
    }
    // A new database file is made here, user-only, so that SQLite's own files (-wal, -shm),
    // which take its permissions, are user-only too whatever the umask.
    if (!QFileInfo::exists(path)) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnlyFile)
            && !QFileInfo::exists(path)) {
            if (error)
                *error = QCoreApplication::translate("DatabaseAccess", "cannot create %1: %2")
                             .arg(path, file.errorString());
            return false;
        }
    }
    return true;
}

bool requireExistingDatabase(const ServerConfig &config, QString *error)
{
    if (config.database.kind != DatabaseUrl::Kind::Sqlite
        || QFileInfo(config.database.path).isFile())
        return true;
    if (error)
        *error = QCoreApplication::translate(
            "DatabaseAccess", "there is no database at %1 (give one with --db)")
                     .arg(config.database.path);
    return false;
}

} // namespace waybill::cli
