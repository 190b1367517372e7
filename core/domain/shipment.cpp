#include "shipment.h"

#include "jsontext.h"
#include "lateness.h"
#include "timeformat.h"

#include <QStringList>

#include <array>

namespace waybill {

namespace {
QDateTime timeField(const QJsonObject &json, const QString &key)
{
    const auto parsed = parseIsoUtc(json.value(key).toString());
    return parsed ? *parsed : QDateTime();
}
} // namespace

QString shipmentStatusName(ShipmentStatus status)
{
    switch (status) {
    case ShipmentStatus::None:
        return {};
    case ShipmentStatus::Submitted:
        return QStringLiteral("Submitted");
    case ShipmentStatus::Assigned:
        return QStringLiteral("Assigned");
    case ShipmentStatus::Shipped:
        return QStringLiteral("Shipped");
    case ShipmentStatus::Delivered:
        return QStringLiteral("Delivered");
    case ShipmentStatus::Cancelled:
        return QStringLiteral("Cancelled");
    }
    return {};
}

bool shipmentStatusFromName(const QString &name, ShipmentStatus *status)
{
    for (auto s : { ShipmentStatus::Submitted, ShipmentStatus::Assigned, ShipmentStatus::Shipped,
             ShipmentStatus::Delivered, ShipmentStatus::Cancelled }) {
        if (shipmentStatusName(s).compare(name, Qt::CaseInsensitive) == 0) {
            *status = s;
            return true;
        }
    }
    return false;
}

QJsonObject ShipmentState::toJson() const
{
    QJsonObject json {
        { QStringLiteral("id"), id },
        { QStringLiteral("status"), shipmentStatusName(status) },
        { QStringLiteral("shipFrom"), shipFrom.toJson() },
        { QStringLiteral("shipTo"), shipTo.toJson() },
        { QStringLiteral("weightInPounds"), weightInPounds },
        { QStringLiteral("billToAccountId"), billToAccountId },
        { QStringLiteral("cost"), centsToDollarsJson(costCents) },
        { QStringLiteral("costCents"), static_cast<double>(costCents) },
        { QStringLiteral("createdTimestamp"), toIsoUtc(createdTimestamp) },
        { QStringLiteral("lastCommandTimestamp"), toIsoUtc(lastCommandTimestamp) },
        { QStringLiteral("version"), version },
    };
    if (!assignedToTruck.isEmpty())
        json.insert(QStringLiteral("assignedToTruck"), assignedToTruck);
    if (!accessorials.isEmpty())
        json.insert(QStringLiteral("accessorials"), QJsonArray::fromStringList(accessorials));
    if (!rateTableVersion.isEmpty()) {
        json.insert(QStringLiteral("charges"), chargesToJson(charges));
        json.insert(QStringLiteral("rateTableVersion"), rateTableVersion);
    }
    if (shipDate.isValid())
        json.insert(QStringLiteral("shipDate"), toIsoUtc(shipDate));
    if (deliveredDate.isValid())
        json.insert(QStringLiteral("deliveredDate"), toIsoUtc(deliveredDate));
    if (!signedBy.isEmpty())
        json.insert(QStringLiteral("signedBy"), signedBy);
    if (!cancelReason.isEmpty())
        json.insert(QStringLiteral("cancelReason"), cancelReason);
    if (pickupWindow)
        json.insert(QStringLiteral("pickupWindow"), pickupWindow->toJson());
    if (deliveryWindow)
        json.insert(QStringLiteral("deliveryWindow"), deliveryWindow->toJson());
    if (const std::optional<bool> onTime = onTimeOf(*this))
        json.insert(QStringLiteral("onTime"), *onTime);
    return json;
}

QString ShipmentState::toJsonText() const
{
    // Keys in ascending order, as QJsonObject keeps them.
    JsonText out;
    out.beginObject();
    if (!accessorials.isEmpty()) {
        out.key("accessorials").beginArray();
        for (const QString &code : accessorials)
            out.item().value(code);
        out.endArray();
    }
    if (!assignedToTruck.isEmpty())
        out.key("assignedToTruck").value(assignedToTruck);
    out.key("billToAccountId").value(billToAccountId);
    if (!cancelReason.isEmpty())
        out.key("cancelReason").value(cancelReason);
    if (!rateTableVersion.isEmpty()) {
        out.key("charges").beginArray();
        for (const Charge &c : charges) {
            out.item().beginObject();
            out.key("amountCents").value(static_cast<double>(c.amountCents));
            out.key("code").value(c.code);
            out.endObject();
        }
        out.endArray();
    }
    out.key("cost").value(centsToDollarsJson(costCents).toDouble());
    out.key("costCents").value(static_cast<double>(costCents));
    out.key("createdTimestamp").value(toIsoUtc(createdTimestamp));
    if (deliveredDate.isValid())
        out.key("deliveredDate").value(toIsoUtc(deliveredDate));
    if (deliveryWindow) {
        out.key("deliveryWindow");
        deliveryWindow->writeJson(out);
    }
    out.key("id").value(id);
    out.key("lastCommandTimestamp").value(toIsoUtc(lastCommandTimestamp));
    if (const std::optional<bool> onTime = onTimeOf(*this))
        out.key("onTime").value(*onTime);
    if (pickupWindow) {
        out.key("pickupWindow");
        pickupWindow->writeJson(out);
    }
    if (!rateTableVersion.isEmpty())
        out.key("rateTableVersion").value(rateTableVersion);
    if (shipDate.isValid())
        out.key("shipDate").value(toIsoUtc(shipDate));
    out.key("shipFrom");
    shipFrom.writeJson(out);
    out.key("shipTo");
    shipTo.writeJson(out);
    if (!signedBy.isEmpty())
        out.key("signedBy").value(signedBy);
    out.key("status").value(shipmentStatusName(status));
    out.key("version").value(version);
    out.key("weightInPounds").value(weightInPounds);
    out.endObject();
    return out.toString();
}

QString ShipmentState::searchText() const
{
    // The id and both addresses' fields, a line each (no line for an empty second line),
    // lower-cased: made in one buffer and lower-cased in place (this is written with every state
    // row).
    const auto fieldsOf = [](const Address &a) {
        return std::array<const QString *, 6> { &a.name, &a.line1, &a.line2, &a.city, &a.state,
            &a.zip };
    };
    qsizetype size = id.size();
    for (const Address *a : { &shipFrom, &shipTo }) {
        for (const QString *field : fieldsOf(*a))
            size += 1 + field->size();
    }
    QString text;
    text.reserve(size);
    text += id;
    for (const Address *a : { &shipFrom, &shipTo }) {
        for (const QString *field : fieldsOf(*a)) {
            if (field == &a->line2 && field->isEmpty())
                continue;
            text += QLatin1Char('\n');
            text += *field;
        }
    }
    return std::move(text).toLower();
}

ShipmentState ShipmentState::fromJson(const QJsonObject &json)
{
    ShipmentState s;
    s.id = json.value(QStringLiteral("id")).toString();
    shipmentStatusFromName(json.value(QStringLiteral("status")).toString(), &s.status);
    s.shipFrom = Address::fromJson(json.value(QStringLiteral("shipFrom")).toObject());
    s.shipTo = Address::fromJson(json.value(QStringLiteral("shipTo")).toObject());
    s.weightInPounds = json.value(QStringLiteral("weightInPounds")).toDouble();
    s.billToAccountId = json.value(QStringLiteral("billToAccountId")).toString();
    s.costCents = static_cast<Cents>(json.value(QStringLiteral("costCents")).toDouble());
    s.assignedToTruck = json.value(QStringLiteral("assignedToTruck")).toString();
    s.accessorials = accessorialsFromJson(json.value(QStringLiteral("accessorials")));
    s.charges = chargesFromJson(json.value(QStringLiteral("charges")));
    s.rateTableVersion = json.value(QStringLiteral("rateTableVersion")).toString();
    s.createdTimestamp = timeField(json, QStringLiteral("createdTimestamp"));
    s.lastCommandTimestamp = timeField(json, QStringLiteral("lastCommandTimestamp"));
    s.shipDate = timeField(json, QStringLiteral("shipDate"));
    s.deliveredDate = timeField(json, QStringLiteral("deliveredDate"));
    s.signedBy = json.value(QStringLiteral("signedBy")).toString();
    s.cancelReason = json.value(QStringLiteral("cancelReason")).toString();
    s.pickupWindow = TimeWindow::fromJson(json.value(QStringLiteral("pickupWindow")).toObject());
    s.deliveryWindow
        = TimeWindow::fromJson(json.value(QStringLiteral("deliveryWindow")).toObject());
    s.version = json.value(QStringLiteral("version")).toInt();
    return s;
}

bool ShipmentState::operator==(const ShipmentState &o) const
{
    return toJson() == o.toJson();
}

} // namespace waybill
