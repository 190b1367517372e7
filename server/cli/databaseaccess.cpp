#include "databaseaccess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace waybill::cli {

bool prepareDatabaseLocation(const ServerConfig &config, QString *error)
{
    if (config.database.kind != DatabaseUrl::Kind::Sqlite || !config.databaseIsDefault)
        return true;
    const QString folder = QFileInfo(config.database.path).absolutePath();
    if (QDir().mkpath(folder))
        return true;
    if (error)
        *error = QCoreApplication::translate("DatabaseAccess", "cannot create the data folder %1")
                     .arg(folder);
    return false;
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
