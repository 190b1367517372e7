// A span of time a pickup or a delivery is to happen in, from its start to its end (inclusive).
#pragma once

#include <QDateTime>
#include <QJsonObject>

#include <optional>

namespace waybill {

class JsonText;

struct TimeWindow
{
    QDateTime from; // UTC
    QDateTime to; // UTC, not before from

    // {"from": "...Z", "to": "...Z"}
    QJsonObject toJson() const;
    void writeJson(JsonText &out) const;
    // Empty when either end is missing or not an ISO-8601 time.
    static std::optional<TimeWindow> fromJson(const QJsonObject &json);
    bool operator==(const TimeWindow &other) const { return from == other.from && to == other.to; }
    bool operator!=(const TimeWindow &other) const { return !(*this == other); }
};

} // namespace waybill
