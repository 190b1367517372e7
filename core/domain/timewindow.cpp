#include "timewindow.h"

#include "jsontext.h"
#include "timeformat.h"

namespace waybill {

QJsonObject TimeWindow::toJson() const
{
    return { { QStringLiteral("from"), toIsoUtc(from) }, { QStringLiteral("to"), toIsoUtc(to) } };
}

void TimeWindow::writeJson(JsonText &out) const
{
    out.beginObject();
    out.key("from").value(toIsoUtc(from));
    out.key("to").value(toIsoUtc(to));
    out.endObject();
}

std::optional<TimeWindow> TimeWindow::fromJson(const QJsonObject &json)
{
    const auto from = parseIsoUtc(json.value(QStringLiteral("from")).toString());
    const auto to = parseIsoUtc(json.value(QStringLiteral("to")).toString());
    if (!from || !to)
        return std::nullopt;
    return TimeWindow { *from, *to };
}

} // namespace waybill
