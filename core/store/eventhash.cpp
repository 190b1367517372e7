#include "eventhash.h"

#include <openssl/sha.h>

namespace waybill {

const QString &genesisHash()
{
    static const QString zeros(64, QLatin1Char('0'));
    return zeros;
}

namespace {

// Appends the UTF-8 form of text, as QString::toUtf8 gives it: ASCII straight across, the rest
// (from the first character past ASCII on) through Qt's conversion.
void appendUtf8(QByteArray &out, QStringView text)
{
    const char16_t *chars = text.utf16();
    const qsizetype size = text.size();
    qsizetype i = 0;
    const qsizetype start = out.size();
    out.resize(start + size);
    char *to = out.data() + start;
    for (; i < size && chars[i] < 0x80; ++i)
        to[i] = static_cast<char>(chars[i]);
    if (i == size)
        return;
    out.resize(start + i);
    out += text.mid(i).toUtf8();
}

} // namespace

QString chainHash(const QString &previousHash, const EventContent &c)
{
    // Written piece by piece in UTF-8 (the same bytes as the whole text's toUtf8: every piece
    // ends before a separator, so no surrogate pair is ever split), and hashed by libcrypto,
    // which uses the processor's SHA instructions where it has them: five times faster than
    // QCryptographicHash's own SHA-256, and the chain's link is computed under the writer lock.
    QByteArray canonical;
    canonical.reserve(previousHash.size() + c.streamId.size() + c.type.size() + c.timestamp.size()
        + c.commandId.size() + c.user.size() + c.correlationId.size() + c.dataText.size() + 64);
    const char sep = '\n';
    appendUtf8(canonical, previousHash);
    canonical += sep;
    canonical += QByteArray::number(c.position);
    canonical += sep;
    appendUtf8(canonical, c.streamId);
    canonical += sep;
    canonical += QByteArray::number(c.version);
    canonical += sep;
    appendUtf8(canonical, c.type);
    canonical += sep;
    appendUtf8(canonical, c.timestamp);
    canonical += sep;
    appendUtf8(canonical, c.commandId);
    canonical += sep;
    appendUtf8(canonical, c.user);
    canonical += sep;
    appendUtf8(canonical, c.correlationId);
    canonical += sep;
    appendUtf8(canonical, c.dataText);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(canonical.constData()),
        static_cast<size_t>(canonical.size()), digest);
    static const char hex[] = "0123456789abcdef";
    QString text(2 * SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    QChar *out = text.data();
    for (unsigned char byte : digest) {
        *out++ = QLatin1Char(hex[byte >> 4]);
        *out++ = QLatin1Char(hex[byte & 0xf]);
    }
    return text;
}

} // namespace waybill
