// What someone else changed on a record after the version the user saw: the events after it, in
// words, so that a command refused for an old version (412) says what happened meanwhile.
#pragma once

#include "domain/command.h"

#include <QCoreApplication>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace waybill::app {

class ApiClient;

class ChangesSince final
{
    Q_DECLARE_TR_FUNCTIONS(ChangesSince)
public:
    // Reads the events of the stream that a command of this type changes and calls done with
    // those after seenVersion, one line each ("10:02:03, dana: Placed on hold: unpaid"); done
    // gets nothing when they cannot be read. done runs unless context is gone by then.
    static void fetch(ApiClient *api, CommandType type, const QString &entityId, int seenVersion,
        QObject *context, std::function<void(const QStringList &)> done);
    // The whole message: who changed what first, what changed, what to do now.
    static QString explain(CommandType type, const QString &entityId, int seenVersion,
        std::optional<int> currentVersion, const QStringList &changes);
    // fetch() then explain(), for a command sent without a dialog (ship, release...).
    static void tell(ApiClient *api, CommandType type, const QString &entityId, int seenVersion,
        std::optional<int> currentVersion, QObject *context,
        std::function<void(const QString &)> done);
    // "shipment S-1", "account ACME", "truck T-7".
    static QString entityName(CommandType type, const QString &entityId);
};

} // namespace waybill::app
