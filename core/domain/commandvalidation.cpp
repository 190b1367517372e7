#include "commandvalidation.h"

#include "ids.h"
#include "jsonnumberliteral.h"
#include "money.h"
#include "storabletext.h"
#include "timeformat.h"
#include "timewindow.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QVarLengthArray>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <vector>

#include <cmath>

namespace waybill {

namespace {

constexpr int kMaxTextLength = 200;
constexpr int kMaxReasonLength = 1000;
constexpr double kMinWeight = 1;
constexpr double kMaxWeight = 80000;
constexpr int kMaxPaymentTermsDays = 120;
constexpr int kMaxCapacityPounds = 80000;
constexpr int kMaxAccessorials = 32;

// Where a value sits: under the body itself (parent empty) or under one of its objects. The
// JSON path is built only for an error; valid bodies, the common case, never pay for it. The key
// is always a step, even when empty: {"": 1} has an error at [""].
QJsonArray pathTo(const QString &parent, const QString &key)
{
    QJsonArray path;
    if (!parent.isEmpty())
        path.append(parent);
    path.append(key);
    return path;
}

bool isBlank(const QString &s)
{
    for (const QChar c : s) {
        if (!c.isSpace())
            return false;
    }
    return true;
}

QString unicodeName(char16_t unit)
{
    return QStringLiteral("U+%1").arg(uint(unit), 4, 16, QLatin1Char('0')).toUpper();
}

// Empty when the text may be stored; else why not, for the value called `name`.
QString unstorableTextMessage(const QString &name, QStringView text, TextLines lines)
{
    const UnstorableCharacter bad = findUnstorableCharacter(text, lines);
    switch (bad.kind) {
    case UnstorableCharacter::Kind::None:
        return {};
    case UnstorableCharacter::Kind::Nul:
        return QStringLiteral("\"%1\" must not contain the NUL character (U+0000)").arg(name);
    case UnstorableCharacter::Kind::Control:
        return QStringLiteral("\"%1\" must not contain the control character %2 (at character %3)")
            .arg(name, unicodeName(bad.unit))
            .arg(bad.index + 1);
    case UnstorableCharacter::Kind::LoneSurrogate:
        return QStringLiteral("\"%1\" must be Unicode text: %2 is half of a surrogate pair")
            .arg(name, unicodeName(bad.unit));
    }
    return {};
}

enum class Sign { Positive, NotNegative };

class Checker
{
public:
    explicit Checker(const CommandBody &body)
        : m_body(body)
    { }

    ValidationErrors errors;

    void fail(const QString &parent, const QString &key, const QString &message)
    {
        errors.append({ pathTo(parent, key), message });
    }

    // About an object as a whole: the body (parent empty) or one of its fields.
    void failWhole(const QString &parent, const QString &message)
    {
        errors.append({ parent.isEmpty() ? QJsonArray() : QJsonArray { parent }, message });
    }

    // Unknown keys are errors; missing required keys are errors.
    void keys(const QJsonObject &object, const QString &parent,
        std::initializer_list<QLatin1String> required,
        std::initializer_list<QLatin1String> optional = {})
    {
        for (const QLatin1String key : required) {
            if (!object.contains(key))
                fail(parent, key, QStringLiteral("\"%1\" is required").arg(key));
        }
        const auto listed = [](std::initializer_list<QLatin1String> names, const QString &key) {
            return std::find(names.begin(), names.end(), key) != names.end();
        };
        // Qt keeps a key's leading byte order mark, but QString drops it: such a key shows a
        // name by which it cannot be found, and may stand beside the key it imitates.
        QVarLengthArray<QString, 16> seen;
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = it.key();
            if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
                fail(parent, key, QStringLiteral("\"%1\" is given twice").arg(key));
                continue;
            }
            if (!object.contains(key)) {
                fail(parent, key,
                    QStringLiteral("\"%1\" must not begin with a byte order mark").arg(key));
                continue;
            }
            seen.append(key);
            if (!listed(required, key) && !listed(optional, key))
                fail(parent, key, QStringLiteral("\"%1\" is not allowed").arg(key));
        }
    }

