// A table of JSON objects read whole from one route: the lists that stay small (accounts,
// trucks, one account's statement, one shipment's history). Subclasses say where and how to show.
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

    int rowCount(const QModelIndex &parent = {}) const final;
    QJsonObject rowAt(int row) const;
    // The row whose key (keyOf) is this, or -1.
    int rowOfKey(const QString &key) const;
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
    virtual QString keyOf(const QJsonObject &row) const;
    // A chance to order rows or add derived values (a running balance) once they are all read.
    virtual QVector<QJsonObject> prepare(QVector<QJsonObject> rows) const { return rows; }
    // Whether this live event changes the list; none does unless a subclass says so.
    virtual bool changedBy(const QJsonObject & /*event*/) const { return false; }
    ApiClient *api() const { return m_api; }
    // Empties the model (the subject changed) and forgets answers still on their way.
    void clear();

private:
    void requestPage(int offset, quint64 generation);
    void onPage(int offset, quint64 generation, const ApiResult &answer);
    void apply(QVector<QJsonObject> rows);
    void setLoading(bool loading);

    ApiClient *m_api;
    QVector<QJsonObject> m_rows;
    QVector<QJsonObject> m_incoming;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_loaded = false;
    QTimer m_reloadSoon;
};

} // namespace waybill::app
