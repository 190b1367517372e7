// The shipments board's model: GET /shipments read page by page as rows come into view, so that a
// hundred thousand shipments cost a few requests, not one huge one.
#pragma once

#include "domain/shipment.h"
#include "shipmentquery.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QTimer>

#include <optional>

namespace waybill::app {

class ApiClient;
class LiveClient;
struct ApiResult;

class ShipmentTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        StatusColumn,
        TimingColumn, // late now, or on time once delivered
        AccountColumn,
        TruckColumn,
        FromColumn,
        ToColumn,
        PickupColumn,
        DeliveryColumn,
        WeightColumn,
        CostColumn,
        CreatedColumn,
        UpdatedColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1, // the shipment's id (empty while the row is loading)
        StatusRole, // "Submitted", ... as the API says it
        LoadedRole, // false while the row is still being read
        LateRole // "pickup", "delivery" or "" as judged now
    };

    explicit ShipmentTableModel(ApiClient *api, QObject *parent = nullptr);
    ~ShipmentTableModel() override;
    Q_DISABLE_COPY_MOVE(ShipmentTableModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Sorting is the server's: the board then reads the first page in the new order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // Reads the first page of another query; the rows shown stay until it arrives.
    void setQuery(const ShipmentQuery &query);
    const ShipmentQuery &query() const { return m_query; }
    // Reads again what is shown (live updates, F5), without losing the scroll position.
    void refresh();
    // Refreshes, a moment later, when shipment events arrive on the live feed.
    void followLive(LiveClient *live);

    std::optional<ShipmentState> shipmentAt(int row) const;
    // The row of a loaded shipment, or -1.
    int rowOf(const QString &id) const;
    bool isLoading() const { return m_resetPending || !m_requested.isEmpty(); }
    // Whether the rows of this range are all read.
    bool isLoaded(int firstRow, int lastRow) const;

    // The shipment field a column sorts by, or empty when it cannot be sorted.
    static QString sortKeyOf(int column);
    static int columnOfSortKey(const QString &key);
    // "Late: pickup", "On time", ... in the user's language; "" when there is nothing to say.
    static QString timingText(const ShipmentState &shipment, const QDateTime &now);
    void setPageSize(int rows) { m_pageSize = rows; }
    int pageSize() const { return m_pageSize; }

Q_SIGNALS:
    void loadingChanged(bool loading);
    // A page arrived (tests and the benchmark wait for this).
    void pageLoaded();
    void totalChanged(int total);
    void loadFailed(const QString &message);

private:
    struct Page
    {
        QVector<ShipmentState> rows;
        bool stale = false;
        quint64 lastUse = 0;
    };

    const ShipmentState *rowData(int row) const;
    void ensurePage(int page) const;
    void requestPage(int page) const;
    void onPage(int page, quint64 generation, const ApiResult &answer);
    void resize(int total);
    void evict();
    void setLoading(bool loading);

    ApiClient *m_api;
    ShipmentQuery m_query;
    int m_pageSize = 200;
    int m_rows = 0;
    quint64 m_generation = 0;
    bool m_resetPending = false;
    bool m_loading = false;
    mutable QHash<int, Page> m_pages;
    mutable QSet<int> m_requested;
    mutable QHash<int, qint64> m_failedAt; // page -> when it failed, to retry calmly
    mutable quint64 m_useClock = 0;
    QElapsedTimer m_clock;
    QTimer m_liveRefresh;
};

} // namespace waybill::app
