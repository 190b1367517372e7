#include "shipmenttablemodel.h"

#include "client/apiclient.h"
#include "client/liveclient.h"
#include "domain/ids.h"
#include "domain/lateness.h"
#include "presentation/addresstext.h"
#include "presentation/eventdescription.h"
#include "presentation/moneytext.h"
#include "presentation/statuspresentation.h"
#include "presentation/timetext.h"

#include <QColor>
#include <QLocale>

namespace waybill::app {

namespace {
constexpr int kMaxCachedPages = 64; // about 13,000 rows kept for scrolling back
constexpr int kPagesReadOnRefresh = 3; // the pages last looked at are read again at once
constexpr int kRetryAfterMs = 3000; // a page that failed is asked again after this long
constexpr int kLiveRefreshDelayMs = 250; // live events within this window cost one refresh
} // namespace

ShipmentTableModel::ShipmentTableModel(ApiClient *api, QObject *parent)
    : QAbstractTableModel(parent)
    , m_api(api)
{
    m_clock.start();
    m_liveRefresh.setSingleShot(true);
    m_liveRefresh.setInterval(kLiveRefreshDelayMs);
    connect(&m_liveRefresh, &QTimer::timeout, this, &ShipmentTableModel::refresh);
}

ShipmentTableModel::~ShipmentTableModel() = default;

void ShipmentTableModel::followLive(LiveClient *live)
{
    connect(live, &LiveClient::eventReceived, this, [this](const QJsonObject &event) {
        if (streamKind(event.value(QLatin1String("streamId")).toString()) == StreamKind::Shipment
            && !m_liveRefresh.isActive())
            m_liveRefresh.start();
    });
    connect(live, &LiveClient::resynchronise, this, &ShipmentTableModel::refresh);
}

int ShipmentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int ShipmentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const ShipmentState *ShipmentTableModel::rowData(int row) const
{
    if (row < 0 || row >= m_rows)
        return nullptr;
    const int page = row / m_pageSize;
    ensurePage(page);
    // Read ahead in the direction of scrolling, so that the next rows are there when shown.
    const int offsetInPage = row % m_pageSize;
    if (offsetInPage >= m_pageSize * 3 / 4 && (page + 1) * m_pageSize < m_rows)
        ensurePage(page + 1);
    else if (offsetInPage < m_pageSize / 4 && page > 0)
        ensurePage(page - 1);
    const auto it = m_pages.find(page);
    if (it == m_pages.end())
        return nullptr;
    it->lastUse = ++m_useClock;
    const int offset = row % m_pageSize;
    return offset < it->rows.size() ? &it->rows.at(offset) : nullptr;
}

QVariant ShipmentTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ShipmentState *s = rowData(index.row());
    if (role == LoadedRole)
        return s != nullptr;
    if (!s) {
        if (role == Qt::DisplayRole && index.column() == IdColumn)
            return tr("Loading…");
        return {};
    }
    const QLocale locale;
    switch (role) {
    case IdRole:
        return s->id;
    case StatusRole:
        return shipmentStatusName(s->status);
    case LateRole:
        return latenessName(latenessAt(*s, QDateTime::currentDateTimeUtc()));
    case Qt::ForegroundRole:
        if (index.column() == TimingColumn
            && (latenessAt(*s, QDateTime::currentDateTimeUtc()) != Lateness::None
                || onTimeOf(*s) == std::optional<bool>(false)))
            return QColor(0xB0, 0x00, 0x20);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == WeightColumn || index.column() == CostColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == FromColumn)
            return addressText(s->shipFrom);
        if (index.column() == ToColumn)
            return addressText(s->shipTo);
        if (index.column() == PickupColumn && s->pickupWindow)
            return tr("%1 to %2")
                .arg(TimeText::display(s->pickupWindow->from, locale),
                    TimeText::display(s->pickupWindow->to, locale));
        if (index.column() == DeliveryColumn && s->deliveryWindow)
            return tr("%1 to %2")
                .arg(TimeText::display(s->deliveryWindow->from, locale),
                    TimeText::display(s->deliveryWindow->to, locale));
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return s->id;
        case StatusColumn:
            return StatusPresentation::displayName(shipmentStatusName(s->status));
        case TimingColumn:
            return timingText(*s, QDateTime::currentDateTimeUtc());
        case AccountColumn:
            return s->billToAccountId;
        case TruckColumn:
            return s->assignedToTruck;
        case FromColumn:
            return EventDescription::place(s->shipFrom.city, s->shipFrom.state);
        case ToColumn:
            return EventDescription::place(s->shipTo.city, s->shipTo.state);
        case PickupColumn:
            return TimeText::window(s->pickupWindow);
        case DeliveryColumn:
            return TimeText::window(s->deliveryWindow);
        case WeightColumn:
            return tr("%1 lb").arg(locale.toString(s->weightInPounds));
        case CostColumn:
            return MoneyText::display(s->costCents, locale);
        case CreatedColumn:
            return TimeText::display(s->createdTimestamp, locale);
        case UpdatedColumn:
            return TimeText::display(s->lastCommandTimestamp, locale);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant ShipmentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Shipment");
    case StatusColumn:
        return tr("Status");
    case TimingColumn:
        return tr("Timing");
    case AccountColumn:
        return tr("Account");
    case TruckColumn:
        return tr("Truck");
    case FromColumn:
        return tr("From");
    case ToColumn:
        return tr("To");
    case PickupColumn:
        return tr("Pickup");
    case DeliveryColumn:
        return tr("Delivery");
    case WeightColumn:
        return tr("Weight");
    case CostColumn:
        return tr("Cost");
    case CreatedColumn:
        return tr("Created");
    case UpdatedColumn:
        return tr("Last change");
    default:
        return {};
    }
}

