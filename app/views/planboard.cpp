#include "planboard.h"

#include "client/apiclient.h"
#include "client/commandsender.h"
#include "domain/commandvalidation.h"
#include "domain/timeformat.h"
#include "models/planboardmodel.h"
#include "models/trucktablemodel.h"
#include "planboardcanvas.h"
#include "planboarddialogs.h"
#include "presentation/statuspresentation.h"
#include "session/session.h"
#include "viewsettings.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QToolBar>
#include <QUuid>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace waybill::app {

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kHourMs = 60 * kMinuteMs;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr qint64 kMinSpanMs = 2 * kHourMs;
constexpr qint64 kMaxSpanMs = 28 * kDayMs;
const QString kRangeKey = QStringLiteral("planboard/range");

qint64 localMidnight(qint64 ms)
{
    QDateTime day = QDateTime::fromMSecsSinceEpoch(ms).toLocalTime();
    day.setTime(QTime(0, 0));
    return day.toMSecsSinceEpoch();
}

std::optional<TimeWindow> shifted(const std::optional<TimeWindow> &window, qint64 ms)
{
    if (!window)
        return std::nullopt;
    return TimeWindow { window->from.addMSecs(ms), window->to.addMSecs(ms) };
}
} // namespace

// One command of a batch: for one load, what to send, or why the reducer refuses it already.
struct PlanBoard::Step
{
    QString shipmentId;
    CommandRequest request;
    QString refusal;
    QString moveTo; // the truck it is drawn on while the command is on its way
};

