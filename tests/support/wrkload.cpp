#include "wrkload.h"

#include <QFile>
#include <QRegularExpression>

namespace waybill::test {

bool writeSubmitScript(
    const QString &path, const QString &token, const QString &idPrefix, int delayMs)
{
    QFile lua(path);
    if (!lua.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    // Each wrk thread numbers its own requests; the thread number keeps the ids apart.
    QString script = QStringLiteral(R"(-- posts submit commands with fresh shipment ids
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
local body = '{"shipFrom":{"name":"Acme","line1":"100 Grand Ave","city":"Des Moines","state":"IA","zip":"50309"},' ..
             '"shipTo":{"name":"Globex","line1":"1 Main St","city":"Springfield","state":"IL","zip":"62701"},' ..
             '"weightInPounds":12.5,"billToAccountId":"acct-bench"}'
local headers = { ["Authorization"] = "Bearer %1", ["Content-Type"] = "application/json" }
function request()
  counter = counter + 1
  return wrk.format("POST", "/shipments/%2" .. tid .. "-" .. counter .. "/commands/submit", headers, body)
end
)")
                         .arg(token, idPrefix);
    if (delayMs > 0)
        script += QStringLiteral("function delay()\n  return %1\nend\n").arg(delayMs);
    return lua.write(script.toUtf8()) > 0;
}

WrkSummary readWrkSummary(const QString &output)
{
    const auto capture = [&output](const QString &pattern) {
        const QRegularExpressionMatch match
            = QRegularExpression(pattern, QRegularExpression::MultilineOption).match(output);
        return match.hasMatch() ? match.captured(1) : QString();
    };
    WrkSummary summary;
    summary.requests = capture(QStringLiteral("(\\d+) requests in")).toLongLong();
    const QString duration = capture(QStringLiteral("requests in ([0-9.]+\\w+),"));
    summary.seconds = duration.endsWith(QLatin1String("ms")) ? duration.chopped(2).toDouble() / 1000
        : duration.endsWith(QLatin1Char('m'))                ? duration.chopped(1).toDouble() * 60
                                                             : duration.chopped(1).toDouble();
    summary.non2xx = capture(QStringLiteral("Non-2xx or 3xx responses: (\\d+)")).toLongLong();
    const QRegularExpressionMatch errors = QRegularExpression(
        QStringLiteral("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)"))
                                               .match(output);
    for (int i = 1; errors.hasMatch() && i <= 4; ++i)
        summary.socketErrors += errors.captured(i).toLongLong();
    summary.p50 = capture(QStringLiteral("^\\s+50%\\s+(\\S+)"));
    summary.p99 = capture(QStringLiteral("^\\s+99%\\s+(\\S+)"));
    return summary;
}

} // namespace waybill::test
