#include "pdftext.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

namespace waybill::test {

namespace {

QByteArray run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0)
        return {};
    return process.readAllStandardOutput();
}

} // namespace

bool pdfToolsAvailable(QString *error)
{
    for (const char *tool : { "pdftotext", "pdfinfo" }) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty()) {
            *error = QStringLiteral("%1 is not installed (poppler-utils; scripts/install-deps.sh)")
                         .arg(QString::fromLatin1(tool));
            return false;
        }
    }
    return true;
}

int pdfPageCount(const QString &fileName)
{
    const QString info = QString::fromUtf8(run(QStringLiteral("pdfinfo"), { fileName }));
    const QRegularExpressionMatch pages = QRegularExpression(
        QStringLiteral("^Pages:\\s+(\\d+)$"), QRegularExpression::MultilineOption)
                                              .match(info);
    return pages.hasMatch() ? pages.captured(1).toInt() : 0;
}

QString pdfText(const QString &fileName, int page)
{
    QStringList arguments { QStringLiteral("-layout"), QStringLiteral("-enc"),
        QStringLiteral("UTF-8") };
    if (page > 0)
        arguments << QStringLiteral("-f") << QString::number(page) << QStringLiteral("-l")
                  << QString::number(page);
    arguments << fileName << QStringLiteral("-");
    return QString::fromUtf8(run(QStringLiteral("pdftotext"), arguments));
}

} // namespace waybill::test
