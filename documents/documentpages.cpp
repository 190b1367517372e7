#include "documentpages.h"

#include <QAbstractTextDocumentLayout>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

namespace waybill::documents {

namespace {

QFont documentFont(qreal points)
{
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setStyleHint(QFont::SansSerif);
    font.setPointSizeF(points);
    // Any letter spacing turns ligatures off: with them, "fi" becomes one glyph that PDF readers
    // copy and search as U+FB01, and a name on the paper could not be found in the file.
    font.setLetterSpacing(QFont::AbsoluteSpacing, 0.05);
    return font;
}

QFont bodyFont()
{
    return documentFont(9);
}

QFont footerFont()
{
    return documentFont(6.5);
}

} // namespace

void setDocumentPageLayout(QPagedPaintDevice *device)
{
    device->setPageLayout(QPageLayout(QPageSize(QPageSize::Letter), QPageLayout::Portrait,
        QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
}

int paintDocument(const PrintableDocument &document, QPagedPaintDevice *device)
{
    QPainter painter;
    if (!painter.begin(device))
        return 0;
    // The painter's origin is the top left of the printable area; width() and height() are its
    // size in device pixels.
    const qreal width = device->width();
    const qreal height = device->height();

    const QFont small = footerFont();
    const QFontMetricsF footerMetrics(small, device);
    const qreal gap = footerMetrics.height();
    const qreal footerHeight = 4 * footerMetrics.lineSpacing() + gap;
    const qreal bodyHeight = height - footerHeight;

    QTextDocument text;
    text.documentLayout()->setPaintDevice(device);
    text.setDefaultFont(bodyFont());
    text.setDocumentMargin(0);
    text.setHtml(document.html);
    text.setPageSize(QSizeF(width, bodyHeight));
    const int pages = text.pageCount();

    const QString proof = DocumentText::proofLine(document.proof);
    const QString check = document.proof.verifyCommand();
    for (int page = 0; page < pages; ++page) {
        if (page > 0)
            device->newPage();
        painter.save();
        painter.translate(0, -page * bodyHeight);
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = QRectF(0, page * bodyHeight, width, bodyHeight);
        text.documentLayout()->draw(&painter, context);
        painter.restore();

        // The foot: a rule, what the document is and which page, then the proof of record.
        const qreal top = bodyHeight + gap;
        painter.setPen(QPen(QColor(0xc9, 0xd1, 0xdc), footerMetrics.lineWidth()));
        painter.drawLine(QPointF(0, top), QPointF(width, top));
        painter.setFont(small);
        painter.setPen(QColor(0x5a, 0x64, 0x72));
        const qreal line = footerMetrics.lineSpacing();
        const QRectF first(0, top + line * 0.25, width, line);
        painter.drawText(first, Qt::AlignLeft | Qt::AlignVCenter,
            footerMetrics.elidedText(document.footer, Qt::ElideRight, width * 0.75));
        painter.drawText(
            first, Qt::AlignRight | Qt::AlignVCenter, DocumentText::pageNumber(page + 1, pages));
        painter.drawText(
            QRectF(0, top + line * 1.35, width, line), Qt::AlignLeft | Qt::AlignVCenter, proof);
        painter.drawText(
            QRectF(0, top + line * 2.45, width, line), Qt::AlignLeft | Qt::AlignVCenter, check);
    }
    painter.end();
    return pages;
}

int writePdf(const PrintableDocument &document, const QString &fileName, QString *error)
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return 0;
    }
    int pages = 0;
    {
        QPdfWriter pdf(&file);
        pdf.setTitle(document.title);
        pdf.setCreator(QStringLiteral("Waybill"));
        pdf.setResolution(300);
        setDocumentPageLayout(&pdf);
        pages = paintDocument(document, &pdf);
    } // the writer finishes the file when it goes
    if (pages == 0) {
        file.cancelWriting();
        *error = DocumentText::tr("the document could not be laid out");
        return 0;
    }
    if (!file.commit()) {
        *error = file.errorString();
        return 0;
    }
    return pages;
}

} // namespace waybill::documents
