// Which characters Waybill stores in text: the same on SQLite and PostgreSQL, and nothing that
// hides in a screen, a terminal or a printed page.
#pragma once

#include <QStringView>

namespace waybill {

enum class TextLines {
    Single, // names, address parts, signatures: no line breaks
    Multiple // reasons: line feed and carriage return allowed
};

struct UnstorableCharacter
{
    enum class Kind {
        None,
        Nul, // U+0000: PostgreSQL cannot store it in text, and Qt's driver cuts the text there
        Control, // another C0 control (tab, and line breaks where allowed, excepted), DEL or C1
        LoneSurrogate // half of a UTF-16 pair: not a character, and not encodable as UTF-8
    };
    Kind kind = Kind::None;
    qsizetype index = -1; // in UTF-16 units
    char16_t unit = 0;
    explicit operator bool() const { return kind != Kind::None; }
};

// The first character of the text that Waybill refuses to store, if any.
UnstorableCharacter findUnstorableCharacter(QStringView text, TextLines lines);

} // namespace waybill
