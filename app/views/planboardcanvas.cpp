#include "planboardcanvas.h"

#include "domain/weight.h"
#include "models/planboardmodel.h"
#include "planboard.h"
#include "presentation/statuspresentation.h"
#include "presentation/timetext.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QElapsedTimer>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>

namespace waybill::app {

namespace {
const QColor kGrid(0xDD, 0xDD, 0xDD);
const QColor kDayLine(0xA8, 0xA8, 0xA8);
const QColor kNow(0xD3, 0x2F, 0x2F);
const QColor kSelected(0x0D, 0x47, 0xA1);
const QColor kOutOfServiceRow(0xFB, 0xE9, 0xE7);
const QColor kAllowed(0x2E, 0x7D, 0x32);
const QColor kRefused(0xC6, 0x28, 0x28);
constexpr qint64 kHourMs = 3600 * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;

QString poundsText(qint64 hundredths)
{
    return QLocale().toString(qRound64(hundredthsToPounds(hundredths)));
}
} // namespace

QColor PlanBoardCanvas::lateColor()
{
    return QColor(0xC6, 0x28, 0x28);
}

PlanBoardCanvas::PlanBoardCanvas(PlanBoard *board, Kind kind, QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_board(board)
    , m_kind(kind)
{
    setObjectName(kind == Kind::Trucks ? QStringLiteral("planTrucks") : QStringLiteral("planTray"));
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Always there, so that the trucks and the tray have plots of one width and times line up.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    viewport()->setMouseTracking(false);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    verticalScrollBar()->setSingleStep(kLaneHeight);
    setAccessibleName(kind == Kind::Trucks ? tr("Trucks and their loads over time")
                                           : tr("Loads waiting for a truck"));
    relayout();
}

int PlanBoardCanvas::rowCount() const
{
    return m_kind == Kind::Tray ? 1 : int(m_board->model()->trucks().size());
}

int PlanBoardCanvas::lanesOf(int row) const
{
    const PlanBoardModel *model = m_board->model();
    if (m_kind == Kind::Tray)
        return model->trayLanes();
    return model->trucks().at(row).lanes;
}

const QVector<int> &PlanBoardCanvas::loadsOf(int row) const
{
    const PlanBoardModel *model = m_board->model();
    if (m_kind == Kind::Tray)
        return model->tray();
    return model->trucks().at(row).loads;
}

int PlanBoardCanvas::rowHeight(int row) const
{
    // A truck row is at least as tall as its label's three lines.
    const int minimum = m_kind == Kind::Trucks ? 3 * fontMetrics().height() + 6 : 0;
    return std::max(minimum, lanesOf(row) * kLaneHeight + kRowPadding);
}

void PlanBoardCanvas::relayout()
{
    const int rows = rowCount();
    m_tops.resize(rows);
    int y = 0;
    for (int row = 0; row < rows; ++row) {
        m_tops[row] = y;
        y += rowHeight(row);
    }
    m_contentHeight = y;
    m_currentRow = std::clamp(m_currentRow, 0, std::max(0, rows - 1));
    if (!m_currentLoad.isEmpty() && m_board->model()->loadIndex(m_currentLoad) < 0)
        m_currentLoad.clear();
    updateScrollRange();
    viewport()->update();
}

void PlanBoardCanvas::updateScrollRange()
{
    const int visible = viewport()->height() - bodyTop();
    verticalScrollBar()->setPageStep(std::max(1, visible));
    verticalScrollBar()->setRange(0, std::max(0, m_contentHeight - visible));
}

void PlanBoardCanvas::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollRange();
}

void PlanBoardCanvas::scrollContentsBy(int, int)
{
    viewport()->update();
}

QRect PlanBoardCanvas::plotRect() const
{
    const QRect area = viewport()->rect();
    return QRect(kLabelWidth, bodyTop(), std::max(1, area.width() - kLabelWidth),
        std::max(1, area.height() - bodyTop()));
}

QRect PlanBoardCanvas::rowRect(int row) const
{
    if (row < 0 || row >= m_tops.size())
        return {};
    return QRect(0, bodyTop() + m_tops.at(row) - verticalScrollBar()->value(), viewport()->width(),
        rowHeight(row));
}

int PlanBoardCanvas::firstRowAt(int contentY) const
{
    const auto it = std::upper_bound(m_tops.begin(), m_tops.end(), contentY);
    return std::max(0, int(it - m_tops.begin()) - 1);
}

int PlanBoardCanvas::rowAt(const QPoint &pos) const
{
    if (pos.y() < bodyTop() || m_tops.isEmpty() || !viewport()->rect().contains(pos))
        return -1;
    const int contentY = pos.y() - bodyTop() + verticalScrollBar()->value();
    if (contentY >= m_contentHeight)
        return -1;
    return firstRowAt(contentY);
}

QRect PlanBoardCanvas::barIn(const PlanLoad &load, const QRect &row, const QRect &plot) const
{
    const double x1 = m_board->xOf(load.startMs, plot);
    const double x2 = m_board->xOf(load.endMs, plot);
    const int left = int(std::floor(std::max(x1, double(plot.left() - 10))));
    const int right = int(std::ceil(std::min(x2, double(plot.right() + 10))));
    return QRect(left, row.top() + kRowPadding / 2 + load.lane * kLaneHeight,
        std::max(4, right - left), kLaneHeight - 3);
}

QRect PlanBoardCanvas::barRect(const QString &shipmentId) const
{
    const PlanBoardModel *model = m_board->model();
    const PlanLoad *load = model->load(shipmentId);
    if (!load)
        return {};
    int row = 0;
    if (m_kind == Kind::Trucks) {
        row = model->truckRow(load->shownTruck());
        if (row < 0)
            return {};
    } else if (!load->shownTruck().isEmpty()) {
        return {};
    }
    return barIn(*load, rowRect(row), plotRect());
}

QString PlanBoardCanvas::loadAt(const QPoint &pos) const
{
    const int row = rowAt(pos);
    if (row < 0 || pos.x() < kLabelWidth)
        return {};
    const QRect rect = rowRect(row);
    const QRect plot = plotRect();
    const QVector<PlanLoad> &loads = m_board->model()->loads();
    for (int index : loadsOf(row)) {
        if (barIn(loads.at(index), rect, plot).contains(pos))
            return loads.at(index).state.id;
    }
    return {};
}

int PlanBoardCanvas::rowOfTruck(const QString &truckId) const
{
    if (m_kind == Kind::Tray)
        return truckId.isEmpty() ? 0 : -1;
    return m_board->model()->truckRow(truckId);
}

QString PlanBoardCanvas::truckOfRow(int row) const
{
    if (m_kind == Kind::Tray || row < 0 || row >= m_board->model()->trucks().size())
        return {};
    return m_board->model()->trucks().at(row).id();
}

void PlanBoardCanvas::setCurrent(int row, const QString &shipmentId)
{
    const int old = m_currentRow;
    m_currentRow = std::clamp(row, 0, std::max(0, rowCount() - 1));
    m_currentLoad = shipmentId;
    updateRow(old);
    updateRow(m_currentRow);
}

void PlanBoardCanvas::ensureRowVisible(int row)
{
    if (row < 0 || row >= m_tops.size())
        return;
    QScrollBar *bar = verticalScrollBar();
    const int visible = viewport()->height() - bodyTop();
    const int top = m_tops.at(row);
    const int bottom = top + rowHeight(row);
    if (top < bar->value())
        bar->setValue(top);
    else if (bottom > bar->value() + visible)
        bar->setValue(std::min(top, bottom - visible));
}

void PlanBoardCanvas::ensureLoadVisible(const QString &shipmentId)
{
    const PlanLoad *load = m_board->model()->load(shipmentId);
    if (!load)
        return;
    const qint64 start = m_board->viewStartMs();
    const qint64 end = start + m_board->spanMs();
    if (load->startMs < start || load->startMs > end - m_board->spanMs() / 10)
        m_board->setView(load->startMs - m_board->spanMs() / 10, m_board->spanMs());
    const int row = rowOfTruck(load->shownTruck());
    if (row < 0)
        return;
    ensureRowVisible(row);
    // A tall row (the tray): its lane, too.
    const QRect bar = barRect(shipmentId);
    const int visibleTop = bodyTop();
    const int visibleBottom = viewport()->height();
    QScrollBar *scroll = verticalScrollBar();
    if (bar.top() < visibleTop)
        scroll->setValue(scroll->value() - (visibleTop - bar.top()) - kRowPadding);
    else if (bar.bottom() > visibleBottom)
        scroll->setValue(scroll->value() + (bar.bottom() - visibleBottom) + kRowPadding);
}

void PlanBoardCanvas::updateRow(int row)
{
    const QRect rect = rowRect(row);
    if (rect.isValid())
        viewport()->update(rect);
}

void PlanBoardCanvas::paintEvent(QPaintEvent *event)
{
    QElapsedTimer clock;
    clock.start();
    QPainter painter(viewport());
    const QRect dirty = event->rect();
    const QRect plot = plotRect();
    painter.fillRect(dirty, palette().base());

    if (!m_tops.isEmpty()) {
        const int scroll = verticalScrollBar()->value();
        const int from = firstRowAt(std::max(0, dirty.top() - bodyTop() + scroll));
        for (int row = from; row < m_tops.size(); ++row) {
            const QRect rect = rowRect(row);
            if (rect.top() > dirty.bottom())
                break;
            if (rect.bottom() < bodyTop() || !rect.intersects(dirty))
                continue;
            painter.save();
            painter.setClipRect(
                QRect(0, bodyTop(), viewport()->width(), viewport()->height() - bodyTop()));
            paintRow(painter, row, rect, plot);
            painter.restore();
        }
    }
    // The time of day: day boundaries, and now.
    painter.save();
    painter.setClipRect(plot.intersected(dirty));
    const qint64 start = m_board->viewStartMs();
    const qint64 end = start + m_board->spanMs();
    QDateTime day = QDateTime::fromMSecsSinceEpoch(start).toLocalTime();
    day.setTime(QTime(0, 0));
    for (; day.toMSecsSinceEpoch() <= end; day = day.addDays(1)) {
        const double x = m_board->xOf(day.toMSecsSinceEpoch(), plot);
        painter.setPen(kDayLine);
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
    const double nowX = m_board->xOf(m_board->nowMs(), plot);
    painter.setPen(QPen(kNow, 2));
    painter.drawLine(QPointF(nowX, plot.top()), QPointF(nowX, plot.bottom()));
    painter.restore();

    if (m_board->drag().active && m_board->drag().canvas == this)
        paintDragGhost(painter, plot);
    if (m_kind == Kind::Trucks && dirty.top() < kAxisHeight)
        paintAxis(painter, plot);
    if (m_tops.isEmpty() || (m_kind == Kind::Tray && m_board->model()->tray().isEmpty())) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        const QString text = m_kind == Kind::Tray
            ? (m_board->model()->hasLoaded() ? tr("No load is waiting for a truck.") : QString())
            : tr("No trucks yet: register them in the Trucks tab.");
        painter.drawText(plot.adjusted(8, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
    }
    m_lastPaintUs = clock.nsecsElapsed() / 1000;
    ++m_paints;
}

PlanBoardCanvas::AxisLabels PlanBoardCanvas::axisLabels() const
{
    AxisLabels labels;
    const QRect plot = plotRect();
    const double plotEnd = plot.left() + plot.width();
    const double half = kAxisHeight / 2;
    const QFontMetricsF metrics(font());
    // Labels keep at least a space between them, as words do ("ahora mar 1", never "ahoramar 1").
    const double gap = metrics.horizontalAdvance(QLatin1Char(' '));

    // The now label, beside its line: on the side where it crosses no day's line and stays in
    // the plot (right, or left late in the evening); else where it stays in the plot.
    QRectF keepOff;
    const qint64 now = m_board->nowMs();
    const double nowX = m_board->xOf(now, plot);
    // [start, start + span) is drawn on [left, left + width): in the day's last minute now lies
    // past QRect::right(), which is left + width - 1.
    if (nowX >= plot.left() && nowX < plotEnd) {
        QFont bold = font();
        bold.setBold(true);
        const QString text = tr("now");
        const double width = QFontMetricsF(bold).horizontalAdvance(text) + 6;
        QDateTime today = QDateTime::fromMSecsSinceEpoch(now).toLocalTime();
        today.setTime(QTime(0, 0));
        const double dayLeft
            = std::max(m_board->xOf(today.toMSecsSinceEpoch(), plot), double(plot.left()));
        const double dayRight
            = std::min(m_board->xOf(today.addDays(1).toMSecsSinceEpoch(), plot), plotEnd);
        const double right = nowX + 2;
        const double left = nowX - 2 - width;
        double x = right;
        if (right + width > dayRight && left >= dayLeft)
            x = left;
        else if (right + width > plotEnd)
            x = std::max(left, double(plot.left()));
        labels.now = { text, QRectF(x, 1, width, half - 2) };
        labels.nowX = nowX;
        keepOff = labels.now.rect.adjusted(-gap, 0, gap, 0);
    }

    // Each day's date: the longest form that fits the day and keeps off the now label, beside
    // the day's line or else just past the now label; none when no form fits.
    const QLocale locale;
    const qint64 start = m_board->viewStartMs();
    const qint64 end = start + m_board->spanMs();
    QDateTime day = QDateTime::fromMSecsSinceEpoch(start).toLocalTime();
    day.setTime(QTime(0, 0));
    for (; day.toMSecsSinceEpoch() < end; day = day.addDays(1)) {
        const double x = m_board->xOf(day.toMSecsSinceEpoch(), plot);
        const double next = m_board->xOf(day.addDays(1).toMSecsSinceEpoch(), plot);
        const double from = std::max(x, double(plot.left())) + 4;
        const double to = std::min(next, plotEnd) - 2;
        QStringList forms;
        // The day's name and month in full only where a day has room to spare.
        if (next - x > 150)
            forms.append(locale.toString(day.date(), QStringLiteral("dddd d MMMM")));
        forms.append(locale.toString(day.date(), QStringLiteral("ddd d")));
        forms.append(locale.toString(day.date(), QStringLiteral("d")));
        bool placed = false;
        for (const QString &text : std::as_const(forms)) {
            const double width = metrics.horizontalAdvance(text);
            for (const double left : { from, keepOff.isNull() ? from : keepOff.right() + 1 }) {
                const QRectF rect(std::max(left, from), 0, width, half);
                if (rect.right() <= to && !rect.intersects(keepOff)) {
                    labels.days.append({ text, rect });
                    placed = true;
                    break;
                }
            }
            if (placed)
                break;
        }
    }
    return labels;
}

void PlanBoardCanvas::paintAxis(QPainter &painter, const QRect &plot)
{
    const QRect axis(0, 0, viewport()->width(), kAxisHeight);
    painter.fillRect(axis, palette().window());
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(axis.bottomLeft(), axis.bottomRight());
    painter.setPen(palette().color(QPalette::WindowText));
    const QRect title(6, 0, kLabelWidth - 12, kAxisHeight);
    painter.drawText(title, Qt::AlignLeft | Qt::AlignVCenter,
        fontMetrics().elidedText(tr("Truck · load / capacity"), Qt::ElideRight, title.width()));

    const qint64 start = m_board->viewStartMs();
    const qint64 span = m_board->spanMs();
    const qint64 end = start + span;
    const double perHour = plot.width() / (double(span) / kHourMs);
    static const int steps[] = { 1, 2, 3, 6, 12, 24 };
    int stepHours = 24;
    for (int s : steps) {
        if (perHour * s >= 46) {
            stepHours = s;
            break;
        }
    }
    painter.save();
    painter.setClipRect(QRect(plot.left(), 0, plot.width(), kAxisHeight));
    const QLocale locale;
    const int half = kAxisHeight / 2;
    QDateTime day = QDateTime::fromMSecsSinceEpoch(start).toLocalTime();
    day.setTime(QTime(0, 0));
    for (; day.toMSecsSinceEpoch() < end; day = day.addDays(1)) {
        const double x = m_board->xOf(day.toMSecsSinceEpoch(), plot);
        painter.setPen(kDayLine);
        painter.drawLine(QPointF(x, 0), QPointF(x, kAxisHeight));
        if (stepHours < 24) {
            painter.setPen(palette().color(QPalette::PlaceholderText));
            for (int h = stepHours; h < 24; h += stepHours) {
                const double hx = m_board->xOf(day.addSecs(h * 3600).toMSecsSinceEpoch(), plot);
                painter.drawLine(QPointF(hx, half + 2), QPointF(hx, kAxisHeight));
                painter.drawText(QRectF(hx + 3, half, 60, half), Qt::AlignLeft | Qt::AlignVCenter,
                    locale.toString(QTime(h, 0), QLocale::ShortFormat));
            }
        }
    }
    // The dates, and the now label in the dates' row, where it hides no hour; each one's
    // rectangle has room for its text whole.
    const AxisLabels labels = axisLabels();
    painter.setPen(palette().color(QPalette::WindowText));
    for (const AxisLabel &label : labels.days)
        painter.drawText(
            label.rect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip, label.text);
    if (!labels.now.text.isEmpty()) {
        painter.setPen(QPen(kNow, 2));
        painter.drawLine(QPointF(labels.nowX, 0), QPointF(labels.nowX, kAxisHeight));
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.fillRect(labels.now.rect, palette().window());
        painter.drawText(labels.now.rect, Qt::AlignCenter | Qt::TextDontClip, labels.now.text);
    }
    painter.restore();
}

void PlanBoardCanvas::paintRow(QPainter &painter, int row, const QRect &rect, const QRect &plot)
{
    const bool outOfService
        = m_kind == Kind::Trucks && !m_board->model()->trucks().at(row).inService();
    if (outOfService)
        painter.fillRect(rect, kOutOfServiceRow);
    else if (row % 2 == 1)
        painter.fillRect(rect, palette().alternateBase());
    painter.setPen(kGrid);
    painter.drawLine(rect.bottomLeft(), rect.bottomRight());
    paintLabel(painter, row, QRect(rect.left(), rect.top(), kLabelWidth, rect.height()));

    painter.save();
    painter.setClipRect(plot.intersected(rect));
    const QVector<PlanLoad> &loads = m_board->model()->loads();
    const qint64 viewStart = m_board->viewStartMs();
    const qint64 viewEnd = viewStart + m_board->spanMs();
    for (int index : loadsOf(row)) {
        const PlanLoad &load = loads.at(index);
        if (load.startMs > viewEnd)
            break; // by start time: the rest are later still
        if (load.endMs < viewStart)
            continue;
        paintBar(painter, load, barIn(load, rect, plot), m_board->isSelected(load.state.id));
    }
    painter.restore();
    if (hasFocus() && row == m_currentRow && m_currentLoad.isEmpty()) {
        painter.setPen(QPen(kSelected, 1, Qt::DotLine));
        painter.drawRect(rect.adjusted(1, 1, -2, -2));
    }
}

void PlanBoardCanvas::paintLabel(QPainter &painter, int row, const QRect &rect)
{
    painter.fillRect(rect.adjusted(0, 0, 0, -1),
        m_kind == Kind::Tray ? palette().window()
                             : (row % 2 == 1 ? palette().alternateBase() : palette().base()));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(rect.topRight(), rect.bottomRight());
    const QFontMetrics metrics = fontMetrics();
    const int line = metrics.height();
    const QRect text = rect.adjusted(6, 3, -6, -3);
    QFont bold = font();
    bold.setBold(true);
    if (m_kind == Kind::Tray) {
        painter.setFont(bold);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(text, Qt::AlignLeft | Qt::AlignTop,
            tr("Waiting for a truck (%1)").arg(m_board->model()->tray().size()));
        painter.setFont(font());
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(text.adjusted(0, line, 0, 0),
            Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
            tr("Drag a load onto a truck to assign it."));
        return;
    }
    const PlanTruck &truck = m_board->model()->trucks().at(row);
    const TruckState &state = truck.truck.state;
    painter.setFont(bold);
    painter.setPen(palette().color(QPalette::WindowText));
    const QString name = state.name.isEmpty() ? state.id : tr("%1 (%2)").arg(state.name, state.id);
    painter.drawText(QRect(text.left(), text.top(), text.width(), line),
        Qt::AlignLeft | Qt::AlignVCenter, metrics.elidedText(name, Qt::ElideRight, text.width()));
    painter.setFont(font());
    // The load against the capacity: a bar and the figures.
    const QRect bar(text.left(), text.top() + line + 3, 60, line - 6);
    QString figures;
    if (state.capacityPounds) {
        const double use = double(truck.loadHundredths) / (100.0 * *state.capacityPounds);
        painter.fillRect(bar, palette().midlight());
        const QColor fill = use > 1.0 ? QColor(0xC6, 0x28, 0x28)
            : use >= 0.8              ? QColor(0xEF, 0x8F, 0x00)
                                      : QColor(0x43, 0xA0, 0x47);
        painter.fillRect(
            QRect(bar.left(), bar.top(), int(bar.width() * std::min(1.0, use)), bar.height()),
            fill);
        figures
            = tr("%1 / %2 lb")
                  .arg(poundsText(truck.loadHundredths), QLocale().toString(*state.capacityPounds));
    } else {
        figures = tr("%1 lb, no capacity set").arg(poundsText(truck.loadHundredths));
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(
        QRect(bar.right() + 6, text.top() + line, text.width() - bar.width() - 6, line),
        Qt::AlignLeft | Qt::AlignVCenter,
        metrics.elidedText(figures, Qt::ElideRight, text.width() - bar.width() - 6));
    const QString status = truck.inService()
        ? (truck.loads.isEmpty() ? tr("In service, free") : tr("In service"))
        : tr("Out of service: %1").arg(state.outOfServiceReason);
    painter.setPen(truck.inService() ? QColor(0x1B, 0x6E, 0x20) : kRefused);
    painter.drawText(QRect(text.left(), text.top() + 2 * line, text.width(), line),
        Qt::AlignLeft | Qt::AlignVCenter, metrics.elidedText(status, Qt::ElideRight, text.width()));
}

void PlanBoardCanvas::paintBar(
    QPainter &painter, const PlanLoad &load, const QRect &bar, bool selected)
{
    const QString status = shipmentStatusName(load.state.status);
    QColor fill = StatusPresentation::color(status);
    if (load.pending)
        fill.setAlpha(110);
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawRoundedRect(bar, 3, 3);
    if (!load.hasWindow || load.pending) {
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(fill.darker(160), 1, Qt::DashLine));
        painter.drawRoundedRect(bar.adjusted(0, 0, -1, -1), 3, 3);
    }
    // A bar that began before the time in view shows its name where it comes into view.
    int textLeft = std::max(bar.left(), kLabelWidth) + 4;
    const Lateness late = load.lateness(QDateTime::fromMSecsSinceEpoch(m_board->nowMs(), Qt::UTC));
    if (late != Lateness::None) {
        // A red flag at the start: late for its pickup or for its delivery.
        const QRect flag(textLeft - 4, bar.top(), 7, bar.height());
        painter.fillRect(flag, lateColor());
        painter.setPen(QPen(lateColor(), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(bar.adjusted(1, 1, -1, -1), 3, 3);
        textLeft += 6;
    }
    if (selected) {
        painter.setPen(QPen(kSelected, 3));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(bar.adjusted(1, 1, -2, -2), 3, 3);
    }
    if (hasFocus() && load.state.id == m_currentLoad) {
        painter.setPen(QPen(palette().color(QPalette::WindowText), 1, Qt::DotLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(bar.adjusted(-2, -2, 1, 1));
    }
    const int width = bar.right() - textLeft - 2;
    if (width > 14) {
        painter.setPen(fill.lightness() > 150 ? Qt::black : Qt::white);
        QString text = load.state.id;
        if (late == Lateness::Pickup)
            text = tr("%1 · late for pickup").arg(text);
        else if (late == Lateness::Delivery)
            text = tr("%1 · late for delivery").arg(text);
        painter.drawText(QRect(textLeft, bar.top(), width, bar.height()),
            Qt::AlignLeft | Qt::AlignVCenter,
            fontMetrics().elidedText(text, Qt::ElideRight, width));
    }
}

void PlanBoardCanvas::paintDragGhost(QPainter &painter, const QRect &plot)
{
    const PlanBoard::Drag &drag = m_board->drag();
    const bool allowed = drag.row >= 0 && !drag.reasons.isEmpty()
        && std::all_of(
            drag.reasons.begin(), drag.reasons.end(), [](const QString &r) { return r.isEmpty(); });
    const QColor colour = allowed ? kAllowed : kRefused;
    if (drag.row >= 0) {
        const QRect row = rowRect(drag.row);
        painter.save();
        painter.setClipRect(
            QRect(0, bodyTop(), viewport()->width(), viewport()->height() - bodyTop()));
        painter.setPen(QPen(colour, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(row.adjusted(1, 1, -2, -2));
        // Where each load would be drawn on this truck.
        QColor ghost = colour;
        ghost.setAlpha(70);
        for (const QString &id : drag.ids) {
            const PlanLoad *load = m_board->model()->load(id);
            if (!load)
                continue;
            PlanLoad shown = *load;
            shown.lane = 0;
            const QRect bar = barIn(shown, row, plot);
            painter.fillRect(bar.intersected(plot), ghost);
            painter.setPen(QPen(colour, 1, Qt::DashLine));
            painter.drawRect(bar.intersected(plot).adjusted(0, 0, -1, -1));
        }
        // What the drop would do, or why it would be refused.
        QString verdict;
        if (allowed) {
            verdict = drag.ids.size() == 1
                ? tr("Assign %1 to truck %2").arg(drag.ids.first(), drag.truck)
                : tr("Assign %n loads to truck %1", nullptr, int(drag.ids.size())).arg(drag.truck);
        } else {
            for (const QString &reason : drag.reasons) {
                if (!reason.isEmpty()) {
                    verdict = reason;
                    break;
                }
            }
        }
        const QFontMetrics metrics = fontMetrics();
        const int width = std::min(plot.width() - 8, metrics.horizontalAdvance(verdict) + 12);
        const QRect box(plot.left() + 4, row.top() + 2, width, metrics.height() + 4);
        painter.fillRect(box, colour);
        painter.setPen(Qt::white);
        painter.drawText(box.adjusted(6, 0, -6, 0), Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(verdict, Qt::ElideRight, box.width() - 12));
        painter.restore();
    }
    if (!drag.keyboard && viewport()->rect().contains(drag.badge)) {
        const QString count = QString::number(drag.ids.size());
        const QRect badge(drag.badge + QPoint(12, 8), QSize(24, 18));
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawRoundedRect(badge, 8, 8);
        painter.setPen(Qt::white);
        painter.drawText(badge, Qt::AlignCenter, count);
    }
}

void PlanBoardCanvas::mousePressEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const int row = rowAt(pos);
    const QString id = loadAt(pos);
    m_pressPos = pos;
    m_pressedLoad = id;
    m_pressed = true;
    if (row >= 0)
        setCurrent(row, id);
    if (id.isEmpty()) {
        if (!(event->modifiers() & Qt::ControlModifier))
            m_board->setSelection({});
        return;
    }
    if (event->modifiers() & Qt::ControlModifier)
        m_board->toggleSelected(id);
    else if (!m_board->isSelected(id))
        m_board->setSelection({ id });
}

void PlanBoardCanvas::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (!m_pressed || !(event->buttons() & Qt::LeftButton)) {
        QAbstractScrollArea::mouseMoveEvent(event);
        return;
    }
    if (!m_board->drag().active) {
        if (m_pressedLoad.isEmpty()
            || (pos - m_pressPos).manhattanLength() < QApplication::startDragDistance())
            return;
        const QStringList ids = m_board->isSelected(m_pressedLoad) ? m_board->selection()
                                                                   : QStringList { m_pressedLoad };
        m_board->beginDrag(ids, false);
    }
    m_board->dragTo(viewport()->mapToGlobal(pos));
}

void PlanBoardCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mouseReleaseEvent(event);
        return;
    }
    m_pressed = false;
    if (m_board->drag().active && !m_board->drag().keyboard) {
        m_board->dragTo(viewport()->mapToGlobal(event->position().toPoint()));
        m_board->drop();
    }
}

void PlanBoardCanvas::mouseDoubleClickEvent(QMouseEvent *event)
{
    // A double click is two clicks: no action of its own.
    mousePressEvent(event);
}

void PlanBoardCanvas::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        if (delta.y() != 0)
            m_board->zoom(delta.y() > 0 ? 0.8 : 1.25);
        event->accept();
        return;
    }
    if ((event->modifiers() & Qt::ShiftModifier) || delta.x() != 0) {
        const int amount = delta.x() != 0 ? delta.x() : delta.y();
        m_board->scrollTime(-amount / 120.0 * 0.1);
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void PlanBoardCanvas::moveCurrent(int rowDelta, int loadDelta)
{
    const int rows = rowCount();
    if (rows == 0)
        return;
    const QVector<PlanLoad> &loads = m_board->model()->loads();
    const PlanLoad *current = m_board->model()->load(m_currentLoad);
    int row = std::clamp(m_currentRow + rowDelta, 0, rows - 1);
    const QVector<int> &inRow = loadsOf(row);
    QString id;
    if (rowDelta != 0) {
        // The load of the new row nearest in time to the one left, or the first one in view.
        const qint64 at = current ? current->startMs : m_board->viewStartMs();
        qint64 best = std::numeric_limits<qint64>::max();
        for (int index : inRow) {
            const qint64 distance = std::abs(loads.at(index).startMs - at);
            if (distance < best) {
                best = distance;
                id = loads.at(index).state.id;
            }
        }
    } else if (!inRow.isEmpty()) {
        int position = -1;
        for (int i = 0; i < inRow.size(); ++i) {
            if (loads.at(inRow.at(i)).state.id == m_currentLoad)
                position = i;
        }
        position = position < 0 ? (loadDelta > 0 ? 0 : int(inRow.size()) - 1)
                                : std::clamp(position + loadDelta, 0, int(inRow.size()) - 1);
        id = loads.at(inRow.at(position)).state.id;
    }
    setCurrent(row, id);
    ensureRowVisible(row);
    if (!id.isEmpty())
        ensureLoadVisible(id);
}

void PlanBoardCanvas::keyPressEvent(QKeyEvent *event)
{
    const PlanBoard::Drag &drag = m_board->drag();
    const bool control = event->modifiers() & Qt::ControlModifier;
    if (drag.active && drag.keyboard) {
        PlanBoardCanvas *trucks = m_board->truckCanvas();
        const int rows = trucks->rowCount();
        int target = drag.canvas == trucks && drag.row >= 0 ? drag.row : trucks->currentRow();
        switch (event->key()) {
        case Qt::Key_Up:
            m_board->dragToRow(std::max(0, target - 1));
            return;
        case Qt::Key_Down:
            m_board->dragToRow(std::min(rows - 1, target + 1));
            return;
        case Qt::Key_PageUp:
            m_board->dragToRow(std::max(0, target - 10));
            return;
        case Qt::Key_PageDown:
            m_board->dragToRow(std::min(rows - 1, target + 10));
            return;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            m_board->drop();
            return;
        case Qt::Key_Escape:
            m_board->cancelDrag();
            return;
        default:
            event->accept();
            return;
        }
    }
    switch (event->key()) {
    case Qt::Key_Up:
        moveCurrent(-1, 0);
        return;
    case Qt::Key_Down:
        moveCurrent(1, 0);
        return;
    case Qt::Key_Left:
        if (control)
            break; // the board scrolls the time
        moveCurrent(0, -1);
        return;
    case Qt::Key_Right:
        if (control)
            break;
        moveCurrent(0, 1);
        return;
    case Qt::Key_Space:
        if (!m_currentLoad.isEmpty()) {
            if (control)
                m_board->toggleSelected(m_currentLoad);
            else
                m_board->setSelection({ m_currentLoad });
        }
        return;
    case Qt::Key_A:
        if (control) {
            // Every load of the current row.
            QStringList ids;
            for (int index : loadsOf(m_currentRow))
                ids.append(m_board->model()->loads().at(index).state.id);
            m_board->setSelection(ids);
            return;
        }
        break;
    case Qt::Key_Escape:
        if (!m_board->selection().isEmpty()) {
            m_board->setSelection({});
            return;
        }
        break;
    case Qt::Key_Menu: {
        const QRect bar = barRect(m_currentLoad);
        const QPoint at
            = bar.isValid() ? bar.center() : rowRect(m_currentRow).topLeft() + QPoint(20, 10);
        m_board->showContextMenu(this, viewport()->mapToGlobal(at), m_currentRow, m_currentLoad);
        return;
    }
    default:
        break;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void PlanBoardCanvas::contextMenuEvent(QContextMenuEvent *event)
{
    if (event->reason() == QContextMenuEvent::Keyboard) {
        const QRect bar = barRect(m_currentLoad);
        const QPoint at
            = bar.isValid() ? bar.center() : rowRect(m_currentRow).topLeft() + QPoint(20, 10);
        m_board->showContextMenu(this, viewport()->mapToGlobal(at), m_currentRow, m_currentLoad);
        return;
    }
    const QPoint pos = viewport()->mapFromGlobal(event->globalPos());
    const int row = rowAt(pos);
    const QString id = loadAt(pos);
    if (!id.isEmpty() && !m_board->isSelected(id))
        m_board->setSelection({ id });
    if (row >= 0)
        setCurrent(row, id);
    m_board->showContextMenu(this, event->globalPos(), row, id);
}

void PlanBoardCanvas::focusInEvent(QFocusEvent *event)
{
    QAbstractScrollArea::focusInEvent(event);
    viewport()->update();
}

void PlanBoardCanvas::focusOutEvent(QFocusEvent *event)
{
    QAbstractScrollArea::focusOutEvent(event);
    viewport()->update();
}

bool PlanBoardCanvas::viewportEvent(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QAbstractScrollArea::viewportEvent(event);
    auto *help = static_cast<QHelpEvent *>(event);
    const QString id = loadAt(help->pos());
    const PlanLoad *load = m_board->model()->load(id);
    if (!load) {
        QToolTip::hideText();
        return true;
    }
    const ShipmentState &s = load->state;
    QStringList lines;
    lines << tr("<b>%1</b> · %2 · %3 lb")
                 .arg(s.id.toHtmlEscaped(),
                     StatusPresentation::displayName(shipmentStatusName(s.status)),
                     QLocale().toString(s.weightInPounds));
    lines << tr("%1 → %2").arg(s.shipFrom.city.toHtmlEscaped(), s.shipTo.city.toHtmlEscaped());
    if (s.pickupWindow)
        lines << tr("Pickup: %1 to %2")
                     .arg(TimeText::display(s.pickupWindow->from),
                         TimeText::display(s.pickupWindow->to));
    if (s.deliveryWindow)
        lines << tr("Delivery: %1 to %2")
                     .arg(TimeText::display(s.deliveryWindow->from),
                         TimeText::display(s.deliveryWindow->to));
    if (!load->hasWindow)
        lines << tr("No time window: drawn at its creation.");
    const Lateness late = load->lateness(QDateTime::fromMSecsSinceEpoch(m_board->nowMs(), Qt::UTC));
    const QString lateLine = QStringLiteral("<span style='color:%1'>%2</span>");
    if (late == Lateness::Pickup)
        lines << lateLine.arg(lateColor().name(), tr("Late: its pickup window has ended."));
    else if (late == Lateness::Delivery)
        lines << lateLine.arg(lateColor().name(), tr("Late: its delivery window has ended."));
    if (load->pending)
        lines << tr("Moving to truck %1…").arg(load->pendingTruck.toHtmlEscaped());
    QToolTip::showText(
        help->globalPos(), lines.join(QLatin1String("<br>")), viewport(), barRect(id));
    return true;
}

} // namespace waybill::app
