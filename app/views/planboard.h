// The planboard (Dispatch's picture of the week): one row per truck, a time axis, each load a bar
// from its pickup window to its delivery window, and the loads waiting for a truck in a tray
// below. Dragging a load onto a truck assigns it (or re-assigns it); several loads are assigned,
// shipped or rescheduled at once; every load of a broken-down truck is moved in one go. Each
// drop is checked as it is made with the shipment reducer the server runs, and the server's
// answer is final: a refused load snaps back, and the reason is shown.
#pragma once

#include <QDateTime>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QScrollBar;
class QSplitter;

namespace waybill::app {

class PlanBoardCanvas;
class PlanBoardModel;
class PlanSummaryDialog;
class Session;
class TruckTableModel;
struct CommandRequest;

// What a batch of commands (a drop of several loads, a bulk action, a move after a breakdown)
// came to: each load, and what happened to it.
struct PlanBatchOutcome
{
    QString title;
    QStringList succeeded; // "S-1"
    QStringList refused; // "S-2: why"
    QString correlationId; // the Correlation-Id its commands were sent with (several of them)
    bool isEmpty() const { return succeeded.isEmpty() && refused.isEmpty(); }
};

class PlanBoard final : public QWidget
{
    Q_OBJECT
public:
    enum class Range { Day, Week };

    // model: the loads and trucks drawn, shared with Dispatch's truck list (read once for both).
    PlanBoard(Session *session, TruckTableModel *trucks, PlanBoardModel *model,
        QWidget *parent = nullptr);
    ~PlanBoard() override;

    PlanBoardModel *model() const { return m_model; }
    PlanBoardCanvas *truckCanvas() const { return m_trucks; }
    PlanBoardCanvas *trayCanvas() const { return m_tray; }
    QScrollBar *timeScrollBar() const { return m_timeBar; }

    // The time in view: [viewStart, viewStart + span).
    qint64 viewStartMs() const { return m_viewStartMs; }
    qint64 spanMs() const { return m_spanMs; }
    void setView(qint64 startMs, qint64 spanMs);
    Range range() const { return m_range; }
    // A day from midnight or a week from Monday, local time, around the time in view.
    void setRange(Range range);
    void showNow();
    void zoom(double factor);
    // Scrolls by a part of the span in view (1.0: a whole page; negative: earlier).
    void scrollTime(double pages);
    // Where a time is drawn on a canvas of this plot, and back.
    double xOf(qint64 ms, const QRect &plot) const;
    qint64 timeAt(double x, const QRect &plot) const;
    // The time of the now line and of lateness: the system's clock unless another was set (the
    // tests put now where they need it, e.g. a minute before midnight).
    qint64 nowMs() const;
    void setClock(std::function<qint64()> clock);

    // The loads selected, in the order they were picked.
    const QStringList &selection() const { return m_selection; }
    bool isSelected(const QString &shipmentId) const { return m_selection.contains(shipmentId); }
    void setSelection(const QStringList &shipmentIds);
    void toggleSelected(const QString &shipmentId);

    // The drag in progress (by mouse or keys), as the canvases draw it.
    struct Drag
    {
        bool active = false;
        bool keyboard = false;
        QStringList ids;
        PlanBoardCanvas *canvas = nullptr; // the canvas under it
        int row = -1; // its row there; -1: over nothing that takes loads
        QString truck; // the truck of that row
        QStringList reasons; // per load, why it may not go there (empty: it may)
        QPoint badge; // where the count of loads dragged follows the pointer (viewport of canvas)
    };
    const Drag &drag() const { return m_drag; }
    // Called by the canvases.
    void beginDrag(const QStringList &ids, bool keyboard);
    void dragTo(const QPoint &globalPos);
    void dragToRow(int row); // the keyboard's drag: a truck row of the trucks canvas
    void drop();
    void cancelDrag();

    // Commands on the loads: each one checked by the reducer first and sent one by one.
    // title names the batch in its outcome; empty: "Assign … to truck …".
    void assignTo(const QStringList &ids, const QString &truckId, const QString &title = {});
    void ship(const QStringList &ids);
    void reschedule(const QStringList &ids, qint64 shiftMs, const QString &reason);
    // Every load on the truck moved to another one (after a breakdown).
    void moveAll(const QString &fromTruck, const QString &toTruck);

    // Open the dialogs (the actions' and the context menus' way).
    void openAssign();
    void openReschedule();
    void openMoveAll(const QString &fromTruck);
    void showContextMenu(
        PlanBoardCanvas *canvas, const QPoint &globalPos, int row, const QString &shipmentId);

    QAction *assignAction() const { return m_assign; }
    QAction *shipAction() const { return m_ship; }
    QAction *rescheduleAction() const { return m_reschedule; }
    QAction *moveAllAction() const { return m_moveAll; }
    QAction *pickUpAction() const { return m_pickUp; }
    QAction *dayAction() const { return m_day; }
    QAction *weekAction() const { return m_week; }

    // What the board last said (a drop refused and why, a batch's outcome).
    QString message() const;
    // The outcome of the last batch of commands, and its summary window if one was shown.
    const PlanBatchOutcome &lastOutcome() const { return m_lastOutcome; }
    PlanSummaryDialog *summary() const;
    int commandsInFlight() const { return m_inFlight; }
    // Reads the board again (F5).
    void refresh();

Q_SIGNALS:
    void succeeded(const QString &message);
    void failed(const QString &message);
    // A batch of commands has all its answers.
    void batchFinished();
    // The time in view changed.
    void viewChanged();

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Step;
    void runBatch(const QString &title, QVector<Step> steps);
    void finishBatch();
    void say(const QString &text, bool error);
    void updateActions();
    void updateTimeBar();
    void onModelChanged();
    void updateCounts();
    void redrawDragRows(PlanBoardCanvas *canvas, int row);
    QStringList actionable() const;

    Session *m_session;
    TruckTableModel *m_truckModel;
    PlanBoardModel *m_model;
    PlanBoardCanvas *m_trucks;
    PlanBoardCanvas *m_tray;
    QSplitter *m_splitter;
    QScrollBar *m_timeBar;
    QLabel *m_message;
    QLabel *m_counts;
    QAction *m_assign;
    QAction *m_ship;
    QAction *m_reschedule;
    QAction *m_moveAll;
    QAction *m_pickUp;
    QAction *m_day;
    QAction *m_week;
    Range m_range = Range::Day;
    qint64 m_viewStartMs = 0;
    qint64 m_spanMs = 0;
    qint64 m_timeOriginMs = 0; // the time bar's zero
    bool m_updatingBar = false;
    bool m_shownOnce = false;
    QStringList m_selection;
    Drag m_drag;
    // The batch in progress: its outcome so far and how many answers are still to come.
    PlanBatchOutcome m_batch;
    PlanBatchOutcome m_lastOutcome;
    int m_inFlight = 0;
    int m_batchSize = 0;
    QPointer<PlanSummaryDialog> m_summary;
    QTimer m_nowTimer;
    std::function<qint64()> m_clock;
};

} // namespace waybill::app