    // A string of 1 to maxLength characters, not only blanks, that may be stored (one line
    // unless told); gives it when it is one.
    std::optional<QString> text(const QJsonObject &object, const QString &parent, QLatin1String key,
        int maxLength = kMaxTextLength, TextLines lines = TextLines::Single)
    {
        const auto found = object.constFind(key);
        if (found == object.constEnd())
            return std::nullopt;
        const QJsonValue v = found.value();
        if (!v.isString()) {
            fail(parent, key, QStringLiteral("\"%1\" must be a string").arg(key));
            return std::nullopt;
        }
        QString s = v.toString();
        if (const QString unstorable = unstorableTextMessage(key, s, lines);
            !unstorable.isEmpty()) {
            fail(parent, key, unstorable);
            return std::nullopt;
        }
        if (isBlank(s)) {
            fail(parent, key, QStringLiteral("\"%1\" must not be empty").arg(key));
            return std::nullopt;
        }
        if (s.size() > maxLength) {
            fail(parent, key,
                QStringLiteral("\"%1\" must be at most %2 characters").arg(key).arg(maxLength));
            return std::nullopt;
        }
        return s;
    }

    void id(const QJsonObject &object, QLatin1String key)
    {
        const auto found = object.constFind(key);
        if (found == object.constEnd())
            return;
        const QJsonValue v = found.value();
        if (!v.isString()) {
            fail({}, key, QStringLiteral("\"%1\" must be a string").arg(key));
            return;
        }
        if (!isValidId(v.toString()))
            fail({}, key,
                QStringLiteral("\"%1\" must be 1 to 64 letters, digits, '-', '_' or '.'").arg(key));
    }

    void pattern(const QJsonObject &object, const QString &parent, QLatin1String key, int length,
        bool digits, const QString &what)
    {
        const std::optional<QString> s = text(object, parent, key);
        if (!s)
            return;
        bool ok = s->size() == length;
        for (const QChar c : *s)
            ok = ok && c.unicode() < 128 && (digits ? c.isDigit() : c.isLetter());
        if (!ok)
            fail(parent, key, QStringLiteral("\"%1\" must be %2").arg(key, what));
    }

    void address(const QJsonObject &body, QLatin1String key)
    {
        const auto found = body.constFind(key);
        if (found == body.constEnd())
            return;
        const QJsonValue v = found.value();
        const QString parent = key;
        if (!v.isObject()) {
            failWhole(parent, QStringLiteral("\"%1\" must be an address object").arg(key));
            return;
        }
        const QJsonObject a = v.toObject();
        keys(a, parent,
            { QLatin1String("name"), QLatin1String("line1"), QLatin1String("city"),
                QLatin1String("state"), QLatin1String("zip") },
            { QLatin1String("line2") });
        text(a, parent, QLatin1String("name"));
        text(a, parent, QLatin1String("line1"));
        text(a, parent, QLatin1String("line2"));
        text(a, parent, QLatin1String("city"));
        pattern(a, parent, QLatin1String("state"), 2, false, QStringLiteral("two letters"));
        pattern(a, parent, QLatin1String("zip"), 5, true, QStringLiteral("five digits"));
    }

    // Free text that says why (line breaks allowed), up to kMaxReasonLength characters.
    std::optional<QString> reason(
        const QJsonObject &object, const QString &parent, QLatin1String key)
    {
        return text(object, parent, key, kMaxReasonLength, TextLines::Multiple);
    }

