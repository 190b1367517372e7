// A deliberately unforgiving reader of RFC 4180 CSV in UTF-8, to hold the export to the letter.
#pragma once

#include <QByteArray>
#include <QStringList>
#include <QVector>

namespace waybill::test {

struct CsvTable
{
    QVector<QStringList> records;
    QString error; // empty when the text is well-formed

    bool ok() const { return error.isEmpty(); }
};

// Accepts only: records each ended by CRLF (the last one too); fields separated by commas;
// a field either plain (no comma, quote, CR or LF) or wholly quoted, with quotes doubled inside;
// the same number of fields in every record; valid UTF-8. Anything else is an error that says
// where it is.
CsvTable parseStrictCsv(const QByteArray &text);

} // namespace waybill::test
