#include "address.h"

#include "jsontext.h"

namespace waybill {

QJsonObject Address::toJson() const
{
    QJsonObject json { { QStringLiteral("name"), name }, { QStringLiteral("line1"), line1 },
        { QStringLiteral("city"), city }, { QStringLiteral("state"), state },
        { QStringLiteral("zip"), zip } };
    if (!line2.isEmpty())
        json.insert(QStringLiteral("line2"), line2);
    return json;
}

void Address::writeJson(JsonText &out) const
{
    out.beginObject();
    out.key("city").value(city);
    out.key("line1").value(line1);
    if (!line2.isEmpty())
        out.key("line2").value(line2);
    out.key("name").value(name);
    out.key("state").value(state);
    out.key("zip").value(zip);
    out.endObject();
}

Address Address::fromJson(const QJsonObject &json)
{
    Address a;
    a.name = json.value(QStringLiteral("name")).toString();
    a.line1 = json.value(QStringLiteral("line1")).toString();
    a.line2 = json.value(QStringLiteral("line2")).toString();
    a.city = json.value(QStringLiteral("city")).toString();
    a.state = json.value(QStringLiteral("state")).toString();
    a.zip = json.value(QStringLiteral("zip")).toString();
    return a;
}

bool Address::operator==(const Address &o) const
{
    return name == o.name && line1 == o.line1 && line2 == o.line2 && city == o.city
        && state == o.state && zip == o.zip;
}

} // namespace waybill
