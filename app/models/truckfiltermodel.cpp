#include "truckfiltermodel.h"

#include "trucktablemodel.h"

namespace waybill::app {

TruckFilterModel::TruckFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(TruckTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void TruckFilterModel::setShow(Show show)
{
    if (show == m_show)
        return;
    m_show = show;
    invalidateFilter();
}

void TruckFilterModel::setSearchText(const QString &text)
{
    if (text.trimmed() == m_search)
        return;
    m_search = text.trimmed();
    invalidateFilter();
}

bool TruckFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const bool occupied = index.data(TruckTableModel::OccupiedRole).toBool();
    const bool inService = index.data(TruckTableModel::InServiceRole).toBool();
    if ((m_show == Show::Available && (occupied || !inService))
        || (m_show == Show::Occupied && !occupied) || (m_show == Show::OutOfService && inService))
        return false;
    if (!m_search.isEmpty()) {
        const QString text = index.data(TruckTableModel::IdRole).toString() + QLatin1Char(' ')
            + sourceModel()
                  ->index(sourceRow, TruckTableModel::ShipmentsColumn, sourceParent)
                  .data()
                  .toString();
        if (!text.contains(m_search, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace waybill::app
