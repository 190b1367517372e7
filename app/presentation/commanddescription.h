// Names of commands for people: in notifications, progress messages and the history.
#pragma once

#include "domain/command.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace waybill::app {

class CommandDescription final
{
    Q_DECLARE_TR_FUNCTIONS(CommandDescription)
public:
    // Submit -> "Submit" in the user's language.
    static QString name(CommandType type);
    // "Assign shipment S-1 to truck T-7": the command with its target and its key detail.
    static QString describe(CommandType type, const QString &entityId, const QJsonObject &body);
};

} // namespace waybill::app
