// The Reports window as finance uses it: real widgets (offscreen), the real embedded server over
// loopback HTTP. The charts are drawn from the server's figures (series and points counted, the
// drawn image not blank), "As of" turns the figures back to an earlier day, each report's CSV
// is the exact bytes of its table, and the window is offered to finance and admin only.
#include "appcontroller.h"
#include "apptestsupport.h"
#include "domain/timeformat.h"
#include "language.h"
#include "models/reporttable.h"
#include "models/reporttablemodel.h"
#include "views/mainwindow.h"
#include "views/reportsview.h"

#include <QAbstractBarSeries>
#include <QAction>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateEdit>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineSeries>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace waybill;
using namespace waybill::app;

namespace {

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

// How many colours the chart's image holds: a blank or single-coloured one has one or two.
int coloursIn(QChartView *view)
{
    const QImage image = view->grab().toImage();
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

// The values of the chart's bar sets (its first bar series), set by set.
QVector<QVector<qreal>> barValues(QChart *chart)
{
    QVector<QVector<qreal>> values;
    for (QAbstractSeries *series : chart->series()) {
        auto *bars = qobject_cast<QAbstractBarSeries *>(series);
        if (!bars)
            continue;
        for (QBarSet *set : bars->barSets()) {
            QVector<qreal> row;
            for (int i = 0; i < set->count(); ++i)
                row << set->at(i);
            values << row;
        }
    }
    return values;
}

qint64 cell(ReportTableModel *model, int row, const QString &column)
{
    return model->table().rows.value(row).value(model->table().columnOf(column)).toLongLong();
}

} // namespace

class TestReports final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void csvIsRfc4180WithMoneyInCentsAndDollarsAndFormulasDefused();
    void reportsWindowIsOfferedToFinanceAndAdminOnly();
    void chartsDrawTheServersFiguresAndAsOfTurnsThemBack();
    void reportsAsOfTodayFollowTheHistoryAndEarlierDaysStayPut();

private:
    std::unique_ptr<AppController> openApp(const QString &role);
    // Two deliveries on ACME with delivery windows (one on time, one late), a payment; once
    // both are invoiced.
    void deliverTwoLoads();

    QTemporaryDir m_settings;
    QTemporaryDir m_home;
    std::unique_ptr<test::TestServer> m_server;
    std::unique_ptr<ApiClient> m_api;
    QHash<QString, QString> m_tokens;
};

void TestReports::initTestCase()
{
    test::isolateSettings(m_settings.path());
    m_server = std::make_unique<test::TestServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_api = std::make_unique<ApiClient>(m_server->url(), m_server->adminToken());
    for (const QString &role : { QStringLiteral("finance"), QStringLiteral("dispatch") })
        m_tokens.insert(role, m_server->createToken(QStringLiteral("clerk-") + role, role));
}

void TestReports::init()
{
    QSettings().clear();
    Language::install(QStringLiteral("en"));
}

void TestReports::cleanupTestCase()
{
    m_api.reset();
    m_server.reset();
}

std::unique_ptr<AppController> TestReports::openApp(const QString &role)
{
    return test::openApp(
        m_server->url(), m_tokens.value(role, m_server->adminToken()), test::appPathsIn(m_home));
}

void TestReports::deliverTwoLoads()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVector<CommandRequest> commands;
    // RPT-1's window ends in a day (on time); RPT-2's ended an hour ago (late).
    const QDateTime ends[] = { now.addDays(1), now.addSecs(-3600) };
    for (int i = 0; i < 2; ++i) {
        const QString id = QStringLiteral("RPT-%1").arg(i + 1);
        CommandRequest submit = test::submit(id, QStringLiteral("ACME"), 100 * (i + 1));
        submit.body.insert(QStringLiteral("deliveryWindow"),
            QJsonObject { { QStringLiteral("from"), toIsoUtc(now.addDays(-1)) },
                { QStringLiteral("to"), toIsoUtc(ends[i]) } });
        commands << submit << test::assign(id, QStringLiteral("T-9")) << test::ship(id)
                 << test::deliver(id);
    }
    commands << test::payment(QStringLiteral("ACME"), 10);
    const QString failure = test::runCommands(m_api.get(), commands);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QVERIFY(QTest::qWaitFor(
        [this] {
            const auto r = test::getNow(m_api.get(), QStringLiteral("/accounts/ACME/invoices"));
            return r && r->array().size() == 2;
        },
        15000));
}

