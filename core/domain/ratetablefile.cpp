#include "ratetablefile.h"

#include "ids.h"
#include "jsonnumberliteral.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace waybill {

namespace {

struct RateTableText
{
    Q_DECLARE_TR_FUNCTIONS(RateTableFile)
};

constexpr Cents kMaxCentsPerPound = 1'000'000;
constexpr Cents kMaxChargeCents = 100'000'000; // a million dollars
constexpr qint64 kMaxHundredthsOfPercent = 100'00;
constexpr int kMaxVersionLength = 64;

QString childPath(const QString &path, const QString &step)
{
    return path.isEmpty() ? step : path + QLatin1Char('/') + step;
}

// Where each value of well-formed JSON text starts ("lanes/2/minimumCents" -> its line), where
// each object's text lies, and the order of each object's keys, which QJsonObject does not keep.
// A key given twice is a fault QJsonDocument would pass over in silence.
class JsonLineScanner final
{
public:
    explicit JsonLineScanner(const QByteArray &text)
        : m_text(text)
    { }

    void scan() { value(QString()); }

    int lineOf(const QString &path) const
    {
        QString p = path;
        for (;;) {
            if (const auto found = m_lines.constFind(p); found != m_lines.constEnd())
                return found.value();
            if (p.isEmpty())
                return 1;
            const qsizetype slash = p.lastIndexOf(QLatin1Char('/'));
            p = slash < 0 ? QString() : p.left(slash);
        }
    }
    // The text of the number at path as written, as jsonNumberLiteral finds it in the object that
    // holds it: that object alone is read, so a long file costs each number only its neighbours.
    QByteArray literalAt(const QString &path) const
    {
        const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
        const auto object = m_objects.constFind(slash < 0 ? QString() : path.left(slash));
        if (object == m_objects.constEnd())
            return {};
        const QByteArrayView text
            = QByteArrayView(m_text).sliced(object->first, object->second - object->first);
        return jsonNumberLiteral(text, QJsonArray { path.mid(slash + 1) }).value_or(QByteArray());
    }
    QStringList keysOf(const QString &path) const { return m_keys.value(path); }
    const std::optional<RateTableFault> &duplicate() const { return m_duplicate; }

private:
    char peek() const { return m_at < m_text.size() ? m_text.at(m_at) : '\0'; }

    void skipSpace()
    {
        while (m_at < m_text.size()) {
            const char c = m_text.at(m_at);
            if (c == '\n')
                ++m_line;
            else if (c != ' ' && c != '\t' && c != '\r')
                return;
            ++m_at;
        }
    }

    // At the opening quote; the text between the quotes as written (escapes left as they are:
    // a key that needs one is refused anyway).
    QString string()
    {
        const qsizetype start = ++m_at;
        while (m_at < m_text.size() && m_text.at(m_at) != '"')
            m_at += m_text.at(m_at) == '\\' ? 2 : 1;
        const QString s = QString::fromUtf8(m_text.mid(start, m_at - start));
        ++m_at;
        return s;
    }

    void value(const QString &path)
    {
        skipSpace();
        m_lines.insert(path, m_line);
        const char c = peek();
        if (c == '{') {
            const qsizetype start = m_at++;
            QStringList keys;
            skipSpace();
            while (peek() == '"') {
                const int keyLine = m_line;
                const QString key = string();
                if (keys.contains(key) && !m_duplicate)
                    m_duplicate = RateTableFault { keyLine,
                        RateTableText::tr("\"%1\" is given twice").arg(key) };
                keys.append(key);
                skipSpace();
                ++m_at; // ':'
                value(childPath(path, key));
                skipSpace();
                if (peek() == ',') {
                    ++m_at;
                    skipSpace();
                }
            }
            ++m_at; // '}'
            m_keys.insert(path, keys);
            m_objects.insert(path, { start, m_at });
        } else if (c == '[') {
            ++m_at;
            skipSpace();
            for (int index = 0; peek() != ']' && m_at < m_text.size(); ++index) {
                value(childPath(path, QString::number(index)));
                skipSpace();
                if (peek() == ',')
                    ++m_at;
                skipSpace();
            }
            ++m_at; // ']'
        } else if (c == '"') {
            string();
        } else { // a number, true, false or null
            while (m_at < m_text.size() && !QByteArrayView(",]} \t\r\n").contains(m_text.at(m_at)))
                ++m_at;
        }
    }

    const QByteArray &m_text;
    qsizetype m_at = 0;
    int m_line = 1;
    QHash<QString, int> m_lines;
    QHash<QString, std::pair<qsizetype, qsizetype>> m_objects; // [start, end) in the text
    QHash<QString, QStringList> m_keys;
    std::optional<RateTableFault> m_duplicate;
};

// The rules of the format, each fault placed on the line of the value it is about.
class Reader final
{
public:
    explicit Reader(const JsonLineScanner &lines)
        : m_lines(lines)
    { }

