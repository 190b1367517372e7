// Money is read exactly from the digits of the JSON text: whole cents, up to a billion dollars,
// with no floating-point tolerance; the literal is found by its path as Qt's parser sees it.
#include "domain/commandvalidation.h"
#include "domain/jsonnumberliteral.h"
#include "domain/money.h"

#include <QJsonDocument>
#include <QTest>

using namespace waybill;

Q_DECLARE_METATYPE(waybill::MoneyProblem)

namespace {

// The payment's answer to a raw body: its cents, or the message of its one error.
struct PaymentAnswer
{
    std::optional<Cents> cents;
    QString error;
    QJsonArray errorPath;
};

PaymentAnswer payment(const QByteArray &text)
{
    CommandBody body;
    PaymentAnswer answer;
    ValidationErrors errors = parseCommandBody(text, &body);
    QJsonObject data;
    if (errors.isEmpty())
        errors = validateCommandBody(CommandType::Payment, body, &data);
    if (!errors.isEmpty()) {
        answer.error = errors.first().message;
        answer.errorPath = errors.first().path;
        return answer;
    }
    answer.cents = data.value(QLatin1String("amountCents")).toInteger();
    return answer;
}

} // namespace

class TestExactMoney final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dollarLiteralsAreReadExactly_data();
    void dollarLiteralsAreReadExactly();
    void doublesAreReadAsTheirShortestDecimal_data();
    void doublesAreReadAsTheirShortestDecimal();
    void paymentAmountIsReadFromTheBodysDigits_data();
    void paymentAmountIsReadFromTheBodysDigits();
    void aStringOpenedByARawByteOrderMarkIsRefused_data();
    void aStringOpenedByARawByteOrderMarkIsRefused();
    void numberLiteralIsFoundWhereQtSeesTheValue_data();
    void numberLiteralIsFoundWhereQtSeesTheValue();
    void numberLiteralIsNotFoundInWhatQtRefuses_data();
    void numberLiteralIsNotFoundInWhatQtRefuses();
};

void TestExactMoney::dollarLiteralsAreReadExactly_data()
{
    QTest::addColumn<QByteArray>("literal");
    QTest::addColumn<MoneyProblem>("problem");
    QTest::addColumn<qint64>("cents");
    const auto ok = [](const char *name, const char *literal, qint64 cents) {
        QTest::newRow(name) << QByteArray(literal) << MoneyProblem::None << cents;
    };
    const auto bad = [](const char *name, const char *literal, MoneyProblem problem) {
        QTest::newRow(name) << QByteArray(literal) << problem << qint64(0);
    };
    ok("one cent", "0.01", 1);
    ok("whole dollars", "120", 12000);
    ok("one decimal", "2.8", 280);
    ok("two decimals", "120.50", 12050);
    ok("trailing zeros past the cents are still whole cents", "1.500000", 150);
    ok("zero", "0", 0);
    ok("negative zero", "-0.00", 0);
    ok("negative", "-12.34", -1234);
    ok("the limit written out", "1000000000", kMaxMoneyCents);
    ok("the limit with decimals", "1000000000.00", kMaxMoneyCents);
    ok("the limit as an exponent", "1e9", kMaxMoneyCents);
    ok("the limit as a capital exponent with a plus", "1E+9", kMaxMoneyCents);
    ok("the largest amount below the limit", "999999999.99", 99999999999);
    ok("the negative limit", "-1e9", -kMaxMoneyCents);
    ok("a cent as a negative exponent", "1e-2", 1);
    ok("cents as an exponent of a fraction", "150e-2", 150);
    ok("a fraction raised by an exponent", "0.125e1", 125);
    ok("leading zeros in the exponent", "1e-02", 1);
    ok("zero with a huge exponent", "0e999999999999999999999", 0);
    bad("a hundredth of a cent too much", "0.010000001", MoneyProblem::TooPrecise);
    bad("three decimals", "1.005", MoneyProblem::TooPrecise);
    bad("a thousandth", "0.001", MoneyProblem::TooPrecise);
    bad("an exponent that leaves a fraction of a cent", "1e-3", MoneyProblem::TooPrecise);
    bad("a cent beyond the limit", "1000000000.01", MoneyProblem::TooLarge);
    bad("ten billion", "1e10", MoneyProblem::TooLarge);
    bad("beyond the limit with too many decimals", "2000000000.001", MoneyProblem::TooLarge);
    bad("a huge exponent", "1e999999999999999999999", MoneyProblem::TooLarge);
    bad("a huge negative exponent", "1e-999999999999999999999", MoneyProblem::TooPrecise);
    bad("far beyond qint64", "123456789012345678901234567890", MoneyProblem::TooLarge);
    bad("a point without digits after it", "1.", MoneyProblem::NotANumber);
    bad("a point without digits before it", ".5", MoneyProblem::NotANumber);
    bad("a plus sign", "+1", MoneyProblem::NotANumber);
    bad("a leading zero", "01", MoneyProblem::NotANumber);
    bad("an exponent without digits", "1e", MoneyProblem::NotANumber);
    bad("an empty literal", "", MoneyProblem::NotANumber);
    bad("a minus alone", "-", MoneyProblem::NotANumber);
    bad("hexadecimal", "0x10", MoneyProblem::NotANumber);
    bad("infinity", "inf", MoneyProblem::NotANumber);
    bad("a space inside", "1 ", MoneyProblem::NotANumber);
    bad("a comma for a point", "1,50", MoneyProblem::NotANumber);
}

