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
    // A truck that changed (its list of shipments with it) has its lines made again when asked.
    // Connected before the proxy forwards the change, so that what the views read then is new.
    connect(trucks, &QAbstractItemModel::dataChanged, this,
        [this](
            const QModelIndex &from, const QModelIndex &to) { forgetRows(from.row(), to.row()); });
    connect(trucks, &QAbstractItemModel::rowsAboutToBeRemoved, this,
        [this](const QModelIndex &, int first, int last) { forgetRows(first, last); });
    connect(trucks, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_lines.clear(); });
    setSourceModel(trucks);
    // The loads are read apart from the trucks: their lines change without the truck changing.
    connect(loads, &PlanBoardModel::changed, this, &TruckLoadsModel::loadsChanged);
}

void TruckLoadsModel::forgetRows(int first, int last)
{
    if (!m_trucks)
        return;
    for (int row = first; row <= last; ++row)
        m_lines.remove(m_trucks->index(row, 0).data(TruckTableModel::IdRole).toString());
}

TruckLoadsModel::Reading TruckLoadsModel::readingOf(const TruckRow &truck) const
{
    Reading reading;
    reading.reserve(truck.shipments.size());
    for (const QString &id : truck.shipments) {
        const PlanLoad *load = m_loads ? m_loads->load(id) : nullptr;
        // The version names the state the server gave; the status also changes with a move the
        // board made before the server's state was read again.
        reading.append(load ? ReadLoad { id, load->state.version, int(load->state.status) }
                            : ReadLoad { id, -1, -1 });
    }
    return reading;
}

const TruckLoadsModel::Lines &TruckLoadsModel::linesOf(const TruckRow &truck) const
{
    auto it = m_lines.find(truck.state.id);
    if (it == m_lines.end())
        it = m_lines.insert(
            truck.state.id, Lines { readingOf(truck), loadTexts(truck).join(QLatin1Char('\n')) });
    return *it;
}

void TruckLoadsModel::loadsChanged()
{
    if (!m_trucks)
        return;
    // Each changed truck alone: a view repaints and sizes those rows, not the whole list.
    const int rows = rowCount();
    for (int row = 0; row < rows; ++row) {
        const TruckRow *truck
            = m_trucks->truck(m_trucks->index(row, 0).data(TruckTableModel::IdRole).toString());
        if (!truck)
            continue;
        const auto it = m_lines.find(truck->state.id);
        // Not asked for since it last changed: nobody shows an old text.
        if (it == m_lines.end() || it->reading == readingOf(*truck))
            continue;
        m_lines.erase(it); // made again when the view asks
        const QModelIndex cell
            = mapFromSource(m_trucks->index(row, TruckTableModel::ShipmentsColumn));
        Q_EMIT dataChanged(cell, cell, { Qt::DisplayRole, Qt::ToolTipRole });
    }
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
        const QString &lines = linesOf(*truck).text;
        if (!truck->hasStrandedLoads())
            return lines;
        return lines.isEmpty() ? tr("Needs a truck:")
                               : tr("Needs a truck:") + QLatin1Char('\n') + lines;
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
