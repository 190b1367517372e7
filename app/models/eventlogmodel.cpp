#include "eventlogmodel.h"

#include "client/apiclient.h"
#include "client/liveclient.h"
#include "presentation/eventdescription.h"
#include "presentation/timetext.h"

#include <QJsonDocument>

namespace waybill::app {

EventLogModel::EventLogModel(ApiClient *api, QObject *parent)
    : QAbstractTableModel(parent)
    , m_api(api)
{ }

EventLogModel::~EventLogModel() = default;

void EventLogModel::followLive(LiveClient *live)
{
    connect(live, &LiveClient::eventReceived, this, &EventLogModel::onLiveEvent);
    // Events missed while the feed was down are read with the next page.
    connect(live, &LiveClient::resynchronise, this, [this] {
        m_atEnd = false;
        if (!m_fetching)
            fetchMore({});
    });
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

EventLogModel::Row EventLogModel::rowOf(const QJsonObject &event)
{
    Row row;
    row.position = static_cast<qint64>(event.value(QLatin1String("position")).toDouble());
    row.timestamp = event.value(QLatin1String("timestamp")).toString();
    row.streamId = event.value(QLatin1String("streamId")).toString();
    row.version = event.value(QLatin1String("version")).toInt();
    row.type = event.value(QLatin1String("type")).toString();
    row.commandId = event.value(QLatin1String("commandId")).toString();
    row.user = event.value(QLatin1String("user")).toString();
    row.dataText = QString::fromUtf8(QJsonDocument(event.value(QLatin1String("data")).toObject())
                                         .toJson(QJsonDocument::Compact));
    return row;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case PositionRole:
        return row.position;
    case TypeRole:
        return row.type;
    case StreamRole:
        return row.streamId;
    case UserNameRole:
        return row.user;
    case DataTextRole:
        return row.dataText;
    case Qt::ToolTipRole:
        if (index.column() == DataColumn || index.column() == TypeColumn)
            return EventDescription::describe(
                row.type, QJsonDocument::fromJson(row.dataText.toUtf8()).object());
        if (index.column() == TimeColumn)
            return row.timestamp;
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == PositionColumn || index.column() == VersionColumn
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant();
    case Qt::DisplayRole:
        switch (index.column()) {
        case PositionColumn:
            return row.position;
        case TimeColumn:
            return TimeText::display(row.timestamp);
        case StreamColumn:
            return row.streamId;
        case VersionColumn:
            return row.version;
        case TypeColumn:
            return EventDescription::typeName(row.type);
        case UserColumn:
            return row.user;
        case CommandColumn:
            return row.commandId;
        case DataColumn:
            return row.dataText;
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PositionColumn:
        return tr("Position");
    case TimeColumn:
        return tr("Time");
    case StreamColumn:
        return tr("Stream");
    case VersionColumn:
        return tr("Version");
    case TypeColumn:
        return tr("Event");
    case UserColumn:
        return tr("User");
    case CommandColumn:
        return tr("Command");
    case DataColumn:
        return tr("Data");
    default:
        return {};
    }
}

bool EventLogModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_fetching && !m_failed;
}

void EventLogModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_fetching)
        return;
    m_fetching = true;
    m_failed = false;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("after"), QString::number(m_lastPosition));
    query.addQueryItem(QStringLiteral("limit"), QString::number(m_pageSize));
    if (!m_query.type.isEmpty())
        query.addQueryItem(QStringLiteral("type"), m_query.type);
    if (!m_query.streamId.isEmpty())
        query.addQueryItem(QStringLiteral("streamId"),
            QString::fromLatin1(QUrl::toPercentEncoding(m_query.streamId)));
    const quint64 generation = m_generation;
    m_api->get(QStringLiteral("/events"), query, this,
        [this, generation](const ApiResult &answer) { onPage(generation, answer); });
}

void EventLogModel::onPage(quint64 generation, const ApiResult &answer)
{
    if (generation != m_generation)
        return;
    m_fetching = false;
    if (!answer.ok()) {
        m_failed = true; // asked again on reload, not in a loop
        Q_EMIT loadFailed(answer.errorText);
        return;
    }
    const QJsonArray array = answer.array();
    QVector<Row> rows;
    rows.reserve(array.size());
    qint64 last = m_lastPosition;
    for (const QJsonValue &value : array) {
        Row row = rowOf(value.toObject());
        last = std::max(last, row.position);
        if (matches(row))
            rows.append(std::move(row));
    }
    m_lastPosition = last;
    m_atEnd = array.size() < m_pageSize;
    append(std::move(rows));
    if (m_atEnd) {
        QVector<Row> held;
        for (Row &row : m_heldLive) {
            if (row.position > m_lastPosition) {
                m_lastPosition = row.position;
                held.append(std::move(row));
            }
        }
        append(std::move(held));
    }
    m_heldLive.clear();
    Q_EMIT pageLoaded();
}

void EventLogModel::append(QVector<Row> rows)
{
    if (rows.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size()) - 1);
    m_rows.append(std::move(rows));
    endInsertRows();
}

bool EventLogModel::matches(const Row &row) const
{
    return (m_query.type.isEmpty() || row.type == m_query.type)
        && (m_query.streamId.isEmpty() || row.streamId == m_query.streamId);
}

void EventLogModel::onLiveEvent(const QJsonObject &event)
{
    Row row = rowOf(event);
    if (m_fetching) {
        m_heldLive.append(std::move(row));
        return;
    }
    if (!m_atEnd || row.position <= m_lastPosition)
        return; // the next page brings it
    m_lastPosition = row.position;
    if (matches(row))
        append({ std::move(row) });
}

void EventLogModel::setQuery(const EventLogQuery &query)
{
    if (query == m_query && !m_rows.isEmpty())
        return;
    m_query = query;
    reload();
}

void EventLogModel::reload()
{
    ++m_generation;
    m_fetching = false;
    m_failed = false;
    m_atEnd = false;
    m_lastPosition = 0;
    m_heldLive.clear();
    beginResetModel();
    m_rows.clear();
    endResetModel();
    fetchMore({});
}

} // namespace waybill::app
