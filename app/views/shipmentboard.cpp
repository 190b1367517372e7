#include "shipmentboard.h"

#include "models/shipmentfiltermodel.h"
#include "models/shipmenttablemodel.h"
#include "presentation/statuspresentation.h"
#include "session/session.h"
#include "statusdelegate.h"
#include "textfieldwidth.h"
#include "viewsettings.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

namespace waybill::app {

namespace {
constexpr int kTypingPauseMs = 300; // search once the clerk stops typing
} // namespace

ShipmentBoard::ShipmentBoard(
    Session *session, const QString &settingsKey, QWidget *parent, const QString &defaultStatus)
    : QWidget(parent)
    , m_session(session)
    , m_settingsKey(settingsKey)
    , m_model(new ShipmentTableModel(session->api(), this))
    , m_filter(new ShipmentFilterModel(m_model, this))
    , m_table(new QTableView(this))
    , m_status(new QComboBox(this))
    , m_timing(new QComboBox(this))
    , m_truck(new QLineEdit(this))
    , m_account(new QLineEdit(this))
    , m_search(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_empty(new QLabel(this))
{
    setObjectName(settingsKey + QStringLiteral("Board"));
    m_model->followLive(session->live());

    m_status->setObjectName(QStringLiteral("statusFilter"));
    m_status->addItem(tr("All statuses"), QString());
    for (const QString &status : StatusPresentation::statuses())
        m_status->addItem(StatusPresentation::displayName(status), status);
    m_status->setAccessibleName(tr("Status filter"));
    m_timing->setObjectName(QStringLiteral("timingFilter"));
    m_timing->addItem(tr("Any time"), QString());
    m_timing->addItem(tr("Late"), QStringLiteral("late"));
    m_timing->addItem(tr("Due today"), QStringLiteral("today"));
    m_timing->setAccessibleName(tr("Timing filter"));
    m_timing->setToolTip(tr("Late: a window has ended and the shipment is not yet picked up or "
                            "delivered. Due today: a pickup or delivery window today."));
    m_truck->setObjectName(QStringLiteral("truckFilter"));
    m_truck->setPlaceholderText(tr("Truck"));
    m_truck->setAccessibleName(tr("Truck filter"));
    m_truck->setClearButtonEnabled(true);
    m_account->setObjectName(QStringLiteral("accountFilter"));
    m_account->setPlaceholderText(tr("Account"));
    m_account->setAccessibleName(tr("Account filter"));
    m_account->setClearButtonEnabled(true);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("Id or address"));
    m_search->setToolTip(tr("Search shipments by id or address (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search shipments by id or address"));
    m_search->setClearButtonEnabled(true);
    m_count->setObjectName(QStringLiteral("count"));
    m_empty->setObjectName(QStringLiteral("emptyState"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setMargin(24);
    m_empty->setText(
        tr("No shipments yet. To begin, create one with File › New shipment… (Ctrl+N), or connect "
           "to your office's server with File › Connect to server…. To look around first, start "
           "Waybill with --demo: it fills a demo database of its own with a working week, apart "
           "from your data."));
    m_empty->setVisible(false);

    // Two rows: the lists and the count, then the texts to look for. In one row the three
    // texts got what the lists left, and in Spanish, beside the shipment's details or Dispatch's
    // trucks, their hints read "C…", "Cue…", "I…".
    auto *choices = new QHBoxLayout;
    auto *statusLabel = new QLabel(tr("&Status:"), this);
    statusLabel->setBuddy(m_status);
    choices->addWidget(statusLabel);
    choices->addWidget(m_status);
    choices->addWidget(m_timing);
    choices->addStretch(1);
    choices->addWidget(m_count);
    auto *texts = new QHBoxLayout;
    texts->addWidget(m_truck, 1);
    texts->addWidget(m_account, 1);
    texts->addWidget(m_search, 2);
    for (QLineEdit *edit : { m_truck, m_account, m_search })
        keepTextWhole(edit);

    m_table->setObjectName(QStringLiteral("shipmentTable"));
    m_table->setAccessibleName(tr("Shipments"));
    m_table->setModel(m_filter);
    m_table->setItemDelegateForColumn(
        ShipmentTableModel::StatusColumn, new StatusDelegate(ShipmentTableModel::StatusRole, this));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    // Uniform rows: the view never measures a hundred thousand of them.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSortIndicatorShown(true);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->setColumnWidth(ShipmentTableModel::IdColumn, 120);
    m_table->setColumnWidth(ShipmentTableModel::StatusColumn, 110);
    m_table->setColumnWidth(ShipmentTableModel::FromColumn, 150);
    m_table->setColumnWidth(ShipmentTableModel::ToColumn, 150);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(choices);
    layout->addLayout(texts);
    layout->addWidget(m_empty);
    layout->addWidget(m_table, 1);
    setTabOrder(m_status, m_timing);
    setTabOrder(m_timing, m_truck);
    setTabOrder(m_truck, m_account);
    setTabOrder(m_account, m_search);
    setTabOrder(m_search, m_table);

    // Remembered filters, then remembered columns (whose sort indicator sorts the board).
    QSettings settings;
    settings.beginGroup(m_settingsKey);
    const QString status = settings.value(QStringLiteral("status"), defaultStatus).toString();
    m_status->setCurrentIndex(std::max(0, m_status->findData(status)));
    m_timing->setCurrentIndex(
        std::max(0, m_timing->findData(settings.value(QStringLiteral("timing")).toString())));
    m_truck->setText(settings.value(QStringLiteral("truck")).toString());
    m_account->setText(settings.value(QStringLiteral("account")).toString());
    m_search->setText(settings.value(QStringLiteral("search")).toString());
    settings.endGroup();
    ShipmentQuery query;
    query.status = m_status->currentData().toString();
    query.timing = m_timing->currentData().toString();
    query.truckId = m_truck->text();
    query.accountId = m_account->text();
    query.search = m_search->text();
    const QString columnsKey = m_settingsKey + QStringLiteral("/columns");
    // Until the user arranges the columns, they fit what each page shows (account names and
    // lateness whole, not cut, whichever filter is on), and the times of record creation and
    // change, read less, start hidden.
    if (!settings.contains(columnsKey))
        connect(
            m_model, &ShipmentTableModel::pageLoaded, this, ViewSettings::columnFitter(m_table));
    ViewSettings::offerColumns(m_table->horizontalHeader(), columnsKey,
        { ShipmentTableModel::CreatedColumn, ShipmentTableModel::UpdatedColumn });
    ViewSettings::keep(m_table->horizontalHeader(), columnsKey);
    const QString sortKey
        = ShipmentTableModel::sortKeyOf(m_table->horizontalHeader()->sortIndicatorSection());
    const bool descending
        = m_table->horizontalHeader()->sortIndicatorOrder() == Qt::DescendingOrder;
    if (!sortKey.isEmpty() && (sortKey != QLatin1String("id") || descending)) {
        query.sortKey = sortKey;
        query.descending = descending;
    }
    m_filter->setFilters(query);
    m_table->setSortingEnabled(true);
    // Columns the server cannot order by keep the indicator where the order really is.
    connect(m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
        [this](int column, Qt::SortOrder) {
            if (!ShipmentTableModel::sortKeyOf(column).isEmpty())
                return;
            const ShipmentQuery &current = m_model->query();
            QSignalBlocker block(m_table->horizontalHeader());
            m_table->horizontalHeader()->setSortIndicator(
                ShipmentTableModel::columnOfSortKey(current.sortKey),
                current.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
        });

    m_typingPause.setSingleShot(true);
    m_typingPause.setInterval(kTypingPauseMs);
    connect(&m_typingPause, &QTimer::timeout, this, &ShipmentBoard::applyFilters);
    for (QComboBox *combo : { m_status, m_timing })
        connect(combo, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &ShipmentBoard::applyFilters);
    for (QLineEdit *edit : { m_truck, m_account, m_search }) {
        connect(edit, &QLineEdit::textChanged, this, [this] { m_typingPause.start(); });
        connect(edit, &QLineEdit::returnPressed, this, &ShipmentBoard::applyFilters);
    }
    auto *find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            const QString id = current.data(ShipmentTableModel::IdRole).toString();
            if (!id.isEmpty())
                m_wanted = id;
            Q_EMIT currentShipmentChanged(id);
        });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        reselect();
        Q_EMIT currentShipmentUpdated();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
            reselect();
            const int row = m_filter->mapToSource(m_table->currentIndex()).row();
            if (row >= topLeft.row() && row <= bottomRight.row())
                Q_EMIT currentShipmentUpdated();
        });
    connect(m_model, &ShipmentTableModel::totalChanged, this, &ShipmentBoard::updateCount);
    connect(m_model, &ShipmentTableModel::loadingChanged, this, &ShipmentBoard::updateCount);
    updateCount();
}

