#include "haproxyrun.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QLocalSocket>
#include <QStandardPaths>
#include <QThread>
#include <QtCore/qtestsupport_core.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace waybill::test {

namespace {

// A socket bound to a free loopback port and listening, closed on exec: only HAProxy is handed
// it (see start()).
int listeningSocket(quint16 *port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || ::listen(fd, 1024) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        ::close(fd);
        return -1;
    }
    *port = ntohs(address.sin_port);
    return fd;
}

} // namespace

HaproxyRun::HaproxyRun(
    const QString &folder, const QVector<BalancedServer> &servers, int checkIntervalMs)
    : m_folder(folder)
    , m_servers(servers)
    , m_checkIntervalMs(checkIntervalMs)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

HaproxyRun::~HaproxyRun()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

QString HaproxyRun::binary(QString *why)
{
    QString found = QStandardPaths::findExecutable(QStringLiteral("haproxy"));
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(
            QStringLiteral("haproxy"), { QStringLiteral("/usr/sbin"), QStringLiteral("/sbin") });
    if (found.isEmpty() && why)
        *why = QStringLiteral("haproxy is not installed (scripts/install-deps.sh installs it)");
    return found;
}

bool HaproxyRun::start(QString *error, int timeoutMs)
{
    const QString haproxy = binary(error);
    if (haproxy.isEmpty())
        return false;
    quint16 port = 0;
    const int fd = listeningSocket(&port);
    if (fd < 0) {
        *error = QStringLiteral("no loopback port to listen on");
        return false;
    }
    // The layout of docs/operations.md's production example, with checks frequent enough for a
    // test and the statistics socket the test reads the servers' states from.
    QString servers;
    for (const BalancedServer &server : std::as_const(m_servers))
        servers += QStringLiteral("    server %1 %2:%3 check\n")
                       .arg(server.name, server.url.host())
                       .arg(server.url.port());
    m_configuration
        = QStringLiteral("global\n"
                         "    maxconn 4096\n"
                         "    stats socket %1/stats.sock mode 600 level admin\n"
                         "defaults\n"
                         "    mode http\n"
                         "    timeout connect 2s\n"
                         "    timeout client 60s\n"
                         "    timeout server 60s\n"
                         "    timeout http-keep-alive 10s\n"
                         // A check may wait 2 s for its answer, as in production (where it is
                         // inter's 2 s). Without it the test's 200 ms inter was the check's
                         // timeout: under the sanitizers, both servers slowed by a burst
                         // answered /health late twice, were taken out, and HAProxy said 503.
                         "    timeout check 2s\n"
                         "    retries 3\n"
                         "    option redispatch 1\n"
                         "frontend waybill\n"
                         "    bind fd@%2\n"
                         "    default_backend waybill_servers\n"
                         "backend waybill_servers\n"
                         "    balance roundrobin\n"
                         "    option httpchk\n"
                         "    http-check send meth GET uri /health ver HTTP/1.1 hdr Host waybill\n"
                         "    http-check expect status 200\n"
                         "    default-server inter %3 fall 2 rise 2 maxconn 64\n"
                         "%4")
              .arg(m_folder)
              .arg(fd)
              .arg(m_checkIntervalMs)
              .arg(servers);
    QFile file(m_folder + QStringLiteral("/haproxy.cfg"));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(m_configuration.toUtf8()) < 0) {
        ::close(fd);
        *error = QStringLiteral("cannot write %1").arg(file.fileName());
        return false;
    }
    file.close();
    // Only HAProxy inherits the listening socket: cleared of close-on-exec in its child alone.
    m_process.setChildProcessModifier([fd] { ::fcntl(fd, F_SETFD, 0); });
    m_process.start(haproxy, { QStringLiteral("-db"), QStringLiteral("-f"), file.fileName() });
    const bool started = m_process.waitForStarted(timeoutMs);
    ::close(fd); // HAProxy has its own copy now; ours would keep a dead port accepting
    if (!started) {
        *error = QStringLiteral("haproxy did not start: %1").arg(m_process.errorString());
        return false;
    }
    m_url.setScheme(QStringLiteral("http"));
    m_url.setHost(QStringLiteral("127.0.0.1"));
    m_url.setPort(port);
    const bool up = QTest::qWaitFor(
        [this] {
            if (m_process.state() == QProcess::NotRunning)
                return true;
            const QHash<QString, BalancedServerState> states = serverStates();
            for (const BalancedServer &server : std::as_const(m_servers)) {
                if (states.value(server.name).status != QLatin1String("UP"))
                    return false;
            }
            return true;
        },
        timeoutMs);
    if (m_process.state() == QProcess::NotRunning) {
        *error = QStringLiteral("haproxy ended (exit code %1):\n%2")
                     .arg(m_process.exitCode())
                     .arg(QString::fromUtf8(output()));
        return false;
    }
    if (!up) {
        *error = QStringLiteral("haproxy did not report every server UP within %1 ms:\n%2")
                     .arg(timeoutMs)
                     .arg(QString::fromUtf8(output()));
        return false;
    }
    return true;
}

QHash<QString, BalancedServerState> HaproxyRun::serverStates()
{
    QLocalSocket socket;
    socket.connectToServer(m_folder + QStringLiteral("/stats.sock"));
    if (!socket.waitForConnected(2000))
        return {};
    socket.write("show stat\n");
    QByteArray text;
    const QDeadlineTimer deadline(5000);
    while (socket.state() == QLocalSocket::ConnectedState && !deadline.hasExpired()) {
        socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        text += socket.readAll();
    }
    text += socket.readAll();
    // CSV: "# pxname,svname,qcur,...", then one line per frontend, server and backend.
    const QList<QByteArray> lines = text.split('\n');
    if (lines.isEmpty() || !lines.first().startsWith("# "))
        return {};
    const QList<QByteArray> columns = lines.first().mid(2).split(',');
    const qsizetype name = columns.indexOf("svname");
    const qsizetype status = columns.indexOf("status");
    const qsizetype sessions = columns.indexOf("stot");
    if (name < 0 || status < 0 || sessions < 0)
        return {};
    QHash<QString, BalancedServerState> states;
    for (const QByteArray &line : lines.mid(1)) {
        const QList<QByteArray> fields = line.split(',');
        if (fields.size() <= qMax(name, qMax(status, sessions)))
            continue;
        states.insert(QString::fromUtf8(fields.at(name)),
            { QString::fromUtf8(fields.at(status)), fields.at(sessions).toLongLong() });
    }
    return states;
}

QByteArray HaproxyRun::output()
{
    m_output += m_process.readAll();
    return m_output;
}

} // namespace waybill::test
