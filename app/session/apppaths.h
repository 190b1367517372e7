// Where the desktop app keeps its files: the embedded database in the user's data folder, the
// tokens in the user's config folder. The data folder and the database are the user's alone.
#pragma once

#include <QString>

namespace waybill::app {

struct AppPaths
{
    QString dataDir; // QStandardPaths::AppDataLocation
    QString configDir; // QStandardPaths::AppConfigLocation

    static AppPaths standard();
    // The embedded server's SQLite file: <data>/waybill.db
    QString databaseFile() const;
    // The embedded server's administrator token.
    QString embeddedTokenFile() const;
    // The remembered remote connection (its token included).
    QString connectionFile() const;
    // The servers' certificates the user accepted, by host and port (client/servertrust.h).
    QString trustedCertificatesFile() const;

    // Makes the database's folder readable by the user alone (0700), creating it so, and the
    // database and its -wal and -shm files too (0600), whatever the umask: the database is made
    // empty with those permissions before SQLite opens it, and SQLite gives its companion files
    // the database's own. Folders and files left readable by an earlier version are tightened.
    // False with an error for people when that cannot be done.
    static bool makeDatabasePrivate(const QString &databaseFile, QString *error);
};

} // namespace waybill::app