    std::optional<RateTableFault> fault;

    bool fail(const QString &path, const QString &message)
    {
        if (!fault)
            fault = RateTableFault { m_lines.lineOf(path), message };
        return false;
    }

    bool keys(const QJsonObject &object, const QString &path, const QStringList &required,
        const QStringList &optional)
    {
        for (const QString &key : m_lines.keysOf(path)) {
            if (!required.contains(key) && !optional.contains(key))
                return fail(childPath(path, key),
                    RateTableText::tr("\"%1\" is not allowed here (allowed: %2)")
                        .arg(key, (required + optional).join(QLatin1String(", "))));
        }
        for (const QString &key : required) {
            if (!object.contains(key))
                return fail(path, RateTableText::tr("\"%1\" is required here").arg(key));
        }
        return true;
    }

    std::optional<qint64> whole(
        const QJsonValue &value, const QString &path, const QString &name, qint64 maximum)
    {
        const double d = value.toDouble(-1);
        if (!value.isDouble() || d < 0 || d > double(maximum) || std::floor(d) != d
            || m_lines.literalAt(path).contains('.')) {
            fail(path,
                RateTableText::tr("\"%1\" must be a whole number of cents from 0 to %2")
                    .arg(name)
                    .arg(maximum));
            return std::nullopt;
        }
        return qint64(d);
    }

