// Money is integer cents everywhere; dollars appear only at the edges (JSON and screens).
#pragma once

#include <QJsonValue>
#include <QString>
#include <optional>

namespace waybill {

using Cents = qint64;

// 280 -> 2.8 as a JSON number: exact to the cent, never 2.8000000000000003.
QJsonValue centsToDollarsJson(Cents cents);

// 2.8 -> 280. Empty when the number is not finite, has more than two decimals or is too large.
std::optional<Cents> dollarsToCents(double dollars);

// 280 -> "2.80", -1234 -> "-12.34" (no currency sign; the UI adds it through tr()).
QString formatCents(Cents cents);

} // namespace waybill
