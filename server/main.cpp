// waybill-server: the headless Waybill server and its admin commands (see --help).
#include "cli/serverapplication.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("waybill-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WAYBILL_VERSION));

    // Translations compiled into the binary, when there are some for the user's language.
    QTranslator translator;
    if (translator.load(
            QLocale(), QStringLiteral("waybill"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);

    return waybill::cli::runServerApplication(QCoreApplication::arguments());
}