void ShipmentBoard::applyFilters()
{
    m_typingPause.stop();
    ShipmentQuery query = m_filter->filters();
    query.status = m_status->currentData().toString();
    query.timing = m_timing->currentData().toString();
    query.truckId = m_truck->text();
    query.accountId = m_account->text();
    query.search = m_search->text();
    m_filter->setFilters(query);
    saveFilters();
}

void ShipmentBoard::saveFilters() const
{
    QSettings settings;
    settings.beginGroup(m_settingsKey);
    settings.setValue(QStringLiteral("status"), m_status->currentData().toString());
    settings.setValue(QStringLiteral("timing"), m_timing->currentData().toString());
    settings.setValue(QStringLiteral("truck"), m_truck->text().trimmed());
    settings.setValue(QStringLiteral("account"), m_account->text().trimmed());
    settings.setValue(QStringLiteral("search"), m_search->text().trimmed());
}

void ShipmentBoard::setTruckFilter(const QString &truckId)
{
    m_truck->setText(truckId);
    applyFilters();
}

void ShipmentBoard::refresh()
{
    m_model->refresh();
}

void ShipmentBoard::reselect()
{
    // Keep the chosen shipment selected when its row moves or the board is read again.
    if (m_wanted.isEmpty()
        || m_table->currentIndex().data(ShipmentTableModel::IdRole).toString() == m_wanted)
        return;
    const int row = m_model->rowOf(m_wanted);
    if (row < 0)
        return;
    const QModelIndex index = m_filter->mapFromSource(m_model->index(row, 0));
    m_table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

QString ShipmentBoard::emptyText() const
{
    return m_empty->isHidden() ? QString() : m_empty->text();
}

void ShipmentBoard::updateCount()
{
    const int total = m_model->rowCount();
    // Nothing at all, not merely nothing matching: say how to begin.
    const ShipmentQuery &query = m_model->query();
    const bool unfiltered = query.status.isEmpty() && query.timing.isEmpty()
        && query.truckId.trimmed().isEmpty() && query.accountId.trimmed().isEmpty()
        && query.search.trimmed().isEmpty();
    m_empty->setVisible(!m_model->isLoading() && total == 0 && unfiltered);
    if (m_model->isLoading() && total == 0)
        m_count->setText(tr("Loading…"));
    else
        m_count->setText(tr("%Ln shipment(s)", nullptr, total));
}

QString ShipmentBoard::currentShipmentId() const
{
    return m_table->currentIndex().data(ShipmentTableModel::IdRole).toString();
}

std::optional<ShipmentState> ShipmentBoard::currentShipment() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    return m_model->shipmentAt(m_filter->mapToSource(current).row());
}

void ShipmentBoard::selectShipment(const QString &id)
{
    m_wanted = id;
    reselect();
}

} // namespace waybill::app
