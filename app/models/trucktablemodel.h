// Trucks, available or occupied, with the shipments on them (GET /trucks), for Dispatch.
#pragma once

#include "jsonlistmodel.h"

#include <QStringList>

namespace waybill::app {

class TruckTableModel final : public JsonListModel
{
    Q_OBJECT
public:
    enum Column { IdColumn, StatusColumn, ShipmentsColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, OccupiedRole, SortRole };

    explicit TruckTableModel(ApiClient *api, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    QStringList availableTrucks() const;

protected:
    // Events that move shipments on or off trucks.
    bool changedBy(const QJsonObject &event) const override;
    QString path() const override { return QStringLiteral("/trucks"); }
    // Trucks come in pages of at most 1000 (docs/choices.md).
    bool isPaged() const override { return true; }
};

} // namespace waybill::app
