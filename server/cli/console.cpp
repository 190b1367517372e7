#include "console.h"

#include <QCoreApplication>

#include <cstdio>

namespace waybill::cli {

void printLine(const QString &text)
{
    const QByteArray bytes = text.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

bool writeOut(const QByteArray &bytes)
{
    return std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout) == size_t(bytes.size());
}

bool flushOut()
{
    return std::fflush(stdout) == 0 && !std::ferror(stdout);
}

void printError(const QString &message)
{
    // One line, whatever the message held: scripts and service logs read it line by line.
    QString text = message.simplified();
    const QByteArray bytes
        = (QCoreApplication::applicationName() + QLatin1String(": ") + text).toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace waybill::cli