void TestReports::csvIsRfc4180WithMoneyInCentsAndDollarsAndFormulasDefused()
{
    const QJsonObject revenue = json(R"({"accounts": [
        {"accountId": "bolt", "invoices": 2, "invoicedCents": 6505000, "creditedCents": 500,
         "netCents": 6504500},
        {"accountId": "-acme", "invoices": 0, "invoicedCents": 0, "creditedCents": 5,
         "netCents": -5},
        {"accountId": "=cargo", "invoices": 1, "invoicedCents": 101, "creditedCents": 0,
         "netCents": 101}]})");
    const ReportTable byAccount = ReportTable::revenueByAccount(revenue);
    QCOMPARE(byAccount.toCsv(),
        QByteArray(
            "account,invoices,invoiced_cents,invoiced,credited_cents,credited,net_cents,net\r\n"
            "bolt,2,6505000,65050.00,500,5.00,6504500,65045.00\r\n"
            "'-acme,0,0,0.00,5,0.05,-5,-0.05\r\n"
            "'=cargo,1,101,1.01,0,0.00,101,1.01\r\n"));

    const QJsonObject onTime = json(R"({"weeks": [
        {"weekStart": "2026-11-02T00:00:00.000Z", "delivered": 3, "withWindow": 3, "onTime": 2,
         "late": 1, "onTimePercent": 66.67},
        {"weekStart": "2026-11-09T00:00:00.000Z", "delivered": 1, "withWindow": 0, "onTime": 0,
         "late": 0}]})");
    QCOMPARE(ReportTable::onTimeByWeek(onTime).toCsv(),
        QByteArray("week_start,delivered,with_window,on_time,late,on_time_percent\r\n"
                   "2026-11-02,3,3,2,1,66.67\r\n"
                   "2026-11-09,1,0,0,0,\r\n"));

    const QJsonObject utilisation = json(R"({"trucks": [
        {"truckId": "t1", "busyMs": 381600000, "loads": 5, "utilisationPercent": 31.55},
        {"truckId": "t3", "busyMs": 0, "loads": 0}]})");
    QCOMPARE(ReportTable::utilisationByTruck(utilisation).toCsv(),
        QByteArray("truck,loads,busy_ms,utilisation_percent\r\n"
                   "t1,5,381600000,31.55\r\n"
                   "t3,0,0,\r\n"));

    const QJsonObject aging = json(R"({"accounts": [{"accountId": "acme", "currentCents": 7300,
        "days1to30Cents": 0, "days31to60Cents": 1, "days61to90Cents": 20, "over90Cents": 300,
        "totalCents": 7621}]})");
    QCOMPARE(ReportTable::agingByAccount(aging).toCsv(),
        QByteArray("account,current_cents,current,days_1_to_30_cents,days_1_to_30,"
                   "days_31_to_60_cents,days_31_to_60,days_61_to_90_cents,days_61_to_90,"
                   "over_90_cents,over_90,total_cents,total\r\n"
                   "acme,7300,73.00,0,0.00,1,0.01,20,0.20,300,3.00,7621,76.21\r\n"));

    // What the window saves is the table it shows, byte for byte.
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    ReportsView *view = app->window()->openReports();
    QVERIFY(view);
    QSignalSpy loaded(view, &ReportsView::loaded);
    QVERIFY(loaded.wait(10000));
    view->model(ReportKind::RevenueByAccount)->setTable(byAccount);
    const QString path = m_home.filePath(QStringLiteral("revenue.csv"));
    QString error;
    QVERIFY2(view->exportTo(ReportKind::RevenueByAccount, path, &error), qPrintable(error));
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), byAccount.toCsv());
}

void TestReports::reportsWindowIsOfferedToFinanceAndAdminOnly()
{
    for (const QString &role : { QStringLiteral("finance"), QStringLiteral("admin") }) {
        auto app = openApp(role);
        QVERIFY(app);
        QVERIFY2(app->window()->reportsAction()->isVisible(), qPrintable(role));
        QVERIFY2(app->window()->openReports(), qPrintable(role));
    }
    auto app = openApp(QStringLiteral("dispatch"));
    QVERIFY(app);
    QVERIFY(!app->window()->reportsAction()->isVisible());
    QVERIFY(!app->window()->openReports());
}

