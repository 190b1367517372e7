#include "trucktablemodel.h"

#include "domain/ids.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace waybill::app {

namespace {
const QColor kStrandedBackground(0xFD, 0xE2, 0xE1);
const QColor kOutOfService(0xB0, 0x00, 0x20);
} // namespace

TruckTableModel::TruckTableModel(ApiClient *api, QObject *parent)
    : RecordListModel(api, parent)
{ }

bool TruckTableModel::changedBy(const QJsonObject &event) const
{
    if (streamKind(event.value(QLatin1String("streamId")).toString()) == StreamKind::Truck)
        return true;
    const QString type = event.value(QLatin1String("type")).toString();
    return type == EventType::Assigned || type == EventType::Shipped || type == EventType::Delivered
        || type == EventType::Cancelled || type == EventType::Amended;
}

int TruckTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TruckTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TruckRow *row = rowAt(index.row());
    if (!row)
        return {};
    const TruckState &t = row->state;
    const QLocale locale;
    const bool occupied = row->status == TruckRow::Status::Occupied;
    switch (role) {
    case IdRole:
        return t.id;
    case OccupiedRole:
        return occupied;
    case InServiceRole:
        return row->status != TruckRow::Status::OutOfService;
    case VersionRole:
        return t.version;
    case StrandedRole:
        return row->hasStrandedLoads();
    case CapacityUseRole: {
        const std::optional<double> use = row->capacityUse();
        return use ? QVariant(*use) : QVariant();
    }
    case SortRole:
        switch (index.column()) {
        case StatusColumn:
            return int(row->status);
        case ShipmentsColumn:
            return int(row->shipments.size());
        case LoadColumn:
            return row->loadPounds;
        case CapacityColumn:
            return t.capacityPounds.value_or(0);
        case NameColumn:
            return t.name;
        default:
            return t.id;
        }
    case Qt::TextAlignmentRole:
        if (index.column() == LoadColumn || index.column() == CapacityColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::BackgroundRole:
        // Loads left on a broken truck stand out: they need another truck.
        if (row->hasStrandedLoads())
            return QBrush(kStrandedBackground);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn) {
            switch (row->status) {
            case TruckRow::Status::OutOfService:
                return QBrush(kOutOfService);
            case TruckRow::Status::Occupied:
                return QBrush(QColor(0x8A, 0x4B, 0x00));
            case TruckRow::Status::Available:
                return QBrush(QColor(0x1B, 0x6E, 0x20));
            }
        }
        if (index.column() == ShipmentsColumn && row->hasStrandedLoads())
            return QBrush(kOutOfService);
        return {};
    case Qt::ToolTipRole:
        if (row->status == TruckRow::Status::OutOfService)
            return row->shipments.isEmpty()
                ? tr("Out of service: %1").arg(t.outOfServiceReason)
                : tr("Out of service: %1. Its shipments need another truck.")
                      .arg(t.outOfServiceReason);
        if (!t.registered)
            return tr("Never registered: known only from assignments");
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return t.id;
        case StatusColumn:
            switch (row->status) {
            case TruckRow::Status::OutOfService:
                return tr("Out of service");
            case TruckRow::Status::Occupied:
                return tr("Occupied");
            case TruckRow::Status::Available:
                return tr("Available");
            }
            return {};
        case ShipmentsColumn:
            if (row->hasStrandedLoads())
                return tr("Needs a truck: %1").arg(row->shipments.join(QLatin1String(", ")));
            return row->shipments.join(QLatin1String(", "));
        case LoadColumn:
            return tr("%1 lb").arg(locale.toString(row->loadPounds));
        case CapacityColumn:
            return t.capacityPounds ? tr("%1 lb").arg(locale.toString(*t.capacityPounds))
                                    : tr("Not set");
        case NameColumn:
            return t.name;
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
        return RecordListModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Truck");
    case StatusColumn:
        return tr("Status");
    case ShipmentsColumn:
        return tr("Shipments on board");
    case LoadColumn:
        return tr("Load");
    case CapacityColumn:
        return tr("Capacity");
    case NameColumn:
        return tr("Name");
    default:
        return {};
    }
}

QStringList TruckTableModel::availableTrucks() const
{
    QStringList ids;
    for (const TruckRow &row : rows()) {
        if (row.status == TruckRow::Status::Available)
            ids.append(row.state.id);
    }
    return ids;
}

QStringList TruckTableModel::strandedShipments() const
{
    QStringList list;
    for (const TruckRow &row : rows()) {
        if (!row.hasStrandedLoads())
            continue;
        for (const QString &shipment : row.shipments)
            list.append(tr("%1 (truck %2)").arg(shipment, row.state.id));
    }
    return list;
}

} // namespace waybill::app
