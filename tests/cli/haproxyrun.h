// A real HAProxy (the Debian package) in front of waybill-servers, for tests and benchmarks:
// its configuration is written here, it listens on a loopback port it is handed already bound
// (so no other process can take the port between choosing it and using it), and it checks each
// server's GET /health as a production configuration would (docs/operations.md).
#pragma once

#include <QHash>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVector>

namespace waybill::test {

struct BalancedServer
{
    QString name; // as HAProxy's statistics name it
    QUrl url; // http://127.0.0.1:PORT
};

// One row of HAProxy's statistics for a server: its state and how many sessions it was given.
struct BalancedServerState
{
    QString status; // "UP", "DOWN", "UP 1/2", "MAINT"...
    qint64 sessions = -1; // total sessions HAProxy sent it (health checks not counted)
};

class HaproxyRun final
{
public:
    // folder: where the configuration and the statistics socket go (short: a socket path has
    // a length limit). checkIntervalMs: how often each server's /health is asked.
    HaproxyRun(
        const QString &folder, const QVector<BalancedServer> &servers, int checkIntervalMs = 200);
    ~HaproxyRun(); // stops it
    Q_DISABLE_COPY_MOVE(HaproxyRun)

    // The haproxy binary on PATH; empty, with why, when there is none.
    static QString binary(QString *why);

    // Starts it and waits until it reports every server UP; false, with why, otherwise.
    bool start(QString *error, int timeoutMs = 30000);
    QUrl url() const { return m_url; }
    // The statistics of each server by name (empty when HAProxy does not answer).
    QHash<QString, BalancedServerState> serverStates();
    QString configuration() const { return m_configuration; }
    QByteArray output();
    qint64 processId() const { return m_process.processId(); }

private:
    QString m_folder;
    QVector<BalancedServer> m_servers;
    int m_checkIntervalMs;
    QString m_configuration;
    QProcess m_process;
    QByteArray m_output;
    QUrl m_url;
};

} // namespace waybill::test