void TestReports::chartsDrawTheServersFiguresAndAsOfTurnsThemBack()
{
    // The loads are delivered "today" and "this week" (UTC, the server's weeks) and the window
    // reads its day (local) when it opens, and again for "yesterday": one day throughout.
    QVERIFY(test::waitOutTheDaysEnd(QTimeZone::utc(), std::chrono::seconds(60)));
    QVERIFY(test::waitOutTheDaysEnd(QTimeZone::systemTimeZone(), std::chrono::seconds(60)));
    deliverTwoLoads();
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    ReportsView *view = app->window()->openReports();
    QVERIFY(view);
    view->resize(1280, 800);
    view->show();
    QSignalSpy loaded(view, &ReportsView::loaded);
    QVERIFY(loaded.wait(10000));
    QVERIFY2(
        !view->statusText().startsWith(QStringLiteral("Some")), qPrintable(view->statusText()));
    const int weeks = view->weeksEdit()->value();
    QCOMPARE(weeks, 12);

    // Revenue: this week (the last row) holds both invoices, $28.00 and $56.00.
    ReportTableModel *byWeek = view->model(ReportKind::RevenueByWeek);
    QCOMPARE(byWeek->rowCount(), weeks);
    QCOMPARE(cell(byWeek, weeks - 1, QStringLiteral("invoices")), 2);
    QCOMPARE(cell(byWeek, weeks - 1, QStringLiteral("net")), 8400);
    QChart *revenueChart = view->chartView(ReportKind::RevenueByWeek)->chart();
    QVector<qreal> bars(weeks, 0);
    bars.last() = 84;
    QCOMPARE(barValues(revenueChart), QVector<QVector<qreal>>({ bars }));
    QCOMPARE(barValues(view->chartView(ReportKind::RevenueByAccount)->chart()),
        QVector<QVector<qreal>>({ { 84 } }));

    // On time: one of the two this week; the line has a point for that week alone.
    ReportTableModel *onTime = view->model(ReportKind::OnTime);
    QCOMPARE(cell(onTime, weeks - 1, QStringLiteral("on_time")), 1);
    QCOMPARE(cell(onTime, weeks - 1, QStringLiteral("late")), 1);
    QCOMPARE(cell(onTime, weeks - 1, QStringLiteral("on_time_percent")), 5000);
    QChart *onTimeChart = view->chartView(ReportKind::OnTime)->chart();
    QCOMPARE(onTimeChart->series().size(), 2);
    QVector<qreal> onTimeBars(weeks, 0);
    QVector<qreal> lateBars(weeks, 0);
    onTimeBars.last() = 1;
    lateBars.last() = 1;
    QCOMPARE(barValues(onTimeChart), QVector<QVector<qreal>>({ onTimeBars, lateBars }));
    auto *line = qobject_cast<QLineSeries *>(onTimeChart->series().last());
    QVERIFY(line);
    QCOMPARE(line->count(), 1);
    QCOMPARE(line->at(0), QPointF(weeks - 1, 50));

    // Utilisation: T-9 carried both loads; aging: $84.00 less the $10.00 payment, not yet due.
    ReportTableModel *trucks = view->model(ReportKind::Utilisation);
    QCOMPARE(trucks->rowCount(), 1);
    QCOMPARE(trucks->table().rows.at(0).at(0).toString(), QStringLiteral("T-9"));
    QCOMPARE(cell(trucks, 0, QStringLiteral("loads")), 2);
    QVERIFY(cell(trucks, 0, QStringLiteral("busy_ms")) > 0);
    ReportTableModel *aging = view->model(ReportKind::Aging);
    QCOMPARE(aging->rowCount(), 1);
    QCOMPARE(cell(aging, 0, QStringLiteral("current")), 7400);
    QCOMPARE(barValues(view->chartView(ReportKind::Aging)->chart()),
        QVector<QVector<qreal>>({ { 74 }, { 0 }, { 0 }, { 0 }, { 0 } }));

    // Every chart is drawn: axes, bars or line and labels, not one flat colour.
    for (ReportKind kind : { ReportKind::RevenueByWeek, ReportKind::RevenueByAccount,
             ReportKind::OnTime, ReportKind::Utilisation, ReportKind::Aging }) {
        view->showReport(kind);
        QCoreApplication::processEvents();
        QVERIFY2(coloursIn(view->chartView(kind)) > 20,
            qPrintable(QStringLiteral("chart %1 is blank").arg(int(kind))));
    }

    // As of yesterday none of it had happened yet.
    view->asOfEdit()->setDate(QDate::currentDate().addDays(-1));
    QVERIFY(loaded.wait(10000));
    QCOMPARE(view->model(ReportKind::RevenueByAccount)->rowCount(), 0);
    for (int row = 0; row < view->model(ReportKind::RevenueByWeek)->rowCount(); ++row)
        QCOMPARE(cell(view->model(ReportKind::RevenueByWeek), row, QStringLiteral("invoices")), 0);
    QCOMPARE(view->model(ReportKind::Aging)->rowCount(), 0);
    QCOMPARE(view->model(ReportKind::Utilisation)->rowCount(), 0);
    QCOMPARE(view->chartView(ReportKind::RevenueByAccount)->chart()->series().size(), 1);
    QCOMPARE(barValues(view->chartView(ReportKind::RevenueByAccount)->chart()),
        QVector<QVector<qreal>>({ {} }));

    // And back to today.
    view->asOfEdit()->setDate(QDate::currentDate());
    QVERIFY(loaded.wait(10000));
    QCOMPARE(cell(view->model(ReportKind::RevenueByAccount), 0, QStringLiteral("net")), 8400);
}

