#include "csvwriter.h"

namespace waybill::Audit {

bool isFormulaLike(QStringView text)
{
    if (text.isEmpty())
        return false;
    switch (text.front().unicode()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        return true;
    default:
        return false;
    }
}

void CsvWriter::separate()
{
    if (!m_atRecordStart)
        m_out += ',';
    m_atRecordStart = false;
}

void CsvWriter::addCell(QStringView text)
{
    separate();
    bool quote = false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == ',' || u == '"' || u == '\r' || u == '\n') {
            quote = true;
            break;
        }
    }
    if (quote)
        m_out += '"';
    if (isFormulaLike(text))
        m_out += '\'';
    if (quote) {
        QByteArray utf8 = text.toUtf8();
        utf8.replace('"', QByteArrayLiteral("\"\""));
        m_out += utf8;
        m_out += '"';
    } else {
        m_out += text.toUtf8();
    }
}

void CsvWriter::addCell(qint64 number)
{
    separate();
    m_out += QByteArray::number(number);
}

void CsvWriter::endRecord()
{
    m_out += "\r\n";
    m_atRecordStart = true;
}

} // namespace waybill::Audit
