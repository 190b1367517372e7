#include "accountfiltermodel.h"

#include "accounttablemodel.h"

namespace waybill::app {

AccountFilterModel::AccountFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(AccountTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void AccountFilterModel::setSearchText(const QString &text)
{
    if (text.trimmed() == m_search)
        return;
    m_search = text.trimmed();
    invalidateFilter();
}

void AccountFilterModel::setOwingOnly(bool owingOnly)
{
    if (owingOnly == m_owingOnly)
        return;
    m_owingOnly = owingOnly;
    invalidateFilter();
}

bool AccountFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_search.isEmpty()
        && !index.data(AccountTableModel::IdRole)
                .toString()
                .contains(m_search, Qt::CaseInsensitive))
        return false;
    if (m_owingOnly && index.data(AccountTableModel::BalanceCentsRole).toLongLong() >= 0)
        return false;
    return true;
}

} // namespace waybill::app