void TestExactMoney::dollarLiteralsAreReadExactly()
{
    QFETCH(QByteArray, literal);
    QFETCH(MoneyProblem, problem);
    QFETCH(qint64, cents);
    const ParsedMoney parsed = parseDollarsLiteral(literal);
    QCOMPARE(parsed.problem, problem);
    if (problem == MoneyProblem::None)
        QCOMPARE(parsed.cents, cents);
}

void TestExactMoney::doublesAreReadAsTheirShortestDecimal_data()
{
    QTest::addColumn<double>("dollars");
    QTest::addColumn<qint64>("cents"); // -1: refused
    QTest::newRow("a tenth") << 0.1 << qint64(10);
    QTest::newRow("the largest amount below the limit") << 999999999.99 << qint64(99999999999);
    QTest::newRow("the limit") << 1e9 << kMaxMoneyCents;
    QTest::newRow("a sum that floating point got wrong") << 0.1 + 0.2 << qint64(-1);
    QTest::newRow("a hundredth of a cent too much") << 0.010000001 << qint64(-1);
    QTest::newRow("beyond the limit") << 1e9 + 0.01 << qint64(-1);
    QTest::newRow("tiny") << 1e-300 << qint64(-1);
    QTest::newRow("infinity") << qInf() << qint64(-1);
    QTest::newRow("not a number") << qQNaN() << qint64(-1);
}

void TestExactMoney::doublesAreReadAsTheirShortestDecimal()
{
    QFETCH(double, dollars);
    QFETCH(qint64, cents);
    const std::optional<Cents> read = dollarsToCents(dollars);
    if (cents < 0) {
        QVERIFY2(!read, qPrintable(QString::number(read.value_or(0))));
        return;
    }
    QCOMPARE(read, std::optional<Cents>(cents));
    QCOMPARE(centsToDollarsJson(cents).toDouble(), dollars);
}

