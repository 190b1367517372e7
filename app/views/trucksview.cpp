#include "trucksview.h"

#include "commanddialog.h"
#include "models/truckfiltermodel.h"
#include "models/trucktablemodel.h"
#include "presentation/timetext.h"
#include "session/session.h"
#include "usagebardelegate.h"
#include "viewsettings.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace waybill::app {

TrucksView::TrucksView(Session *session, TruckTableModel *trucks, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_trucks(trucks)
    , m_filter(new TruckFilterModel(this))
    , m_show(new QComboBox(this))
    , m_search(new QLineEdit(this))
    , m_view(new QTableView(this))
    , m_stranded(new QLabel(this))
    , m_detail(new QLabel(this))
{
    setObjectName(QStringLiteral("trucksView"));
    m_filter->setSourceModel(trucks);

    m_show->setObjectName(QStringLiteral("fleetShow"));
    m_show->addItem(tr("All trucks"), int(TruckFilterModel::Show::All));
    m_show->addItem(tr("Available"), int(TruckFilterModel::Show::Available));
    m_show->addItem(tr("Occupied"), int(TruckFilterModel::Show::Occupied));
    m_show->addItem(tr("Out of service"), int(TruckFilterModel::Show::OutOfService));
    m_show->setAccessibleName(tr("Show trucks"));
    m_show->setCurrentIndex(
        std::clamp(QSettings().value(QStringLiteral("trucks/show"), 0).toInt(), 0, 3));
    m_filter->setShow(TruckFilterModel::Show(m_show->currentData().toInt()));
    connect(m_show, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        m_filter->setShow(TruckFilterModel::Show(m_show->itemData(index).toInt()));
        QSettings().setValue(QStringLiteral("trucks/show"), index);
    });
    m_search->setObjectName(QStringLiteral("fleetSearch"));
    m_search->setPlaceholderText(tr("Find a truck or shipment"));
    m_search->setAccessibleName(tr("Find a truck"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_filter, &TruckFilterModel::setSearchText);

    auto *tools = new QHBoxLayout;
    tools->addWidget(m_show);
    tools->addWidget(m_search, 1);
    if (session->identity().may(Capability::TruckRecords)) {
        m_register = new QAction(tr("&Register truck…"), this);
        m_register->setObjectName(QStringLiteral("registerTruckAction"));
        m_register->setToolTip(tr("Add a truck to the fleet, with its capacity"));
        m_outOfService = new QAction(tr("&Out of service…"), this);
        m_outOfService->setObjectName(QStringLiteral("outOfServiceAction"));
        m_return = new QAction(tr("&Back in service"), this);
        m_return->setObjectName(QStringLiteral("returnToServiceAction"));
        connect(m_register, &QAction::triggered, this, &TrucksView::openRegister);
        connect(m_outOfService, &QAction::triggered, this, &TrucksView::openOutOfService);
        connect(m_return, &QAction::triggered, this, &TrucksView::sendReturn);
        for (QAction *action : { m_register, m_outOfService, m_return }) {
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
            addAction(action);
            auto *button = new QToolButton(this);
            button->setObjectName(action->objectName() + QStringLiteral("Button"));
            button->setDefaultAction(action);
            button->setToolButtonStyle(Qt::ToolButtonTextOnly);
            tools->addWidget(button);
        }
    }

    m_stranded->setObjectName(QStringLiteral("strandedLoads"));
    m_stranded->setWordWrap(true);
    m_stranded->setStyleSheet(QStringLiteral("QLabel{background:#FDE2E1;border:1px solid "
                                             "#B00020;border-radius:3px;padding:6px;}"));
    m_stranded->setVisible(false);

    m_view->setObjectName(QStringLiteral("fleetTable"));
    m_view->setAccessibleName(tr("Trucks"));
    m_view->setModel(m_filter);
    m_view->setItemDelegateForColumn(
        TruckTableModel::LoadColumn, new UsageBarDelegate(TruckTableModel::CapacityUseRole, this));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->setVisible(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TruckTableModel::IdColumn, Qt::AscendingOrder);
    m_view->setColumnWidth(TruckTableModel::StatusColumn, 130);
    m_view->setColumnWidth(TruckTableModel::ShipmentsColumn, 300);
    m_view->setColumnWidth(TruckTableModel::LoadColumn, 180);
    m_view->setColumnWidth(TruckTableModel::CapacityColumn, 110);
    ViewSettings::keep(m_view->horizontalHeader(), QStringLiteral("trucks/columns"));

    m_detail->setObjectName(QStringLiteral("truckDetail"));
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addWidget(m_stranded);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_detail);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const QString id = currentTruckId();
        if (!id.isEmpty())
            m_wanted = id;
        updateActions();
    });
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this] { selectTruck(m_wanted); });
    connect(m_trucks, &QAbstractItemModel::dataChanged, this, &TrucksView::updateActions);
    connect(m_trucks, &TruckTableModel::loaded, this, [this] {
        updateStranded();
        updateActions();
    });
    updateStranded();
    updateActions();
}

QString TrucksView::currentTruckId() const
{
    return m_view->currentIndex().data(TruckTableModel::IdRole).toString();
}

const TruckRow *TrucksView::currentTruck() const
{
    return m_trucks->truck(currentTruckId());
}

