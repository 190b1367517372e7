#include "commandvalidation.h"

#include "ids.h"
#include "money.h"
#include "timeformat.h"
#include "timewindow.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>

#include <algorithm>
#include <initializer_list>
#include <optional>

#include <cmath>

namespace waybill {

namespace {

constexpr int kMaxTextLength = 200;
constexpr int kMaxReasonLength = 1000;
constexpr double kMinWeight = 1;
constexpr double kMaxWeight = 80000;
constexpr int kMaxPaymentTermsDays = 120;
constexpr int kMaxCapacityPounds = 80000;

// Where a value sits: under the body itself (parent empty) or under one of its objects. The
// JSON path is built only for an error; valid bodies, the common case, never pay for it.
QJsonArray pathTo(const QString &parent, const QString &key)
{
    QJsonArray path;
    if (!parent.isEmpty())
        path.append(parent);
    if (!key.isEmpty())
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

class Checker
{
public:
    ValidationErrors errors;

    void fail(const QString &parent, const QString &key, const QString &message)
    {
        errors.append({ pathTo(parent, key), message });
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
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = it.key();
            if (!listed(required, key) && !listed(optional, key))
                fail(parent, key, QStringLiteral("\"%1\" is not allowed").arg(key));
        }
    }

    // A string of 1 to maxLength characters, not only blanks; gives it when it is one.
    std::optional<QString> text(const QJsonObject &object, const QString &parent, QLatin1String key,
        int maxLength = kMaxTextLength)
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
            fail(parent, {}, QStringLiteral("\"%1\" must be an address object").arg(key));
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

    // An amount of money in dollars with at most two decimals: its cents, when it is one within
    // [minimumCents, the largest amount].
    std::optional<Cents> money(const QJsonObject &object, QLatin1String key, Cents minimumCents)
    {
        const auto amount = number(object, key);
        if (!amount)
            return std::nullopt;
        const auto cents = dollarsToCents(*amount);
        if (!cents) {
            fail({}, key,
                QStringLiteral("\"%1\" must have at most two decimals and be at most 1000000000")
                    .arg(key));
            return std::nullopt;
        }
        if (*cents < minimumCents) {
            fail({}, key,
                minimumCents > 0 ? QStringLiteral("\"%1\" must be greater than 0").arg(key)
                                 : QStringLiteral("\"%1\" must not be negative").arg(key));
            return std::nullopt;
        }
        return cents;
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
            fail(parent, {}, QStringLiteral("\"%1\" must be an object {from, to}").arg(key));
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
        fail({}, {},
            QStringLiteral("At least one of %1 is required")
                .arg(quoted.join(QStringLiteral(", "))));
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

ValidationErrors validateCommandBody(CommandType type, const QJsonObject &body, QJsonObject *data)
{
    Checker c;
    QJsonObject out = body;
    const QString root;
    switch (type) {
    case CommandType::Submit: {
        c.keys(body, root,
            { QLatin1String("shipFrom"), QLatin1String("shipTo"), QLatin1String("weightInPounds"),
                QLatin1String("billToAccountId") });
        c.address(body, QLatin1String("shipFrom"));
        c.address(body, QLatin1String("shipTo"));
        if (auto w = c.number(body, QLatin1String("weightInPounds"))) {
            if (*w < kMinWeight || *w > kMaxWeight)
                c.fail(root, QStringLiteral("weightInPounds"),
                    QStringLiteral("\"weightInPounds\" must be from 1 to 80000"));
        }
        c.id(body, QLatin1String("billToAccountId"));
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
        c.text(body, root, QLatin1String("reason"), kMaxReasonLength);
        break;
    case CommandType::Payment: {
        c.keys(body, root, { QLatin1String("amount") });
        if (auto cents = c.money(body, QLatin1String("amount"), 1))
            out.insert(QStringLiteral("amountCents"), static_cast<double>(*cents));
        break;
    }
    case CommandType::Amend: {
        const auto changes = { QLatin1String("shipFrom"), QLatin1String("shipTo"),
            QLatin1String("weightInPounds"), QLatin1String("billToAccountId"),
            QLatin1String("pickupWindow"), QLatin1String("deliveryWindow") };
        c.keys(body, root, { QLatin1String("reason") }, changes);
        c.atLeastOne(body, changes);
        c.text(body, root, QLatin1String("reason"), kMaxReasonLength);
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
        c.text(body, root, QLatin1String("reason"), kMaxReasonLength);
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
        if (type == CommandType::Update && body.value(QLatin1String("creditLimit")).isNull()
            && body.contains(QLatin1String("creditLimit")))
            out.insert(QStringLiteral("creditLimitCents"), QJsonValue(QJsonValue::Null));
        else if (auto cents = c.money(body, QLatin1String("creditLimit"), 0))
            out.insert(QStringLiteral("creditLimitCents"), static_cast<double>(*cents));
        break;
    }
    case CommandType::Hold:
    case CommandType::OutOfService:
        c.keys(body, root, { QLatin1String("reason") });
        c.text(body, root, QLatin1String("reason"), kMaxReasonLength);
        break;
    case CommandType::Release:
    case CommandType::ReturnToService:
        c.keys(body, root, {});
        break;
    case CommandType::ReversePayment:
        c.keys(body, root, { QLatin1String("paymentCommandId"), QLatin1String("reason") });
        c.commandId(body, QLatin1String("paymentCommandId"));
        c.text(body, root, QLatin1String("reason"), kMaxReasonLength);
        break;
    case CommandType::Credit: {
        c.keys(body, root, { QLatin1String("amount"), QLatin1String("reason") },
            { QLatin1String("shipmentId") });
        if (auto cents = c.money(body, QLatin1String("amount"), 1))
            out.insert(QStringLiteral("amountCents"), static_cast<double>(*cents));
        c.text(body, root, QLatin1String("reason"), kMaxReasonLength);
        c.id(body, QLatin1String("shipmentId"));
        break;
    }
    case CommandType::Register:
        c.keys(body, root, {}, { QLatin1String("name"), QLatin1String("capacityPounds") });
        c.text(body, root, QLatin1String("name"));
        c.whole(body, QLatin1String("capacityPounds"), 1, kMaxCapacityPounds);
        break;
    case CommandType::Invoice:
        c.fail(root, {}, QStringLiteral("Invoices are issued by Waybill itself, on delivery"));
        break;
    }
    if (c.errors.isEmpty() && data)
        *data = out;
    return c.errors;
}

QJsonObject validationErrorsToJson(const ValidationErrors &errors)
{
    QJsonArray array;
    for (const auto &e : errors)
        array.append(e.toJson());
    return { { QStringLiteral("errors"), array } };
}

} // namespace waybill
