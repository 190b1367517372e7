#include "jsontext.h"

#include <QLocale>

#include <cmath>

namespace waybill {

namespace {

void appendEscaped(QByteArray &out, const QString &text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out.append('"');
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && c != '"' && c != '\\') {
            out.append(c);
            continue;
        }
        out.append('\\');
        switch (c) {
        case '"':
            out.append('"');
            break;
        case '\\':
            out.append('\\');
            break;
        case '\b':
            out.append('b');
            break;
        case '\f':
            out.append('f');
            break;
        case '\n':
            out.append('n');
            break;
        case '\r':
            out.append('r');
            break;
        case '\t':
            out.append('t');
            break;
        default:
            out.append("u00", 3);
            out.append(kHex[u >> 4]);
            out.append(kHex[u & 0xf]);
        }
    }
    out.append('"');
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
