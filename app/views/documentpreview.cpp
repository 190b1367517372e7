#include "documentpreview.h"

#include "documents/documentpages.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPrintDialog>
#include <QPrintPreviewWidget>
#include <QPrinter>
#include <QPushButton>
#include <QVBoxLayout>

namespace waybill::app {

DocumentPreview::DocumentPreview(documents::PrintableDocument document, QWidget *parent)
    : QDialog(parent)
    , m_document(std::move(document))
    , m_printer(std::make_unique<QPrinter>(QPrinter::HighResolution))
{
    setWindowTitle(m_document.title);
    setObjectName(QStringLiteral("documentPreview"));
    m_printer->setDocName(m_document.title);
    documents::setDocumentPageLayout(m_printer.get());

    m_preview = new QPrintPreviewWidget(m_printer.get(), this);
    m_preview->setZoomMode(QPrintPreviewWidget::FitToWidth);
    connect(m_preview, &QPrintPreviewWidget::paintRequested, this,
        [this](QPrinter *printer) { documents::paintDocument(m_document, printer); });

    m_proof
        = new QLabel(tr("Proof of record: log position %1, hash %2")
                         .arg(QString::number(m_document.proof.position), m_document.proof.hash),
            this);
    m_proof->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_proof->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *print = buttons->addButton(tr("&Print…"), QDialogButtonBox::ActionRole);
    print->setObjectName(QStringLiteral("print"));
    QPushButton *save = buttons->addButton(tr("&Save as PDF…"), QDialogButtonBox::ActionRole);
    save->setObjectName(QStringLiteral("saveAsPdf"));
    buttons->addButton(QDialogButtonBox::Close);
    connect(print, &QPushButton::clicked, this, &DocumentPreview::print);
    connect(save, &QPushButton::clicked, this, &DocumentPreview::askAndSave);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_proof);
    layout->addWidget(buttons);
    resize(760, 900);
}

DocumentPreview::~DocumentPreview() = default;

DocumentPreview *DocumentPreview::open(
    const documents::PrintableDocument &document, QWidget *parent)
{
    auto *preview = new DocumentPreview(document, parent);
    preview->setAttribute(Qt::WA_DeleteOnClose);
    preview->show();
    return preview;
}

bool DocumentPreview::saveAsPdf(const QString &fileName)
{
    QString error;
    if (documents::writePdf(m_document, fileName, &error) == 0) {
        QMessageBox::warning(this, tr("Save as PDF"),
            tr("Could not save %1: %2").arg(QDir::toNativeSeparators(fileName), error));
        return false;
    }
    Q_EMIT saved(fileName);
    return true;
}

void DocumentPreview::askAndSave()
{
    QString name = m_document.title;
    name.replace(QLatin1Char('/'), QLatin1Char('-'));
    const QString fileName = QFileDialog::getSaveFileName(this, tr("Save as PDF"),
        QDir::home().filePath(name + QStringLiteral(".pdf")), tr("PDF files (*.pdf)"));
    if (!fileName.isEmpty())
        saveAsPdf(fileName);
}

void DocumentPreview::print()
{
    QPrintDialog dialog(m_printer.get(), this);
    dialog.setWindowTitle(tr("Print %1").arg(m_document.title));
    if (dialog.exec() == QDialog::Accepted)
        documents::paintDocument(m_document, m_printer.get());
}

} // namespace waybill::app
