// waybill-server: the headless Waybill server and its admin commands (see --help).
#include "cli/commandline.h"
#include "cli/serverapplication.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace {

QtMessageHandler g_defaultHandler = nullptr;

// QGuiApplication warns that XDG_RUNTIME_DIR is not set (cron, a systemd unit): the document
// command uses no runtime folder, and a batch run's stderr should hold its own lines only.
void quietAboutRuntimeFolder(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (text.contains(QLatin1String("XDG_RUNTIME_DIR")))
        return;
    g_defaultHandler(type, context, text);
}

} // namespace

int main(int argc, char *argv[])
{
    // Documents lay out text, which takes Qt's GUI (its fonts); everything else stays headless.
    // Without a platform named, the offscreen one needs no display (docs/operations.md).
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    std::unique_ptr<QCoreApplication> app;
    if (waybill::cli::needsGuiApplication(arguments)) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        g_defaultHandler = qInstallMessageHandler(&quietAboutRuntimeFolder);
        app = std::make_unique<QGuiApplication>(argc, argv);
        qInstallMessageHandler(g_defaultHandler);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("waybill-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WAYBILL_VERSION));

    // Translations compiled into the binary, when there are some for the user's language.
    QTranslator translator;
    if (translator.load(
            QLocale(), QStringLiteral("waybill"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);

    return waybill::cli::runServerApplication(QCoreApplication::arguments());
}