QString ShipmentTableModel::sortKeyOf(int column)
{
    switch (column) {
    case IdColumn:
        return QStringLiteral("id");
    case StatusColumn:
        return QStringLiteral("status");
    case AccountColumn:
        return QStringLiteral("billToAccountId");
    case TruckColumn:
        return QStringLiteral("assignedToTruck");
    case CreatedColumn:
        return QStringLiteral("createdTimestamp");
    default:
        return {}; // the server orders by indexed columns only
    }
}

QString ShipmentTableModel::timingText(const ShipmentState &s, const QDateTime &now)
{
    switch (latenessAt(s, now)) {
    case Lateness::Pickup:
        return tr("Late: pickup");
    case Lateness::Delivery:
        return tr("Late: delivery");
    case Lateness::None:
        break;
    }
    if (const std::optional<bool> onTime = onTimeOf(s))
        return *onTime ? tr("On time") : tr("Delivered late");
    return {};
}

int ShipmentTableModel::columnOfSortKey(const QString &key)
{
    for (int column = 0; column < ColumnCount; ++column) {
        if (sortKeyOf(column) == key)
            return column;
    }
    return key.isEmpty() ? IdColumn : -1;
}

void ShipmentTableModel::sort(int column, Qt::SortOrder order)
{
    const QString key = sortKeyOf(column);
    if (key.isEmpty())
        return;
    ShipmentQuery query = m_query;
    // The server's own order is by id; asking for it explicitly changes nothing.
    query.sortKey = (key == QLatin1String("id") && order == Qt::AscendingOrder) ? QString() : key;
    query.descending = order == Qt::DescendingOrder;
    if (query.sortKey.isEmpty())
        query.descending = false;
    setQuery(query);
}

void ShipmentTableModel::setQuery(const ShipmentQuery &query)
{
    if (query == m_query && (m_rows > 0 || m_resetPending))
        return;
    m_query = query;
    ++m_generation;
    m_requested.clear();
    m_failedAt.clear();
    m_resetPending = true;
    requestPage(0);
}

void ShipmentTableModel::refresh()
{
    m_liveRefresh.stop();
    if (m_resetPending)
        return; // a fresh first page is on its way already
    ++m_generation;
    m_requested.clear();
    m_failedAt.clear();
    QVector<std::pair<quint64, int>> byUse;
    for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
        it->stale = true;
        byUse.append({ it->lastUse, it.key() });
    }
    std::sort(byUse.begin(), byUse.end(), std::greater<>());
    if (byUse.isEmpty())
        requestPage(0);
    for (int i = 0; i < byUse.size() && i < kPagesReadOnRefresh; ++i)
        requestPage(byUse.at(i).second);
    // Other pages are read again when a view next shows them.
}

void ShipmentTableModel::ensurePage(int page) const
{
    const auto it = m_pages.constFind(page);
    if (it != m_pages.constEnd() && !it->stale)
        return;
    if (m_requested.contains(page))
        return;
    const auto failed = m_failedAt.constFind(page);
    if (failed != m_failedAt.constEnd() && m_clock.elapsed() - *failed < kRetryAfterMs)
        return;
    requestPage(page);
}

