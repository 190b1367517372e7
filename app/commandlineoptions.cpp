#include "commandlineoptions.h"

#include "language.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace waybill::app {

CommandLineOptions::Outcome CommandLineOptions::parse(
    const QStringList &arguments, CommandLineOptions *options, QString *message)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Waybill: shipments, dispatch and billing. With no arguments it keeps its data on this "
           "computer; with --server it works with a waybill-server on the network."));
    const QCommandLineOption help(QStringList { QStringLiteral("h"), QStringLiteral("help") },
        tr("Show this help and exit."));
    const QCommandLineOption version(QStringList { QStringLiteral("v"), QStringLiteral("version") },
        tr("Show the version and exit."));
    const QCommandLineOption server(QStringLiteral("server"),
        tr("Work with the waybill-server at URL (http or https)."), QStringLiteral("URL"));
    const QCommandLineOption token(QStringLiteral("token"),
        tr("The access token for --server (or set WAYBILL_TOKEN)."), QStringLiteral("TOKEN"));
    const QCommandLineOption language(QStringLiteral("language"),
        tr("The language of the app: en or es."), QStringLiteral("CODE"));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
        tr("Keep this computer's data in DIR instead of the user's "
           "data folder."),
        QStringLiteral("DIR"));
    const QCommandLineOption screenshots(QStringLiteral("render-screenshots"),
        tr("Render each main view, with demo data, as PNG files "
           "into DIR and exit."),
        QStringLiteral("DIR"));
    const QCommandLineOption caFile(QStringLiteral("ca-file"),
        tr("Trust the certificate authorities in this PEM FILE for servers' certificates (or set "
           "WAYBILL_CA_FILE)."),
        QStringLiteral("FILE"));
    const QCommandLineOption demo(QStringLiteral("demo"),
        tr("Try Waybill on a working week of sample shipments, accounts and trucks, kept in a "
           "demo database of their own (the folder \"demo\" in the data folder), apart from "
           "your data."));
    parser.addOptions(
        { help, version, server, token, language, dataDir, screenshots, caFile, demo });

    if (!parser.parse(arguments)) {
        *message = parser.errorText();
        return Outcome::ExitUsage;
    }
    if (parser.isSet(help)) {
        *message = parser.helpText();
        return Outcome::ExitSuccess;
    }
    if (parser.isSet(version)) {
        *message = QStringLiteral("waybill %1").arg(QCoreApplication::applicationVersion());
        return Outcome::ExitSuccess;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *message = tr("Unexpected argument: %1").arg(parser.positionalArguments().first());
        return Outcome::ExitUsage;
    }
    CommandLineOptions result;
    if (parser.isSet(server)) {
        result.serverUrl = QUrl(parser.value(server), QUrl::StrictMode);
        const QString scheme = result.serverUrl.scheme();
        if (!result.serverUrl.isValid() || result.serverUrl.host().isEmpty()
            || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
            *message = tr("--server needs an http or https address, e.g. http://server:8080; got "
                          "\"%1\".")
                           .arg(parser.value(server));
            return Outcome::ExitUsage;
        }
        result.token
            = parser.isSet(token) ? parser.value(token) : qEnvironmentVariable("WAYBILL_TOKEN");
        if (result.token.isEmpty()) {
            *message = tr("--server needs --token TOKEN (or WAYBILL_TOKEN in the environment).");
            return Outcome::ExitUsage;
        }
    } else if (parser.isSet(token)) {
        *message = tr("--token goes with --server URL.");
        return Outcome::ExitUsage;
    }
    if (parser.isSet(language)) {
        result.language = parser.value(language);
        if (!Language::available().contains(result.language)) {
            *message = tr("--language must be one of: %1.")
                           .arg(Language::available().join(QLatin1String(", ")));
            return Outcome::ExitUsage;
        }
    }
    result.dataDir = parser.value(dataDir);
    result.screenshotsDir = parser.value(screenshots);
    result.demo = parser.isSet(demo);
    if (result.demo && !result.serverUrl.isEmpty()) {
        *message = tr("--demo runs on this computer's demo database; it cannot go with --server.");
        return Outcome::ExitUsage;
    }
    result.caFile
        = parser.isSet(caFile) ? parser.value(caFile) : qEnvironmentVariable("WAYBILL_CA_FILE");
    if (!result.caFile.isEmpty() && !QFileInfo(result.caFile).isReadable()) {
        *message = tr("--ca-file: %1 cannot be read.").arg(result.caFile);
        return Outcome::ExitUsage;
    }
    *options = result;
    return Outcome::Run;
}

} // namespace waybill::app
