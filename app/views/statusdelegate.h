// Paints a shipment's status as a coloured badge, so the board is read at a glance.
#pragma once

#include <QStyledItemDelegate>

namespace waybill::app {

class StatusDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    // statusRole: the model role that holds the API's status name.
    explicit StatusDelegate(int statusRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_statusRole;
};

} // namespace waybill::app