void TestExactMoney::paymentAmountIsReadFromTheBodysDigits_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("cents"); // -1: refused with an error on "amount"
    QTest::newRow("a cent") << QByteArray(R"({"amount": 0.01})") << qint64(1);
    QTest::newRow("the limit") << QByteArray(R"({"amount": 1000000000})") << kMaxMoneyCents;
    QTest::newRow("the limit as an exponent") << QByteArray(R"({"amount": 1e9})") << kMaxMoneyCents;
    QTest::newRow("the largest amount below the limit")
        << QByteArray(R"({"amount": 999999999.99})") << qint64(99999999999);
    QTest::newRow("a cent as an exponent") << QByteArray(R"({"amount": 1e-2})") << qint64(1);
    // As a double this is 0.01 exactly; only the text shows the extra digit.
    QTest::newRow("digits a double cannot hold")
        << QByteArray(R"({"amount": 0.010000000000000000001})") << qint64(-1);
    QTest::newRow("a hundredth of a cent too much")
        << QByteArray(R"({"amount": 0.010000001})") << qint64(-1);
    QTest::newRow("three decimals") << QByteArray(R"({"amount": 1.005})") << qint64(-1);
    QTest::newRow("a cent beyond the limit")
        << QByteArray(R"({"amount": 1000000000.01})") << qint64(-1);
    QTest::newRow("zero is not a payment") << QByteArray(R"({"amount": 0})") << qint64(-1);
    QTest::newRow("negative zero is not a payment")
        << QByteArray(R"({"amount": -0.0})") << qint64(-1);
    QTest::newRow("negative") << QByteArray(R"({"amount": -5})") << qint64(-1);
    QTest::newRow("a number Qt reads but JSON does not allow")
        << QByteArray(R"({"amount": .5})") << qint64(-1);
    QTest::newRow("a string") << QByteArray(R"({"amount": "5"})") << qint64(-1);
    QTest::newRow("the last of duplicate keys counts")
        << QByteArray(R"({"amount": 0.001, "amount": 2.5})") << qint64(250);
    QTest::newRow("the last of duplicate keys counts, refused")
        << QByteArray(R"({"amount": 2.5, "amount": 0.001})") << qint64(-1);
    QTest::newRow("an escaped key is the same key")
        << QByteArray(R"({"am\u006funt": 0.02})") << qint64(2);
    QTest::newRow("a byte order mark and whitespace")
        << QByteArray("\xef\xbb\xbf \r\n\t{ \"amount\" :\t7.25 }\n") << qint64(725);
}

void TestExactMoney::paymentAmountIsReadFromTheBodysDigits()
{
    QFETCH(QByteArray, body);
    QFETCH(qint64, cents);
    const PaymentAnswer answer = payment(body);
    if (cents < 0) {
        QVERIFY2(!answer.cents, qPrintable(QString::number(answer.cents.value_or(0))));
        QCOMPARE(answer.errorPath, QJsonArray { QStringLiteral("amount") });
        return;
    }
    QVERIFY2(answer.cents, qPrintable(answer.error));
    QCOMPARE(*answer.cents, cents);
}

void TestExactMoney::aStringOpenedByARawByteOrderMarkIsRefused_data()
{
    QTest::addColumn<QByteArray>("body");
    // Qt keeps these two keys apart, though both read "amount".
    QTest::newRow("a key hidden behind a byte order mark")
        << QByteArray("{\"\xef\xbb\xbf"
                      "amount\": 1e9, \"amount\": 0.01}");
    QTest::newRow("a key behind a byte order mark, alone") << QByteArray("{\"\xef\xbb\xbf"
                                                                         "amount\": 1}");
    QTest::newRow("a value behind a byte order mark")
        << QByteArray("{\"amount\": 1, \"x\": \"\xef\xbb\xbf"
                      "1\"}");
}

void TestExactMoney::aStringOpenedByARawByteOrderMarkIsRefused()
{
    QFETCH(QByteArray, body);
    const PaymentAnswer answer = payment(body);
    QVERIFY(!answer.cents);
    QVERIFY2(answer.error.contains(QLatin1String("byte order mark")), qPrintable(answer.error));
    // Escaped, and as the document's own first bytes, it is no problem.
    QVERIFY(payment(QByteArray("\xef\xbb\xbf{\"amount\": 1}")).cents);
    QVERIFY(payment(QByteArray(R"({"amount": 1, "x": "\ufeff1"})"))
                .error.contains(QLatin1String("not allowed")));
}

