#include "commandvalidation.h"

#include "ids.h"
#include "money.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>

#include <cmath>

namespace waybill {

namespace {

constexpr int kMaxTextLength = 200;
constexpr int kMaxReasonLength = 1000;
constexpr double kMinWeight = 1;
constexpr double kMaxWeight = 80000;

QJsonArray childPath(const QJsonArray &parent, const QString &key)
{
    QJsonArray p = parent;
    p.append(key);
    return p;
}

class Checker
{
public:
    ValidationErrors errors;

    void fail(const QJsonArray &path, const QString &message) { errors.append({ path, message }); }

    // Unknown keys are errors; missing required keys are errors.
    void keys(const QJsonObject &object, const QJsonArray &path, const QStringList &required,
              const QStringList &optional = {})
    {
        for (const QString &key : required) {
            if (!object.contains(key))
                fail(childPath(path, key), QStringLiteral("\"%1\" is required").arg(key));
        }
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!required.contains(it.key()) && !optional.contains(it.key()))
                fail(childPath(path, it.key()), QStringLiteral("\"%1\" is not allowed").arg(it.key()));
        }
    }

    bool text(const QJsonObject &object, const QJsonArray &path, const QString &key,
              int maxLength = kMaxTextLength)
    {
        if (!object.contains(key))
            return false;
        const QJsonValue v = object.value(key);
        const QJsonArray p = childPath(path, key);
        if (!v.isString()) {
            fail(p, QStringLiteral("\"%1\" must be a string").arg(key));
            return false;
        }
        const QString s = v.toString();
        if (s.trimmed().isEmpty()) {
            fail(p, QStringLiteral("\"%1\" must not be empty").arg(key));
            return false;
        }
        if (s.size() > maxLength) {
            fail(p, QStringLiteral("\"%1\" must be at most %2 characters").arg(key).arg(maxLength));
            return false;
        }
        return true;
    }

    void id(const QJsonObject &object, const QJsonArray &path, const QString &key)
    {
        if (!object.contains(key))
            return;
        const QJsonValue v = object.value(key);
        if (!v.isString()) {
            fail(childPath(path, key), QStringLiteral("\"%1\" must be a string").arg(key));
            return;
        }
        if (!isValidId(v.toString()))
            fail(childPath(path, key),
                 QStringLiteral("\"%1\" must be 1 to 64 letters, digits, '-', '_' or '.'").arg(key));
    }

    void pattern(const QJsonObject &object, const QJsonArray &path, const QString &key, int length,
                 bool digits, const QString &what)
    {
        if (!text(object, path, key))
            return;
        const QString s = object.value(key).toString();
        bool ok = s.size() == length;
        for (const QChar c : s)
            ok = ok && c.unicode() < 128 && (digits ? c.isDigit() : c.isLetter());
        if (!ok)
            fail(childPath(path, key), QStringLiteral("\"%1\" must be %2").arg(key, what));
    }

    void address(const QJsonObject &body, const QString &key)
    {
        const QJsonArray path { key };
        if (!body.contains(key))
            return;
        const QJsonValue v = body.value(key);
        if (!v.isObject()) {
            fail(path, QStringLiteral("\"%1\" must be an address object").arg(key));
            return;
        }
        const QJsonObject a = v.toObject();
        keys(a, path,
             { QStringLiteral("name"), QStringLiteral("line1"), QStringLiteral("city"),
               QStringLiteral("state"), QStringLiteral("zip") },
             { QStringLiteral("line2") });
        text(a, path, QStringLiteral("name"));
        text(a, path, QStringLiteral("line1"));
        text(a, path, QStringLiteral("line2"));
        text(a, path, QStringLiteral("city"));
        pattern(a, path, QStringLiteral("state"), 2, false, QStringLiteral("two letters"));
        pattern(a, path, QStringLiteral("zip"), 5, true, QStringLiteral("five digits"));
    }

    std::optional<double> number(const QJsonObject &object, const QString &key)
    {
        if (!object.contains(key))
            return std::nullopt;
        const QJsonValue v = object.value(key);
        if (!v.isDouble() || !std::isfinite(v.toDouble())) {
            fail({ key }, QStringLiteral("\"%1\" must be a number").arg(key));
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
        return { { {}, QStringLiteral("The body is not valid JSON: %1 at offset %2")
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
    switch (type) {
    case CommandType::Submit: {
        c.keys(body, {},
               { QStringLiteral("shipFrom"), QStringLiteral("shipTo"),
                 QStringLiteral("weightInPounds"), QStringLiteral("billToAccountId") });
        c.address(body, QStringLiteral("shipFrom"));
        c.address(body, QStringLiteral("shipTo"));
        if (auto w = c.number(body, QStringLiteral("weightInPounds"))) {
            if (*w < kMinWeight || *w > kMaxWeight)
                c.fail({ QStringLiteral("weightInPounds") },
                       QStringLiteral("\"weightInPounds\" must be from 1 to 80000"));
        }
        c.id(body, {}, QStringLiteral("billToAccountId"));
        break;
    }
    case CommandType::Assign:
        c.keys(body, {}, { QStringLiteral("truckId") });
        c.id(body, {}, QStringLiteral("truckId"));
        break;
    case CommandType::Ship:
        c.keys(body, {}, {});
        break;
    case CommandType::Deliver:
        c.keys(body, {}, {}, { QStringLiteral("signedBy") });
        c.text(body, {}, QStringLiteral("signedBy"));
        break;
    case CommandType::Cancel:
        c.keys(body, {}, { QStringLiteral("reason") });
        c.text(body, {}, QStringLiteral("reason"), kMaxReasonLength);
        break;
    case CommandType::Payment: {
        c.keys(body, {}, { QStringLiteral("amount") });
        if (auto amount = c.number(body, QStringLiteral("amount"))) {
            const auto cents = dollarsToCents(*amount);
            if (!cents)
                c.fail({ QStringLiteral("amount") },
                       QStringLiteral("\"amount\" must have at most two decimals and be at most "
                                      "1000000000"));
            else if (*cents <= 0)
                c.fail({ QStringLiteral("amount") }, QStringLiteral("\"amount\" must be greater than 0"));
            else
                out.insert(QStringLiteral("amountCents"), static_cast<double>(*cents));
        }
        break;
    }
    case CommandType::Invoice:
        c.fail({}, QStringLiteral("Invoices are issued by Waybill itself, on delivery"));
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
