#include "reportchart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>

namespace waybill::app {

namespace {

// Amounts are drawn in dollars; the table keeps the cents.
qreal dollars(const QVariant &cents)
{
    return qreal(cents.toLongLong()) / 100;
}

QStringList labels(const ReportTable &table, int column)
{
    QStringList names;
    for (int row = 0; row < table.rows.size(); ++row)
        names << table.displayText(row, column);
    return names;
}

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

// Money axes start at 0 and have room above the highest bar.
void moneyAxis(QValueAxis *axis, qreal highest)
{
    axis->setRange(0, std::max<qreal>(highest * 1.1, 1));
    axis->setLabelFormat(QStringLiteral("$%.0f"));
    axis->applyNiceNumbers();
}

QChart *verticalBars(const QString &title, const QStringList &categories, QBarSet *set)
{
    QChart *chart = newChart(title);
    auto *series = new QBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    auto *y = new QValueAxis;
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    qreal highest = 0;
    for (int i = 0; i < set->count(); ++i)
        highest = std::max(highest, set->at(i));
    moneyAxis(y, highest);
    return chart;
}

// Horizontal bars list their first category at the bottom: the rows are given reversed so the
// table's first row is on top.
QChart *horizontalBars(
    const QString &title, QStringList categories, QAbstractBarSeries *series, QValueAxis *x)
{
    std::reverse(categories.begin(), categories.end());
    QChart *chart = newChart(title);
    chart->addSeries(series);
    auto *y = new QBarCategoryAxis;
    y->append(categories);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    return chart;
}

QBarSet *reversedSet(const QString &name, const ReportTable &table, int column, bool money)
{
    auto *set = new QBarSet(name);
    for (qsizetype row = table.rows.size() - 1; row >= 0; --row) {
        const QVariant &cell = table.rows.at(row).at(column);
        set->append(money ? dollars(cell) : qreal(cell.toLongLong()) / 100);
    }
    return set;
}

} // namespace

QChart *ReportChart::make(ReportKind kind, const ReportTable &table)
{
    switch (kind) {
    case ReportKind::RevenueByWeek: {
        auto *set = new QBarSet(tr("Net revenue"));
        const int net = table.columnOf(QStringLiteral("net"));
        for (const auto &row : table.rows)
            set->append(dollars(row.at(net)));
        return verticalBars(tr("Revenue by week"), labels(table, 0), set);
    }
    case ReportKind::RevenueByAccount: {
        auto *series = new QHorizontalBarSeries;
        QBarSet *set
            = reversedSet(tr("Net revenue"), table, table.columnOf(QStringLiteral("net")), true);
        series->append(set);
        qreal highest = 0;
        for (int i = 0; i < set->count(); ++i)
            highest = std::max(highest, set->at(i));
        auto *x = new QValueAxis;
        moneyAxis(x, highest);
        return horizontalBars(tr("Revenue by account"), labels(table, 0), series, x);
    }
    case ReportKind::OnTime: {
        // The deliveries judged each week as stacked bars (on time under late), and the rate on
        // its own axis: a week with one delivery and a week with fifty read apart.
        QChart *chart = newChart(tr("On-time delivery rate by week"));
        auto *bars = new QStackedBarSeries;
        auto *onTime = new QBarSet(tr("On time"));
        auto *late = new QBarSet(tr("Late"));
        onTime->setColor(QColor(0x43, 0xa0, 0x47));
        late->setColor(QColor(0xe5, 0x39, 0x35));
        const int onTimeColumn = table.columnOf(QStringLiteral("on_time"));
        const int lateColumn = table.columnOf(QStringLiteral("late"));
        qint64 most = 0;
        for (const auto &row : table.rows) {
            onTime->append(qreal(row.at(onTimeColumn).toLongLong()));
            late->append(qreal(row.at(lateColumn).toLongLong()));
            most = std::max(
                most, row.at(onTimeColumn).toLongLong() + row.at(lateColumn).toLongLong());
        }
        bars->append(onTime);
        bars->append(late);
        auto *line = new QLineSeries;
        line->setName(tr("On-time rate"));
        line->setPointsVisible(true);
        line->setMarkerSize(10);
        line->setColor(QColor(0x1e, 0x88, 0xe5));
        const int rate = table.columnOf(QStringLiteral("on_time_percent"));
        for (int row = 0; row < table.rows.size(); ++row) {
            const QVariant &cell = table.rows.at(row).at(rate);
            if (cell.isValid())
                line->append(row, qreal(cell.toLongLong()) / 100);
        }
        chart->addSeries(bars);
        chart->addSeries(line);
        auto *x = new QBarCategoryAxis;
        x->append(labels(table, 0));
        auto *count = new QValueAxis;
        count->setRange(0, std::max<qreal>(qreal(most) * 1.2, 1));
        count->setLabelFormat(QStringLiteral("%.0f"));
        count->applyNiceNumbers();
        count->setTitleText(tr("Deliveries with a window"));
        auto *percent = new QValueAxis;
        percent->setRange(0, 100);
        percent->setLabelFormat(QStringLiteral("%.0f %%"));
        percent->setTitleText(tr("On-time rate"));
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(count, Qt::AlignLeft);
        chart->addAxis(percent, Qt::AlignRight);
        bars->attachAxis(x);
        bars->attachAxis(count);
        line->attachAxis(x);
        line->attachAxis(percent);
        return chart;
    }
    case ReportKind::Utilisation: {
        auto *series = new QHorizontalBarSeries;
        series->append(reversedSet(tr("Time with a load"), table,
            table.columnOf(QStringLiteral("utilisation_percent")), false));
        auto *x = new QValueAxis;
        x->setRange(0, 100);
        x->setLabelFormat(QStringLiteral("%.0f %%"));
        return horizontalBars(tr("Truck utilisation"), labels(table, 0), series, x);
    }
    case ReportKind::Aging: {
        auto *series = new QHorizontalStackedBarSeries;
        qreal highest = 0;
        const int total = table.columnOf(QStringLiteral("total"));
        for (const auto &row : table.rows)
            highest = std::max(highest, dollars(row.at(total)));
        // Every bucket but the total, stacked: each account's bar is what it owes.
        for (int column = 1; column < total; ++column)
            series->append(reversedSet(table.columns.at(column).title, table, column, true));
        auto *x = new QValueAxis;
        moneyAxis(x, highest);
        return horizontalBars(tr("Open invoices by days past due"), labels(table, 0), series, x);
    }
    }
    return newChart({});
}

} // namespace waybill::app
