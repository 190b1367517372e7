#include "trucktablemodel.h"

#include <QBrush>
#include <QJsonArray>

namespace waybill::app {

namespace {
bool isOccupied(const QJsonObject &row)
{
    return row.value(QLatin1String("status")).toString() == QLatin1String("occupied");
}

QStringList shipmentsOf(const QJsonObject &row)
{
    QStringList ids;
    for (const QJsonValue &value : row.value(QLatin1String("shipments")).toArray())
        ids.append(value.isObject() ? value.toObject().value(QLatin1String("id")).toString()
                                    : value.toString());
    return ids;
}
} // namespace

TruckTableModel::TruckTableModel(ApiClient *api, QObject *parent)
    : JsonListModel(api, parent)
{ }

bool TruckTableModel::changedBy(const QJsonObject &event) const
{
    const QString type = event.value(QLatin1String("type")).toString();
    return type == QLatin1String("assigned") || type == QLatin1String("shipped")
        || type == QLatin1String("delivered") || type == QLatin1String("cancelled");
}

int TruckTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TruckTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject row = rowAt(index.row());
    const bool occupied = isOccupied(row);
    switch (role) {
    case IdRole:
        return row.value(QLatin1String("id")).toString();
    case OccupiedRole:
        return occupied;
    case SortRole:
        if (index.column() == StatusColumn)
            return occupied ? 1 : 0;
        if (index.column() == ShipmentsColumn)
            return int(shipmentsOf(row).size());
        return row.value(QLatin1String("id")).toString();
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn)
            return QBrush(occupied ? QColor(0x8A, 0x4B, 0x00) : QColor(0x1B, 0x6E, 0x20));
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return row.value(QLatin1String("id")).toString();
        case StatusColumn:
            return occupied ? tr("Occupied") : tr("Available");
        case ShipmentsColumn:
            return shipmentsOf(row).join(QLatin1String(", "));
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant TruckTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return JsonListModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Truck");
    case StatusColumn:
        return tr("Status");
    case ShipmentsColumn:
        return tr("Shipments on board");
    default:
        return {};
    }
}

QStringList TruckTableModel::availableTrucks() const
{
    QStringList ids;
    for (int row = 0; row < rowCount(); ++row) {
        if (!isOccupied(rowAt(row)))
            ids.append(rowAt(row).value(QLatin1String("id")).toString());
    }
    return ids;
}

} // namespace waybill::app
