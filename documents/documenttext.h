// The words and layout of each document: rich text that QTextDocument lays out on pages, with
// the title and footer every page repeats.
#pragma once

#include "businessdocuments.h"

#include <QCoreApplication>
#include <QString>

namespace waybill::documents {

// A document ready to be laid out on pages.
struct PrintableDocument
{
    QString title; // the PDF's title, e.g. "Invoice INV-000042"
    QString html; // the body
    QString footer; // left of the page number on every page
    DocumentProof proof;
};

class DocumentText final
{
    Q_DECLARE_TR_FUNCTIONS(waybill::documents::DocumentText)
public:
    static PrintableDocument invoice(const InvoiceDocument &document, const Company &company);
    static PrintableDocument statement(const StatementDocument &document, const Company &company);
    static PrintableDocument billOfLading(
        const BillOfLadingDocument &document, const Company &company);

    // "$1,234.56", "-$12.34": exact to the cent.
    static QString money(Cents cents);
    // "Page 1 of 3"
    static QString pageNumber(int page, int pages);
    // "Proof of record: ... up to log position P ...", the line above the check command
    static QString proofLine(const DocumentProof &proof);
};

} // namespace waybill::documents
