// waybill: the office's desktop app for shipments, dispatch and billing.
#include "appcontroller.h"
#include "commandlineoptions.h"
#include "language.h"
#include "screenshots/screenshotrenderer.h"
#include "views/appicon.h"

#include <QApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Waybill"));
    QApplication::setApplicationName(QStringLiteral("waybill"));
    QApplication::setApplicationVersion(QStringLiteral(WAYBILL_VERSION));
    // Desktops match the window to the installed entry (and its icon) by this name.
    QGuiApplication::setDesktopFileName(QStringLiteral(WAYBILL_APP_ID));
    QApplication::setWindowIcon(waybill::app::applicationIcon());

    // The help text is already in the user's language; --language may change it below.
    waybill::app::Language::install();
    using waybill::app::CommandLineOptions;
    CommandLineOptions options;
    QString message;
    switch (CommandLineOptions::parse(QApplication::arguments(), &options, &message)) {
    case CommandLineOptions::Outcome::ExitSuccess:
        std::fputs(qPrintable(message + QLatin1Char('\n')), stdout);
        return 0;
    case CommandLineOptions::Outcome::ExitUsage:
        std::fputs(qPrintable(message + QLatin1Char('\n')), stderr);
        return 2;
    case CommandLineOptions::Outcome::Run:
        break;
    }
    if (!options.language.isEmpty())
        waybill::app::Language::install(options.language);

    if (!options.screenshotsDir.isEmpty())
        return waybill::app::ScreenshotRenderer(options.screenshotsDir).run();

    waybill::app::AppController controller(options, waybill::app::AppPaths::standard());
    controller.start();
    return app.exec();
}
