#include "truckloadsmodel.h"

#include "planboardmodel.h"
#include "presentation/statuspresentation.h"
#include "presentation/timetext.h"
#include "trucktablemodel.h"

#include <algorithm>

namespace waybill::app {

TruckLoadsModel::TruckLoadsModel(TruckTableModel *trucks, PlanBoardModel *loads, QObject *parent)
    : QIdentityProxyModel(parent)
    , m_trucks(trucks)
    , m_loads(loads)
{
    setSourceModel(trucks);
    // The loads are read apart from the trucks: their lines change without the truck changing.
    connect(loads, &PlanBoardModel::changed, this, &TruckLoadsModel::loadsChanged);
}

void TruckLoadsModel::loadsChanged()
{
    const int rows = rowCount();
    if (rows == 0)
        return;
    Q_EMIT dataChanged(index(0, TruckTableModel::ShipmentsColumn),
        index(rows - 1, TruckTableModel::ShipmentsColumn), { Qt::DisplayRole, Qt::ToolTipRole });
}

QString TruckLoadsModel::loadText(const ShipmentState &load, const QLocale &locale)
{
    const QString status = StatusPresentation::displayName(shipmentStatusName(load.status));
    const QString pickup = TimeText::window(load.pickupWindow, locale);
    const QString delivery = TimeText::window(load.deliveryWindow, locale);
    // The delivery under the pickup: both windows whole, and the list stays narrow.
    QString text = pickup.isEmpty() ? tr("%1 · %2").arg(load.id, status)
                                    : tr("%1 · %2 · %3").arg(load.id, status, pickup);
    if (!delivery.isEmpty())
        text += QLatin1Char('\n')
            + tr("    → %1", "the delivery window, under the pickup").arg(delivery);
    return text;
}

QStringList TruckLoadsModel::loadTexts(const TruckRow &truck) const
{
    struct Entry
    {
        QString id;
        const PlanLoad *load;
    };
    QVector<Entry> entries;
    for (const QString &id : truck.shipments)
        entries.append({ id, m_loads ? m_loads->load(id) : nullptr });
    // Earliest due first; loads without a window (or not read yet) after them, by id.
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        const bool aTimed = a.load && a.load->hasWindow;
        const bool bTimed = b.load && b.load->hasWindow;
        if (aTimed != bTimed)
            return aTimed;
        if (aTimed && a.load->startMs != b.load->startMs)
            return a.load->startMs < b.load->startMs;
        return a.id < b.id;
    });
    QStringList texts;
    const QLocale locale;
    for (const Entry &entry : entries)
        texts.append(entry.load ? loadText(entry.load->state, locale) : entry.id);
    return texts;
}

QVariant TruckLoadsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_trucks)
        return QIdentityProxyModel::data(index, role);
    const TruckRow *truck
        = m_trucks->truck(mapToSource(index).data(TruckTableModel::IdRole).toString());
    if (!truck)
        return QIdentityProxyModel::data(index, role);
    if (index.column() == TruckTableModel::ShipmentsColumn
        && (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
        QStringList lines = loadTexts(*truck);
        if (truck->hasStrandedLoads())
            lines.prepend(tr("Needs a truck:"));
        return lines.join(QLatin1Char('\n'));
    }
    if (index.column() == TruckTableModel::LoadColumn) {
        const QLocale locale;
        const std::optional<double> use = truck->capacityUse();
        const std::optional<int> capacity = truck->state.capacityPounds;
        if (role == Qt::DisplayRole && use)
            return tr("%1%", "of the capacity used").arg(locale.toString(qRound(*use * 100)));
        if (role == Qt::ToolTipRole)
            return capacity
                ? tr("%1 lb of its %2 lb used")
                      .arg(locale.toString(truck->loadPounds), locale.toString(*capacity))
                : tr("%1 lb on board; no capacity set").arg(locale.toString(truck->loadPounds));
    }
    return QIdentityProxyModel::data(index, role);
}

QVariant TruckLoadsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole) {
        if (section == TruckTableModel::ShipmentsColumn)
            return tr("Loads: pickup → delivery");
    }
    return QIdentityProxyModel::headerData(section, orientation, role);
}

} // namespace waybill::app
