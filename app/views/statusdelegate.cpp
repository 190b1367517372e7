#include "statusdelegate.h"

#include "presentation/statuspresentation.h"

#include <QApplication>
#include <QPainter>

namespace waybill::app {

StatusDelegate::StatusDelegate(int statusRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_statusRole(statusRole)
{ }

void StatusDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QString status = index.data(m_statusRole).toString();
    if (status.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QApplication::style()->drawControl(
        QStyle::CE_ItemViewItem, &background, painter, option.widget);

    const QString text = index.data(Qt::DisplayRole).toString();
    const QFontMetrics metrics(option.font);
    const int width = metrics.horizontalAdvance(text) + 16;
    const int height = std::min(option.rect.height() - 4, metrics.height() + 4);
    const QRect badge(
        option.rect.left() + 4, option.rect.center().y() - height / 2 + 1, width, height);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(StatusPresentation::color(status));
    painter->drawRoundedRect(badge, height / 2.0, height / 2.0);
    painter->setPen(QColor(0x20, 0x20, 0x20));
    painter->drawText(badge, Qt::AlignCenter, text);
    painter->restore();
}

QSize StatusDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.rwidth() += 24;
    return size;
}

} // namespace waybill::app
