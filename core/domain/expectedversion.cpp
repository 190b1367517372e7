#include "expectedversion.h"

#include "ids.h"

namespace waybill {

QString expectedVersionConflict(const Command &command, int currentVersion)
{
    if (!command.expectedVersion || *command.expectedVersion == currentVersion)
        return {};
    const QString id = entityIdOfStream(command.streamId);
    QString what;
    switch (streamKind(command.streamId)) {
    case StreamKind::Shipment:
        what = QStringLiteral("Shipment %1").arg(id);
        break;
    case StreamKind::Account:
        what = QStringLiteral("Account %1").arg(id);
        break;
    case StreamKind::Truck:
        what = QStringLiteral("Truck %1").arg(id);
        break;
    case StreamKind::Unknown:
        what = command.streamId;
        break;
    }
    return QStringLiteral("%1 is at version %2, not %3 as the request expected (If-Match): "
                          "someone else changed it first.")
        .arg(what)
        .arg(currentVersion)
        .arg(*command.expectedVersion);
}

} // namespace waybill
