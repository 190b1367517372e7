// Where the desktop app keeps its files: the embedded database in the user's data folder, the
// tokens in the user's config folder.
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
};

} // namespace waybill::app
