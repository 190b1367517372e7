#include "shipmentfiltermodel.h"

#include "shipmenttablemodel.h"

namespace waybill::app {

ShipmentFilterModel::ShipmentFilterModel(ShipmentTableModel *source, QObject *parent)
    : QIdentityProxyModel(parent)
    , m_shipments(source)
{
    setSourceModel(source);
}

ShipmentQuery ShipmentFilterModel::filters() const
{
    return m_shipments->query();
}

void ShipmentFilterModel::setStatusFilter(const QString &status)
{
    ShipmentQuery query = m_shipments->query();
    query.status = status;
    m_shipments->setQuery(query);
}

void ShipmentFilterModel::setTruckFilter(const QString &truckId)
{
    ShipmentQuery query = m_shipments->query();
    query.truckId = truckId.trimmed();
    m_shipments->setQuery(query);
}

void ShipmentFilterModel::setAccountFilter(const QString &accountId)
{
    ShipmentQuery query = m_shipments->query();
    query.accountId = accountId.trimmed();
    m_shipments->setQuery(query);
}

void ShipmentFilterModel::setSearchText(const QString &text)
{
    ShipmentQuery query = m_shipments->query();
    query.search = text.trimmed();
    m_shipments->setQuery(query);
}

void ShipmentFilterModel::setFilters(const ShipmentQuery &filters)
{
    ShipmentQuery query = filters;
    query.truckId = query.truckId.trimmed();
    query.accountId = query.accountId.trimmed();
    query.search = query.search.trimmed();
    m_shipments->setQuery(query);
}

} // namespace waybill::app