PlanBoard::PlanBoard(
    Session *session, TruckTableModel *trucks, PlanBoardModel *model, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_truckModel(trucks)
    , m_model(model)
    , m_trucks(nullptr)
    , m_tray(nullptr)
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_timeBar(new QScrollBar(Qt::Horizontal, this))
    , m_message(new QLabel(this))
    , m_counts(new QLabel(this))
{
    setObjectName(QStringLiteral("planboard"));
    m_trucks = new PlanBoardCanvas(this, PlanBoardCanvas::Kind::Trucks, m_splitter);
    m_tray = new PlanBoardCanvas(this, PlanBoardCanvas::Kind::Tray, m_splitter);
    m_splitter->setObjectName(QStringLiteral("planSplitter"));
    m_splitter->addWidget(m_trucks);
    m_splitter->addWidget(m_tray);
    m_splitter->setStretchFactor(0, 4);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({ 520, 150 });
    m_splitter->setChildrenCollapsible(false);
    ViewSettings::keep(m_splitter, QStringLiteral("planboard/splitter"));

    const Identity &who = session->identity();
    auto makeAction = [this](const QString &text, const QKeySequence &shortcut, const QString &name,
                          bool visible = true) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcut(shortcut);
        // The board's keys work while the focus is on the board, not in the other tabs.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setVisible(visible);
        if (visible)
            addAction(action);
        if (!shortcut.isEmpty())
            action->setToolTip(tr("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')),
                shortcut.toString(QKeySequence::NativeText)));
        return action;
    };
    m_day = makeAction(tr("&Day"), QKeySequence(Qt::Key_D), QStringLiteral("planDay"));
    m_week = makeAction(tr("&Week"), QKeySequence(Qt::Key_W), QStringLiteral("planWeek"));
    m_day->setCheckable(true);
    m_week->setCheckable(true);
    QAction *earlier = makeAction(
        tr("◀ &Earlier"), QKeySequence(Qt::CTRL | Qt::Key_Left), QStringLiteral("planEarlier"));
    QAction *now = makeAction(tr("&Today"), QKeySequence(Qt::Key_Home), QStringLiteral("planNow"));
    QAction *later = makeAction(
        tr("&Later ▶"), QKeySequence(Qt::CTRL | Qt::Key_Right), QStringLiteral("planLater"));
    QAction *zoomIn
        = makeAction(tr("Zoom &in"), QKeySequence::ZoomIn, QStringLiteral("planZoomIn"));
    QAction *zoomOut
        = makeAction(tr("Zoom &out"), QKeySequence::ZoomOut, QStringLiteral("planZoomOut"));
    const bool mayAssign = who.may(Capability::Assign);
    m_assign = makeAction(tr("&Assign to truck…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A),
        QStringLiteral("planAssign"), mayAssign);
    m_ship = makeAction(tr("&Ship"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
        QStringLiteral("planShip"), who.may(Capability::Ship));
    m_reschedule = makeAction(tr("&Reschedule…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
        QStringLiteral("planReschedule"), who.may(Capability::Reschedule));
    m_moveAll = makeAction(tr("&Move every load of this truck…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B), QStringLiteral("planMoveAll"), mayAssign);
    m_pickUp = makeAction(tr("Move with the &keyboard"), QKeySequence(Qt::Key_M),
        QStringLiteral("planPickUp"), mayAssign);
    m_pickUp->setToolTip(tr("Pick up the selected loads (M), choose a truck with the arrow keys, "
                            "drop with Enter, or Esc to leave them where they are"));
    connect(m_day, &QAction::triggered, this, [this] { setRange(Range::Day); });
    connect(m_week, &QAction::triggered, this, [this] { setRange(Range::Week); });
    connect(earlier, &QAction::triggered, this, [this] { scrollTime(-0.5); });
    connect(later, &QAction::triggered, this, [this] { scrollTime(0.5); });
    connect(now, &QAction::triggered, this, &PlanBoard::showNow);
    connect(zoomIn, &QAction::triggered, this, [this] { zoom(0.5); });
    connect(zoomOut, &QAction::triggered, this, [this] { zoom(2.0); });
    connect(m_assign, &QAction::triggered, this, &PlanBoard::openAssign);
    connect(m_ship, &QAction::triggered, this, [this] { ship(actionable()); });
    connect(m_reschedule, &QAction::triggered, this, &PlanBoard::openReschedule);
    connect(m_moveAll, &QAction::triggered, this, [this] { openMoveAll({}); });
    connect(m_pickUp, &QAction::triggered, this, [this] {
        const QStringList ids = actionable();
        if (!ids.isEmpty())
            beginDrag(ids, true);
    });

    auto *tools = new QToolBar(this);
    tools->setObjectName(QStringLiteral("planTools"));
    tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    tools->addActions({ m_day, m_week });
    tools->addSeparator();
    tools->addActions({ earlier, now, later, zoomIn, zoomOut });
    tools->addSeparator();
    for (QAction *action : { m_assign, m_ship, m_reschedule, m_moveAll }) {
        if (action->isVisible())
            tools->addAction(action);
    }
    auto *legend = new QLabel(this);
    legend->setObjectName(QStringLiteral("planLegend"));
    // Every status a bar is drawn in, and the late mark, in the colours the canvas paints.
    QStringList keys;
    for (const QString &status : PlanBoardModel::statusesDrawn())
        keys << QStringLiteral("<span style='color:%1'>■</span> %2")
                    .arg(StatusPresentation::color(status).name(),
                        StatusPresentation::displayName(status));
    keys << QStringLiteral("<span style='color:%1'>▌</span> %2")
                .arg(PlanBoardCanvas::lateColor().name(), tr("Late"));
    legend->setText(keys.join(QLatin1String("&nbsp;&nbsp;")));

    m_message->setObjectName(QStringLiteral("planMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_counts->setObjectName(QStringLiteral("planCounts"));
    auto *top = new QHBoxLayout;
    top->addWidget(tools, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_message, 1);
    bottom->addWidget(legend);
    bottom->addSpacing(12);
    bottom->addWidget(m_counts);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_splitter, 1);
    // The time scrolls under the labels' column, as wide as the plot.
    auto *barRow = new QHBoxLayout;
    barRow->setContentsMargins(PlanBoardCanvas::kLabelWidth, 0, 0, 0);
    barRow->addWidget(m_timeBar);
    layout->addLayout(barRow);
    layout->addLayout(bottom);
    m_timeBar->setObjectName(QStringLiteral("planTime"));
    connect(m_timeBar, &QScrollBar::valueChanged, this, [this](int minutes) {
        if (!m_updatingBar)
            setView(m_timeOriginMs + minutes * kMinuteMs, m_spanMs);
    });

    connect(m_model, &PlanBoardModel::changed, this, &PlanBoard::onModelChanged);
    connect(m_model, &PlanBoardModel::loadFailed, this, &PlanBoard::failed);
    // "now" moves: redraw its line, and the loads that turned late, every minute.
    m_nowTimer.setInterval(int(kMinuteMs));
    connect(&m_nowTimer, &QTimer::timeout, this, [this] {
        updateCounts();
        m_trucks->viewport()->update();
        m_tray->viewport()->update();
    });
    m_nowTimer.start();

    m_range = QSettings().value(kRangeKey).toString() == QLatin1String("week") ? Range::Week
                                                                               : Range::Day;
    setRange(m_range);
    showNow();
    updateActions();
    // The board is read when it or Dispatch is first shown: a role that opens neither costs
    // nothing.
}

PlanBoard::~PlanBoard() = default;

void PlanBoard::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_shownOnce) {
        m_shownOnce = true;
        m_trucks->setFocus();
        // Dispatch's truck list may have had the loads read already.
        if (!m_model->hasLoaded() && !m_model->isLoading())
            m_model->reload();
    }
}

void PlanBoard::refresh()
{
    // Read again what was read (by this board or by Dispatch's truck list); never a first time.
    if (m_model->hasLoaded())
        m_model->reload();
}

qint64 PlanBoard::nowMs() const
{
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

void PlanBoard::setClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
    updateCounts();
    m_trucks->viewport()->update();
    m_tray->viewport()->update();
}

void PlanBoard::setView(qint64 startMs, qint64 spanMs)
{
    m_spanMs = std::clamp(spanMs, kMinSpanMs, kMaxSpanMs);
    m_viewStartMs = startMs;
    m_model->setTimeInView(m_viewStartMs, m_viewStartMs + m_spanMs);
    updateTimeBar();
    m_trucks->viewport()->update();
    m_tray->viewport()->update();
    Q_EMIT viewChanged();
}

void PlanBoard::setRange(Range range)
{
    m_range = range;
    QSettings().setValue(
        kRangeKey, range == Range::Week ? QStringLiteral("week") : QStringLiteral("day"));
    m_day->setChecked(range == Range::Day);
    m_week->setChecked(range == Range::Week);
    const qint64 centre = m_spanMs > 0 ? m_viewStartMs + m_spanMs / 2 : nowMs();
    qint64 start = localMidnight(centre);
    if (range == Range::Week) {
        const QDate day = QDateTime::fromMSecsSinceEpoch(start).date();
        start = localMidnight(
            QDateTime(day.addDays(1 - day.dayOfWeek()), QTime(0, 0)).toMSecsSinceEpoch());
        setView(start, 7 * kDayMs);
    } else {
        setView(start, kDayMs);
    }
}

void PlanBoard::showNow()
{
    m_spanMs = 0; // centre on now
    setRange(m_range);
}

void PlanBoard::zoom(double factor)
{
    const qint64 centre = m_viewStartMs + m_spanMs / 2;
    const qint64 span = std::clamp(qint64(m_spanMs * factor), kMinSpanMs, kMaxSpanMs);
    setView(centre - span / 2, span);
}

void PlanBoard::scrollTime(double pages)
{
    setView(m_viewStartMs + qint64(pages * m_spanMs), m_spanMs);
}

double PlanBoard::xOf(qint64 ms, const QRect &plot) const
{
    return plot.left() + double(ms - m_viewStartMs) * plot.width() / double(m_spanMs);
}

qint64 PlanBoard::timeAt(double x, const QRect &plot) const
{
    return m_viewStartMs + qint64((x - plot.left()) * double(m_spanMs) / plot.width());
}

void PlanBoard::updateTimeBar()
{
    // From two weeks before now (or the first load) to four weeks after (or the last one).
    const auto [first, last] = m_model->span();
    const qint64 now = nowMs();
    qint64 origin = localMidnight(now - 14 * kDayMs);
    qint64 end = now + 28 * kDayMs;
    if (first != 0)
        origin = std::min(origin, localMidnight(first));
    end = std::max({ end, last, m_viewStartMs + m_spanMs });
    origin = std::min(origin, m_viewStartMs);
    m_timeOriginMs = origin;
    m_updatingBar = true;
    m_timeBar->setRange(0, int((end - origin - m_spanMs) / kMinuteMs));
    m_timeBar->setPageStep(int(m_spanMs / kMinuteMs));
    m_timeBar->setSingleStep(int(m_spanMs / kMinuteMs / 24));
    m_timeBar->setValue(int((m_viewStartMs - origin) / kMinuteMs));
    m_updatingBar = false;
}

void PlanBoard::updateCounts()
{
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC);
    int late = 0;
    int open = 0; // the delivered loads drawn are not the board's work
    for (const PlanLoad &load : m_model->loads()) {
        late += load.lateness(now) != Lateness::None ? 1 : 0;
        open += load.isDone() ? 0 : 1;
    }
    m_counts->setText(tr("%1 trucks · %2 loads · %3 waiting · %4 late")
                          .arg(m_model->trucks().size())
                          .arg(open)
                          .arg(m_model->tray().size())
                          .arg(late));
}

void PlanBoard::onModelChanged()
{
    // Loads that left the board leave the selection too.
    QStringList kept;
    for (const QString &id : std::as_const(m_selection)) {
        if (m_model->loadIndex(id) >= 0)
            kept.append(id);
    }
    m_selection = kept;
    m_trucks->relayout();
    m_tray->relayout();
    updateTimeBar();
    updateCounts();
    if (m_drag.active && m_drag.canvas && m_drag.row >= 0) {
        // The truck under the drag may have changed: check again.
        const int row = m_drag.row;
        PlanBoardCanvas *canvas = m_drag.canvas;
        m_drag.canvas = nullptr;
        m_drag.row = -1;
        if (m_drag.keyboard)
            dragToRow(row);
        else
            redrawDragRows(canvas, row);
    }
    updateActions();
}

void PlanBoard::setSelection(const QStringList &shipmentIds)
{
    m_selection.clear();
    for (const QString &id : shipmentIds) {
        const PlanLoad *load = m_model->load(id);
        if (!m_selection.contains(id) && !(load && load->isDone()))
            m_selection.append(id);
    }
    m_trucks->viewport()->update();
    m_tray->viewport()->update();
    updateActions();
}

void PlanBoard::toggleSelected(const QString &shipmentId)
{
    QStringList ids = m_selection;
    if (!ids.removeOne(shipmentId))
        ids.append(shipmentId);
    setSelection(ids);
}

QStringList PlanBoard::actionable() const
{
    if (!m_selection.isEmpty())
        return m_selection;
    PlanBoardCanvas *canvas = m_tray->hasFocus() ? m_tray : m_trucks;
    const PlanLoad *current = m_model->load(canvas->currentLoad());
    if (current && !current->isDone())
        return { canvas->currentLoad() };
    return {};
}

void PlanBoard::updateActions()
{
    const bool some = !actionable().isEmpty();
    const bool idle = m_inFlight == 0;
    m_assign->setEnabled(some && idle);
    m_ship->setEnabled(some && idle);
    m_reschedule->setEnabled(some && idle);
    m_pickUp->setEnabled(some && idle);
    const int row = m_trucks->currentRow();
    m_moveAll->setEnabled(idle && !m_model->openLoadsOf(row).isEmpty());
    if (m_moveAll->isEnabled())
        m_moveAll->setText(tr("&Move every load of truck %1…").arg(m_model->trucks().at(row).id()));
    else
        m_moveAll->setText(tr("&Move every load of this truck…"));
}

PlanSummaryDialog *PlanBoard::summary() const
{
    return m_summary;
}

QString PlanBoard::message() const
{
    return m_message->text();
}

void PlanBoard::say(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void PlanBoard::redrawDragRows(PlanBoardCanvas *canvas, int row)
{
    if (canvas)
        canvas->updateRow(row);
    if (m_drag.canvas)
        m_drag.canvas->updateRow(m_drag.row);
}

void PlanBoard::beginDrag(const QStringList &ids, bool keyboard)
{
    if (m_inFlight > 0) {
        say(tr("Wait for the answers to the last change first."), true);
        return;
    }
    m_drag = Drag {};
    for (const QString &id : ids) {
        const PlanLoad *load = m_model->load(id);
        if (load && !load->isDone())
            m_drag.ids.append(id);
    }
    if (m_drag.ids.isEmpty())
        return;
    m_drag.active = true;
    m_drag.keyboard = keyboard;
    if (keyboard) {
        const PlanLoad *first = m_model->load(m_drag.ids.first());
        const int row = m_model->truckRow(first->shownTruck());
        m_trucks->setFocus();
        dragToRow(row >= 0 ? row : m_trucks->currentRow());
        say(tr("Choose a truck with ↑ and ↓, then Enter to drop or Esc to cancel."), false);
    }
}

void PlanBoard::dragToRow(int row)
{
    if (!m_drag.active || row < 0 || row >= m_trucks->rowCount())
        return;
    PlanBoardCanvas *oldCanvas = m_drag.canvas;
    const int oldRow = m_drag.row;
    m_drag.canvas = m_trucks;
    m_drag.row = row;
    m_drag.truck = m_trucks->truckOfRow(row);
    m_drag.reasons = m_model->checkAssign(m_drag.ids, m_drag.truck);
    m_trucks->ensureRowVisible(row);
    m_trucks->setCurrent(row, {});
    redrawDragRows(oldCanvas, oldRow);
}

void PlanBoard::dragTo(const QPoint &globalPos)
{
    if (!m_drag.active)
        return;
    PlanBoardCanvas *canvas = nullptr;
    int row = -1;
    QPoint local;
    for (PlanBoardCanvas *c : { m_trucks, m_tray }) {
        const QPoint p = c->viewport()->mapFromGlobal(globalPos);
        if (c->viewport()->rect().contains(p)) {
            canvas = c;
            local = p;
            row = c->rowAt(p);
            break;
        }
    }
    PlanBoardCanvas *oldCanvas = m_drag.canvas;
    const int oldRow = m_drag.row;
    const QPoint oldBadge = m_drag.badge;
    m_drag.badge = local;
    if (oldCanvas && oldCanvas != canvas)
        oldCanvas->viewport()->update(QRect(oldBadge, QSize(40, 30)));
    if (canvas) {
        canvas->viewport()->update(QRect(oldBadge, QSize(40, 30)));
        canvas->viewport()->update(QRect(local, QSize(40, 30)));
    }
    if (canvas == oldCanvas && row == oldRow)
        return;
    m_drag.canvas = canvas;
    m_drag.row = row;
    m_drag.truck.clear();
    m_drag.reasons.clear();
    if (canvas == m_trucks && row >= 0) {
        m_drag.truck = m_trucks->truckOfRow(row);
        m_drag.reasons = m_model->checkAssign(m_drag.ids, m_drag.truck);
    } else if (canvas == m_tray && row >= 0) {
        for (const QString &id : std::as_const(m_drag.ids)) {
            const PlanLoad *load = m_model->load(id);
            m_drag.reasons.append(load && load->shownTruck().isEmpty()
                    ? QString()
                    : tr("A load cannot be taken off its truck; assign it to another truck."));
        }
    }
    redrawDragRows(oldCanvas, oldRow);
}

void PlanBoard::cancelDrag()
{
    if (!m_drag.active)
        return;
    PlanBoardCanvas *canvas = m_drag.canvas;
    const int row = m_drag.row;
    const bool keyboard = m_drag.keyboard;
    m_drag = Drag {};
    if (canvas) {
        canvas->updateRow(row);
        canvas->viewport()->update();
    }
    if (keyboard)
        say(tr("Nothing moved."), false);
}

void PlanBoard::drop()
{
    if (!m_drag.active)
        return;
    const Drag drag = m_drag;
    cancelDrag();
    if (!drag.canvas || drag.row < 0)
        return; // dropped over nothing: every load stays where it was
    if (drag.canvas == m_tray) {
        for (const QString &reason : drag.reasons) {
            if (!reason.isEmpty()) {
                say(reason, true);
                Q_EMIT failed(reason);
                return;
            }
        }
        return; // from the tray back into the tray: nothing to do
    }
    assignTo(drag.ids, drag.truck);
}

void PlanBoard::assignTo(const QStringList &ids, const QString &truckId, const QString &title)
{
    const QStringList reasons = m_model->checkAssign(ids, truckId);
    QVector<Step> steps;
    for (int i = 0; i < ids.size(); ++i) {
        const PlanLoad *load = m_model->load(ids.at(i));
        Step step;
        step.shipmentId = ids.at(i);
        step.refusal = reasons.value(i);
        step.moveTo = truckId;
        step.request = CommandRequest(CommandType::Assign, ids.at(i),
            { { QStringLiteral("truckId"), truckId } },
            load ? std::optional<int>(load->state.version) : std::nullopt);
        steps.append(step);
    }
    const QString named = !title.isEmpty() ? title
        : ids.size() == 1
        ? tr("Assign %1 to truck %2").arg(ids.first(), truckId)
        : tr("Assign %n loads to truck %1", nullptr, int(ids.size())).arg(truckId);
    runBatch(named, steps);
}

void PlanBoard::ship(const QStringList &ids)
{
    QVector<Step> steps;
    for (const QString &id : ids) {
        const PlanLoad *load = m_model->load(id);
        Step step;
        step.shipmentId = id;
        step.refusal = m_model->checkCommand(id, CommandType::Ship);
        step.request = CommandRequest(CommandType::Ship, id, {},
            load ? std::optional<int>(load->state.version) : std::nullopt);
        steps.append(step);
    }
    runBatch(ids.size() == 1 ? tr("Ship %1").arg(ids.value(0))
                             : tr("Ship %n loads", nullptr, int(ids.size())),
        steps);
}

void PlanBoard::reschedule(const QStringList &ids, qint64 shiftMs, const QString &reason)
{
    QVector<Step> steps;
    for (const QString &id : ids) {
        const PlanLoad *load = m_model->load(id);
        Step step;
        step.shipmentId = id;
        QJsonObject body;
        if (load) {
            const ShipmentState &s = load->state;
            // A load on the road has been picked up: only its delivery window can move.
            if (s.status != ShipmentStatus::Shipped) {
                if (const auto w = shifted(s.pickupWindow, shiftMs))
                    body.insert(QStringLiteral("pickupWindow"), w->toJson());
            }
            if (const auto w = shifted(s.deliveryWindow, shiftMs))
                body.insert(QStringLiteral("deliveryWindow"), w->toJson());
            if (body.isEmpty())
                step.refusal = tr("Shipment %1 has no window that can be moved.").arg(id);
            if (!reason.trimmed().isEmpty())
                body.insert(QStringLiteral("reason"), reason.trimmed());
            step.request = CommandRequest(CommandType::Reschedule, id, body, s.version);
        } else {
            step.refusal = tr("Shipment %1 is no longer on the board.").arg(id);
        }
        if (step.refusal.isEmpty()) {
            QJsonObject data;
            const ValidationErrors errors
                = validateCommandBody(CommandType::Reschedule, body, &data);
            if (!errors.isEmpty())
                step.refusal = errors.first().message;
            else
                step.refusal = m_model->checkCommand(id, CommandType::Reschedule, data);
        }
        steps.append(step);
    }
    const double hours = double(shiftMs) / kHourMs;
    runBatch(ids.size() == 1
            ? tr("Reschedule %1 by %2 h").arg(ids.value(0)).arg(hours)
            : tr("Reschedule %n loads by %1 h", nullptr, int(ids.size())).arg(hours),
        steps);
}

void PlanBoard::moveAll(const QString &fromTruck, const QString &toTruck)
{
    const int row = m_model->truckRow(fromTruck);
    if (row < 0)
        return;
    const QStringList ids = m_model->openLoadsOf(row);
    if (ids.isEmpty()) {
        say(tr("Truck %1 has no loads to move.").arg(fromTruck), false);
        return;
    }
    // One command per load, tied together by one correlation id (runBatch).
    assignTo(ids, toTruck, tr("Move every load of truck %1 to truck %2").arg(fromTruck, toTruck));
}

void PlanBoard::runBatch(const QString &title, QVector<Step> steps)
{
    if (steps.isEmpty())
        return;
    if (m_inFlight > 0) {
        say(tr("Wait for the answers to the last change first."), true);
        return;
    }
    m_batch = PlanBatchOutcome { title, {}, {}, {} };
    m_batchSize = int(steps.size());
    QVector<Step> toSend;
    for (const Step &step : steps) {
        if (!step.refusal.isEmpty())
            m_batch.refused.append(tr("%1: %2").arg(step.shipmentId, step.refusal));
        else
            toSend.append(step);
    }
    // The commands of one action share a correlation id: the history shows them as one.
    if (steps.size() > 1)
        m_batch.correlationId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_inFlight = int(toSend.size());
    updateActions();
    for (const Step &step : std::as_const(toSend)) {
        if (!step.moveTo.isEmpty())
            m_model->beginMove(step.shipmentId, step.moveTo);
        CommandRequest request = step.request;
        request.correlationId = m_batch.correlationId;
        m_session->commands()->send(request, this, [this, step, request](const CommandResult &r) {
            const QString &id = step.shipmentId;
            int version = 0;
            for (const QJsonValue &event : r.events)
                version
                    = std::max(version, event.toObject().value(QLatin1String("version")).toInt());
            const bool done = r.outcome == CommandResult::Outcome::Succeeded;
            if (!step.moveTo.isEmpty())
                m_model->finishMove(id, done, version);
            switch (r.outcome) {
            case CommandResult::Outcome::Succeeded:
                m_batch.succeeded.append(id);
                break;
            case CommandResult::Outcome::Pending:
                m_batch.succeeded.append(
                    tr("%1 (recorded; Waybill tells you if it cannot be carried out)").arg(id));
                break;
            case CommandResult::Outcome::Refused:
                if (r.currentVersion && request.expectedVersion) {
                    m_batch.refused.append(
                        tr("%1: someone else changed it first (you saw version %2; it is now at "
                           "version %3). The board shows it as it is now.")
                            .arg(id)
                            .arg(*request.expectedVersion)
                            .arg(*r.currentVersion));
                    break;
                }
                m_batch.refused.append(tr("%1: %2").arg(id, r.message));
                break;
            case CommandResult::Outcome::Rejected:
            case CommandResult::Outcome::Failed:
                m_batch.refused.append(tr("%1: %2").arg(id, r.message));
                break;
            }
            // The load as the server has it now, whatever the answer: read once with the live
            // event the command causes, if that comes about the same time.
            m_model->refreshLoad(id);
            if (--m_inFlight == 0)
                finishBatch();
        });
    }
    if (m_inFlight == 0)
        finishBatch();
}

void PlanBoard::finishBatch()
{
    m_lastOutcome = m_batch;
    const PlanBatchOutcome &o = m_lastOutcome;
    updateActions();
    if (m_batchSize == 1) {
        if (!o.refused.isEmpty()) {
            const QString text = tr("%1 was refused: %2").arg(o.title, o.refused.first());
            say(text, true);
            Q_EMIT failed(text);
        } else {
            const QString text = tr("%1: done.").arg(o.title);
            say(text, false);
            Q_EMIT succeeded(text);
        }
    } else {
        const QString text = tr("%1: %2 done, %3 refused.")
                                 .arg(o.title)
                                 .arg(o.succeeded.size())
                                 .arg(o.refused.size());
        say(text, !o.refused.isEmpty());
        if (m_summary)
            m_summary->close();
        m_summary = new PlanSummaryDialog(o, this);
        m_summary->setAttribute(Qt::WA_DeleteOnClose);
        m_summary->open();
        if (o.refused.isEmpty())
            Q_EMIT succeeded(text);
        else
            Q_EMIT failed(text);
    }
    Q_EMIT batchFinished();
}

void PlanBoard::openAssign()
{
    const QStringList ids = actionable();
    if (ids.isEmpty() || !m_assign->isEnabled())
        return;
    auto *dialog = new PlanTruckDialog(m_model, tr("Assign to a truck"),
        tr("Assign %n load(s) to the truck chosen: %1.", nullptr, int(ids.size()))
            .arg(ids.join(QLatin1String(", "))),
        {}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
        [this, ids, dialog] { assignTo(ids, dialog->truckId()); });
    dialog->open();
}

void PlanBoard::openReschedule()
{
    const QStringList ids = actionable();
    if (ids.isEmpty() || !m_reschedule->isEnabled())
        return;
    auto *dialog = new PlanRescheduleDialog(int(ids.size()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
        [this, ids, dialog] { reschedule(ids, dialog->shiftMs(), dialog->reason()->text()); });
    dialog->open();
}

void PlanBoard::openMoveAll(const QString &fromTruck)
{
    QString from = fromTruck;
    if (from.isEmpty())
        from = m_trucks->truckOfRow(m_trucks->currentRow());
    const int row = m_model->truckRow(from);
    const int loads = int(m_model->openLoadsOf(row).size());
    if (loads == 0 || m_inFlight > 0)
        return;
    auto *dialog = new PlanTruckDialog(m_model, tr("Move every load of truck %1").arg(from),
        tr("Truck %1 carries %n load(s). Each is moved to the truck chosen, one command per "
           "load; a summary says which were moved and which were refused, and why.",
            nullptr, loads)
            .arg(from),
        from, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
        [this, from, dialog] { moveAll(from, dialog->truckId()); });
    dialog->open();
}

void PlanBoard::showContextMenu(
    PlanBoardCanvas *canvas, const QPoint &globalPos, int row, const QString &shipmentId)
{
    QMenu menu(this);
    if (!shipmentId.isEmpty() || !m_selection.isEmpty()) {
        for (QAction *action : { m_assign, m_ship, m_reschedule, m_pickUp }) {
            if (action->isVisible())
                menu.addAction(action);
        }
    }
    const QString truck = canvas == m_trucks ? m_trucks->truckOfRow(row) : QString();
    if (!truck.isEmpty() && m_moveAll->isVisible()) {
        menu.addSeparator();
        QAction *move = menu.addAction(tr("Move every load of truck %1…").arg(truck), this,
            [this, truck] { openMoveAll(truck); });
        move->setEnabled(!m_model->openLoadsOf(row).isEmpty() && m_inFlight == 0);
    }
    if (!menu.isEmpty())
        menu.exec(globalPos);
}

} // namespace waybill::app
