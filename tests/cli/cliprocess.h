// Running the real waybill-server binary from tests: one-shot commands and a serving process.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

namespace waybill::test {

// WAYBILL_TEST_BINARY_DIR/server/waybill-server; empty (with a reason) when the variable is unset.
QString serverBinary(QString *error);
// True when serverBinary() is there to run; false with the reason (for initTestCase).
bool serverBinaryIsBuilt(QString *error);

// The test's own environment without any WAYBILL_ setting, and with the data folder (where the
// default database goes) inside dataHome, so that no test touches the real home folder.
QProcessEnvironment isolatedEnvironment(const QString &dataHome);

struct CliResult
{
    bool finished = false; // false: did not end in time (it was killed) or did not start
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QStringList errLines() const;
    QStringList outLines() const;
    // For failure messages: what came back.
    QByteArray describe() const;
};

CliResult runCli(
    const QStringList &arguments, const QProcessEnvironment &environment, int timeoutMs = 30000);

// The secret of a new token made by `waybill-server token create` (the last line of its stdout),
// on the database given by `db`, or, when db is empty, by the environment (WAYBILL_DB). Empty,
// with error saying what the command gave back, when it failed or printed nothing.
QString createTokenWithCli(const QProcessEnvironment &environment, const QString &name,
    const QString &role, QString *error, const QString &db = QString());

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

struct HttpAnswer
{
    int status = 0; // 0: no answer came (error says why)
    QByteArray body;
    QString error;

    QJsonObject object() const;
    // For failure messages: the status, the body and the error.
    QByteArray describe() const;
};

// Sends one request (with the bearer token, if any; a body goes as application/json) and waits,
// with the event loop running, up to timeoutMs for its answer.
HttpAnswer httpRequest(QNetworkAccessManager &network, const QByteArray &method, const QUrl &url,
    const QString &token = QString(), const QByteArray &body = QByteArray(),
    const HttpHeaders &headers = {}, int timeoutMs = 15000);

// A waybill-server that serves until stop().
class ServerRun final
{
public:
    ServerRun(const QStringList &arguments, const QProcessEnvironment &environment);
    ~ServerRun(); // kills it if still running
    Q_DISABLE_COPY_MOVE(ServerRun)

    // Starts it and waits for its "http://HOST:PORT" line on stdout. False with a reason if the
    // process ended or stayed silent instead.
    bool start(QString *error, int timeoutMs = 30000);
    QUrl url() const { return m_url; }
    // The whole stdout line that carried the URL.
    QString urlLine() const { return m_urlLine; }

    // Sends a signal (SIGTERM, SIGINT) without waiting; nothing once the process has ended (a
    // process id of 0 would signal the whole process group: the test runner included).
    void sendSignal(int signalNumber);
    // Waits for the process to end; false if it did not in time.
    bool waitForExit(int timeoutMs = 60000);
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    QByteArray stdErr();
    QProcess &process() { return m_process; }

private:
    QStringList m_arguments;
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
    QUrl m_url;
    QString m_urlLine;
};

// A port on 127.0.0.1 that refuses every connection for as long as this object lives: bound,
// never listening, so no other process can take it meanwhile (a port that was merely free a
// moment ago may be taken by a server of another test running at the same time).
class RefusingPort final
{
public:
    RefusingPort();
    ~RefusingPort();
    Q_DISABLE_COPY_MOVE(RefusingPort)
    quint16 port() const { return m_port; } // 0 if none could be bound

private:
    int m_socket = -1;
    quint16 m_port = 0;
};

} // namespace waybill::test
