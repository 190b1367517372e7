#include "planboardmodel.h"

#include "client/apiclient.h"
#include "client/liveclient.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "domain/standing.h"
#include "domain/timeformat.h"
#include "domain/weight.h"
#include "presentation/refusaltext.h"
#include "trucktablemodel.h"

#include <QJsonArray>

#include <algorithm>

namespace waybill::app {

namespace {
constexpr int kPageSize = 1000; // the most GET /shipments gives at once
constexpr int kNamedDelayMs = 100; // live events this close together cost one round of reads
constexpr int kNamedReadAtMost = 50; // more loads named at once: the whole board is read again
// A load without windows is drawn from its creation, this long, so that it can still be seen.
constexpr qint64 kNoWindowMs = 2 * 3600 * 1000;
constexpr int kDeliveredDelayMs = 200;

const QStringList &boardStatuses()
{
    static const QStringList statuses { QStringLiteral("Submitted"), QStringLiteral("Assigned"),
        QStringLiteral("Shipped") };
    return statuses;
}

bool isOnBoard(ShipmentStatus status)
{
    return status == ShipmentStatus::Submitted || status == ShipmentStatus::Assigned
        || status == ShipmentStatus::Shipped;
}

bool loadsTruck(const ShipmentState &s)
{
    return s.status == ShipmentStatus::Assigned || s.status == ShipmentStatus::Shipped;
}

// Packs the loads (indexes, sorted by start) into lanes where none overlaps; the lane count.
int packLanes(QVector<PlanLoad> &loads, const QVector<int> &order)
{
    QVector<qint64> laneEnds;
    for (int i : order) {
        PlanLoad &load = loads[i];
        int lane = 0;
        while (lane < laneEnds.size() && laneEnds.at(lane) > load.startMs)
            ++lane;
        if (lane == laneEnds.size())
            laneEnds.append(load.endMs);
        else
            laneEnds[lane] = load.endMs;
        load.lane = lane;
    }
    return std::max(1, int(laneEnds.size()));
}

// "2026-11-27T10:00:00.000Z", the API's one shape of time, read without QDateTime's parser (the
// slow part of reading thousands of loads); any other shape goes to the general parser.
QDateTime parseTime(const QJsonValue &value)
{
    const QString text = value.toString();
    if (text.isEmpty())
        return {};
    const QChar *c = text.constData();
    auto digits = [c](int at, int count) {
        int n = 0;
        for (int i = at; i < at + count; ++i) {
            const char16_t d = c[i].unicode();
            if (d < u'0' || d > u'9')
                return -1;
            n = n * 10 + (d - u'0');
        }
        return n;
    };
    if (text.size() == 24 && c[4] == u'-' && c[7] == u'-' && c[10] == u'T' && c[13] == u':'
        && c[16] == u':' && c[19] == u'.' && c[23] == u'Z') {
        const int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
        const int hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
        const int ms = digits(20, 3);
        const QDate date(year, month, day);
        if (date.isValid() && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0
            && second < 60 && ms >= 0) {
            const qint64 days = date.toJulianDay() - QDate(1970, 1, 1).toJulianDay();
            return QDateTime::fromMSecsSinceEpoch(
                ((days * 24 + hour) * 60 + minute) * 60000LL + second * 1000LL + ms, Qt::UTC);
        }
    }
    return parseIsoUtc(text).value_or(QDateTime());
}

std::optional<TimeWindow> parseWindow(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    TimeWindow window { parseTime(object.value(QLatin1String("from"))),
        parseTime(object.value(QLatin1String("to"))) };
    if (!window.from.isValid() || !window.to.isValid())
        return std::nullopt;
    return window;
}
} // namespace

PlanLoad PlanLoad::fromJson(const QJsonObject &json)
{
    PlanLoad load;
    ShipmentState &s = load.state;
    s.id = json.value(QLatin1String("id")).toString();
    shipmentStatusFromName(json.value(QLatin1String("status")).toString(), &s.status);
    s.weightInPounds = json.value(QLatin1String("weightInPounds")).toDouble();
    s.billToAccountId = json.value(QLatin1String("billToAccountId")).toString();
    s.assignedToTruck = json.value(QLatin1String("assignedToTruck")).toString();
    s.shipFrom.city
        = json.value(QLatin1String("shipFrom")).toObject().value(QLatin1String("city")).toString();
    s.shipTo.city
        = json.value(QLatin1String("shipTo")).toObject().value(QLatin1String("city")).toString();
    s.createdTimestamp = parseTime(json.value(QLatin1String("createdTimestamp")));
    s.pickupWindow = parseWindow(json.value(QLatin1String("pickupWindow")));
    s.deliveryWindow = parseWindow(json.value(QLatin1String("deliveryWindow")));
    s.version = json.value(QLatin1String("version")).toInt();
    const auto &pickup = load.state.pickupWindow;
    const auto &delivery = load.state.deliveryWindow;
    if (pickup || delivery) {
        load.hasWindow = true;
        load.startMs = (pickup ? pickup->from : delivery->from).toMSecsSinceEpoch();
        load.endMs = (delivery ? delivery->to : pickup->to).toMSecsSinceEpoch();
    } else {
        load.startMs = load.state.createdTimestamp.toMSecsSinceEpoch();
        load.endMs = load.startMs + kNoWindowMs;
    }
    if (load.endMs <= load.startMs)
        load.endMs = load.startMs + 1;
    return load;
}

PlanBoardModel::PlanBoardModel(ApiClient *api, TruckTableModel *trucks, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_truckModel(trucks)
{
    m_namedTimer.setSingleShot(true);
    m_namedTimer.setInterval(kNamedDelayMs);
    connect(&m_namedTimer, &QTimer::timeout, this, &PlanBoardModel::refreshNamed);
    m_deliveredTimer.setSingleShot(true);
    m_deliveredTimer.setInterval(kDeliveredDelayMs);
    connect(&m_deliveredTimer, &QTimer::timeout, this, [this] { readDeliveredIfNeeded(false); });
    m_rebuildSoon.setSingleShot(true);
    m_rebuildSoon.setInterval(0);
    connect(&m_rebuildSoon, &QTimer::timeout, this, &PlanBoardModel::rebuild);
    // A truck list that changes row by row costs one layout, not one per row.
    const auto rebuildSoon = [this] { m_rebuildSoon.start(); };
    connect(m_truckModel, &QAbstractItemModel::modelReset, this, rebuildSoon);
    connect(m_truckModel, &QAbstractItemModel::layoutChanged, this, rebuildSoon);
    connect(m_truckModel, &QAbstractItemModel::dataChanged, this, rebuildSoon);
    connect(m_truckModel, &QAbstractItemModel::rowsInserted, this, rebuildSoon);
    connect(m_truckModel, &QAbstractItemModel::rowsRemoved, this, rebuildSoon);
    rebuild();
}

PlanBoardModel::~PlanBoardModel() = default;

void PlanBoardModel::followLive(LiveClient *live)
{
    connect(live, &LiveClient::eventReceived, this, [this](const QJsonObject &event) {
        const QString stream = event.value(QLatin1String("streamId")).toString();
        // Before the board is first read, its first reading brings the change.
        if (streamKind(stream) != StreamKind::Shipment || (!m_loaded && !m_loading))
            return;
        refreshLoad(entityIdOfStream(stream));
    });
    connect(live, &LiveClient::resynchronise, this, [this] {
        if (m_loaded || m_loading)
            reload();
    });
}

void PlanBoardModel::refreshLoad(const QString &shipmentId)
{
    m_named.insert(shipmentId);
    if (!m_namedTimer.isActive())
        m_namedTimer.start();
}

void PlanBoardModel::setLoading(bool loading)
{
    m_loading = loading;
}

QStringList PlanBoardModel::statusesDrawn()
{
    return boardStatuses() + QStringList { QStringLiteral("Delivered") };
}

void PlanBoardModel::reload()
{
    ++m_generation;
    m_incoming.clear();
    m_pagesLeft = 0;
    setLoading(true);
    for (const QString &status : boardStatuses())
        requestPage(status, 0, m_generation);
    readDeliveredIfNeeded(true);
}

void PlanBoardModel::setTimeInView(qint64 fromMs, qint64 toMs)
{
    m_inView = { fromMs, toMs };
    if (m_loaded || m_loading)
        m_deliveredTimer.start();
}

void PlanBoardModel::readDeliveredIfNeeded(bool always)
{
    const auto [from, to] = m_inView;
    if (from >= to)
        return;
    const auto covers = [from = from, to = to](const std::pair<qint64, qint64> &range) {
        return range.first <= from && to <= range.second;
    };
    if (!always && (covers(m_deliveredRange) || covers(m_deliveredReading)))
        return;
    const qint64 margin = to - from;
    m_deliveredReading = { from - margin, to + margin };
    m_deliveredIncoming.clear();
    requestDelivered(0, ++m_deliveredGeneration);
}

void PlanBoardModel::requestDelivered(int offset, quint64 generation)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("status"), QStringLiteral("Delivered"));
    query.addQueryItem(QStringLiteral("windowFrom"),
        toIsoUtc(QDateTime::fromMSecsSinceEpoch(m_deliveredReading.first, Qt::UTC)));
    query.addQueryItem(QStringLiteral("windowTo"),
        toIsoUtc(QDateTime::fromMSecsSinceEpoch(m_deliveredReading.second, Qt::UTC)));
    query.addQueryItem(QStringLiteral("limit"), QString::number(kPageSize));
    query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    m_api->get(QStringLiteral("/shipments"), query, this,
        [this, offset, generation](
            const ApiResult &answer) { onDelivered(offset, generation, answer); });
}

