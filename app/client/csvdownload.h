// Saves the auditors' CSV export (GET /events.csv) to a file as it arrives: memory stays flat
// however long the history, progress is reported, and cancelling leaves no partial file.
#pragma once

#include <QObject>
#include <QPointer>
#include <QSaveFile>
#include <QUrlQuery>

#include <QNetworkReply>

namespace waybill::app {

class ApiClient;

class CsvDownload final : public QObject
{
    Q_OBJECT
public:
    explicit CsvDownload(ApiClient *api, QObject *parent = nullptr);
    ~CsvDownload() override;
    Q_DISABLE_COPY_MOVE(CsvDownload)

    // Starts; false with the reason when the file cannot be written.
    bool start(const QString &filePath, const QUrlQuery &query, QString *error);
    void cancel();
    bool isRunning() const { return m_reply != nullptr; }
    qint64 rowsWritten() const { return m_rows; }

Q_SIGNALS:
    // expectedRows and expectedBytes are -1 when the server did not say.
    void progress(qint64 rows, qint64 expectedRows, qint64 bytes, qint64 expectedBytes);
    // ok: the file is complete and in place. message: a summary, or what went wrong.
    void finished(bool ok, const QString &message);

private:
    void onReadyRead();
    void onFinished();
    void fail(const QString &message);
    QString writeFailedText() const;
    void dropReply(); // aborts a running reply, which then says nothing more

    ApiClient *m_api;
    QPointer<QNetworkReply> m_reply;
    QSaveFile m_file;
    qint64 m_lineEnds = 0;
    qint64 m_rows = 0;
    qint64 m_bytes = 0;
    bool m_lastWasCr = false;
    bool m_writing = false;
};

} // namespace waybill::app
