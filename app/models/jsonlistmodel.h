// A table read whole from one route: the lists that stay small (accounts, trucks, one account's
// statement, one shipment's history). This base reads the JSON; RecordListModel turns each row
// into the domain's type once, when it arrives, so that data() never looks keys up by string.
#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QTimer>
#include <QUrlQuery>
#include <QVector>

namespace waybill::app {

class ApiClient;
class LiveClient;
struct ApiResult;

class JsonListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit JsonListModel(ApiClient *api, QObject *parent = nullptr);
    ~JsonListModel() override;
    Q_DISABLE_COPY_MOVE(JsonListModel)

    // The row whose key is this, or -1.
    virtual int rowOfKey(const QString &key) const = 0;
    bool isLoading() const { return m_loading; }
    bool hasLoaded() const { return m_loaded; }

    // Reads the list again; the rows shown stay until the answer replaces them.
    void reload();
    // Reads again shortly: many live events in a burst cost one request.
    void reloadSoon();
    // Reads again shortly after each live event that changes the list (changedBy), and at once
    // when the feed says events were missed.
    void followLive(LiveClient *live);

Q_SIGNALS:
    void loaded();
    void loadFailed(const QString &message);
    void loadingChanged(bool loading);

protected:
    // The route to read; empty: nothing (the model stays empty).
    virtual QString path() const = 0;
    // Routes with limit/offset and X-Total-Count are read page after page.
    virtual bool isPaged() const { return false; }
    // Whether this live event changes the list; none does unless a subclass says so.
    virtual bool changedBy(const QJsonObject & /*event*/) const { return false; }
    // Takes the whole list just read, in the server's order.
    virtual void adopt(const QVector<QJsonObject> &rows) = 0;
    // Forgets every row.
    virtual void dropRows() = 0;
    ApiClient *api() const { return m_api; }
    // Empties the model (the subject changed) and forgets answers still on their way.
    void clear();

private:
    void requestPage(int offset, quint64 generation);
    void onPage(int offset, quint64 generation, const ApiResult &answer);
    void setLoading(bool loading);

    ApiClient *m_api;
    QVector<QJsonObject> m_incoming;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_loaded = false;
    QTimer m_reloadSoon;
};

// The rows of a JsonListModel as values of Row, parsed once.
template<typename Row> class RecordListModel : public JsonListModel
{
public:
    using JsonListModel::JsonListModel;

    int rowCount(const QModelIndex &parent = {}) const final
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    // The row, or null past the end.
    const Row *rowAt(int row) const
    {
        return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
    }
    const QVector<Row> &rows() const { return m_rows; }
    int rowOfKey(const QString &key) const final
    {
        for (int row = 0; row < m_rows.size(); ++row) {
            if (keyOf(m_rows.at(row)) == key)
                return row;
        }
        return -1;
    }

protected:
    virtual Row parse(const QJsonObject &json) const = 0;
    virtual QString keyOf(const Row &row) const = 0;
    // A chance to order rows or add derived values (a running balance) once they are all read.
    virtual QVector<Row> prepare(QVector<Row> rows) const { return rows; }

    void adopt(const QVector<QJsonObject> &json) final
    {
        QVector<Row> rows;
        rows.reserve(json.size());
        for (const QJsonObject &object : json)
            rows.append(parse(object));
        apply(prepare(std::move(rows)));
    }
    void dropRows() final
    {
        if (m_rows.isEmpty())
            return;
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }

private:
    void apply(QVector<Row> rows)
    {
        // Keep views' selection and scroll position: same rows changed in place, new rows
        // appended, and only a different list resets.
        const int common = int(std::min(rows.size(), m_rows.size()));
        bool samePrefix = true;
        for (int i = 0; i < common && samePrefix; ++i)
            samePrefix = keyOf(rows.at(i)) == keyOf(m_rows.at(i));
        if (!samePrefix || rows.size() < m_rows.size()) {
            beginResetModel();
            m_rows = std::move(rows);
            endResetModel();
            return;
        }
        const int oldSize = int(m_rows.size());
        for (int i = 0; i < common; ++i)
            m_rows[i] = rows.at(i);
        if (common > 0)
            Q_EMIT dataChanged(index(0, 0), index(common - 1, columnCount() - 1));
        if (rows.size() > oldSize) {
            beginInsertRows({}, oldSize, int(rows.size()) - 1);
            for (int i = oldSize; i < rows.size(); ++i)
                m_rows.append(rows.at(i));
            endInsertRows();
        }
    }

    QVector<Row> m_rows;
};

} // namespace waybill::app