void TestExactMoney::numberLiteralIsFoundWhereQtSeesTheValue_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QJsonArray>("path");
    QTest::addColumn<QByteArray>("literal"); // empty: nothing there
    const QJsonArray amount { QStringLiteral("amount") };
    QTest::newRow("at the root") << QByteArray(R"({"amount":1.50})") << amount
                                 << QByteArray("1.50");
    QTest::newRow("nested") << QByteArray(R"({"a":{"b":[5,{"c":-2e3}]}})")
                            << QJsonArray { QStringLiteral("a"), QStringLiteral("b"), 1,
                                   QStringLiteral("c") }
                            << QByteArray("-2e3");
    QTest::newRow("an array index")
        << QByteArray(R"([1, 2.5 ,3])") << QJsonArray { 1 } << QByteArray("2.5");
    QTest::newRow("a string is not a number")
        << QByteArray(R"({"amount":"1.5"})") << amount << QByteArray();
    QTest::newRow("null is not a number")
        << QByteArray(R"({"amount":null})") << amount << QByteArray();
    QTest::newRow("absent") << QByteArray(R"({"other":1})") << amount << QByteArray();
    QTest::newRow("the same key deeper does not count")
        << QByteArray(R"({"x":{"amount":1}})") << amount << QByteArray();
    QTest::newRow("a later parent replaces an earlier one")
        << QByteArray(R"({"a":{"b":1},"a":{"c":2}})")
        << QJsonArray { QStringLiteral("a"), QStringLiteral("b") } << QByteArray();
    QTest::newRow("a later string replaces an earlier number")
        << QByteArray(R"({"amount":1,"amount":"x"})") << amount << QByteArray();
    QTest::newRow("keys after it do not matter")
        << QByteArray(R"({"amount":3,"amountx":4,"z":{"amount":5}})") << amount << QByteArray("3");
    QTest::newRow("Qt's unknown escape stands for its letter")
        << QByteArray(R"({"\amount":4})") << amount << QByteArray("4");
    QTest::newRow("an escaped quote in another key")
        << QByteArray(R"({"a\"mount":1,"amount":6})") << amount << QByteArray("6");
    QTest::newRow("a surrogate pair in a key")
        << QByteArray(R"({"\ud83d\ude9a":7})") << QJsonArray { QString::fromUcs4(U"\U0001F69A") }
        << QByteArray("7");
    QTest::newRow("UTF-8 in a key")
        << QByteArray("{\"pe\xc3\xb1\x61\":8}")
        << QJsonArray { QString::fromUtf8("pe\xc3\xb1\x61") } << QByteArray("8");
    QTest::newRow("a number Qt reads though JSON does not allow it")
        << QByteArray(R"({"amount":1.})") << amount << QByteArray("1.");
}

void TestExactMoney::numberLiteralIsFoundWhereQtSeesTheValue()
{
    QFETCH(QByteArray, json);
    QFETCH(QJsonArray, path);
    QFETCH(QByteArray, literal);
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const std::optional<QByteArray> found = jsonNumberLiteral(json, path);
    QCOMPARE(found.value_or(QByteArray()), literal);
    QCOMPARE(found.has_value(), !literal.isEmpty());
}

void TestExactMoney::numberLiteralIsNotFoundInWhatQtRefuses_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("truncated") << QByteArray(R"({"amount":1)");
    QTest::newRow("garbage after") << QByteArray(R"({"amount":1} x)");
    QTest::newRow("a leading zero") << QByteArray(R"({"amount":01})");
    QTest::newRow("beyond a double") << QByteArray(R"({"amount":1e400})");
    QTest::newRow("a trailing comma") << QByteArray(R"({"amount":1,})");
    QTest::newRow("a bare value") << QByteArray("1");
    QTest::newRow("invalid UTF-8 in a key") << QByteArray("{\"\xff\":1,\"amount\":1}");
    QTest::newRow("an overlong UTF-8 form") << QByteArray("{\"\xc0\xaf\":1,\"amount\":1}");
    QTest::newRow("too deep") << QByteArray(1025, '[') + QByteArray(1025, ']');
}

void TestExactMoney::numberLiteralIsNotFoundInWhatQtRefuses()
{
    QFETCH(QByteArray, json);
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    QVERIFY(error.error != QJsonParseError::NoError);
    QVERIFY(!jsonNumberLiteral(json, QJsonArray { QStringLiteral("amount") }));
}

QTEST_GUILESS_MAIN(TestExactMoney)
#include "tst_exactmoney.moc"
