// The remembered connection to a remote waybill-server (the connection dialog fills it in).
#pragma once

#include <QString>
#include <QUrl>

namespace waybill::app {

struct RemoteConnection
{
    QUrl serverUrl;
    QString token;
    bool connectAtStart = false; // off: with no arguments, Waybill starts its embedded server

    bool isComplete() const
    {
        return serverUrl.isValid() && !serverUrl.isEmpty() && !token.isEmpty();
    }
    static RemoteConnection load(const QString &file);
    bool save(const QString &file, QString *error) const;
};

} // namespace waybill::app