    // A dollar amount, read exactly from the digits in the body's text: a whole number of cents
    // (at most two decimals), at most kMaxMoneyCents; gives the cents when it is one.
    std::optional<Cents> money(
        const QJsonObject &object, const QString &parent, QLatin1String key, Sign sign)
    {
        const auto found = object.constFind(key);
        if (found == object.constEnd())
            return std::nullopt;
        if (!found.value().isDouble()) {
            fail(parent, key, QStringLiteral("\"%1\" must be a number").arg(key));
            return std::nullopt;
        }
        const std::optional<QByteArray> literal = jsonNumberLiteral(text(), pathTo(parent, key));
        const ParsedMoney parsed
            = literal ? parseDollarsLiteral(*literal) : ParsedMoney { 0, MoneyProblem::NotANumber };
        switch (parsed.problem) {
        case MoneyProblem::None:
            break;
        case MoneyProblem::NotANumber:
            fail(
                parent, key, QStringLiteral("\"%1\" must be a JSON number such as 120.5").arg(key));
            return std::nullopt;
        case MoneyProblem::TooPrecise:
            fail(parent, key,
                QStringLiteral("\"%1\" must be a whole number of cents: at most two decimals")
                    .arg(key));
            return std::nullopt;
        case MoneyProblem::TooLarge:
            fail(parent, key,
                QStringLiteral("\"%1\" must be at most 1000000000 (and at least -1000000000)")
                    .arg(key));
            return std::nullopt;
        }
        if (sign == Sign::Positive && parsed.cents <= 0) {
            fail(parent, key, QStringLiteral("\"%1\" must be greater than 0").arg(key));
            return std::nullopt;
        }
        if (sign == Sign::NotNegative && parsed.cents < 0) {
            fail(parent, key, QStringLiteral("\"%1\" must not be negative").arg(key));
            return std::nullopt;
        }
        return parsed.cents;
    }

    // One step of a path into the body: a key, or (index >= 0) a place in an array.
    struct Step
    {
        QString key;
        qsizetype index = -1;
    };

