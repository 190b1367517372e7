#include "reportsview.h"

#include "client/apiclient.h"
#include "client/liveclient.h"
#include "domain/reportperiod.h"
#include "domain/timeformat.h"
#include "models/reporttablemodel.h"
#include "session/session.h"
#include "viewsettings.h"

#include <QChart>
#include <QChartView>
#include <QDateEdit>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QNetworkReply>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace waybill::app {

struct ReportsView::Page
{
    ReportKind kind;
    QString fileName; // of the CSV, before the date
    ReportTableModel *model = nullptr;
    QChartView *chart = nullptr;
    QTableView *table = nullptr;
};

ReportsView::ReportsView(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_asOf(new QDateEdit(QDate::currentDate(), this))
    , m_weeks(new QSpinBox(this))
    , m_refresh(new QPushButton(tr("&Refresh"), this))
    , m_export(new QPushButton(tr("&Export CSV…"), this))
    , m_status(new QLabel(this))
    , m_pages(new QTabWidget(this))
{
    setObjectName(QStringLiteral("reportsView"));
    setWindowTitle(tr("Waybill: Reports"));
    m_asOf->setObjectName(QStringLiteral("reportsAsOf"));
    m_asOf->setCalendarPopup(true);
    m_asOf->setToolTip(tr("The reports show the history as it stood at the end of this day "
                          "(now, for today)."));
    m_weeks->setObjectName(QStringLiteral("reportsWeeks"));
    m_weeks->setRange(1, ReportPeriod::kMaxWeeks);
    m_weeks->setValue(QSettings().value(QStringLiteral("reports/weeks"), 12).toInt());
    m_weeks->setToolTip(tr("Revenue, on-time delivery and utilisation cover this many weeks "
                           "(UTC, from Monday), up to the week of the date"));
    m_status->setObjectName(QStringLiteral("reportsStatus"));
    m_export->setObjectName(QStringLiteral("reportsExport"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setToolTip(tr("Read the reports again (F5)"));
    m_pages->setObjectName(QStringLiteral("reportPages"));
    m_pages->setDocumentMode(true);

    auto *asOfLabel = new QLabel(tr("&As of:"), this);
    asOfLabel->setBuddy(m_asOf);
    auto *weeksLabel = new QLabel(tr("&Weeks:"), this);
    weeksLabel->setBuddy(m_weeks);
    auto *bar = new QHBoxLayout;
    bar->addWidget(asOfLabel);
    bar->addWidget(m_asOf);
    bar->addSpacing(12);
    bar->addWidget(weeksLabel);
    bar->addWidget(m_weeks);
    bar->addWidget(m_refresh);
    bar->addSpacing(12);
    bar->addWidget(m_status, 1);
    bar->addWidget(m_export);

    addPage(ReportKind::RevenueByWeek, tr("Revenue by week"));
    addPage(ReportKind::RevenueByAccount, tr("Revenue by account"));
    addPage(ReportKind::OnTime, tr("On-time delivery"));
    addPage(ReportKind::Utilisation, tr("Truck utilisation"));
    addPage(ReportKind::Aging, tr("Aging"));
    m_pages->setCurrentIndex(std::clamp(
        QSettings().value(QStringLiteral("reports/page")).toInt(), 0, m_pages->count() - 1));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_pages, 1);

    connect(m_asOf, &QDateEdit::dateChanged, this, &ReportsView::refresh);
    connect(m_weeks, &QSpinBox::valueChanged, this, [this](int weeks) {
        QSettings().setValue(QStringLiteral("reports/weeks"), weeks);
        refresh();
    });
    connect(m_refresh, &QPushButton::clicked, this, &ReportsView::refresh);
    connect(m_export, &QPushButton::clicked, this, &ReportsView::chooseExportFile);
    connect(m_pages, &QTabWidget::currentChanged, this,
        [](int index) { QSettings().setValue(QStringLiteral("reports/page"), index); });

    // Live: as of today the reports are read again a moment after the history moves (a burst of
    // events, or a reconnection, reads them once), and when the window comes back if it moved
    // while hidden. As of an earlier day nothing that happens now changes them.
    m_livePause.setSingleShot(true);
    m_livePause.setInterval(kLivePauseMs);
    const auto historyMoved = [this] {
        if (showsToday() && !m_livePause.isActive())
            m_livePause.start();
    };
    connect(m_session->live(), &LiveClient::eventReceived, this, historyMoved);
    connect(m_session->live(), &LiveClient::resynchronise, this, historyMoved);
    connect(&m_livePause, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
        else
            m_movedWhileHidden = true;
    });
    resize(1280, 800);
}

void ReportsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_movedWhileHidden) {
        m_movedWhileHidden = false;
        refresh();
    }
}

ReportsView::~ReportsView()
{
    ++m_generation;
    for (const QPointer<QNetworkReply> &reply : std::as_const(m_replies)) {
        if (reply)
            reply->abort();
    }
    qDeleteAll(m_pageList);
}

void ReportsView::addPage(ReportKind kind, const QString &title)
{
    static const char *const files[] = { "revenue-by-week", "revenue-by-account",
        "on-time-delivery", "truck-utilisation", "aging" };
    auto *page = new Page { kind, QString::fromLatin1(files[int(kind)]), new ReportTableModel(this),
        new QChartView(this), new QTableView(this) };
    page->chart->setObjectName(QStringLiteral("reportChart%1").arg(int(kind)));
    page->chart->setRenderHint(QPainter::Antialiasing);
    page->chart->setMinimumHeight(260);
    auto *sorted = new QSortFilterProxyModel(page->table);
    sorted->setSourceModel(page->model);
    sorted->setSortRole(ReportTableModel::SortRole);
    page->table->setObjectName(QStringLiteral("reportTable%1").arg(int(kind)));
    page->table->setModel(sorted);
    page->table->setSortingEnabled(true);
    page->table->sortByColumn(-1, Qt::AscendingOrder);
    page->table->verticalHeader()->setVisible(false);
    // Few columns: they share the window's width rather than leave the last one stretched.
    page->table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    page->table->setSelectionBehavior(QAbstractItemView::SelectRows);
    page->table->setAlternatingRowColors(true);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("reportSplitter%1").arg(int(kind)));
    splitter->addWidget(page->chart);
    splitter->addWidget(page->table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    ViewSettings::keep(splitter, QStringLiteral("reports/splitter%1").arg(int(kind)));
    m_pages->addTab(splitter, title);
    m_pageList.append(page);
    display(kind, {});
}

