// Moving this computer's history (the embedded server's SQLite file) into the empty PostgreSQL
// database of a waybill-server, with the same copy as `waybill-server copy`, on a thread of its
// own so that the window goes on painting its progress.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>

namespace waybill::app {

class DataMover final : public QObject
{
    Q_OBJECT
public:
    explicit DataMover(QObject *parent = nullptr);
    ~DataMover() override; // waits for a copy under way to end
    Q_DISABLE_COPY_MOVE(DataMover)

    // Why text is not a PostgreSQL URL a copy can go to (for people); empty when it is.
    static QString checkTargetUrl(const QString &text);
    // text without its password, for messages.
    static QString displayUrl(const QString &text);

    // Copies the SQLite database at sourceFile into the database at targetUrl (checked first).
    // Answers progressed() as it goes and finished() once, on this object's thread.
    void start(const QString &sourceFile, const QString &targetUrl);
    bool isRunning() const { return m_thread.isRunning(); }

Q_SIGNALS:
    // percent of the rows copied (0-100); what says which part is under way.
    void progressed(int percent, const QString &what);
    // ok: copied and verified (events, and the chain's last position); refused: the target was
    // not empty and nothing was written; message says either, for people.
    void finished(bool ok, bool refused, const QString &message);

private:
    QThread m_thread;
};

} // namespace waybill::app