void PlanBoardModel::onDelivered(int offset, quint64 generation, const ApiResult &answer)
{
    if (generation != m_deliveredGeneration)
        return; // a reading of another time replaced this one
    if (!answer.ok()) {
        // The open loads are what the board is for: without the delivered ones it still works,
        // and the next scroll or reading asks again.
        m_deliveredReading = { 0, 0 };
        return;
    }
    const QJsonArray items = answer.array();
    for (const QJsonValue &item : items)
        m_deliveredIncoming.append(PlanLoad::fromJson(item.toObject()));
    // Page after page: the delivered loads of a week are a few pages at most.
    if (!items.isEmpty() && m_deliveredIncoming.size() < answer.totalCount) {
        requestDelivered(offset + int(items.size()), generation);
        return;
    }
    m_delivered = std::exchange(m_deliveredIncoming, {});
    m_deliveredRange = std::exchange(m_deliveredReading, { 0, 0 });
    mergeDelivered();
    rebuild();
}

void PlanBoardModel::mergeDelivered()
{
    // The delivered loads read before are replaced; a load read as open meanwhile stays open.
    m_loads.erase(std::remove_if(m_loads.begin(), m_loads.end(),
                      [](const PlanLoad &load) { return load.isDone(); }),
        m_loads.end());
    QSet<QString> open;
    for (const PlanLoad &load : std::as_const(m_loads))
        open.insert(load.state.id);
    for (const PlanLoad &load : std::as_const(m_delivered)) {
        if (!open.contains(load.state.id))
            m_loads.append(load);
    }
}

