// libFuzzer target: the auditors' CSV writer. Cells made from the input are written as records
// and read back by the strict RFC 4180 parser of the tests: the text must parse, every record
// must come back with its cells, each cell as written (as UTF-8 keeps it), a cell that a
// spreadsheet would run as a formula with a leading apostrophe, and no cell read back may start
// like a formula.
//
// Input: byte 0 sets the record width (1 to 8); byte 1 chooses how cells are read: UTF-8 text
// cut at 0xFF bytes, or UTF-16 units (two bytes each) cut at U+FFFF, which can make unpaired
// surrogates. A text cell that starts with 0xFE (UTF-8 mode) is a number cell instead.
#include "audit/csvwriter.h"
#include "strictcsvparser.h"

#include <QByteArray>
#include <QString>
#include <QStringDecoder>
#include <QVector>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <variant>

using namespace waybill;

namespace {

using Cell = std::variant<QString, qint64>;

[[noreturn]] void fail(const char *what, const uint8_t *data, size_t size)
{
    fprintf(stderr, "fuzz_csvwriter: %s\ninput: %s\n", what,
        QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)).toHex().constData());
    abort();
}

QVector<Cell> cellsFromUtf8(const QByteArray &bytes)
{
    QVector<Cell> cells;
    for (const QByteArray &part : bytes.split('\xff')) {
        if (part.startsWith('\xfe')) {
            qint64 number = 0;
            memcpy(&number, part.constData() + 1, size_t(qMin<qsizetype>(8, part.size() - 1)));
            cells.append(number);
        } else {
            cells.append(QString::fromUtf8(part));
        }
    }
    return cells;
}

QVector<Cell> cellsFromUtf16(const QByteArray &bytes)
{
    QVector<Cell> cells;
    QString current;
    for (qsizetype i = 0; i + 1 < bytes.size(); i += 2) {
        const char16_t unit = char16_t(uchar(bytes[i]) | (uchar(bytes[i + 1]) << 8));
        if (unit == 0xffff) {
            cells.append(current);
            current.clear();
        } else {
            current.append(QChar(unit));
        }
    }
    cells.append(current);
    return cells;
}

// What the cell must read as: UTF-8 cannot carry an unpaired surrogate, so it is compared as
// it comes back from UTF-8 (Qt writes '?' for it); a leading U+FEFF is a character like any.
QString expectedField(const Cell &cell)
{
    if (const qint64 *number = std::get_if<qint64>(&cell))
        return QString::number(*number);
    const QString &text = std::get<QString>(cell);
    QStringDecoder exactly(QStringDecoder::Utf8,
        QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    const QString kept = exactly.decode(text.toUtf8());
    return Audit::isFormulaLike(text) ? QLatin1Char('\'') + kept : kept;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const int width = 1 + data[0] % 8;
    const QByteArray rest(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    QVector<Cell> cells = (data[1] & 1) ? cellsFromUtf16(rest) : cellsFromUtf8(rest);
    while (cells.size() % width != 0)
        cells.append(QString());

    QByteArray out;
    Audit::CsvWriter writer(out);
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (const qint64 *number = std::get_if<qint64>(&cells[i]))
            writer.addCell(*number);
        else
            writer.addCell(std::get<QString>(cells[i]));
        if ((i + 1) % width == 0)
            writer.endRecord();
    }

    const test::CsvTable table = test::parseStrictCsv(out);
    if (!table.ok())
        fail(qPrintable(QStringLiteral("the strict parser refuses the text: ") + table.error), data,
            size);
    if (table.records.size() != cells.size() / width)
        fail("records were lost or made up", data, size);
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const QString field = table.records.at(i / width).at(i % width);
        if (field != expectedField(cells.at(i)))
            fail("a cell does not read back as written", data, size);
        if (std::holds_alternative<QString>(cells.at(i)) && Audit::isFormulaLike(field))
            fail(qPrintable(QStringLiteral("a cell reads back like a formula: ") + field), data,
                size);
    }
    return 0;
}