void TrucksView::selectTruck(const QString &id)
{
    m_wanted = id;
    const int row = m_trucks->rowOfKey(id);
    if (id.isEmpty() || row < 0)
        return;
    const QModelIndex index = m_filter->mapFromSource(m_trucks->index(row, 0));
    if (index.isValid()) {
        m_view->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(index);
    }
}

QString TrucksView::strandedText() const
{
    return m_stranded->isHidden() ? QString() : m_stranded->text();
}

QString TrucksView::detailText() const
{
    return m_detail->text();
}

void TrucksView::updateStranded()
{
    const QStringList stranded = m_trucks->strandedShipments();
    m_stranded->setVisible(!stranded.isEmpty());
    m_stranded->setText(stranded.isEmpty()
            ? QString()
            : tr("%n shipment(s) on trucks out of service need another truck: %1", nullptr,
                int(stranded.size()))
                  .arg(stranded.join(QLatin1String(", "))));
}

void TrucksView::updateActions()
{
    const TruckRow *t = currentTruck();
    if (!t) {
        m_detail->setText(tr("Select a truck to see its record."));
    } else {
        const QLocale locale;
        QStringList lines;
        const QString title = t->state.name.isEmpty()
            ? tr("Truck %1").arg(t->state.id)
            : tr("Truck %1 (%2)").arg(t->state.id, t->state.name);
        lines.append(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()));
        if (!t->state.registered)
            lines.append(tr("Never registered: known only from assignments.").toHtmlEscaped());
        lines.append((t->state.capacityPounds
                ? tr("Load %1 lb of %2 lb capacity")
                      .arg(
                          locale.toString(t->loadPounds), locale.toString(*t->state.capacityPounds))
                : tr("Load %1 lb (no capacity set)").arg(locale.toString(t->loadPounds)))
                         .toHtmlEscaped());
        if (!t->state.inService)
            lines.append(
                QStringLiteral("<span style='color:#B00020'>%1</span>")
                    .arg(
                        tr("Out of service: %1").arg(t->state.outOfServiceReason).toHtmlEscaped()));
        lines.append(tr("Version %1").arg(t->state.version).toHtmlEscaped());
        m_detail->setText(lines.join(QLatin1String("<br>")));
    }
    if (!m_register)
        return;
    const auto explain = [](QAction *action, const QString &tip, const QString &reason) {
        action->setEnabled(reason.isEmpty());
        action->setToolTip(reason.isEmpty() ? tip : reason);
        action->setStatusTip(action->toolTip());
    };
    if (!t) {
        explain(m_outOfService, {}, tr("Select a truck first."));
        explain(m_return, {}, tr("Select a truck first."));
        return;
    }
    const QString id = t->state.id;
    explain(m_outOfService, tr("Take truck %1 off the board, saying why").arg(id),
        !t->state.registered      ? tr("Truck %1 is not registered; register it first.").arg(id)
            : !t->state.inService ? tr("Truck %1 is out of service already.").arg(id)
                                  : QString());
    explain(m_return, tr("Put truck %1 back on the board").arg(id),
        t->state.inService ? tr("Truck %1 is in service.").arg(id) : QString());
}

void TrucksView::openRegister()
{
    CommandDialogSpec spec;
    spec.type = CommandType::Register;
    spec.title = tr("Register a truck");
    spec.explanation = tr("A registered truck can be taken out of service, and loads are never "
                          "assigned to it past its capacity.");
    CommandField name { QStringLiteral("name"), tr("&Name:"), tr("e.g. Blue Peterbilt") };
    name.optional = true;
    CommandField capacity { QStringLiteral("capacityPounds"), tr("&Capacity (lb):"),
        tr("1 to 80,000; empty: not set") };
    capacity.optional = true;
    spec.fields = { { QStringLiteral("id"), tr("Truck &id:"), tr("e.g. T-110") }, name, capacity };
    // A truck is registered against "no events yet" (If-Match "0"): one registered by someone
    // else meanwhile is refused as changed first, with what they registered.
    spec.submitText = tr("Register");
    spec.expectedVersion = 0;
    auto *dialog = new CommandDialog(m_session, spec, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CommandDialog::succeeded, this, [this](const QString &message) {
        Q_EMIT succeeded(message);
        m_trucks->reloadSoon();
    });
    dialog->open();
}

void TrucksView::openOutOfService()
{
    const TruckRow *t = currentTruck();
    if (!t || !m_outOfService->isEnabled())
        return;
    CommandDialogSpec spec;
    spec.type = CommandType::OutOfService;
    spec.entityId = t->state.id;
    spec.title = tr("Take a truck out of service");
    spec.explanation = t->shipments.isEmpty()
        ? tr("Truck %1 will not be offered for loads until it is back in service.").arg(t->state.id)
        : tr("Truck %1 carries %2. Those loads will need another truck.")
              .arg(t->state.id, t->shipments.join(QLatin1String(", ")));
    spec.fields = { { QStringLiteral("reason"), tr("&Reason:"), tr("e.g. Brake failure") } };
    spec.submitText = tr("Take out of service");
    spec.expectedVersion = t->state.version;
    auto *dialog = new CommandDialog(m_session, spec, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CommandDialog::succeeded, this, &TrucksView::succeeded);
    dialog->open();
}

void TrucksView::sendReturn()
{
    const TruckRow *t = currentTruck();
    if (!t || !m_return->isEnabled())
        return;
    m_session->commands()->sendAndTell(
        { CommandType::ReturnToService, t->state.id, {}, t->state.version }, this);
}

} // namespace waybill::app