    // Every string anywhere in the body, whatever checked it (or will, once a command grows a
    // field): text a database cannot store identically is refused where it stands, so that
    // both backends always store the same histories. The path of a text is made into JSON only
    // when it is refused (this walk sees every text of every command).
    void storableEverywhere(const QJsonValue &value, std::vector<Step> &path)
    {
        if (value.isString()) {
            QString name;
            if (!path.empty())
                name = path.back().index < 0 ? path.back().key : QString::number(path.back().index);
            const QString message
                = unstorableTextMessage(name, value.toString(), TextLines::Multiple);
            if (message.isEmpty())
                return;
            QJsonArray where;
            for (const Step &step : path) {
                if (step.index < 0)
                    where.append(step.key);
                else
                    where.append(int(step.index));
            }
            for (const ValidationError &e : std::as_const(errors)) {
                if (e.path == where)
                    return;
            }
            errors.append({ where, message });
        } else if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
                path.push_back({ it.key() });
                storableEverywhere(it.value(), path);
                path.pop_back();
            }
        } else if (value.isArray()) {
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                path.push_back({ QString(), i });
                storableEverywhere(array.at(i), path);
                path.pop_back();
            }
        }
    }

    // A whole number in [minimum, maximum].
    std::optional<int> whole(const QJsonObject &object, QLatin1String key, int minimum, int maximum)
    {
        const auto n = number(object, key);
        if (!n)
            return std::nullopt;
        if (std::trunc(*n) != *n || *n < minimum || *n > maximum) {
            fail({}, key,
                QStringLiteral("\"%1\" must be a whole number from %2 to %3")
                    .arg(key)
                    .arg(minimum)
                    .arg(maximum));
            return std::nullopt;
        }
        return static_cast<int>(*n);
    }

    // {"from": time, "to": time} with from <= to.
    std::optional<TimeWindow> window(const QJsonObject &body, QLatin1String key)
    {
        const auto found = body.constFind(key);
        if (found == body.constEnd())
            return std::nullopt;
        const QString parent = key;
        if (!found.value().isObject()) {
            failWhole(parent, QStringLiteral("\"%1\" must be an object {from, to}").arg(key));
            return std::nullopt;
        }
        const QJsonObject w = found.value().toObject();
        const int before = errors.size();
        keys(w, parent, { QLatin1String("from"), QLatin1String("to") });
        std::optional<QDateTime> ends[2];
        int i = 0;
        for (const QLatin1String end : { QLatin1String("from"), QLatin1String("to") }) {
            const QJsonValue v = w.value(end);
            if (w.contains(end)) {
                ends[i] = v.isString() ? parseIsoUtc(v.toString()) : std::nullopt;
                if (!ends[i])
                    fail(parent, end, QStringLiteral("\"%1\" must be an ISO-8601 time").arg(end));
            }
            ++i;
        }
        if (errors.size() != before)
            return std::nullopt;
        if (*ends[0] > *ends[1]) {
            fail(
                parent, QStringLiteral("to"), QStringLiteral("\"to\" must not be before \"from\""));
            return std::nullopt;
        }
        return TimeWindow { *ends[0], *ends[1] };
    }

    // Both windows given: the delivery may not end before the pickup starts.
    void windows(const QJsonObject &body)
    {
        const auto pickup = window(body, QLatin1String("pickupWindow"));
        const auto delivery = window(body, QLatin1String("deliveryWindow"));
        if (pickup && delivery && delivery->to < pickup->from)
            fail(QStringLiteral("deliveryWindow"), QStringLiteral("to"),
                QStringLiteral("The delivery window must not end before the pickup window starts"));
    }

    void atLeastOne(const QJsonObject &body, std::initializer_list<QLatin1String> names)
    {
        for (const QLatin1String key : names) {
            if (body.contains(key))
                return;
        }
        QStringList quoted;
        for (const QLatin1String key : names)
            quoted << QStringLiteral("\"%1\"").arg(key);
        failWhole({},
            QStringLiteral("At least one of %1 is required")
                .arg(quoted.join(QStringLiteral(", "))));
    }

    // A list of distinct accessorial codes; whether the rate table knows them is the server's
    // to say (validateAccessorials), since the table is its own.
    void accessorials(const QJsonObject &body)
    {
        const QLatin1String key("accessorials");
        const auto found = body.constFind(key);
        if (found == body.constEnd())
            return;
        if (!found.value().isArray() || found.value().toArray().size() > kMaxAccessorials) {
            fail({}, key,
                QStringLiteral("\"accessorials\" must be a list of at most %1 codes")
                    .arg(kMaxAccessorials));
            return;
        }
        const QJsonArray codes = found.value().toArray();
        QStringList seen;
        for (qsizetype i = 0; i < codes.size(); ++i) {
            const QString code = codes.at(i).toString();
            QString problem;
            if (!codes.at(i).isString() || !isValidId(code))
                problem = QStringLiteral(
                    "An accessorial code must be 1 to 64 letters, digits, '-', '_' or '.'");
            else if (seen.contains(code))
                problem = QStringLiteral("The accessorial \"%1\" is asked for twice").arg(code);
            if (!problem.isEmpty())
                errors.append({ QJsonArray { key, int(i) }, problem });
            seen.append(code);
        }
    }

    void commandId(const QJsonObject &object, QLatin1String key)
    {
        const auto found = object.constFind(key);
        if (found == object.constEnd())
            return;
        if (!found.value().isString() || !isValidCommandId(found.value().toString()))
            fail({}, key,
                QStringLiteral("\"%1\" must be a command id: 1 to 128 letters, digits, '-', '_', "
                               "'.' or ':'")
                    .arg(key));
    }

    std::optional<double> number(const QJsonObject &object, QLatin1String key)
    {
        const auto found = object.constFind(key);
        if (found == object.constEnd())
            return std::nullopt;
        const QJsonValue v = found.value();
        if (!v.isDouble() || !std::isfinite(v.toDouble())) {
            fail({}, key, QStringLiteral("\"%1\" must be a number").arg(key));
            return std::nullopt;
        }
        return v.toDouble();
    }

private:
    // The text that money is read from: the body as sent, or made once from the object.
    QByteArrayView text()
    {
        if (!m_body.text.isEmpty())
            return m_body.text;
        if (m_madeText.isEmpty())
            m_madeText = QJsonDocument(m_body.object).toJson(QJsonDocument::Compact);
        return m_madeText;
    }

    const CommandBody &m_body;
    QByteArray m_madeText;
};

} // namespace

QJsonObject ValidationError::toJson() const
{
    return { { QStringLiteral("path"), path }, { QStringLiteral("message"), message } };
}

