#include "strictcsvparser.h"

#include <QStringDecoder>

namespace waybill::test {

namespace {

// Exactly: a byte order mark at the start of a field is the character U+FEFF, not skipped.
bool decodeUtf8(const QByteArray &bytes, QString *text)
{
    QStringDecoder decoder(QStringDecoder::Utf8,
        QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    *text = decoder.decode(bytes);
    return !decoder.hasError();
}

} // namespace

CsvTable parseStrictCsv(const QByteArray &text)
{
    CsvTable table;
    const auto fail = [&table](qsizetype at, const QString &what) {
        table.error = QStringLiteral("%1 at byte %2 (record %3)")
                          .arg(what)
                          .arg(at)
                          .arg(table.records.size() + 1);
        table.records.clear();
        return table;
    };
    {
        QString ignored;
        if (!decodeUtf8(text, &ignored))
            return fail(0, QStringLiteral("not valid UTF-8"));
    }
    if (text.isEmpty())
        return fail(0, QStringLiteral("no header record"));

    const qsizetype n = text.size();
    qsizetype i = 0;
    QStringList record;
    while (i < n) {
        QByteArray field;
        if (text.at(i) == '"') {
            ++i;
            for (;;) {
                if (i >= n)
                    return fail(i, QStringLiteral("a quoted field is not closed"));
                const char c = text.at(i);
                if (c == '"') {
                    if (i + 1 < n && text.at(i + 1) == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += c;
                ++i;
            }
            if (i < n && text.at(i) != ',' && text.at(i) != '\r')
                return fail(i, QStringLiteral("text follows a closing quote"));
        } else {
            while (i < n && text.at(i) != ',' && text.at(i) != '\r') {
                const char c = text.at(i);
                if (c == '"')
                    return fail(i, QStringLiteral("a quote inside a plain field"));
                if (c == '\n')
                    return fail(i, QStringLiteral("a line feed without carriage return"));
                field += c;
                ++i;
            }
        }
        QString decoded;
        if (!decodeUtf8(field, &decoded))
            return fail(i, QStringLiteral("a field is not valid UTF-8 on its own"));
        record.append(decoded);

        if (i >= n)
            return fail(i, QStringLiteral("the last record does not end with CRLF"));
        if (text.at(i) == ',') {
            ++i;
            if (i >= n)
                return fail(i, QStringLiteral("the last record does not end with CRLF"));
            continue;
        }
        // A carriage return: it must end the record.
        if (i + 1 >= n || text.at(i + 1) != '\n')
            return fail(i, QStringLiteral("a carriage return without line feed"));
        i += 2;
        if (!table.records.isEmpty() && record.size() != table.records.first().size())
            return fail(i,
                QStringLiteral("%1 fields where the header has %2")
                    .arg(record.size())
                    .arg(table.records.first().size()));
        table.records.append(record);
        record.clear();
    }
    return table;
}

} // namespace waybill::test
