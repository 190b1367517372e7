#include "reportshots.h"

#include "views/mainwindow.h"
#include "views/reportsview.h"

#include <QDateEdit>
#include <QSpinBox>

namespace waybill::app {

namespace {

struct Shot
{
    ReportKind kind;
    const char *name;
};

// Revenue by account and by week read alike; the by-week chart shows the period.
constexpr Shot kShots[] = { { ReportKind::RevenueByWeek, "reports-revenue.png" },
    { ReportKind::OnTime, "reports-on-time.png" },
    { ReportKind::Utilisation, "reports-utilisation.png" },
    { ReportKind::Aging, "reports-aging.png" } };

} // namespace

QStringList ReportShots::names()
{
    QStringList list;
    for (const Shot &shot : kShots)
        list << QString::fromLatin1(shot.name);
    return list;
}

int ReportShots::render(
    MainWindow &window, const PlanboardShots::Save &save, const PlanboardShots::Wait &wait)
{
    ReportsView *reports = window.openReports();
    if (!reports)
        return 0;
    bool loaded = false;
    QObject::connect(reports, &ReportsView::loaded, reports, [&loaded] { loaded = true; });
    // The demo office's history is a week or two old: four weeks show it without empty space.
    reports->weeksEdit()->setValue(4);
    reports->resize(1280, 800);
    if (!wait([&loaded] { return loaded; }, 20000))
        return 0;
    int written = 0;
    for (const Shot &shot : kShots) {
        if (shot.kind == ReportKind::Utilisation) {
            // The demo office was made a moment ago: its trucks have carried their loads for
            // seconds. This week as of Sunday shows what the week will be if nothing changes.
            loaded = false;
            reports->weeksEdit()->setValue(1);
            const QDate today = QDate::currentDate();
            reports->asOfEdit()->setDate(today.addDays(7 - today.dayOfWeek()));
            if (today.dayOfWeek() == 7)
                reports->refresh();
            wait([&loaded] { return loaded; }, 20000);
        }
        reports->showReport(shot.kind);
        wait([] { return false; }, 200); // lets the page lay itself out
        written += save(reports, QString::fromLatin1(shot.name)) ? 1 : 0;
    }
    reports->close();
    return written;
}

} // namespace waybill::app
