#include "apppaths.h"

#include <QDir>
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

} // namespace waybill::app
