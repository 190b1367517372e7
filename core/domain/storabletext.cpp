#include "storabletext.h"

namespace waybill {

UnstorableCharacter findUnstorableCharacter(QStringView text, TextLines lines)
{
    using Kind = UnstorableCharacter::Kind;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        if (QChar::isHighSurrogate(u) && i + 1 < text.size()
            && QChar::isLowSurrogate(text[i + 1].unicode())) {
            ++i;
            continue;
        }
        if (QChar::isSurrogate(u))
            return { Kind::LoneSurrogate, i, u };
        if (u == 0)
            return { Kind::Nul, i, u };
        if (u == '\t')
            continue;
        if ((u == '\n' || u == '\r') && lines == TextLines::Multiple)
            continue;
        if (u < 0x20 || (u >= 0x7f && u <= 0x9f))
            return { Kind::Control, i, u };
    }
    return {};
}

} // namespace waybill
