// The desktop app's command line: waybill [--server URL --token TOKEN] [--language CODE] ...
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace waybill::app {

struct CommandLineOptions
{
    Q_DECLARE_TR_FUNCTIONS(CommandLineOptions)
public:
    QUrl serverUrl; // empty: the embedded server (or the remembered connection)
    QString token; // --token, or WAYBILL_TOKEN
    QString language; // "en", "es"; empty: the setting, else the system's
    QString dataDir; // the embedded server's data folder; empty: the standard one
    QString screenshotsDir; // --render-screenshots: render the views there and exit
    QString caFile; // --ca-file or WAYBILL_CA_FILE: authorities trusted for servers' certificates
    bool demo = false; // --demo: sample data in a database of its own (the data folder's "demo")

    bool isRemote() const { return !serverUrl.isEmpty(); }

    enum class Outcome { Run, ExitSuccess, ExitUsage };
    // Parses the arguments. On ExitSuccess (--help, --version) message is the text for stdout;
    // on ExitUsage it is one line for stderr.
    static Outcome parse(
        const QStringList &arguments, CommandLineOptions *options, QString *message);
};

} // namespace waybill::app
