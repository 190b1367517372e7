// Reading a PDF back the way a person's PDF reader would, with poppler-utils (pdfinfo, pdftotext):
// what the tests check of a rendered document is what is on its pages.
#pragma once

#include <QString>

namespace waybill::test {

// Whether pdftotext and pdfinfo can be run; false with the reason (scripts/install-deps.sh).
bool pdfToolsAvailable(QString *error);
// The number of pages pdfinfo reads in the file; 0 when it is not a PDF it can read.
int pdfPageCount(const QString &fileName);
// The text of the file (of one page when page > 0), in reading order with the layout kept.
QString pdfText(const QString &fileName, int page = 0);

} // namespace waybill::test
