#include "jsonnumberliteral.h"

#include <QString>

namespace waybill {

namespace {

// Qt 6.4's QJsonDocument refuses documents nested deeper than this.
constexpr int kNestingLimit = 1024;

// A reader that walks the document with the same steps as Qt's parser (qjsonparser.cpp), so
// that it finds the same values at the same paths, and keeps the text of the number at the one
// path it was asked for. Where Qt is lenient (an unknown escape stands for its character, "1."
// and ".5" are numbers) this reader is lenient alike: it must never disagree about structure.
class Reader final
{
public:
    Reader(QByteArrayView json, const QJsonArray &path)
        : m_p(json.data())
        , m_end(json.data() + json.size())
        , m_path(path)
    { }

    std::optional<QByteArray> read()
    {
        if (m_end - m_p > 3 && uchar(m_p[0]) == 0xef && uchar(m_p[1]) == 0xbb
            && uchar(m_p[2]) == 0xbf)
            m_p += 3;
        const char token = nextToken();
        m_found.reset();
        bool ok = false;
        // The root is the path's first step: matched 0.
        if (token == '[')
            ok = array(0);
        else if (token == '{')
            ok = object(0);
        if (!ok)
            return std::nullopt;
        eatSpace();
        if (m_p < m_end)
            return std::nullopt;
        return m_found;
    }

private:
    bool eatSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
        return m_p < m_end;
    }

    char nextToken()
    {
        if (!eatSpace())
            return 0;
        const char token = *m_p++;
        switch (token) {
        case '[':
        case '{':
        case ':':
        case ',':
        case ']':
        case '}':
        case '"':
            return token;
        default:
            return 0;
        }
    }

    // How many steps of the path the child named `key` (or at `index`) matches; -1 when off it.
    int childOf(int matched, const QString *key, qsizetype index) const
    {
        if (matched < 0 || matched >= m_path.size())
            return -1;
        const QJsonValue step = m_path.at(matched);
        if (key)
            return step.isString() && step.toString() == *key ? matched + 1 : -1;
        return step.isDouble() && step.toInteger(-1) == index ? matched + 1 : -1;
    }

    bool object(int matched)
    {
        if (++m_depth > kNestingLimit)
            return false;
        char token = nextToken();
        while (token == '"') {
            QString key;
            if (!string(&key) || nextToken() != ':' || !eatSpace())
                return false;
            if (!value(childOf(matched, &key, -1)))
                return false;
            token = nextToken();
            if (token != ',')
                break;
            token = nextToken();
            if (token == '}')
                return false;
        }
        if (token != '}')
            return false;
        --m_depth;
        return true;
    }

    bool array(int matched)
    {
        if (++m_depth > kNestingLimit || !eatSpace())
            return false;
        if (*m_p == ']') {
            ++m_p;
        } else {
            for (qsizetype index = 0;; ++index) {
                if (!eatSpace() || !value(childOf(matched, nullptr, index)))
                    return false;
                const char token = nextToken();
                if (token == ']')
                    break;
                if (token != ',')
                    return false;
            }
        }
        --m_depth;
        return true;
    }

    bool word(const char *rest)
    {
        const qsizetype length = qsizetype(qstrlen(rest));
        // Qt asks for one byte more than the word needs (a value never ends the document).
        if (m_end - m_p < length + 1)
            return false;
        if (qstrncmp(m_p, rest, size_t(length)) != 0)
            return false;
        m_p += length;
        return true;
    }

    bool value(int matched)
    {
        const bool target = matched == m_path.size();
        // A later value at the path, or at a step on the way to it, replaces what an earlier
        // one gave: Qt keeps the last of duplicate keys.
        if (matched >= 0)
            m_found.reset();
        switch (*m_p++) {
        case 'n':
            return word("ull");
        case 't':
            return word("rue");
        case 'f':
            return word("alse");
        case '"':
            return string(nullptr);
        case '[':
            return array(matched);
        case '{':
            return object(matched);
        case ',':
        case '}':
        case ']':
            return false;
        default:
            --m_p;
            return number(target);
        }
    }