QChartView *ReportsView::chartView(ReportKind kind) const
{
    return m_pageList.at(int(kind))->chart;
}

QTableView *ReportsView::tableView(ReportKind kind) const
{
    return m_pageList.at(int(kind))->table;
}

ReportTableModel *ReportsView::model(ReportKind kind) const
{
    return m_pageList.at(int(kind))->model;
}

ReportKind ReportsView::currentReport() const
{
    return ReportKind(std::max(0, m_pages->currentIndex()));
}

void ReportsView::showReport(ReportKind kind)
{
    m_pages->setCurrentIndex(int(kind));
}

QString ReportsView::statusText() const
{
    return m_status->text();
}

bool ReportsView::showsToday() const
{
    return m_asOf->date() == QDate::currentDate();
}

QDateTime ReportsView::asOf() const
{
    if (showsToday())
        return QDateTime::currentDateTimeUtc();
    return m_asOf->date().addDays(1).startOfDay().addMSecs(-1).toUTC();
}

void ReportsView::display(ReportKind kind, const ReportTable &table)
{
    Page *page = m_pageList.at(int(kind));
    // The chart view takes the new chart and deletes the one it had.
    QChart *old = page->chart->chart();
    page->chart->setChart(ReportChart::make(kind, table));
    delete old;
    page->model->setTable(table);
}

void ReportsView::refresh()
{
    ++m_generation;
    for (const QPointer<QNetworkReply> &reply : std::as_const(m_replies)) {
        if (reply)
            reply->abort();
    }
    m_replies.clear();
    m_errors.clear();
    const int generation = m_generation;
    const QDateTime asOf = this->asOf();
    const QDateTime to = weekStartOf(asOf).addDays(7);
    const QDateTime from = to.addDays(-7 * qint64(m_weeks->value()));
    QUrlQuery period;
    period.addQueryItem(QStringLiteral("asOf"), toIsoUtc(asOf));
    period.addQueryItem(QStringLiteral("from"), toIsoUtc(from));
    period.addQueryItem(QStringLiteral("to"), toIsoUtc(to));
    QUrlQuery asOfOnly;
    asOfOnly.addQueryItem(QStringLiteral("asOf"), toIsoUtc(asOf));
    m_status->setText(tr("Reading the reports…"));
    m_waiting = 4;
    ApiClient *api = m_session->api();
    auto ask = [this, api, generation](const QString &path, const QUrlQuery &query,
                   std::function<void(const QJsonObject &)> use) {
        m_replies.append(api->get(path, query, this, [=](const ApiResult &result) {
            if (generation != m_generation)
                return;
            if (result.ok())
                use(result.object());
            answered(result.ok() ? QString() : result.errorText);
        }));
    };
    ask(QStringLiteral("/reports/revenue"), period, [this](const QJsonObject &report) {
        display(ReportKind::RevenueByWeek, ReportTable::revenueByWeek(report));
        display(ReportKind::RevenueByAccount, ReportTable::revenueByAccount(report));
    });
    ask(QStringLiteral("/reports/on-time"), period, [this](const QJsonObject &report) {
        display(ReportKind::OnTime, ReportTable::onTimeByWeek(report));
    });
    ask(QStringLiteral("/reports/utilisation"), period, [this](const QJsonObject &report) {
        display(ReportKind::Utilisation, ReportTable::utilisationByTruck(report));
    });
    ask(QStringLiteral("/reports/aging"), asOfOnly, [this](const QJsonObject &report) {
        display(ReportKind::Aging, ReportTable::agingByAccount(report));
    });
}

void ReportsView::answered(const QString &error)
{
    if (!error.isEmpty() && !m_errors.contains(error))
        m_errors.append(error);
    if (--m_waiting > 0)
        return;
    m_replies.clear();
    if (m_errors.isEmpty())
        m_status->setText(tr("As the history stood at %1")
                              .arg(QLocale().toString(asOf().toLocalTime(), QLocale::ShortFormat)));
    else
        m_status->setText(tr("Some reports could not be read: %1").arg(m_errors.join(u' ')));
    Q_EMIT loaded();
}

bool ReportsView::exportTo(ReportKind kind, const QString &filePath, QString *error)
{
    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(model(kind)->table().toCsv()) < 0
        || !file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(filePath, file.errorString());
        return false;
    }
    return true;
}

void ReportsView::chooseExportFile()
{
    const Page *page = m_pageList.at(int(currentReport()));
    const QString folder
        = QSettings()
              .value(QStringLiteral("reports/exportFolder"),
                  QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
              .toString();
    const QString suggested
        = QDir(folder).filePath(QStringLiteral("waybill-%1-%2.csv")
                                    .arg(page->fileName, m_asOf->date().toString(Qt::ISODate)));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the report"), suggested, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QSettings().setValue(QStringLiteral("reports/exportFolder"), QFileInfo(path).absolutePath());
    QString error;
    m_status->setText(exportTo(page->kind, path, &error) ? tr("Saved %1").arg(path) : error);
}

} // namespace waybill::app
