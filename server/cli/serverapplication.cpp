#include "serverapplication.h"

#include "auditcommands.h"
#include "commandline.h"
#include "console.h"
#include "copycommands.h"
#include "databaseaccess.h"
#include "documentcommands.h"
#include "exitcodes.h"
#include "logformat.h"
#include "servecommand.h"
#include "store/schema.h"
#include "store/sql.h"
#include "tokencommands.h"

#include <QCoreApplication>
#include <QStandardPaths>

namespace waybill::cli {

namespace {

int runAdminCommand(const CommandLine &commandLine, const ServerConfig &config)
{
    QString error;
    const bool creates = commandLine.command == CliCommand::TokenCreate;
    if (creates ? !prepareDatabaseLocation(config, &error)
                : !requireExistingDatabase(config, &error)) {
        printError(error);
        return ExitFailure;
    }
    Database database(config.database);
    try {
        refuseNewerSchema(database.connection());
        switch (commandLine.command) {
        case CliCommand::TokenCreate:
            return createToken(database, commandLine.tokenName, commandLine.tokenRole);
        case CliCommand::TokenList:
            return listTokens(database);
        case CliCommand::TokenRevoke:
            return revokeToken(database, commandLine.tokenName);
        case CliCommand::Export: {
            EventFilter filter;
            filter.from = commandLine.from;
            filter.to = commandLine.to;
            filter.streamId = commandLine.streamId;
            return exportEvents(database, filter, commandLine.outFile);
        }
        case CliCommand::Verify:
            return verifyEvents(database, commandLine.position, commandLine.hash);
        case CliCommand::RebuildProjections:
            return rebuildProjections(database);
        case CliCommand::Document:
            return writeDocument(database, commandLine);
        case CliCommand::Backup:
            return backupDatabase(database, commandLine.outFile);
        case CliCommand::Copy:
        case CliCommand::Serve:
            break;
        }
    } catch (const SchemaTooNewError &e) {
        printError(QCoreApplication::translate("ServerApplication", "database error (%1): %2")
                       .arg(config.database.toDisplayString(), e.message()));
        return ExitDatabaseTooNew;
    } catch (const StoreError &e) {
        printError(QCoreApplication::translate("ServerApplication", "database error (%1): %2")
                       .arg(config.database.toDisplayString(), e.message()));
        return ExitFailure;
    } catch (const std::exception &e) {
        printError(QCoreApplication::translate("ServerApplication", "failed: %1")
                       .arg(QString::fromUtf8(e.what())));
        return ExitFailure;
    }
    return ExitFailure;
}

} // namespace

int runServerApplication(const QStringList &arguments)
{
    const CommandLine commandLine = parseCommandLine(arguments);
    switch (commandLine.outcome) {
    case CommandLine::Outcome::Help:
    case CommandLine::Outcome::Version:
        printLine(commandLine.message.trimmed());
        return ExitSuccess;
    case CommandLine::Outcome::UsageError:
        printError(commandLine.message);
        return ExitUsage;
    case CommandLine::Outcome::Run:
        break;
    }

    ConfigInputs inputs;
    inputs.flags = commandLine.flags;
    inputs.environment = QProcessEnvironment::systemEnvironment();
    inputs.defaultDataDirectory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    inputs.serving = commandLine.command == CliCommand::Serve;
    QString error;
    const std::optional<ServerConfig> config = resolveServerConfig(inputs, &error);
    if (!config) {
        printError(error);
        return ExitUsage;
    }

    installLogFormat();
    // copy names its own two databases: the configured one plays no part.
    if (commandLine.command == CliCommand::Copy)
        return copyDatabase(commandLine.copyFrom, commandLine.copyTo);
    if (commandLine.command == CliCommand::Serve)
        return serve(*config, inputs);
    return runAdminCommand(commandLine, *config);
}

} // namespace waybill::cli