void PlanBoardModel::requestPage(const QString &status, int offset, quint64 generation)
{
    ++m_pagesLeft;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("status"), status);
    query.addQueryItem(QStringLiteral("limit"), QString::number(kPageSize));
    query.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    m_api->get(QStringLiteral("/shipments"), query, this,
        [this, status, offset, generation](
            const ApiResult &answer) { onPage(status, offset, generation, answer); });
}

void PlanBoardModel::onPage(
    const QString &status, int offset, quint64 generation, const ApiResult &answer)
{
    if (generation != m_generation)
        return; // a newer reading replaced this one
    if (!answer.ok()) {
        m_pagesLeft = 0;
        setLoading(false);
        ++m_generation;
        Q_EMIT loadFailed(tr("The planboard could not be read: %1").arg(answer.errorText));
        return;
    }
    --m_pagesLeft;
    const QJsonArray items = answer.array();
    // Read as each page comes, while the others are still on their way.
    QVector<PlanLoad> &rows = m_incoming[status][offset];
    rows.reserve(items.size());
    for (const QJsonValue &item : items)
        rows.append(PlanLoad::fromJson(item.toObject()));
    const int next = offset + int(items.size());
    if (offset == 0 && answer.totalCount >= 0) {
        // The total is known from the first page: the others are asked for all at once.
        for (int o = next; !items.isEmpty() && o < answer.totalCount; o += int(items.size()))
            requestPage(status, o, generation);
    } else if (answer.totalCount < 0 && !items.isEmpty()) {
        requestPage(status, next, generation); // no total: page after page until one is empty
    }
    if (m_pagesLeft > 0)
        return;
    // Loads whose command is still on its way stay where they are drawn until it is answered.
    QHash<QString, QString> pending;
    for (const PlanLoad &load : std::as_const(m_loads)) {
        if (load.pending)
            pending.insert(load.state.id, load.pendingTruck);
    }
    m_loads.clear();
    QSet<QString> seen; // a load that changed status between two pages is read twice
    for (const QString &s : boardStatuses()) {
        for (QVector<PlanLoad> &page : m_incoming[s]) {
            for (PlanLoad &load : page) {
                if (seen.contains(load.state.id))
                    continue;
                seen.insert(load.state.id);
                const auto it = pending.constFind(load.state.id);
                if (it != pending.constEnd()) {
                    load.pending = true;
                    load.pendingTruck = *it;
                }
                m_loads.append(std::move(load));
            }
        }
    }
    m_incoming.clear();
    mergeDelivered();
    m_loaded = true;
    setLoading(false);
    rebuild();
    Q_EMIT loaded();
}