    bool number(bool target)
    {
        const char *start = m_p;
        bool isInt = true;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p < m_end && *m_p == '0') {
            ++m_p;
        } else {
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
        }
        if (m_p < m_end && *m_p == '.') {
            ++m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9') {
                isInt = isInt && *m_p == '0';
                ++m_p;
            }
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            isInt = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '-' || *m_p == '+'))
                ++m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
        }
        if (m_p >= m_end)
            return false;
        const QByteArray literal = QByteArray::fromRawData(start, m_p - start);
        bool ok = false;
        if (isInt)
            literal.toLongLong(&ok);
        if (!ok)
            literal.toDouble(&ok);
        if (!ok)
            return false;
        if (target)
            m_found = QByteArray(start, m_p - start);
        return true;
    }

    // One UTF-8 sequence, strictly (no overlong forms, no surrogates, nothing past U+10FFFF).
    bool utf8Char(char32_t *out)
    {
        const uchar b = uchar(*m_p);
        int extra = 0;
        char32_t c = 0;
        char32_t minimum = 0;
        if (b < 0x80) {
            *out = b;
            ++m_p;
            return true;
        }
        if ((b & 0xe0) == 0xc0) {
            extra = 1;
            c = b & 0x1f;
            minimum = 0x80;
        } else if ((b & 0xf0) == 0xe0) {
            extra = 2;
            c = b & 0x0f;
            minimum = 0x800;
        } else if ((b & 0xf8) == 0xf0) {
            extra = 3;
            c = b & 0x07;
            minimum = 0x10000;
        } else {
            return false;
        }
        if (m_end - m_p <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            const uchar next = uchar(m_p[i]);
            if ((next & 0xc0) != 0x80)
                return false;
            c = (c << 6) | (next & 0x3f);
        }
        if (c < minimum || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
        m_p += extra + 1;
        *out = c;
        return true;
    }

    bool hexDigit(char digit, char32_t *result)
    {
        *result <<= 4;
        if (digit >= '0' && digit <= '9')
            *result |= char32_t(digit - '0');
        else if (digit >= 'a' && digit <= 'f')
            *result |= char32_t(digit - 'a' + 10);
        else if (digit >= 'A' && digit <= 'F')
            *result |= char32_t(digit - 'A' + 10);
        else
            return false;
        return true;
    }

    bool escape(char32_t *out)
    {
        ++m_p; // the backslash
        if (m_p >= m_end)
            return false;
        const char escaped = *m_p++;
        switch (escaped) {
        case 'b':
            *out = 0x8;
            return true;
        case 'f':
            *out = 0xc;
            return true;
        case 'n':
            *out = 0xa;
            return true;
        case 'r':
            *out = 0xd;
            return true;
        case 't':
            *out = 0x9;
            return true;
        case 'u':
            *out = 0;
            if (m_p > m_end - 4)
                return false;
            for (int i = 0; i < 4; ++i) {
                if (!hexDigit(*m_p++, out))
                    return false;
            }
            return true;
        default:
            // Qt takes any other escaped character as itself: "\a" is "a".
            *out = uchar(escaped);
            return true;
        }
    }

    // After the opening quote; gives the text when asked for it.
    bool string(QString *decoded)
    {
        const char *start = m_p;
        bool escaped = false;
        while (m_p < m_end) {
            if (*m_p == '"')
                break;
            if (*m_p == '\\') {
                escaped = true;
                break;
            }
            char32_t c = 0;
            if (!utf8Char(&c))
                return false;
        }
        if (m_end - m_p < 2) // the closing quote, and a byte after it: a string never ends the text
            return false;
        ++m_p;
        if (!escaped) {
            if (decoded)
                *decoded = QString::fromUtf8(start, m_p - start - 1);
            return true;
        }
        m_p = start;
        QString text;
        while (m_p < m_end) {
            char32_t c = 0;
            if (*m_p == '"')
                break;
            if (*m_p == '\\') {
                if (!escape(&c))
                    return false;
            } else if (!utf8Char(&c)) {
                return false;
            }
            if (decoded) {
                // As Qt does: each \uXXXX is one UTF-16 unit, so a pair of escapes makes one
                // character and a lone surrogate stays one.
                if (c < 0x10000) {
                    text.append(QChar(char16_t(c)));
                } else {
                    text.append(QChar::highSurrogate(c));
                    text.append(QChar::lowSurrogate(c));
                }
            }
        }
        if (m_end - m_p < 2)
            return false;
        ++m_p;
        if (decoded)
            *decoded = text;
        return true;
    }

    const char *m_p;
    const char *m_end;
    const QJsonArray &m_path;
    int m_depth = 0;
    std::optional<QByteArray> m_found;
};

} // namespace

std::optional<QByteArray> jsonNumberLiteral(QByteArrayView json, const QJsonArray &path)
{
    return Reader(json, path).read();
}

} // namespace waybill
