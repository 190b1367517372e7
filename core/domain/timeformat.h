// Times are UTC with milliseconds, in one ISO-8601 form that also sorts as text.
#pragma once

#include <QDateTime>
#include <QString>
#include <optional>

namespace waybill {

// 2026-11-27T10:00:00.000Z
QString toIsoUtc(const QDateTime &time);
// Accepts ISO-8601 with or without milliseconds and with Z or an offset; empty when invalid.
std::optional<QDateTime> parseIsoUtc(const QString &text);

} // namespace waybill
