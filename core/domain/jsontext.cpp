#include "jsontext.h"

#include <QCborValue>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocale>

#include <cmath>

namespace waybill {

namespace {

// As Qt's JSON writer escapes a string: quotes, backslashes and C0 controls escaped, every other
// character in UTF-8, and half of a surrogate pair (which UTF-8 cannot carry) as a \u escape.
void appendEscaped(QByteArray &out, QStringView text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const qsizetype start = out.size();
    // At most 6 bytes per UTF-16 unit (a \u escape), and the quotes.
    out.resize(start + 6 * text.size() + 2);
    auto *cursor = reinterpret_cast<unsigned char *>(out.data() + start);
    const auto escapeUnit = [&cursor](char16_t u) {
        *cursor++ = '\\';
        *cursor++ = 'u';
        *cursor++ = kHex[(u >> 12) & 0xf];
        *cursor++ = kHex[(u >> 8) & 0xf];
        *cursor++ = kHex[(u >> 4) & 0xf];
        *cursor++ = kHex[u & 0xf];
    };
    *cursor++ = '"';
    const char16_t *src = text.utf16();
    const char16_t *const end = src + text.size();
    while (src != end) {
        const char16_t u = *src++;
        if (u >= 0x20 && u < 0x80 && u != '"' && u != '\\') {
            *cursor++ = static_cast<unsigned char>(u);
            continue;
        }
        if (u < 0x80) {
            char escaped = 0;
            switch (u) {
            case '"':
                escaped = '"';
                break;
            case '\\':
                escaped = '\\';
                break;
            case '\b':
                escaped = 'b';
                break;
            case '\f':
                escaped = 'f';
                break;
            case '\n':
                escaped = 'n';
                break;
            case '\r':
                escaped = 'r';
                break;
            case '\t':
                escaped = 't';
                break;
            default:
                escapeUnit(u);
                continue;
            }
            *cursor++ = '\\';
            *cursor++ = static_cast<unsigned char>(escaped);
        } else if (u < 0x800) {
            *cursor++ = static_cast<unsigned char>(0xc0 | (u >> 6));
            *cursor++ = static_cast<unsigned char>(0x80 | (u & 0x3f));
        } else if (!QChar::isSurrogate(u)) {
            *cursor++ = static_cast<unsigned char>(0xe0 | (u >> 12));
            *cursor++ = static_cast<unsigned char>(0x80 | ((u >> 6) & 0x3f));
            *cursor++ = static_cast<unsigned char>(0x80 | (u & 0x3f));
        } else if (QChar::isHighSurrogate(u) && src != end && QChar::isLowSurrogate(*src)) {
            const char32_t c = QChar::surrogateToUcs4(u, *src++);
            *cursor++ = static_cast<unsigned char>(0xf0 | (c >> 18));
            *cursor++ = static_cast<unsigned char>(0x80 | ((c >> 12) & 0x3f));
            *cursor++ = static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3f));
            *cursor++ = static_cast<unsigned char>(0x80 | (c & 0x3f));
        } else {
            escapeUnit(u);
        }
    }
    *cursor++ = '"';
    out.truncate(reinterpret_cast<char *>(cursor) - out.constData());
}

} // namespace

void JsonText::separate()
{
    if (!m_first)
        m_text.append(',');
    m_first = false;
}

JsonText &JsonText::beginObject()
{
    m_text.append('{');
    m_first = true;
    return *this;
}

JsonText &JsonText::endObject()
{
    m_text.append('}');
    m_first = false; // the object just closed is a value of its parent
    return *this;
}

JsonText &JsonText::key(const char *name)
{
    separate();
    m_text.append('"').append(name).append("\":", 2);
    m_first = true; // the value follows the colon without a comma
    return *this;
}

JsonText &JsonText::beginArray()
{
    m_text.append('[');
    m_first = true;
    return *this;
}

JsonText &JsonText::endArray()
{
    m_text.append(']');
    m_first = false;
    return *this;
}

JsonText &JsonText::item()
{
    separate();
    m_first = true;
    return *this;
}

JsonText &JsonText::value(bool flag)
{
    if (flag)
        m_text.append("true", 4);
    else
        m_text.append("false", 5);
    m_first = false;
    return *this;
}

JsonText &JsonText::value(const QString &text)
{
    appendEscaped(m_text, text);
    m_first = false;
    return *this;
}

JsonText &JsonText::value(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return this->value(value.toBool());
    case QJsonValue::Double: {
        // An integer is written whole, however large; a double as Qt writes one.
        const QCborValue number = QCborValue::fromJsonValue(value);
        if (!number.isInteger())
            return this->value(value.toDouble());
        m_text.append(QByteArray::number(number.toInteger()));
        m_first = false;
        return *this;
    }
    case QJsonValue::String:
        return this->value(value.toString());
    case QJsonValue::Array:
        return this->value(value.toArray());
    case QJsonValue::Object:
        return this->value(value.toObject());
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    m_text.append("null", 4);
    m_first = false;
    return *this;
}

JsonText &JsonText::value(const QJsonObject &object)
{
    beginObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        separate();
        appendEscaped(m_text, it.key());
        m_text.append(':');
        value(it.value());
    }
    return endObject();
}

JsonText &JsonText::value(const QJsonArray &array)
{
    beginArray();
    for (const QJsonValue &element : array) {
        item();
        value(element);
    }
    return endArray();
}

JsonText &JsonText::value(double number)
{
    // Whole numbers up to 2^53 (every integer a double holds exactly) print as integers, the
    // rest in the shortest form that reads back the same.
    constexpr double kExactIntegers = 9007199254740992.0;
    if (std::isfinite(number) && std::trunc(number) == number
        && std::fabs(number) <= kExactIntegers)
        m_text.append(QByteArray::number(static_cast<qint64>(number)));
    else if (std::isfinite(number))
        m_text.append(QByteArray::number(number, 'g', QLocale::FloatingPointShortest));
    else
        m_text.append("null", 4);
    m_first = false;
    return *this;
}

} // namespace waybill
