#include "dispatchpanel.h"

#include "models/planboardmodel.h"
#include "models/shipmenttablemodel.h"
#include "models/truckfiltermodel.h"
#include "models/truckloadsmodel.h"
#include "models/trucktablemodel.h"
#include "session/session.h"
#include "shipmentactions.h"
#include "shipmentboard.h"
#include "usagebardelegate.h"
#include "viewsettings.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace waybill::app {

namespace {
// A row as tall as its lines, with the room between rows the other lists have.
class RowPaddingDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(0, 8);
    }
};
} // namespace

DispatchPanel::DispatchPanel(
    Session *session, TruckTableModel *trucks, PlanBoardModel *loads, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_trucks(trucks)
    , m_loads(loads)
    , m_truckLoads(new TruckLoadsModel(trucks, loads, this))
    , m_truckFilter(new TruckFilterModel(this))
    , m_truckView(new QTableView(this))
    , m_truckShow(new QComboBox(this))
    , m_truckSearch(new QLineEdit(this))
    , m_board(
          new ShipmentBoard(session, QStringLiteral("dispatch"), this, QStringLiteral("Submitted")))
    , m_actions(new ShipmentActions(session, this, this))
    , m_hint(new QLabel(this))
{
    setObjectName(QStringLiteral("dispatchPanel"));
    m_actions->setTrucks(trucks);

    // Trucks, each with its loads in order: a row as tall as its loads.
    m_truckFilter->setSourceModel(m_truckLoads);
    m_truckShow->setObjectName(QStringLiteral("truckShow"));
    m_truckShow->addItem(tr("All trucks"), int(TruckFilterModel::Show::All));
    m_truckShow->addItem(tr("Available"), int(TruckFilterModel::Show::Available));
    m_truckShow->addItem(tr("Occupied"), int(TruckFilterModel::Show::Occupied));
    m_truckShow->setAccessibleName(tr("Show trucks"));
    m_truckSearch->setPlaceholderText(tr("Find a truck or shipment"));
    m_truckSearch->setAccessibleName(tr("Find a truck"));
    m_truckSearch->setClearButtonEnabled(true);
    m_truckView->setObjectName(QStringLiteral("truckTable"));
    m_truckView->setAccessibleName(tr("Trucks"));
    m_truckView->setModel(m_truckFilter);
    m_truckView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_truckView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_truckView->verticalHeader()->setVisible(false);
    m_truckView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_truckView->setWordWrap(false);
    m_truckView->setItemDelegate(new RowPaddingDelegate(m_truckView));
    m_truckView->setItemDelegateForColumn(TruckTableModel::LoadColumn,
        new UsageBarDelegate(TruckTableModel::CapacityUseRole, m_truckView));
    m_truckView->horizontalHeader()->setStretchLastSection(true);
    m_truckView->setSortingEnabled(true);
    m_truckView->sortByColumn(TruckTableModel::IdColumn, Qt::AscendingOrder);
    m_truckView->setToolTip(tr("Double-click a truck to see its shipments"));
    // Until the user arranges them, the columns fit what the trucks show (each load's line
    // whole) when the list is read as a whole: the trucks (the first reading inserts them, a
    // different list resets), or every load. A truck or a load that changes repaints its row
    // alone: fitting every column to every row's text on each change would cost a pass over the
    // whole list. The capacity (in the used column's tooltip) and the name start hidden; the
    // header's menu shows them.
    const QString columnsKey = QStringLiteral("dispatch/truckList");
    ViewSettings::offerColumns(m_truckView->horizontalHeader(), columnsKey,
        { TruckTableModel::CapacityColumn, TruckTableModel::NameColumn });
    if (!QSettings().contains(columnsKey)) {
        const auto fit = ViewSettings::columnFitter(m_truckView);
        connect(m_truckFilter, &QAbstractItemModel::modelReset, this, fit);
        connect(m_truckFilter, &QAbstractItemModel::layoutChanged, this, fit);
        connect(m_truckFilter, &QAbstractItemModel::rowsInserted, this, fit);
        connect(loads, &PlanBoardModel::loaded, this, fit);
    }
    ViewSettings::keep(m_truckView->horizontalHeader(), columnsKey);
    const int show = QSettings().value(QStringLiteral("dispatch/truckShow"), 0).toInt();
    m_truckShow->setCurrentIndex(std::clamp(show, 0, 2));
    m_truckFilter->setShow(TruckFilterModel::Show(m_truckShow->currentData().toInt()));
    connect(m_truckShow, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        m_truckFilter->setShow(TruckFilterModel::Show(m_truckShow->itemData(index).toInt()));
        QSettings().setValue(QStringLiteral("dispatch/truckShow"), index);
    });
    connect(
        m_truckSearch, &QLineEdit::textChanged, m_truckFilter, &TruckFilterModel::setSearchText);
    connect(m_truckView, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        m_board->setTruckFilter(index.data(TruckTableModel::IdRole).toString());
    });

    auto *truckBox = new QWidget(this);
    auto *truckLayout = new QVBoxLayout(truckBox);
    truckLayout->setContentsMargins(0, 0, 0, 0);
    auto *truckTools = new QHBoxLayout;
    auto *trucksLabel = new QLabel(tr("&Trucks:"), truckBox);
    trucksLabel->setBuddy(m_truckView);
    truckTools->addWidget(trucksLabel);
    truckTools->addWidget(m_truckShow);
    truckTools->addWidget(m_truckSearch, 1);
    truckLayout->addLayout(truckTools);
    truckLayout->addWidget(m_truckView, 1);

    // Shipments and actions.
    auto *shipmentBox = new QWidget(this);
    auto *shipmentLayout = new QVBoxLayout(shipmentBox);
    shipmentLayout->setContentsMargins(0, 0, 0, 0);
    auto *actionRow = new QHBoxLayout;
    for (QAction *action : m_actions->offered()) {
        auto *button = new QToolButton(shipmentBox);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setObjectName(action->objectName() + QStringLiteral("Button"));
        actionRow->addWidget(button);
    }
    actionRow->addStretch(1);
    m_hint->setObjectName(QStringLiteral("actionHint"));
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color:#555;"));
    shipmentLayout->addLayout(actionRow);
    shipmentLayout->addWidget(m_hint);
    shipmentLayout->addWidget(m_board, 1);
    if (m_actions->offered().isEmpty()) {
        m_hint->setText(tr("Your role does not dispatch; this view is for reading."));
    }

    // The board's context menu offers the same actions.
    m_board->table()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(
        m_board->table(), &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
            if (m_actions->offered().isEmpty())
                return;
            QMenu menu(this);
            menu.addActions(m_actions->offered());
            menu.exec(m_board->table()->viewport()->mapToGlobal(pos));
        });

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("dispatchSplitter"));
    splitter->addWidget(truckBox);
    splitter->addWidget(shipmentBox);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    // The trucks' loads need room: about half the width at first (a key of its own, so that the
    // narrow split of the list of ids is not restored over it).
    splitter->setSizes({ 540, 740 });
    ViewSettings::keep(splitter, QStringLiteral("dispatch/trucksSplitter"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_board, &ShipmentBoard::currentShipmentChanged, this, &DispatchPanel::updateActions);
    connect(m_board, &ShipmentBoard::currentShipmentUpdated, this, &DispatchPanel::updateActions);
    connect(m_actions, &ShipmentActions::reasonsChanged, this, [this] {
        if (!m_actions->offered().isEmpty())
            m_hint->setText(m_actions->reasons().join(QLatin1Char('\n')));
    });
    connect(m_board->model(), &ShipmentTableModel::loadFailed, this, &DispatchPanel::failed);
    connect(m_actions, &ShipmentActions::succeeded, this, &DispatchPanel::succeeded);
    connect(m_actions, &ShipmentActions::failed, this, &DispatchPanel::failed);
    updateActions();
}

void DispatchPanel::updateActions()
{
    m_actions->setShipment(m_board->currentShipment());
}

void DispatchPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The loads are read when Dispatch or the planboard is first shown, once for both.
    if (!m_loads->hasLoaded() && !m_loads->isLoading())
        m_loads->reload();
}

QString DispatchPanel::hintText() const
{
    return m_hint->text();
}

} // namespace waybill::app