    std::optional<QString> state(const QJsonValue &value, const QString &path, const QString &name)
    {
        const QString s = value.toString();
        const bool letters = s.size() == 2 && s.at(0).isLetter() && s.at(1).isLetter()
            && s.at(0).unicode() < 128 && s.at(1).unicode() < 128;
        if (!value.isString() || (s != QLatin1String("*") && !letters)) {
            fail(path,
                RateTableText::tr("\"%1\" must be a state's two letters or \"*\" for any state")
                    .arg(name));
            return std::nullopt;
        }
        return laneState(s);
    }

private:
    const JsonLineScanner &m_lines;
};

std::optional<RateTable> readTable(
    const QJsonObject &root, const JsonLineScanner &lines, RateTableFault *faultOut)
{
    Reader r(lines);
    RateTable table;
    const auto failed = [&]() -> std::optional<RateTable> {
        if (faultOut)
            *faultOut = *r.fault;
        return std::nullopt;
    };
    if (!r.keys(root, QString(), { QStringLiteral("version"), QStringLiteral("lanes") },
            { QStringLiteral("fuelSurcharge"), QStringLiteral("accessorials") }))
        return failed();

    const QJsonValue version = root.value(QLatin1String("version"));
    table.version = version.toString();
    if (!version.isString() || !isValidId(table.version)
        || table.version.size() > kMaxVersionLength)
        r.fail(QStringLiteral("version"),
            RateTableText::tr("\"version\" must be 1 to 64 letters, digits, '-', '_' or '.'"));

    const QJsonValue lanes = root.value(QLatin1String("lanes"));
    if (!lanes.isArray() || lanes.toArray().isEmpty())
        r.fail(QStringLiteral("lanes"), RateTableText::tr("\"lanes\" must be a list of lanes"));
    table.lanes.clear();
    const QJsonArray laneArray = lanes.toArray();
    for (qsizetype i = 0; i < laneArray.size() && !r.fault; ++i) {
        const QString path = QStringLiteral("lanes/%1").arg(i);
        const QJsonObject o = laneArray.at(i).toObject();
        if (!laneArray.at(i).isObject()) {
            r.fail(path, RateTableText::tr("a lane must be an object"));
            break;
        }
        if (!r.keys(o, path,
                { QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("centsPerPound") },
                { QStringLiteral("minimumCents") }))
            break;
        Lane lane;
        const auto from = r.state(
            o.value(QLatin1String("from")), path + QLatin1String("/from"), QStringLiteral("from"));
        const auto to = r.state(
            o.value(QLatin1String("to")), path + QLatin1String("/to"), QStringLiteral("to"));
        const auto rate = r.whole(o.value(QLatin1String("centsPerPound")),
            path + QLatin1String("/centsPerPound"), QStringLiteral("centsPerPound"),
            kMaxCentsPerPound);
        std::optional<qint64> minimum = 0;
        if (o.contains(QLatin1String("minimumCents")))
            minimum = r.whole(o.value(QLatin1String("minimumCents")),
                path + QLatin1String("/minimumCents"), QStringLiteral("minimumCents"),
                kMaxChargeCents);
        if (r.fault)
            break;
        lane = Lane { *from, *to, *rate, *minimum };
        for (const Lane &earlier : std::as_const(table.lanes)) {
            if (earlier.from == lane.from && earlier.to == lane.to)
                r.fail(path,
                    RateTableText::tr("the lane %1->%2 is given twice").arg(lane.from, lane.to));
        }
        table.lanes.append(lane);
    }
    if (!r.fault && std::none_of(table.lanes.cbegin(), table.lanes.cend(), [](const Lane &l) {
            return l.specificity() < 0;
        }))
        r.fail(QStringLiteral("lanes"),
            RateTableText::tr("the lanes must include \"*\"->\"*\", the price of every shipment "
                              "no other lane covers"));

    const QJsonValue fuel = root.value(QLatin1String("fuelSurcharge"));
    if (!r.fault && root.contains(QLatin1String("fuelSurcharge")) && !fuel.isArray())
        r.fail(QStringLiteral("fuelSurcharge"),
            RateTableText::tr("\"fuelSurcharge\" must be a list of {\"from\", \"percent\"}"));
    const QJsonArray fuelArray = fuel.toArray();
    for (qsizetype i = 0; i < fuelArray.size() && !r.fault; ++i) {
        const QString path = QStringLiteral("fuelSurcharge/%1").arg(i);
        const QJsonObject o = fuelArray.at(i).toObject();
        if (!fuelArray.at(i).isObject()) {
            r.fail(path, RateTableText::tr("a fuel surcharge must be an object"));
            break;
        }
        if (!r.keys(o, path, { QStringLiteral("from"), QStringLiteral("percent") }, {}))
            break;
        const QDate day = QDate::fromString(o.value(QLatin1String("from")).toString(), Qt::ISODate);
        if (!o.value(QLatin1String("from")).isString()
            || o.value(QLatin1String("from")).toString().size() != 10 || !day.isValid()) {
            r.fail(path + QLatin1String("/from"),
                RateTableText::tr("\"from\" must be a day written YYYY-MM-DD"));
            break;
        }
        // The percent is read from its digits, as money is: 12.5 is exactly 1250 hundredths.
        const ParsedMoney percent
            = parseDollarsLiteral(lines.literalAt(path + QLatin1String("/percent")));
        if (!o.value(QLatin1String("percent")).isDouble() || !percent.ok() || percent.cents < 0
            || percent.cents > kMaxHundredthsOfPercent) {
            r.fail(path + QLatin1String("/percent"),
                RateTableText::tr(
                    "\"percent\" must be a number from 0 to 100 with at most two decimals"));
            break;
        }
        if (!table.fuelSurcharges.isEmpty() && table.fuelSurcharges.last().from >= day) {
            r.fail(path + QLatin1String("/from"),
                RateTableText::tr("the fuel surcharges must be in order of their days, each day "
                                  "once"));
            break;
        }
        table.fuelSurcharges.append({ day, percent.cents });
    }

    const QJsonValue accessorials = root.value(QLatin1String("accessorials"));
    if (!r.fault && root.contains(QLatin1String("accessorials")) && !accessorials.isObject())
        r.fail(QStringLiteral("accessorials"),
            RateTableText::tr("\"accessorials\" must be an object of codes and their cents"));
    const QJsonObject charges = accessorials.toObject();
    for (const QString &code : lines.keysOf(QStringLiteral("accessorials"))) {
        if (r.fault)
            break;
        const QString path = childPath(QStringLiteral("accessorials"), code);
        if (!isValidId(code) || code == QLatin1String("linehaul") || code == QLatin1String("fuel")
            || !charges.contains(code)) {
            r.fail(path,
                RateTableText::tr("the accessorial code \"%1\" must be 1 to 64 letters, digits, "
                                  "'-', '_' or '.', and not \"linehaul\" or \"fuel\"")
                    .arg(code));
            break;
        }
        if (const auto cents = r.whole(charges.value(code), path, code, kMaxChargeCents))
            table.accessorials.append({ code, *cents });
    }
    if (r.fault)
        return failed();
    return table;
}

int lineAtOffset(const QByteArray &text, qsizetype offset)
{
    return int(text.left(offset).count('\n')) + 1;
}

} // namespace

std::optional<RateTable> parseRateTable(const QByteArray &text, RateTableFault *fault)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) {
        if (fault)
            *fault = { lineAtOffset(text, error.offset),
                RateTableText::tr("not valid JSON (%1)").arg(error.errorString()) };
        return std::nullopt;
    }
    if (!document.isObject()) {
        if (fault)
            *fault = { 1, RateTableText::tr("a rate table is a JSON object") };
        return std::nullopt;
    }
    JsonLineScanner lines(text);
    lines.scan();
    if (lines.duplicate()) {
        if (fault)
            *fault = *lines.duplicate();
        return std::nullopt;
    }
    return readTable(document.object(), lines, fault);
}

std::optional<RateTable> loadRateTable(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = RateTableText::tr("%1: cannot read the rate table (%2)")
                         .arg(path, file.errorString());
        return std::nullopt;
    }
    RateTableFault fault;
    std::optional<RateTable> table = parseRateTable(file.readAll(), &fault);
    if (!table && error)
        *error = QStringLiteral("%1:%2: %3").arg(path).arg(fault.line).arg(fault.message);
    return table;
}

} // namespace waybill