void PlanBoardModel::refreshNamed()
{
    const QSet<QString> named = std::exchange(m_named, {});
    if (named.size() > kNamedReadAtMost) {
        reload();
        return;
    }
    for (const QString &id : named) {
        m_api->get(ApiClient::pathOf({ QStringLiteral("shipments"), id }), {}, this,
            [this, id](const ApiResult &answer) {
                if (answer.ok())
                    updateLoad(answer.object());
                else if (answer.httpStatus == 404)
                    updateLoad({ { QStringLiteral("id"), id } });
            });
    }
}

void PlanBoardModel::updateLoad(const QJsonObject &shipment)
{
    PlanLoad fresh = PlanLoad::fromJson(shipment);
    const QString id = shipment.value(QLatin1String("id")).toString();
    const int index = loadIndex(id);
    if (index >= 0 && fresh.state.version < m_loads.at(index).state.version)
        return; // an older answer overtaken by a newer one
    // A load delivered in the time read stays, drawn as delivered; one delivered at another time
    // leaves as a cancelled one does.
    const bool deliveredInRange = fresh.isDone() && fresh.endMs >= m_deliveredRange.first
        && fresh.startMs < m_deliveredRange.second;
    if (fresh.isDone()) {
        m_delivered.erase(std::remove_if(m_delivered.begin(), m_delivered.end(),
                              [&id](const PlanLoad &load) { return load.state.id == id; }),
            m_delivered.end());
        if (deliveredInRange)
            m_delivered.append(fresh);
    }
    if (!isOnBoard(fresh.state.status) && !deliveredInRange) {
        if (index < 0)
            return;
        // The rows hold indexes into the loads: they are made again before anything reads them.
        m_loads.remove(index);
        rebuild();
        return;
    }
    if (index < 0) {
        m_loadIndex.insert(id, int(m_loads.size()));
        m_loads.append(std::move(fresh));
    } else {
        fresh.pending = m_loads.at(index).pending;
        fresh.pendingTruck = m_loads.at(index).pendingTruck;
        m_loads[index] = std::move(fresh);
    }
    if (!m_rebuildSoon.isActive())
        m_rebuildSoon.start();
}

const PlanLoad *PlanBoardModel::load(const QString &shipmentId) const
{
    const int index = loadIndex(shipmentId);
    return index >= 0 ? &m_loads.at(index) : nullptr;
}

QStringList PlanBoardModel::openLoadsOf(int truckRow) const
{
    QStringList ids;
    if (truckRow < 0 || truckRow >= m_trucks.size())
        return ids;
    for (int index : m_trucks.at(truckRow).loads) {
        if (!m_loads.at(index).isDone())
            ids.append(m_loads.at(index).state.id);
    }
    return ids;
}

std::pair<qint64, qint64> PlanBoardModel::span() const
{
    if (m_loads.isEmpty())
        return { 0, 0 };
    qint64 first = m_loads.first().startMs;
    qint64 last = m_loads.first().endMs;
    for (const PlanLoad &load : m_loads) {
        first = std::min(first, load.startMs);
        last = std::max(last, load.endMs);
    }
    return { first, last };
}

