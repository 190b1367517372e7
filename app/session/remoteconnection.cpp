#include "remoteconnection.h"

#include "credentialfile.h"

namespace waybill::app {

RemoteConnection RemoteConnection::load(const QString &file)
{
    const QJsonObject json = CredentialFile(file).read();
    RemoteConnection connection;
    connection.serverUrl = QUrl(json.value(QLatin1String("serverUrl")).toString());
    connection.token = json.value(QLatin1String("token")).toString();
    connection.connectAtStart = json.value(QLatin1String("connectAtStart")).toBool();
    return connection;
}

bool RemoteConnection::save(const QString &file, QString *error) const
{
    return CredentialFile(file).write(
        { { QStringLiteral("serverUrl"), serverUrl.toString() }, { QStringLiteral("token"), token },
            { QStringLiteral("connectAtStart"), connectAtStart } },
        error);
}

} // namespace waybill::app
