#include "usagebardelegate.h"

#include <QPainter>

namespace waybill::app {

namespace {
constexpr double kWarnFrom = 0.8;
} // namespace

UsageBarDelegate::UsageBarDelegate(int useRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_useRole(useRole)
{ }

QColor UsageBarDelegate::colorOf(double use)
{
    if (use > 1.0)
        return QColor(0xE5, 0x73, 0x73); // past the limit
    if (use >= kWarnFrom)
        return QColor(0xF2, 0xC0, 0x5C);
    return QColor(0x8B, 0xC3, 0x4A);
}

void UsageBarDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant use = index.data(m_useRole);
    if (!use.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const double fraction = use.toDouble();
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    // The selection's highlight first, then the bar, then the text over both.
    const QString text = opt.text;
    opt.text.clear();
    opt.widget
        ? opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget)
        : QStyledItemDelegate::paint(painter, opt, index);
    const QRect track = option.rect.adjusted(3, 4, -3, -4);
    painter->save();
    painter->setPen(QColor(0xC8, 0xC8, 0xC8));
    painter->setBrush(QColor(0xF4, 0xF4, 0xF4));
    painter->drawRoundedRect(track, 2, 2);
    QRect bar = track;
    bar.setWidth(int(track.width() * std::clamp(fraction, 0.0, 1.0)));
    if (bar.width() > 0) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(colorOf(fraction));
        painter->drawRoundedRect(bar, 2, 2);
    }
    painter->setPen(QColor(0x20, 0x20, 0x20));
    painter->drawText(track.adjusted(4, 0, -4, 0),
        int(Qt::AlignVCenter) | int(opt.displayAlignment & Qt::AlignHorizontal_Mask), text);
    painter->restore();
}

} // namespace waybill::app
