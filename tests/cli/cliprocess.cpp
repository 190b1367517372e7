#include "cliprocess.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QtCore/qtestsupport_core.h>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

namespace waybill::test {

QString serverBinary(QString *error)
{
    const QString dir = qEnvironmentVariable("WAYBILL_TEST_BINARY_DIR");
    if (dir.isEmpty()) {
        if (error)
            *error
                = QStringLiteral("WAYBILL_TEST_BINARY_DIR is not set (run the test through ctest)");
        return {};
    }
    return dir + QStringLiteral("/server/waybill-server");
}

bool serverBinaryIsBuilt(QString *error)
{
    const QString binary = serverBinary(error);
    if (binary.isEmpty())
        return false;
    if (!QFileInfo(binary).isExecutable()) {
        *error = binary + QStringLiteral(" is not built");
        return false;
    }
    return true;
}

QProcessEnvironment isolatedEnvironment(const QString &dataHome)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &key : environment.keys()) {
        if (key.startsWith(QLatin1String("WAYBILL_"))
            && key != QLatin1String("WAYBILL_TEST_BINARY_DIR"))
            environment.remove(key);
    }
    environment.remove(QStringLiteral("QT_MESSAGE_PATTERN"));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), dataHome);
    // Messages in English whatever the machine's language, so tests can read them.
    environment.insert(QStringLiteral("LANGUAGE"), QStringLiteral("en"));
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    return environment;
}

static QStringList linesOf(const QByteArray &bytes)
{
    QStringList lines = QString::fromUtf8(bytes).split(QLatin1Char('\n'));
    while (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

QStringList CliResult::errLines() const
{
    return linesOf(err);
}

QStringList CliResult::outLines() const
{
    return linesOf(out);
}

QByteArray CliResult::describe() const
{
    return "exit code " + QByteArray::number(exitCode) + (finished ? "" : " (did not finish)")
        + "\n--- stdout:\n" + out.left(4000) + "\n--- stderr:\n" + err.left(4000);
}

CliResult runCli(
    const QStringList &arguments, const QProcessEnvironment &environment, int timeoutMs)
{
    CliResult result;
    QString why;
    const QString binary = serverBinary(&why);
    if (binary.isEmpty()) {
        result.err = why.toUtf8();
        return result;
    }
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(binary, arguments);
    if (!process.waitForStarted(timeoutMs)) {
        result.err = "could not start " + binary.toUtf8() + ": " + process.errorString().toUtf8();
        return result;
    }
    process.closeWriteChannel();
    result.finished
        = process.waitForFinished(timeoutMs) && process.exitStatus() == QProcess::NormalExit;
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
    }
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QString createTokenWithCli(const QProcessEnvironment &environment, const QString &name,
    const QString &role, QString *error, const QString &db)
{
    QStringList arguments;
    if (!db.isEmpty())
        arguments << QStringLiteral("--db") << db;
    arguments << QStringLiteral("token") << QStringLiteral("create") << QStringLiteral("--name")
              << name << QStringLiteral("--role") << role;
    const CliResult result = runCli(arguments, environment);
    const QStringList lines = result.outLines();
    const QString secret = lines.isEmpty() ? QString() : lines.constLast().trimmed();
    if (!result.finished || result.exitCode != 0 || secret.isEmpty()) {
        *error = QString::fromUtf8(result.describe());
        return {};
    }
    return secret;
}

QJsonObject HttpAnswer::object() const
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray HttpAnswer::describe() const
{
    return QByteArray::number(status) + ' ' + body + ' ' + error.toUtf8();
}

HttpAnswer httpRequest(QNetworkAccessManager &network, const QByteArray &method, const QUrl &url,
    const QString &token, const QByteArray &body, const HttpHeaders &headers, int timeoutMs)
{
    QNetworkRequest request(url);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    std::unique_ptr<QNetworkReply> reply(network.sendCustomRequest(request, method, body));
    HttpAnswer answer;
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, timeoutMs)) {
        answer.error = QStringLiteral("no answer in %1 ms").arg(timeoutMs);
        return answer;
    }
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    if (answer.status == 0)
        answer.error = reply->errorString();
    return answer;
}

ServerRun::ServerRun(const QStringList &arguments, const QProcessEnvironment &environment)
    : m_arguments(arguments)
{
    m_process.setProcessEnvironment(environment);
}

ServerRun::~ServerRun()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished();
    }
}

bool ServerRun::start(QString *error, int timeoutMs)
{
    QString why;
    const QString binary = serverBinary(&why);
    if (binary.isEmpty()) {
        *error = why;
        return false;
    }
    m_process.start(binary, m_arguments);
    if (!m_process.waitForStarted(timeoutMs)) {
        *error = QStringLiteral("could not start %1: %2").arg(binary, m_process.errorString());
        return false;
    }
    static const QRegularExpression urlPattern(QStringLiteral("(https?://[^\\s]+:\\d+)"));
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        m_out += m_process.readAllStandardOutput();
        const int newline = m_out.indexOf('\n');
        if (newline >= 0) {
            m_urlLine = QString::fromUtf8(m_out.left(newline));
            const QRegularExpressionMatch match = urlPattern.match(m_urlLine);
            if (!match.hasMatch()) {
                *error = QStringLiteral("the first line on stdout has no URL: ") + m_urlLine;
                return false;
            }
            m_url = QUrl(match.captured(1));
            return true;
        }
        if (m_process.state() == QProcess::NotRunning) {
            *error = QStringLiteral(
                "the server ended (exit code %1) before printing its URL; stderr:\n%2")
                         .arg(m_process.exitCode())
                         .arg(QString::fromUtf8(stdErr()));
            return false;
        }
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    *error = QStringLiteral("the server printed no URL within %1 ms; stderr:\n%2")
                 .arg(timeoutMs)
                 .arg(QString::fromUtf8(stdErr()));
    return false;
}

void ServerRun::sendSignal(int signalNumber)
{
    const qint64 pid = m_process.processId();
    if (pid > 0)
        ::kill(pid_t(pid), signalNumber);
}

bool ServerRun::waitForExit(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    return m_process.waitForFinished(timeoutMs);
}

QByteArray ServerRun::stdErr()
{
    m_err += m_process.readAllStandardError();
    return m_err;
}

RefusingPort::RefusingPort()
{
    m_socket = ::socket(AF_INET, SOCK_STREAM, 0);
    if (m_socket < 0)
        return;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(m_socket, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
        && ::getsockname(m_socket, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        m_port = ntohs(address.sin_port);
}

RefusingPort::~RefusingPort()
{
    if (m_socket >= 0)
        ::close(m_socket);
}

} // namespace waybill::test
