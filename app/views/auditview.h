// The auditors' view: the global event log with filters, the CSV export (streamed to a file,
// with progress and cancel) and the verification of the hash chain.
#pragma once

#include <QNetworkReply>
#include <QPointer>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace waybill::app {

class CsvDownload;
class EventLogFilterModel;
class EventLogModel;
class Session;
class TimeRangeEdit;

class AuditView final : public QWidget
{
    Q_OBJECT
public:
    explicit AuditView(Session *session, QWidget *parent = nullptr);

    EventLogModel *log() const { return m_log; }
    EventLogFilterModel *logFilter() const { return m_filter; }
    QTableView *table() const { return m_table; }
    QComboBox *typeFilter() const { return m_type; }
    QLineEdit *streamFilter() const { return m_stream; }
    QLineEdit *userFilter() const { return m_user; }
    // Absent (nullptr) for roles that may not export or verify.
    QAction *exportAction() const { return m_export; }
    QAction *verifyAction() const { return m_verify; }
    // The export's from/to (UTC); absent with the export action.
    TimeRangeEdit *exportRange() const { return m_range; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *cancelButton() const { return m_cancel; }
    QString resultText() const;

    // Exports what the stream filter and the export range select (or everything) to this file;
    // nothing while the range is invalid (the range says why).
    void exportTo(const QString &filePath);
    void verify();
    // Cancels the export or the verification under way.
    void cancelWork();

Q_SIGNALS:
    // Reading the log failed (results of exports and verification are shown in the view).
    void failed(const QString &message);

private:
    void applyFilters();
    void rememberRange();
    void updateActions();
    void chooseExportFile();
    void setWorking(bool working, const QString &text);
    void showResult(bool ok, const QString &text);

    Session *m_session;
    EventLogModel *m_log;
    EventLogFilterModel *m_filter;
    CsvDownload *m_download;
    QPointer<QNetworkReply> m_verifyReply;
    QComboBox *m_type;
    QLineEdit *m_stream;
    QLineEdit *m_user;
    QLineEdit *m_text;
    QTableView *m_table;
    QAction *m_export = nullptr;
    QAction *m_verify = nullptr;
    TimeRangeEdit *m_range = nullptr;
    bool m_working = false;
    QWidget *m_work;
    QProgressBar *m_progress;
    QLabel *m_workText;
    QPushButton *m_cancel;
    QLabel *m_result;
};

} // namespace waybill::app
