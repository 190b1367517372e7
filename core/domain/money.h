// Money is integer cents everywhere; dollars appear only at the edges (JSON and screens).
#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <optional>

namespace waybill {

using Cents = qint64;

// The largest amount a command may carry, a billion dollars: every sum of such amounts stays
// far inside qint64, and each is exact in a double.
constexpr Cents kMaxMoneyCents = Cents(100'000'000'000);

// 280 -> 2.8 as a JSON number: exact to the cent, never 2.8000000000000003.
QJsonValue centsToDollarsJson(Cents cents);

// What is wrong with a dollar amount as written.
enum class MoneyProblem {
    None,
    NotANumber, // not a JSON number literal (RFC 8259), e.g. "1.", ".5", "+1", "0x10"
    TooPrecise, // not a whole number of cents, e.g. 1.005 or 0.010000001
    TooLarge // more than kMaxMoneyCents either way
};

struct ParsedMoney
{
    Cents cents = 0;
    MoneyProblem problem = MoneyProblem::None;
    bool ok() const { return problem == MoneyProblem::None; }
};

// Reads a JSON number literal as an exact decimal: "12.5" -> 1250, "1e9" -> 100000000000,
// "1.50" and "150e-2" -> 150, "-0.01" -> -1. No floating point: "0.010000001" and "1.005" are
// TooPrecise, however close they come to a cent.
ParsedMoney parseDollarsLiteral(QByteArrayView literal);

// 2.8 -> 280. Empty when the number is not finite, is not a whole number of cents or is too
// large. The double is read as the shortest decimal that gives it back (what JSON shows), so
// 0.1 is 10 cents and 0.30000000000000004 is refused.
std::optional<Cents> dollarsToCents(double dollars);

// The cents a JSON object carries under key (an event's or a command's "amountCents"). The
// value was checked as whole cents when it was accepted, so the double holds it exactly.
Cents centsIn(const QJsonObject &data, const QString &key = QStringLiteral("amountCents"));

// 280 -> "2.80", -1234 -> "-12.34" (no currency sign; the UI adds it through tr()).
QString formatCents(Cents cents);

} // namespace waybill
