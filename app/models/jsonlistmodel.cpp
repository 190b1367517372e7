#include "jsonlistmodel.h"

#include "client/apiclient.h"
#include "client/liveclient.h"

namespace waybill::app {

namespace {
constexpr int kPageLimit = 1000; // the largest page the contract serves
constexpr int kReloadDelayMs = 250;
} // namespace

JsonListModel::JsonListModel(ApiClient *api, QObject *parent)
    : QAbstractTableModel(parent)
    , m_api(api)
{
    m_reloadSoon.setSingleShot(true);
    m_reloadSoon.setInterval(kReloadDelayMs);
    connect(&m_reloadSoon, &QTimer::timeout, this, &JsonListModel::reload);
}

JsonListModel::~JsonListModel() = default;

void JsonListModel::followLive(LiveClient *live)
{
    connect(live, &LiveClient::eventReceived, this, [this](const QJsonObject &event) {
        if (changedBy(event))
            reloadSoon();
    });
    connect(live, &LiveClient::resynchronise, this, &JsonListModel::reload);
}

int JsonListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QJsonObject JsonListModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : QJsonObject();
}

int JsonListModel::rowOfKey(const QString &key) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (keyOf(m_rows.at(row)) == key)
            return row;
    }
    return -1;
}

QString JsonListModel::keyOf(const QJsonObject &row) const
{
    return row.value(QLatin1String("id")).toString();
}

void JsonListModel::reloadSoon()
{
    if (!m_reloadSoon.isActive())
        m_reloadSoon.start();
}

void JsonListModel::reload()
{
    m_reloadSoon.stop();
    const quint64 generation = ++m_generation;
    m_incoming.clear();
    if (path().isEmpty()) {
        clear();
        return;
    }
    setLoading(true);
    requestPage(0, generation);
}

void JsonListModel::clear()
{
    ++m_generation;
    m_incoming.clear();
    setLoading(false);
    m_loaded = false;
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void JsonListModel::requestPage(int offset, quint64 generation)
{
    QUrlQuery query;
    if (isPaged()) {
        query.addQueryItem(QStringLiteral("limit"), QString::number(kPageLimit));
        query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    }
    m_api->get(path(), query, this, [this, offset, generation](const ApiResult &answer) {
        onPage(offset, generation, answer);
    });
}

void JsonListModel::onPage(int offset, quint64 generation, const ApiResult &answer)
{
    if (generation != m_generation)
        return;
    if (!answer.ok()) {
        setLoading(false);
        Q_EMIT loadFailed(answer.errorText);
        return;
    }
    const QJsonArray array = answer.array();
    for (const QJsonValue &value : array)
        m_incoming.append(value.toObject());
    const int read = offset + int(array.size());
    const bool more = isPaged() && !array.isEmpty()
        && (answer.totalCount >= 0 ? read < answer.totalCount : array.size() == kPageLimit);
    if (more) {
        requestPage(read, generation);
        return;
    }
    apply(prepare(std::move(m_incoming)));
    m_incoming.clear();
    m_loaded = true;
    setLoading(false);
    Q_EMIT loaded();
}

void JsonListModel::apply(QVector<QJsonObject> rows)
{
    // Keep views' selection and scroll position: same rows changed in place, new rows appended,
    // and only a different list resets.
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

void JsonListModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

} // namespace waybill::app
