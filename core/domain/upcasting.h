// Event shapes grow; stored events never change. Every event read from the log passes through
// here on its way to the reducers and the API, so that an event stored by any earlier release
// reads in today's shape: each step fills in what an older shape left out with the meaning its
// absence always had (api.md, "Event shapes grow"). The stored row, its data text and its hash
// are left as they are: the audit export and the hash chain read those.
#pragma once

#include "event.h"

namespace waybill {

// The event's data in today's shape.
QJsonObject upcastEventData(const QString &type, QJsonObject data);
inline RecordedEvent upcast(RecordedEvent event)
{
    event.data = upcastEventData(event.type, std::move(event.data));
    return event;
}

} // namespace waybill