void PlanBoardModel::rebuild()
{
    m_rebuildSoon.stop();
    m_loadIndex.clear();
    m_loadIndex.reserve(m_loads.size());
    for (int i = 0; i < m_loads.size(); ++i)
        m_loadIndex.insert(m_loads.at(i).state.id, i);

    m_trucks.clear();
    m_truckIndex.clear();
    for (const TruckRow &row : m_truckModel->rows()) {
        m_truckIndex.insert(row.state.id, int(m_trucks.size()));
        m_trucks.append(PlanTruck { row, {}, 1, 0 });
    }
    QVector<int> order(m_loads.size());
    for (int i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [this](int a, int b) {
        const PlanLoad &x = m_loads.at(a);
        const PlanLoad &y = m_loads.at(b);
        return x.startMs != y.startMs ? x.startMs < y.startMs : x.state.id < y.state.id;
    });
    m_tray.clear();
    for (int i : std::as_const(order)) {
        const PlanLoad &load = m_loads.at(i);
        const QString truck = load.shownTruck();
        if (truck.isEmpty() && load.isDone())
            continue; // nothing waits for it
        if (truck.isEmpty()) {
            m_tray.append(i);
            continue;
        }
        const int row = m_truckIndex.value(truck, -1);
        if (row < 0)
            continue; // a truck the list does not know yet: it comes with the next reading
        PlanTruck &t = m_trucks[row];
        t.loads.append(i);
        if (load.pending || loadsTruck(load.state))
            t.loadHundredths += toHundredthsOfPound(load.state.weightInPounds);
    }
    for (PlanTruck &t : m_trucks)
        t.lanes = packLanes(m_loads, t.loads);
    m_trayLanes = packLanes(m_loads, m_tray);
    Q_EMIT changed();
}

QStringList PlanBoardModel::checkAssign(
    const QStringList &shipmentIds, const QString &truckId) const
{
    QStringList reasons;
    const int row = truckRow(truckId);
    TruckState truckState;
    truckState.id = truckId;
    qint64 loadHundredths = 0;
    if (row >= 0) {
        truckState = m_trucks.at(row).truck.state;
        loadHundredths = m_trucks.at(row).loadHundredths;
    }
    for (const QString &id : shipmentIds) {
        const PlanLoad *load = this->load(id);
        if (!load) {
            reasons.append(tr("Shipment %1 is no longer on the board.").arg(id));
            continue;
        }
        // The load as the server knows it: a move still on its way is not counted yet.
        ShipmentState state = load->state;
        Command command;
        command.type = CommandType::Assign;
        command.streamId = shipmentStreamId(id);
        command.data.insert(QStringLiteral("truckId"), truckId);
        ShipmentContext context;
        const qint64 weight = toHundredthsOfPound(state.weightInPounds);
        // The truck's load without this one, if it is drawn there already.
        const qint64 others = load->shownTruck() == truckId && (load->pending || loadsTruck(state))
            ? loadHundredths - weight
            : loadHundredths;
        context.truck = TruckStanding::of(truckId, truckState, others);
        const Decision decision = decideShipment(state, command, Rules {}, context);
        reasons.append(RefusalText::translated(decision.rejection));
        if (!decision.isRejected() && load->shownTruck() != truckId)
            loadHundredths += weight; // the next load of the same drop finds this one aboard
    }
    return reasons;
}

QString PlanBoardModel::checkCommand(
    const QString &shipmentId, CommandType type, const QJsonObject &body) const
{
    const PlanLoad *load = this->load(shipmentId);
    if (!load)
        return tr("Shipment %1 is no longer on the board.").arg(shipmentId);
    Command command;
    command.type = type;
    command.streamId = shipmentStreamId(shipmentId);
    command.data = body;
    return RefusalText::translated(decideShipment(load->state, command, Rules {}).rejection);
}

void PlanBoardModel::beginMove(const QString &shipmentId, const QString &truckId)
{
    const int index = loadIndex(shipmentId);
    if (index < 0)
        return;
    m_loads[index].pending = true;
    m_loads[index].pendingTruck = truckId;
    rebuild();
}

void PlanBoardModel::finishMove(const QString &shipmentId, bool succeeded, int newVersion)
{
    const int index = loadIndex(shipmentId);
    if (index < 0)
        return;
    PlanLoad &load = m_loads[index];
    if (succeeded && load.pending && load.state.assignedToTruck != load.pendingTruck) {
        // The server's answer says it is done; its new state follows (read, or live).
        load.state.assignedToTruck = load.pendingTruck;
        load.state.status = ShipmentStatus::Assigned;
        load.state.version = std::max(load.state.version, newVersion);
    }
    load.pending = false;
    load.pendingTruck.clear();
    rebuild();
}

} // namespace waybill::app
