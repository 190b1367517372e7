// The planboard's drawing surface: rows (trucks, or the tray of loads waiting for one) against
// the board's time axis, each load a bar from its pickup window to its delivery window. Painted
// by hand: only the rows and bars in view are drawn, so a board of hundreds of trucks and
// thousands of loads opens and follows a drag without delay. Mouse and keys go to the board.
#pragma once

#include <QAbstractScrollArea>
#include <QRectF>
#include <QString>
#include <QVector>

namespace waybill::app {

class PlanBoard;
struct PlanLoad;

class PlanBoardCanvas final : public QAbstractScrollArea
{
    Q_OBJECT
public:
    enum class Kind { Trucks, Tray };

    PlanBoardCanvas(PlanBoard *board, Kind kind, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    int rowCount() const;
    // In viewport coordinates: the whole row (label and plot), its label, a load's bar.
    QRect rowRect(int row) const;
    QRect plotRect() const; // where time is drawn (right of the labels, below the axis)
    QRect barRect(const QString &shipmentId) const;
    // What is at a point of the viewport: the row (-1: none), the load (empty: none).
    int rowAt(const QPoint &pos) const;
    QString loadAt(const QPoint &pos) const;
    // The row of a truck, or 0 for the tray's one row; -1 when not here.
    int rowOfTruck(const QString &truckId) const;
    // The truck of a row; empty for the tray.
    QString truckOfRow(int row) const;

    // The keyboard's place: a row and, in it, a load.
    int currentRow() const { return m_currentRow; }
    QString currentLoad() const { return m_currentLoad; }
    void setCurrent(int row, const QString &shipmentId);
    void ensureRowVisible(int row);
    // Scrolls the rows and the time so that the load's bar is in view.
    void ensureLoadVisible(const QString &shipmentId);

    // The board's rows or loads changed.
    void relayout();
    // Redraws one row only (a drag's target coming or going).
    void updateRow(int row);
    // How long the last paint took, in microseconds (the benchmark reads it).
    qint64 lastPaintMicroseconds() const { return m_lastPaintUs; }
    int paintCount() const { return m_paints; }

    // A label of the axis's dates' row: its text and the rectangle its text takes (viewport
    // coordinates).
    struct AxisLabel
    {
        QString text;
        QRectF rect;
    };
    // The dates' row as it is drawn: each day's label in view, and the now line's (empty text
    // when now is out of view). The trucks' canvas only; the tray has no axis.
    struct AxisLabels
    {
        QVector<AxisLabel> days;
        AxisLabel now;
        double nowX = 0; // where the now line is drawn
    };
    AxisLabels axisLabels() const;

    // The mark of a late load (its flag and outline), which the legend names.
    static QColor lateColor();

    static constexpr int kLabelWidth = 230;
    static constexpr int kAxisHeight = 38;
    static constexpr int kLaneHeight = 22;
    static constexpr int kRowPadding = 8;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    int bodyTop() const { return m_kind == Kind::Trucks ? kAxisHeight : 0; }
    int rowHeight(int row) const;
    int lanesOf(int row) const;
    const QVector<int> &loadsOf(int row) const;
    int firstRowAt(int contentY) const;
    void updateScrollRange();
    void paintAxis(QPainter &painter, const QRect &plot);
    void paintRow(QPainter &painter, int row, const QRect &rect, const QRect &plot);
    void paintLabel(QPainter &painter, int row, const QRect &rect);
    void paintBar(QPainter &painter, const PlanLoad &load, const QRect &bar, bool selected);
    void paintDragGhost(QPainter &painter, const QRect &plot);
    QRect barIn(const PlanLoad &load, const QRect &row, const QRect &plot) const;
    void moveCurrent(int rowDelta, int loadDelta);

    PlanBoard *m_board;
    Kind m_kind;
    QVector<int> m_tops; // each row's top, in content coordinates (below the axis)
    int m_contentHeight = 0;
    int m_currentRow = 0;
    QString m_currentLoad;
    QPoint m_pressPos;
    QString m_pressedLoad;
    bool m_pressed = false;
    qint64 m_lastPaintUs = 0;
    int m_paints = 0;
};

} // namespace waybill::app
