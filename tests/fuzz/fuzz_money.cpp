// libFuzzer target: the exact money parser against an independent oracle. The input is a
// number literal; the oracle moves the decimal point in a string (arbitrary precision, no
// arithmetic on the value) and reads the result. Also: an accepted amount is the double that
// strtod makes of the literal, and a payment whose body carries the literal gets the same cents.
#include "domain/commandvalidation.h"
#include "domain/jsonnumberliteral.h"
#include "domain/money.h"

#include <QJsonDocument>

#include <cstdlib>
#include <regex>
#include <string>

using namespace waybill;

namespace {

// Inputs longer than this are not tried (std::regex recurses per character).
constexpr size_t kMaxLiteral = 256;

[[noreturn]] void fail(const char *what, const std::string &literal)
{
    fprintf(stderr, "fuzz_money: %s for literal \"%s\"\n", what, literal.c_str());
    abort();
}

ParsedMoney oracle(const std::string &s)
{
    static const std::regex grammar("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    if (!std::regex_match(s, grammar))
        return { 0, MoneyProblem::NotANumber };
    const bool negative = s[0] == '-';
    const size_t bodyStart = negative ? 1 : 0;
    const size_t e = s.find_first_of("eE");
    const std::string mantissa = s.substr(bodyStart, e == std::string::npos ? e : e - bodyStart);
    const size_t point = mantissa.find('.');
    const std::string intPart = mantissa.substr(0, point);
    const std::string fracPart = point == std::string::npos ? "" : mantissa.substr(point + 1);
    const std::string digits = intPart + fracPart;
    if (digits.find_first_not_of('0') == std::string::npos)
        return {};
    // The exponent as text; beyond 1000 (the literal is at most kMaxLiteral long) only its
    // sign matters.
    long exponent = 0;
    if (e != std::string::npos) {
        std::string text = s.substr(e + 1);
        bool minus = false;
        if (text[0] == '+' || text[0] == '-') {
            minus = text[0] == '-';
            text = text.substr(1);
        }
        text.erase(0, std::min(text.find_first_not_of('0'), text.size()));
        exponent = text.size() > 4 ? 100000 : (text.empty() ? 0 : std::stol(text));
        if (exponent > 1000)
            return { 0, minus ? MoneyProblem::TooPrecise : MoneyProblem::TooLarge };
        if (minus)
            exponent = -exponent;
    }
    // Where the point goes among the digits, then the plain decimal.
    const long pointAt = long(intPart.size()) + exponent;
    std::string whole;
    std::string fraction;
    if (pointAt <= 0) {
        fraction = std::string(size_t(-pointAt), '0') + digits;
    } else if (size_t(pointAt) >= digits.size()) {
        whole = digits + std::string(size_t(pointAt) - digits.size(), '0');
    } else {
        whole = digits.substr(0, size_t(pointAt));
        fraction = digits.substr(size_t(pointAt));
    }
    whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
    fraction.erase(fraction.find_last_not_of('0') + 1);
    const std::string limit = "1000000000";
    const bool larger = whole.size() > limit.size()
        || (whole.size() == limit.size() && (whole > limit || !fraction.empty()));
    if (larger)
        return { 0, MoneyProblem::TooLarge };
    if (fraction.size() > 2)
        return { 0, MoneyProblem::TooPrecise };
    fraction.resize(2, '0');
    const Cents cents = std::stoll(whole + fraction);
    return { negative ? -cents : cents, MoneyProblem::None };
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > kMaxLiteral)
        return 0;
    const std::string literal(reinterpret_cast<const char *>(data), size);
    const ParsedMoney parsed = parseDollarsLiteral(QByteArrayView(literal.data(), qsizetype(size)));
    const ParsedMoney expected = oracle(literal);
    if (parsed.problem != expected.problem)
        fail("the parser and the oracle disagree on the problem", literal);
    if (parsed.cents != expected.cents)
        fail("the parser and the oracle disagree on the cents", literal);
    if (parsed.ok() && parsed.cents != 0
        && std::strtod(literal.c_str(), nullptr) != double(parsed.cents) / 100.0)
        fail("an accepted amount is not the double strtod reads", literal);

    // The same literal inside a payment's body, as a client would send it (only when it is one
    // token: "1, \"x\": 2" would make another body).
    if (literal.find_first_not_of("0123456789.eE+-") != std::string::npos)
        return 0;
    CommandBody body;
    const QByteArray text = QByteArrayLiteral("{\"amount\": ")
        + QByteArray(literal.data(), qsizetype(size)) + QByteArrayLiteral("}");
    if (!parseCommandBody(text, &body).isEmpty())
        return 0; // Qt does not read it as JSON: the client gets a 400 for that
    const QJsonValue amount = body.object.value(QLatin1String("amount"));
    const std::optional<QByteArray> found
        = jsonNumberLiteral(text, QJsonArray { QStringLiteral("amount") });
    if (amount.isDouble() != found.has_value())
        fail("the literal reader and Qt disagree on whether a number is there", literal);
    if (found && *found != QByteArray(literal.data(), qsizetype(size)))
        fail("the literal reader found other digits", literal);
    QJsonObject recorded;
    const ValidationErrors errors = validateCommandBody(CommandType::Payment, body, &recorded);
    const bool acceptable = amount.isDouble() && expected.ok() && expected.cents > 0;
    if (acceptable != errors.isEmpty())
        fail("the payment's verdict differs from the oracle's", literal);
    if (acceptable && recorded.value(QLatin1String("amountCents")).toInteger() != expected.cents)
        fail("the payment recorded other cents", literal);
    return 0;
}
