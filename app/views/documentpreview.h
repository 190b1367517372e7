// A printed document on screen as it will be on paper (Qt's print preview), to print or to save
// as a PDF file.
#pragma once

#include "documents/documenttext.h"

#include <QDialog>

#include <memory>

class QLabel;
class QPrinter;
class QPrintPreviewWidget;

namespace waybill::app {

class DocumentPreview final : public QDialog
{
    Q_OBJECT
public:
    explicit DocumentPreview(documents::PrintableDocument document, QWidget *parent = nullptr);
    ~DocumentPreview() override;
    // A preview of its own window, gone when closed.
    static DocumentPreview *open(const documents::PrintableDocument &document, QWidget *parent);

    const documents::PrintableDocument &document() const { return m_document; }
    QPrintPreviewWidget *previewWidget() const { return m_preview; }

    // Writes the PDF; false with a message shown when it cannot. The "Save as PDF…" button asks
    // for the file first.
    bool saveAsPdf(const QString &fileName);
    // Asks for a printer (Qt's print dialog) and prints on it.
    void print();

Q_SIGNALS:
    void saved(const QString &fileName);

private:
    void askAndSave();

    documents::PrintableDocument m_document;
    std::unique_ptr<QPrinter> m_printer;
    QPrintPreviewWidget *m_preview;
    QLabel *m_proof;
};

} // namespace waybill::app
