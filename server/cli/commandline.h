// waybill-server's command line: the flags, the admin commands, and which flag goes with which.
#pragma once

#include "serverconfig.h"

#include <QDateTime>
#include <QStringList>

#include <optional>

namespace waybill::cli {

enum class CliCommand {
    Serve,
    TokenCreate,
    TokenList,
    TokenRevoke,
    Export,
    Verify,
    RebuildProjections,
    Document,
    Copy,
    Backup
};

// document invoice | statement | bill-of-lading
enum class DocumentKind { Invoice, Statement, BillOfLading };

struct CommandLine
{
    enum class Outcome {
        Run, // run command
        Help, // print message (the help text) and exit 0
        Version, // print message (name and version) and exit 0
        UsageError // print message (one line) on stderr and exit 2
    };
    Outcome outcome = Outcome::Run;
    QString message;

    CliCommand command = CliCommand::Serve;
    ConfigFlags flags;
    QString tokenName; // token create --name, token revoke NAME
    QString tokenRole; // token create --role (checked against the roles when the command runs)
    QString outFile; // export --out (empty: stdout), backup --out
    QString copyFrom; // copy --from URL
    QString copyTo; // copy --to URL
    std::optional<QDateTime> from; // export --from, inclusive
    std::optional<QDateTime> to; // export --to, exclusive
    QString streamId; // export --stream, e.g. shipment-42
    std::optional<qint64> position; // verify --position: check the chain up to there only
    QString hash; // verify --hash: what the event at --position must have, lowercase hex
    DocumentKind documentKind = DocumentKind::Invoice;
    qint64 invoiceNumber = 0; // document invoice INV-N
    QString documentSubject; // document statement ACCOUNT, document bill-of-lading SHIPMENT
    // document statement --from/--to: the period, from the first day's start to the last day's
    // end (UTC); document's --out is outFile.
    QDateTime periodFrom;
    QDateTime periodTo;
};

// Whether the arguments ask for a command that lays out text (document), which needs Qt's GUI
// (fonts) rather than the core alone: main() picks its application object by it.
bool needsGuiApplication(const QStringList &arguments);

// arguments as QCoreApplication::arguments() gives them (the program first).
CommandLine parseCommandLine(const QStringList &arguments);

} // namespace waybill::cli
