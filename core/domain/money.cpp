#include "money.h"

#include <cmath>

namespace waybill {

namespace {
// Largest amount accepted: a billion dollars keeps every sum far inside qint64 and exact in double.
constexpr double kMaxDollars = 1e9;
} // namespace

QJsonValue centsToDollarsJson(Cents cents)
{
    // Division of an exact integer by 100 yields the double nearest to the decimal value, which
    // Qt's shortest round-trip formatting then prints as that decimal ("2.8").
    return QJsonValue(static_cast<double>(cents) / 100.0);
}

std::optional<Cents> dollarsToCents(double dollars)
{
    if (!std::isfinite(dollars) || std::fabs(dollars) > kMaxDollars)
        return std::nullopt;
    const double scaled = dollars * 100.0;
    const double rounded = std::round(scaled);
    // A decimal with two places is not exact in binary; allow the representation error only.
    if (std::fabs(scaled - rounded) > 1e-6)
        return std::nullopt;
    return static_cast<Cents>(rounded);
}

QString formatCents(Cents cents)
{
    const bool negative = cents < 0;
    const qint64 magnitude = negative ? -cents : cents;
    return QStringLiteral("%1%2.%3")
        .arg(negative ? QStringLiteral("-") : QString())
        .arg(magnitude / 100)
        .arg(magnitude % 100, 2, 10, QLatin1Char('0'));
}

} // namespace waybill