void ShipmentTableModel::requestPage(int page) const
{
    if (m_requested.contains(page))
        return;
    m_requested.insert(page);
    auto *self = const_cast<ShipmentTableModel *>(this);
    const quint64 generation = m_generation;
    m_api->get(QStringLiteral("/shipments"), m_query.toUrlQuery(m_pageSize, page * m_pageSize),
        self, [self, page, generation](const ApiResult &answer) {
            self->onPage(page, generation, answer);
        });
    self->setLoading(true);
}

void ShipmentTableModel::onPage(int page, quint64 generation, const ApiResult &answer)
{
    if (generation != m_generation)
        return; // an answer to a question no longer asked
    m_requested.remove(page);
    if (!answer.ok()) {
        m_failedAt.insert(page, m_clock.elapsed());
        if (m_resetPending) {
            // The rows shown answer another query: show none rather than wrong ones.
            beginResetModel();
            m_pages.clear();
            m_rows = 0;
            m_resetPending = false;
            endResetModel();
            Q_EMIT totalChanged(0);
        }
        setLoading(isLoading());
        Q_EMIT loadFailed(answer.errorText);
        return;
    }
    m_failedAt.remove(page);
    Page fresh;
    const QJsonArray array = answer.array();
    fresh.rows.reserve(array.size());
    for (const QJsonValue &value : array)
        fresh.rows.append(ShipmentState::fromJson(value.toObject()));
    fresh.lastUse = ++m_useClock;
    const int offset = page * m_pageSize;
    int total = int(answer.totalCount);
    if (answer.totalCount < 0) // a server without X-Total-Count: one more page while they are full
        total
            = offset + int(fresh.rows.size()) + (fresh.rows.size() == m_pageSize ? m_pageSize : 0);

    if (m_resetPending) {
        beginResetModel();
        m_pages.clear();
        m_pages.insert(page, fresh);
        m_rows = total;
        m_resetPending = false;
        endResetModel();
        Q_EMIT totalChanged(m_rows);
    } else {
        m_pages.insert(page, fresh);
        resize(total);
        const int first = offset;
        const int last = std::min(offset + m_pageSize, m_rows) - 1;
        if (last >= first)
            Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    }
    evict();
    setLoading(isLoading());
    Q_EMIT pageLoaded();
}

void ShipmentTableModel::resize(int total)
{
    if (total == m_rows)
        return;
    if (total > m_rows) {
        beginInsertRows({}, m_rows, total - 1);
        m_rows = total;
        endInsertRows();
    } else {
        beginRemoveRows({}, total, m_rows - 1);
        m_rows = total;
        for (auto it = m_pages.begin(); it != m_pages.end();) {
            if (it.key() * m_pageSize >= total)
                it = m_pages.erase(it);
            else
                ++it;
        }
        endRemoveRows();
    }
    Q_EMIT totalChanged(m_rows);
}

void ShipmentTableModel::evict()
{
    while (m_pages.size() > kMaxCachedPages) {
        auto oldest = m_pages.begin();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
            if (it->lastUse < oldest->lastUse)
                oldest = it;
        }
        m_pages.erase(oldest);
    }
}

void ShipmentTableModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

std::optional<ShipmentState> ShipmentTableModel::shipmentAt(int row) const
{
    const ShipmentState *s = rowData(row);
    if (!s)
        return std::nullopt;
    return *s;
}

int ShipmentTableModel::rowOf(const QString &id) const
{
    for (auto it = m_pages.constBegin(); it != m_pages.constEnd(); ++it) {
        for (int i = 0; i < it->rows.size(); ++i) {
            if (it->rows.at(i).id == id) {
                const int row = it.key() * m_pageSize + i;
                return row < m_rows ? row : -1;
            }
        }
    }
    return -1;
}

bool ShipmentTableModel::isLoaded(int firstRow, int lastRow) const
{
    if (m_rows == 0)
        return !m_resetPending;
    firstRow = std::max(firstRow, 0);
    lastRow = std::min(lastRow, m_rows - 1);
    for (int page = firstRow / m_pageSize; page <= lastRow / m_pageSize; ++page) {
        const auto it = m_pages.constFind(page);
        if (it == m_pages.constEnd() || it->stale)
            return false;
    }
    return true;
}

} // namespace waybill::app
