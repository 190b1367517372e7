#include "money.h"

#include <QByteArray>
#include <QLocale>

#include <cmath>

namespace waybill {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Exponents beyond this say the same as this one (too large, or too precise) for any literal
// that fits in memory, and keep every sum below in qint64.
constexpr qint64 kExponentCap = 1'000'000'000'000;

// The places of 1 dollar in cents and of kMaxMoneyCents in dollars: 10^2, 10^9.
constexpr qint64 kCentPlaces = 2;
constexpr qint64 kMaxDollarPlace = 9;

} // namespace

QJsonValue centsToDollarsJson(Cents cents)
{
    // Division of an exact integer by 100 yields the double nearest to the decimal value, which
    // Qt's shortest round-trip formatting then prints as that decimal ("2.8").
    return QJsonValue(static_cast<double>(cents) / 100.0);
}

ParsedMoney parseDollarsLiteral(QByteArrayView s)
{
    const ParsedMoney notANumber { 0, MoneyProblem::NotANumber };
    const qsizetype n = s.size();
    qsizetype i = 0;
    const bool negative = i < n && s[i] == '-';
    if (negative)
        ++i;
    // int = zero / ( digit1-9 *DIGIT )
    if (i >= n || !isDigit(s[i]))
        return notANumber;
    const qsizetype intStart = i;
    if (s[i] == '0') {
        ++i;
    } else {
        while (i < n && isDigit(s[i]))
            ++i;
    }
    const qsizetype intLength = i - intStart;
    // frac = decimal-point 1*DIGIT
    qsizetype fracStart = i;
    qsizetype fracLength = 0;
    if (i < n && s[i] == '.') {
        fracStart = ++i;
        while (i < n && isDigit(s[i]))
            ++i;
        fracLength = i - fracStart;
        if (fracLength == 0)
            return notANumber;
    }
    // exp = e [ minus / plus ] 1*DIGIT
    qint64 exponent = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool exponentNegative = false;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            exponentNegative = s[i++] == '-';
        if (i >= n || !isDigit(s[i]))
            return notANumber;
        while (i < n && isDigit(s[i])) {
            exponent = qMin(kExponentCap, exponent * 10 + (s[i] - '0'));
            ++i;
        }
        if (exponentNegative)
            exponent = -exponent;
    }
    if (i != n)
        return notANumber;

    // The digits of the integer and fraction parts read as one sequence; the digit at index k
    // stands for 10^(exponent + intLength - 1 - k) dollars.
    const qsizetype total = intLength + fracLength;
    const auto digitAt = [&](qsizetype k) {
        return k < intLength ? s[intStart + k] - '0' : s[fracStart + (k - intLength)] - '0';
    };
    qsizetype first = 0;
    while (first < total && digitAt(first) == 0)
        ++first;
    if (first == total)
        return {}; // zero, whatever its exponent
    qsizetype last = total - 1;
    while (digitAt(last) == 0)
        --last;
    const qint64 highPlace = exponent + intLength - 1 - first;
    const qint64 lowPlace = exponent + intLength - 1 - last;
    // At the billion's place only the billion itself is allowed: 1 and nothing after it.
    if (highPlace > kMaxDollarPlace
        || (highPlace == kMaxDollarPlace && (digitAt(first) != 1 || last != first)))
        return { 0, MoneyProblem::TooLarge };
    if (lowPlace < -kCentPlaces)
        return { 0, MoneyProblem::TooPrecise };
    // At most 12 digits now (10^-2 to 10^9 dollars): exact in qint64.
    Cents cents = 0;
    for (qsizetype k = first; k <= last; ++k)
        cents = cents * 10 + digitAt(k);
    for (qint64 place = lowPlace; place > -kCentPlaces; --place)
        cents *= 10;
    if (cents > kMaxMoneyCents)
        return { 0, MoneyProblem::TooLarge };
    return { negative ? -cents : cents, MoneyProblem::None };
}

std::optional<Cents> dollarsToCents(double dollars)
{
    if (!std::isfinite(dollars))
        return std::nullopt;
    const ParsedMoney parsed
        = parseDollarsLiteral(QByteArray::number(dollars, 'g', QLocale::FloatingPointShortest));
    if (!parsed.ok())
        return std::nullopt;
    return parsed.cents;
}

Cents centsIn(const QJsonObject &data, const QString &key)
{
    return static_cast<Cents>(data.value(key).toDouble());
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
