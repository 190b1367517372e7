// What the planboard shows: every truck with the loads on it and the loads waiting for one, each
// load with its pickup and delivery windows, read from the server and kept current from the live
// feed. It also answers, with the server's own reducer, whether a load may go onto a truck.
#pragma once

#include "domain/command.h"
#include "domain/lateness.h"
#include "domain/shipment.h"
#include "recordrows.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QVector>

namespace waybill::app {

class ApiClient;
class LiveClient;
class TruckTableModel;
struct ApiResult;

// One load as the board draws it.
struct PlanLoad
{
    ShipmentState state;
    // The bar: from the pickup window's start to the delivery window's end (UTC, ms).
    qint64 startMs = 0;
    qint64 endMs = 0;
    bool hasWindow = false;
    // While a command moving it is on its way, the truck it is shown on (empty: none).
    QString pendingTruck;
    bool pending = false;
    int lane = 0; // within its row, so that loads at the same time do not overlap

    // The truck it is drawn on: the one it is going to while a command is pending.
    QString shownTruck() const { return pending ? pendingTruck : state.assignedToTruck; }
    // Delivered: drawn for the record of the time in view, never selected nor moved.
    bool isDone() const { return state.status == ShipmentStatus::Delivered; }
    // Judged here, by the rule the server judges by, so that a load turns late on the board
    // when its window ends without the board reading it again.
    Lateness lateness(const QDateTime &now) const { return latenessAt(state, now); }
    // A shipment of the API as the board needs it: what it draws and what the shipment reducer
    // reads to decide the board's commands (id, status, truck, weight, windows, version), and
    // the cities for the tooltip. Thousands are read when the board opens: the rest (addresses
    // in full, cost, the other times) is left out, and times are read by hand.
    static PlanLoad fromJson(const QJsonObject &json);
};

// One row of the board: a truck and the loads drawn on it.
struct PlanTruck
{
    TruckRow truck;
    QVector<int> loads; // indexes into PlanBoardModel::loads(), by start time
    int lanes = 1;
    qint64 loadHundredths = 0; // Assigned and Shipped loads on it, as the board knows them

    QString id() const { return truck.state.id; }
    bool inService() const { return truck.status != TruckRow::Status::OutOfService; }
};

class PlanBoardModel final : public QObject
{
    Q_OBJECT
public:
    PlanBoardModel(ApiClient *api, TruckTableModel *trucks, QObject *parent = nullptr);
    ~PlanBoardModel() override;
    Q_DISABLE_COPY_MOVE(PlanBoardModel)

    // The statuses of the loads the board draws, in their life order: those it reads whole
    // (waiting, assigned, on the road) and Delivered, for the loads delivered in the time in view.
    static QStringList statusesDrawn();

    // Reads every load that is waiting, assigned or on the road, page by page, and the loads
    // delivered in the time in view.
    void reload();
    // The time the board shows (UTC, ms): the loads delivered then are read (once the board has
    // been read), with a margin of that much time on either side so that scrolling a little reads
    // nothing.
    void setTimeInView(qint64 fromMs, qint64 toMs);
    // Reads this load again soon, together with the others named about the same time (after a
    // command, or a live event).
    void refreshLoad(const QString &shipmentId);
    // Another dispatcher's changes: the loads an event names are read again at once.
    void followLive(LiveClient *live);
    bool hasLoaded() const { return m_loaded; }
    bool isLoading() const { return m_loading; }

    const QVector<PlanLoad> &loads() const { return m_loads; }
    const QVector<PlanTruck> &trucks() const { return m_trucks; }
    // The loads waiting for a truck, by start time, and how many lanes they take.
    const QVector<int> &tray() const { return m_tray; }
    int trayLanes() const { return m_trayLanes; }
    // Index of the load or the truck row, or -1.
    int loadIndex(const QString &shipmentId) const { return m_loadIndex.value(shipmentId, -1); }
    int truckRow(const QString &truckId) const { return m_truckIndex.value(truckId, -1); }
    const PlanLoad *load(const QString &shipmentId) const;
    // The ids of the loads on that truck row that can still move (not delivered), by start time.
    QStringList openLoadsOf(int truckRow) const;
    // The earliest and latest time a load is drawn at (0, 0 without loads).
    std::pair<qint64, qint64> span() const;

    // Why each of these loads may not go onto that truck, by the shipment reducer the server
    // runs, taking them in order (their weights add up on the truck); empty where it may.
    QStringList checkAssign(const QStringList &shipmentIds, const QString &truckId) const;
    // Why the shipment reducer refuses this command for the load now; empty when it may.
    QString checkCommand(
        const QString &shipmentId, CommandType type, const QJsonObject &body = {}) const;

    // Draws the load on that truck until the server answers (finishMove).
    void beginMove(const QString &shipmentId, const QString &truckId);
    // The server answered: succeeded (the load is on the truck, its stream now at newVersion)
    // or not (it snaps back to where the server has it).
    void finishMove(const QString &shipmentId, bool succeeded, int newVersion = 0);
    // The load as the server just said it is (an answer or a live change).
    void updateLoad(const QJsonObject &shipment);

Q_SIGNALS:
    // Rows, loads or lanes changed: redraw.
    void changed();
    void loaded();
    void loadFailed(const QString &message);

private:
    void requestPage(const QString &status, int offset, quint64 generation);
    void requestDelivered(int offset, quint64 generation);
    void onDelivered(int offset, quint64 generation, const ApiResult &answer);
    // Reads the delivered loads of the time in view if what was read does not cover it.
    void readDeliveredIfNeeded(bool always);
    // The loads as read: the open ones, then the delivered ones not open meanwhile.
    void mergeDelivered();
    void onPage(const QString &status, int offset, quint64 generation, const ApiResult &answer);
    void refreshNamed();
    void rebuild();
    void setLoading(bool loading);

    ApiClient *m_api;
    TruckTableModel *m_truckModel;
    QVector<PlanLoad> m_loads;
    QHash<QString, int> m_loadIndex;
    QVector<PlanTruck> m_trucks;
    QHash<QString, int> m_truckIndex;
    QVector<int> m_tray;
    int m_trayLanes = 1;
    // The reading in progress: every page of each status (by offset), kept until all have come,
    // and how many pages are still awaited.
    QHash<QString, QMap<int, QVector<PlanLoad>>> m_incoming;
    int m_pagesLeft = 0;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_loaded = false;
    // The delivered loads of the time read (UTC, ms), and the time in view.
    QVector<PlanLoad> m_delivered;
    QVector<PlanLoad> m_deliveredIncoming;
    std::pair<qint64, qint64> m_deliveredRange { 0, 0 };
    std::pair<qint64, qint64> m_deliveredReading { 0, 0 };
    std::pair<qint64, qint64> m_inView { 0, 0 };
    quint64 m_deliveredGeneration = 0;
    QTimer m_deliveredTimer; // scrolling reads once it pauses
    QSet<QString> m_named; // loads named by live events, read again together
    QTimer m_namedTimer;
    QTimer m_rebuildSoon; // the answers of a burst of live reads cost one layout
};

} // namespace waybill::app
