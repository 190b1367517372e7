// The board's proxy: filters and search in the view's terms, carried out by the server (a filter
// over a hundred thousand rows must not read them all), sorting likewise.
#pragma once

#include "shipmentquery.h"

#include <QIdentityProxyModel>

namespace waybill::app {

class ShipmentTableModel;

class ShipmentFilterModel final : public QIdentityProxyModel
{
    Q_OBJECT
public:
    explicit ShipmentFilterModel(ShipmentTableModel *source, QObject *parent = nullptr);

    ShipmentTableModel *shipments() const { return m_shipments; }
    ShipmentQuery filters() const;

    void setStatusFilter(const QString &status);
    void setTruckFilter(const QString &truckId);
    void setAccountFilter(const QString &accountId);
    void setSearchText(const QString &text);
    // All of them at once (restoring remembered filters costs one request, not four).
    void setFilters(const ShipmentQuery &filters);

private:
    ShipmentTableModel *m_shipments;
};

} // namespace waybill::app
