// Trucks with their records, loads against capacity and the shipments on them (GET /trucks), for
// Dispatch and the Trucks view.
#pragma once

#include "jsonlistmodel.h"
#include "recordrows.h"

#include <QStringList>

namespace waybill::app {

class TruckTableModel final : public RecordListModel<TruckRow>
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        StatusColumn,
        ShipmentsColumn,
        LoadColumn, // against the capacity, drawn as a bar
        CapacityColumn,
        NameColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1,
        OccupiedRole,
        SortRole,
        InServiceRole,
        VersionRole,
        // Shipments on a truck out of service: they need another truck.
        StrandedRole,
        // How much of the capacity the load uses (1.0: all); invalid without a capacity.
        CapacityUseRole
    };

    explicit TruckTableModel(ApiClient *api, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Trucks in service with nothing on board.
    QStringList availableTrucks() const;
    // The truck of that id, or null when it is not in the list.
    const TruckRow *truck(const QString &id) const { return rowAt(rowOfKey(id)); }
    // The shipments on trucks out of service, each with its truck: "S-1 (T-9)".
    QStringList strandedShipments() const;

protected:
    // Truck events, and events that move shipments on or off trucks.
    bool changedBy(const QJsonObject &event) const override;
    QString path() const override { return QStringLiteral("/trucks"); }
    TruckRow parse(const QJsonObject &json) const override { return TruckRow::fromJson(json); }
    QString keyOf(const TruckRow &row) const override { return row.state.id; }
    // Trucks come in pages of at most 1000 (docs/choices.md).
    bool isPaged() const override { return true; }
};

} // namespace waybill::app
