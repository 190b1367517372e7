#include "eventlogfiltermodel.h"

#include "eventlogmodel.h"

namespace waybill::app {

EventLogFilterModel::EventLogFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{ }

void EventLogFilterModel::setUserFilter(const QString &user)
{
    if (user.trimmed() == m_user)
        return;
    m_user = user.trimmed();
    invalidateFilter();
}

void EventLogFilterModel::setTextFilter(const QString &text)
{
    if (text.trimmed() == m_text)
        return;
    m_text = text.trimmed();
    invalidateFilter();
}

bool EventLogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_user.isEmpty() && m_text.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_user.isEmpty()
        && !index.data(EventLogModel::UserNameRole)
                .toString()
                .contains(m_user, Qt::CaseInsensitive))
        return false;
    if (!m_text.isEmpty()) {
        const bool found = index.data(EventLogModel::DataTextRole)
                               .toString()
                               .contains(m_text, Qt::CaseInsensitive)
            || index.data(EventLogModel::StreamRole)
                   .toString()
                   .contains(m_text, Qt::CaseInsensitive);
        if (!found)
            return false;
    }
    return true;
}

} // namespace waybill::app
