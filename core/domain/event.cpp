#include "event.h"

#include "timeformat.h"

namespace waybill {

QJsonObject RecordedEvent::toJson() const
{
    return QJsonObject {
        { QStringLiteral("position"), static_cast<double>(position) },
        { QStringLiteral("streamId"), streamId },
        { QStringLiteral("version"), version },
        { QStringLiteral("type"), type },
        { QStringLiteral("timestamp"), toIsoUtc(timestamp) },
        { QStringLiteral("commandId"), commandId },
        { QStringLiteral("user"), user },
        { QStringLiteral("correlationId"), correlationId },
        { QStringLiteral("data"), data },
    };
}

} // namespace waybill
