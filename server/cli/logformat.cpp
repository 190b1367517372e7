#include "logformat.h"

#include "domain/timeformat.h"

#include <QDateTime>

#include <cstdio>
#include <cstdlib>

namespace waybill::cli {

Q_LOGGING_CATEGORY(lcServerCli, "waybill.server", QtInfoMsg)

namespace {

void writeLogLine(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString formatted = qFormatLogMessage(type, context, message);
    // Times in UTC, as everywhere in Waybill; Qt's %{time} would give local time.
    const QByteArray line
        = (toIsoUtc(QDateTime::currentDateTimeUtc()) + QLatin1Char(' ') + formatted).toUtf8()
        + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

void installLogFormat()
{
    qSetMessagePattern(QStringLiteral("%{type} %{category}: %{message}"));
    qInstallMessageHandler(writeLogLine);
}

} // namespace waybill::cli
