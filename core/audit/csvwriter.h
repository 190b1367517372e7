// Writes CSV records as RFC 4180 asks, defusing cells that a spreadsheet would run as formulas.
#pragma once

#include <QByteArray>
#include <QStringView>

namespace waybill::Audit {

// True when a spreadsheet would take the cell for a formula: its first character is '=', '+',
// '-', '@', a tab or a carriage return (OWASP's list for CSV injection).
bool isFormulaLike(QStringView text);

// Appends records to a buffer it does not own: cells separated by commas, quoted only when they
// hold a comma, a quote, CR or LF, quotes doubled, UTF-8, each record ended by CRLF.
class CsvWriter final
{
public:
    explicit CsvWriter(QByteArray &out)
        : m_out(out)
    { }
    Q_DISABLE_COPY_MOVE(CsvWriter)

    // A formula-like cell gains a leading apostrophe, so a spreadsheet shows it as text.
    void addCell(QStringView text);
    void addCell(qint64 number);
    void endRecord();

private:
    void separate();

    QByteArray &m_out;
    bool m_atRecordStart = true;
};

} // namespace waybill::Audit
