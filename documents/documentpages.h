// Lays a document out on the pages of any paged device (a PDF file, a printer, a print preview),
// with the page number and the proof of record at the foot of every page.
#pragma once

#include "documenttext.h"

class QPagedPaintDevice;

namespace waybill::documents {

// US Letter, portrait, with margins of 15 mm: what the documents are laid out for.
void setDocumentPageLayout(QPagedPaintDevice *device);

// Paints the document on the device's pages as they are set up (a printer keeps the paper the
// user chose); answers the number of pages, 0 when the device cannot be painted on.
int paintDocument(const PrintableDocument &document, QPagedPaintDevice *device);

// The document as a PDF file, written whole or not at all; the number of pages, or 0 with the
// reason in *error.
int writePdf(const PrintableDocument &document, const QString &fileName, QString *error);

} // namespace waybill::documents
