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
    dropRows();
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
    const QVector<QJsonObject> rows = std::move(m_incoming);
    m_incoming.clear();
    adopt(rows);
    m_loaded = true;
    setLoading(false);
    Q_EMIT loaded();
}

void JsonListModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

} // namespace waybill::app