ValidationErrors parseJsonObject(const QByteArray &body, QJsonObject *object)
{
    if (body.trimmed().isEmpty()) {
        *object = {};
        return {};
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return { { {},
            QStringLiteral("The body is not valid JSON: %1 at offset %2")
                .arg(error.errorString())
                .arg(error.offset) } };
    if (!doc.isObject())
        return { { {}, QStringLiteral("The body must be a JSON object") } };
    *object = doc.object();
    return {};
}

ValidationErrors parseCommandBody(const QByteArray &text, CommandBody *body)
{
    body->text = text;
    ValidationErrors errors = parseJsonObject(text, &body->object);
    // Qt keeps a raw byte order mark that opens a string, but QString drops it: the text would
    // read one way and be stored another. Escaped (\ufeff), it is an ordinary character.
    if (errors.isEmpty() && text.contains("\"\xef\xbb\xbf"))
        errors.append({ {},
            QStringLiteral("A string must not begin with a raw byte order mark (U+FEFF); write it "
                           "as \\ufeff") });
    return errors;
}

ValidationErrors validateCommandBody(CommandType type, const QJsonObject &body, QJsonObject *data)
{
    return validateCommandBody(type, CommandBody { body, {} }, data);
}

ValidationErrors validateCommandBody(
    CommandType type, const CommandBody &commandBody, QJsonObject *data)
{
    const QJsonObject &body = commandBody.object;
    Checker c(commandBody);
    QJsonObject out = body;
    const QString root;
    switch (type) {
    case CommandType::Submit: {
        c.keys(body, root,
            { QLatin1String("shipFrom"), QLatin1String("shipTo"), QLatin1String("weightInPounds"),
                QLatin1String("billToAccountId") },
            { QLatin1String("pickupWindow"), QLatin1String("deliveryWindow"),
                QLatin1String("accessorials") });
        c.address(body, QLatin1String("shipFrom"));
        c.address(body, QLatin1String("shipTo"));
        c.accessorials(body);
        if (auto w = c.number(body, QLatin1String("weightInPounds"))) {
            if (*w < kMinWeight || *w > kMaxWeight)
                c.fail(root, QStringLiteral("weightInPounds"),
                    QStringLiteral("\"weightInPounds\" must be from 1 to 80000"));
        }
        c.id(body, QLatin1String("billToAccountId"));
        c.windows(body);
        break;
    }
    case CommandType::Assign:
        c.keys(body, root, { QLatin1String("truckId") });
        c.id(body, QLatin1String("truckId"));
        break;
    case CommandType::Ship:
        c.keys(body, root, {});
        break;
    case CommandType::Deliver:
        c.keys(body, root, {}, { QLatin1String("signedBy") });
        c.text(body, root, QLatin1String("signedBy"));
        break;
    case CommandType::Cancel:
        c.keys(body, root, { QLatin1String("reason") });
        c.reason(body, root, QLatin1String("reason"));
        break;
    case CommandType::Payment: {
        c.keys(body, root, { QLatin1String("amount") });
        if (auto cents = c.money(body, root, QLatin1String("amount"), Sign::Positive))
            out.insert(QStringLiteral("amountCents"), *cents);
        break;
    }
    case CommandType::Amend: {
        const auto changes
            = { QLatin1String("shipFrom"), QLatin1String("shipTo"), QLatin1String("weightInPounds"),
                  QLatin1String("billToAccountId"), QLatin1String("pickupWindow"),
                  QLatin1String("deliveryWindow"), QLatin1String("accessorials") };
        c.keys(body, root, { QLatin1String("reason") }, changes);
        c.accessorials(body);
        c.atLeastOne(body, changes);
        c.reason(body, root, QLatin1String("reason"));
        c.address(body, QLatin1String("shipFrom"));
        c.address(body, QLatin1String("shipTo"));
        if (auto w = c.number(body, QLatin1String("weightInPounds"))) {
            if (*w < kMinWeight || *w > kMaxWeight)
                c.fail(root, QStringLiteral("weightInPounds"),
                    QStringLiteral("\"weightInPounds\" must be from 1 to 80000"));
        }
        c.id(body, QLatin1String("billToAccountId"));
        c.windows(body);
        break;
    }
    case CommandType::Reschedule: {
        const auto windows = { QLatin1String("pickupWindow"), QLatin1String("deliveryWindow") };
        c.keys(body, root, {},
            { QLatin1String("pickupWindow"), QLatin1String("deliveryWindow"),
                QLatin1String("reason") });
        c.atLeastOne(body, windows);
        c.reason(body, root, QLatin1String("reason"));
        c.windows(body);
        break;
    }
    case CommandType::Open:
    case CommandType::Update: {
        const auto fields = { QLatin1String("name"), QLatin1String("billingAddress"),
            QLatin1String("paymentTermsDays"), QLatin1String("creditLimit") };
        if (type == CommandType::Open) {
            c.keys(body, root, { QLatin1String("name"), QLatin1String("billingAddress") },
                { QLatin1String("paymentTermsDays"), QLatin1String("creditLimit") });
        } else {
            c.keys(body, root, {}, fields);
            c.atLeastOne(body, fields);
        }
        c.text(body, root, QLatin1String("name"));
        c.address(body, QLatin1String("billingAddress"));
        c.whole(body, QLatin1String("paymentTermsDays"), 0, kMaxPaymentTermsDays);
        // null removes the limit (update only: an account opens without one by leaving it out).
        if (type == CommandType::Update && body.contains(QLatin1String("creditLimit"))
            && body.value(QLatin1String("creditLimit")).isNull())
            out.insert(QStringLiteral("creditLimitCents"), QJsonValue(QJsonValue::Null));
        else if (auto cents = c.money(body, root, QLatin1String("creditLimit"), Sign::NotNegative))
            out.insert(QStringLiteral("creditLimitCents"), *cents);
        break;
    }
    case CommandType::Hold:
    case CommandType::OutOfService:
        c.keys(body, root, { QLatin1String("reason") });
        c.reason(body, root, QLatin1String("reason"));
        break;
    case CommandType::Release:
    case CommandType::ReturnToService:
        c.keys(body, root, {});
        break;
    case CommandType::ReversePayment:
        c.keys(body, root, { QLatin1String("paymentCommandId"), QLatin1String("reason") });
        c.commandId(body, QLatin1String("paymentCommandId"));
        c.reason(body, root, QLatin1String("reason"));
        break;
    case CommandType::Credit: {
        c.keys(body, root, { QLatin1String("amount"), QLatin1String("reason") },
            { QLatin1String("shipmentId") });
        if (auto cents = c.money(body, root, QLatin1String("amount"), Sign::Positive))
            out.insert(QStringLiteral("amountCents"), *cents);
        c.reason(body, root, QLatin1String("reason"));
        c.id(body, QLatin1String("shipmentId"));
        break;
    }
    case CommandType::Register:
        c.keys(body, root, {}, { QLatin1String("name"), QLatin1String("capacityPounds") });
        c.text(body, root, QLatin1String("name"));
        c.whole(body, QLatin1String("capacityPounds"), 1, kMaxCapacityPounds);
        break;
    case CommandType::Invoice:
        c.failWhole(root, QStringLiteral("Invoices are issued by Waybill itself, on delivery"));
        break;
    }
    std::vector<Checker::Step> path;
    c.storableEverywhere(body, path);
    if (c.errors.isEmpty() && data)
        *data = out;
    return c.errors;
}

ValidationErrors validateAccessorials(const QJsonObject &body, const RateTable &rates)
{
    ValidationErrors errors;
    const QJsonArray codes = body.value(QLatin1String("accessorials")).toArray();
    for (qsizetype i = 0; i < codes.size(); ++i) {
        const QString code = codes.at(i).toString();
        if (!rates.accessorialCents(code)) {
            const QStringList known = rates.accessorialCodes();
            errors.append({ QJsonArray { QStringLiteral("accessorials"), int(i) },
                known.isEmpty()
                    ? QStringLiteral("Unknown accessorial \"%1\": the rate table %2 has none")
                          .arg(code, rates.version)
                    : QStringLiteral("Unknown accessorial \"%1\": the rate table %2 has %3")
                          .arg(code, rates.version, known.join(QLatin1String(", "))) });
        }
    }
    return errors;
}

QJsonObject validationErrorsToJson(const ValidationErrors &errors)
{
    QJsonArray array;
    for (const auto &e : errors)
        array.append(e.toJson());
    return { { QStringLiteral("errors"), array } };
}

} // namespace waybill
