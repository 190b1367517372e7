#include "truck.h"

#include "jsontext.h"
#include "timeformat.h"

namespace waybill {

QJsonObject TruckState::toJson() const
{
    QJsonObject json {
        { QStringLiteral("id"), id },
        { QStringLiteral("registered"), registered },
        { QStringLiteral("inService"), inService },
        { QStringLiteral("version"), version },
    };
    if (!name.isEmpty())
        json.insert(QStringLiteral("name"), name);
    if (capacityPounds)
        json.insert(QStringLiteral("capacityPounds"), *capacityPounds);
    if (!inService)
        json.insert(QStringLiteral("outOfServiceReason"), outOfServiceReason);
    if (registeredTimestamp.isValid())
        json.insert(QStringLiteral("registeredTimestamp"), toIsoUtc(registeredTimestamp));
    if (lastEventTimestamp.isValid())
        json.insert(QStringLiteral("lastEventTimestamp"), toIsoUtc(lastEventTimestamp));
    return json;
}

QString TruckState::toJsonText() const
{
    // Keys in ascending order, as QJsonObject keeps them.
    JsonText out;
    out.beginObject();
    if (capacityPounds)
        out.key("capacityPounds").value(*capacityPounds);
    out.key("id").value(id);
    out.key("inService").value(inService);
    if (lastEventTimestamp.isValid())
        out.key("lastEventTimestamp").value(toIsoUtc(lastEventTimestamp));
    if (!name.isEmpty())
        out.key("name").value(name);
    if (!inService)
        out.key("outOfServiceReason").value(outOfServiceReason);
    out.key("registered").value(registered);
    if (registeredTimestamp.isValid())
        out.key("registeredTimestamp").value(toIsoUtc(registeredTimestamp));
    out.key("version").value(version);
    out.endObject();
    return out.toString();
}

TruckState TruckState::fromJson(const QJsonObject &json)
{
    TruckState t;
    t.id = json.value(QStringLiteral("id")).toString();
    t.registered = json.value(QStringLiteral("registered")).toBool();
    t.name = json.value(QStringLiteral("name")).toString();
    if (json.contains(QStringLiteral("capacityPounds")))
        t.capacityPounds = json.value(QStringLiteral("capacityPounds")).toInt();
    t.inService = json.value(QStringLiteral("inService")).toBool(true);
    t.outOfServiceReason = json.value(QStringLiteral("outOfServiceReason")).toString();
    t.registeredTimestamp
        = parseIsoUtc(json.value(QStringLiteral("registeredTimestamp")).toString())
              .value_or(QDateTime());
    t.lastEventTimestamp = parseIsoUtc(json.value(QStringLiteral("lastEventTimestamp")).toString())
                               .value_or(QDateTime());
    t.version = json.value(QStringLiteral("version")).toInt();
    return t;
}

} // namespace waybill
