// Paints how much of a limit is used as a bar behind the cell's text: an account's exposure
// against its credit limit, a truck's load against its capacity. Green, amber from 80 %, red past
// the limit; a cell without a limit is painted as usual.
#pragma once

#include <QColor>
#include <QStyledItemDelegate>

namespace waybill::app {

class UsageBarDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    // useRole: the model role that holds the fraction used (1.0: all), invalid without a limit.
    explicit UsageBarDelegate(int useRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;

    // The bar's colour for that fraction.
    static QColor colorOf(double use);

private:
    int m_useRole;
};

} // namespace waybill::app
