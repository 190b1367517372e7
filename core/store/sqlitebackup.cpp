#include "sqlitebackup.h"

#include "sql.h"

#include <QFile>
#include <QSqlQuery>

namespace waybill {

void backupSqlite(Database &database, const QString &path)
{
    if (database.isPostgres())
        throw StoreError(QStringLiteral("a backup file is taken of SQLite databases only"));
    // Made here, empty and user-only (VACUUM INTO writes into an empty file), so that the copy
    // of the books is as private as the books; NewOnly refuses a file that exists.
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
            QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        throw StoreError(QStringLiteral("cannot create %1: %2").arg(path, file.errorString()));
    file.close();
    try {
        QSqlQuery vacuum(database.connection());
        if (!vacuum.prepare(QStringLiteral("VACUUM INTO ?")))
            throwQueryError(vacuum, QStringLiteral("cannot prepare the backup"));
        vacuum.addBindValue(path);
        if (!vacuum.exec())
            throwQueryError(vacuum, QStringLiteral("cannot write the backup to %1").arg(path));
    } catch (const StoreError &) {
        QFile::remove(path);
        throw;
    }
}

} // namespace waybill