// As of today the open window reads the reports again once a delivery is invoiced, without
// Refresh; as of yesterday what happens now reads nothing.
void TestReports::reportsAsOfTodayFollowTheHistoryAndEarlierDaysStayPut()
{
    QVERIFY(test::waitOutTheDaysEnd(QTimeZone::utc(), std::chrono::seconds(60)));
    QVERIFY(test::waitOutTheDaysEnd(QTimeZone::systemTimeZone(), std::chrono::seconds(60)));
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    ReportsView *view = app->window()->openReports();
    QVERIFY(view);
    QSignalSpy loaded(view, &ReportsView::loaded);
    QVERIFY(loaded.wait(10000));
    const auto netOf = [view](const QString &account) {
        const ReportTable &table = view->model(ReportKind::RevenueByAccount)->table();
        for (int row = 0; row < table.rows.size(); ++row) {
            if (table.rows.at(row).at(0).toString() == account)
                return cell(view->model(ReportKind::RevenueByAccount), row, QStringLiteral("net"));
        }
        return qint64(-1);
    };
    QCOMPARE(netOf(QStringLiteral("LIVE-RPT")), qint64(-1));
    const auto deliver = [this](const QString &id) {
        return test::runCommands(m_api.get(),
            { test::submit(id, QStringLiteral("LIVE-RPT"), 100),
                test::assign(id, QStringLiteral("T-9")), test::ship(id), test::deliver(id) });
    };
    QCOMPARE(deliver(QStringLiteral("LIVE-RPT-1")), QString());
    // The live events of the delivery and of its invoice read the reports again.
    QTRY_COMPARE_WITH_TIMEOUT(netOf(QStringLiteral("LIVE-RPT")), qint64(2800), 20000);
    QVERIFY(view->statusText().isEmpty() || !view->statusText().startsWith(QStringLiteral("Some")));

    view->asOfEdit()->setDate(QDate::currentDate().addDays(-1));
    QVERIFY(loaded.wait(10000));
    QCOMPARE(netOf(QStringLiteral("LIVE-RPT")), qint64(-1));
    loaded.clear();
    QCOMPARE(deliver(QStringLiteral("LIVE-RPT-2")), QString());
    QTest::qWait(ReportsView::kLivePauseMs * 2);
    QCOMPARE(loaded.count(), 0);
    QCOMPARE(netOf(QStringLiteral("LIVE-RPT")), qint64(-1));
}

QTEST_MAIN(TestReports)
#include "tst_reports.moc"
