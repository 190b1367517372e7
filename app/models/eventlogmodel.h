// The global event log (GET /events?after=&limit=), read forward a page at a time as the view
// scrolls, and extended by the live feed once it has caught up.
#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QVector>

namespace waybill::app {

class ApiClient;
class LiveClient;
struct ApiResult;

// What the server is asked to narrow the log to (a server that does not narrow is still right:
// EventLogFilterModel checks every row).
struct EventLogQuery
{
    QString type;
    QString streamId;
    bool operator==(const EventLogQuery &o) const
    {
        return type == o.type && streamId == o.streamId;
    }
};

class EventLogModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        PositionColumn,
        TimeColumn,
        StreamColumn,
        VersionColumn,
        TypeColumn,
        UserColumn,
        CommandColumn,
        DataColumn,
        ColumnCount
    };
    enum Role { PositionRole = Qt::UserRole + 1, TypeRole, StreamRole, UserNameRole, DataTextRole };

    explicit EventLogModel(ApiClient *api, QObject *parent = nullptr);
    ~EventLogModel() override;
    Q_DISABLE_COPY_MOVE(EventLogModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Starts again from the beginning of the log with another narrowing.
    void setQuery(const EventLogQuery &query);
    const EventLogQuery &query() const { return m_query; }
    void reload();
    void followLive(LiveClient *live);
    bool isFetching() const { return m_fetching; }
    bool atEnd() const { return m_atEnd; }
    void setPageSize(int rows) { m_pageSize = rows; }

Q_SIGNALS:
    void pageLoaded();
    void loadFailed(const QString &message);

private:
    struct Row
    {
        qint64 position = 0;
        QString timestamp;
        QString streamId;
        int version = 0;
        QString type;
        QString commandId;
        QString user;
        QString dataText; // compact JSON
    };
    static Row rowOf(const QJsonObject &event);
    bool matches(const Row &row) const;
    void onPage(quint64 generation, const ApiResult &answer);
    void append(QVector<Row> rows);
    void onLiveEvent(const QJsonObject &event);

    ApiClient *m_api;
    EventLogQuery m_query;
    QVector<Row> m_rows;
    QVector<Row> m_heldLive; // arrived while a page was on its way
    qint64 m_lastPosition = 0;
    int m_pageSize = 500;
    quint64 m_generation = 0;
    bool m_fetching = false;
    bool m_atEnd = false;
    bool m_failed = false;
};

} // namespace waybill::app
