// The Reports window (finance and admin): revenue by week and by account, on-time delivery,
// truck utilisation and aging, each a chart over its table, as the history stood at a chosen
// date, each exportable as CSV.
#pragma once

#include "reportchart.h"

#include <QDateTime>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QChartView;
class QDateEdit;
class QLabel;
class QNetworkReply;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableView;

namespace waybill::app {

class ReportTableModel;
class Session;

class ReportsView final : public QWidget
{
    Q_OBJECT
public:
    explicit ReportsView(Session *session, QWidget *parent = nullptr);
    ~ReportsView() override;

    QDateEdit *asOfEdit() const { return m_asOf; }
    QSpinBox *weeksEdit() const { return m_weeks; }
    QTabWidget *pages() const { return m_pages; }
    QPushButton *exportButton() const { return m_export; }
    QChartView *chartView(ReportKind kind) const;
    QTableView *tableView(ReportKind kind) const;
    ReportTableModel *model(ReportKind kind) const;
    ReportKind currentReport() const;
    void showReport(ReportKind kind);
    QString statusText() const;

    // The time the reports are read as of: the end of the chosen day in the computer's time
    // zone, or now when the day is today.
    QDateTime asOf() const;
    // The chosen day is today: the reports are of now, and follow the history live.
    bool showsToday() const;
    // Reads every report again, as of the chosen day.
    void refresh();
    // Writes the report's table as CSV; false with the reason when the file cannot be written.
    bool exportTo(ReportKind kind, const QString &filePath, QString *error);

    // How long after an event (the first of a burst) the reports are read again, as of today.
    static constexpr int kLivePauseMs = 2000;

Q_SIGNALS:
    // Every report has its answer (or its error) for the latest refresh().
    void loaded();

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Page;
    void addPage(ReportKind kind, const QString &title);
    void display(ReportKind kind, const ReportTable &table);
    void chooseExportFile();
    void answered(const QString &error);

    Session *m_session;
    QDateEdit *m_asOf;
    QSpinBox *m_weeks;
    QPushButton *m_refresh;
    QPushButton *m_export;
    QLabel *m_status;
    QTabWidget *m_pages;
    QVector<Page *> m_pageList;
    QVector<QPointer<QNetworkReply>> m_replies;
    int m_waiting = 0;
    int m_generation = 0; // of the latest refresh(): answers to earlier ones are ignored
    QStringList m_errors;
    QTimer m_livePause; // from the first event of a burst to reading the reports again
    bool m_movedWhileHidden = false;
};

} // namespace waybill::app
