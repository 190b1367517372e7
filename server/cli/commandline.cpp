#include "commandline.h"

#include "domain/ids.h"
#include "domain/timeformat.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace waybill::cli {

namespace {

QString description()
{
    return QCoreApplication::translate("CommandLine",
        "Waybill's headless server and its admin commands.\n"
        "\n"
        "With no command, serves the HTTP API until SIGINT or SIGTERM, then finishes the\n"
        "commands in flight and exits.\n"
        "\n"
        "Commands:\n"
        "  token create --name NAME --role ROLE  create an API token (printed once, last line)\n"
        "      ROLE: customer-service, dispatch, finance, auditor or admin\n"
        "  token list                            list the tokens (name, role, created)\n"
        "  token revoke NAME                     revoke a token\n"
        "  export [--out FILE] [--from T] [--to T] [--stream ID]\n"
        "                                        the audit CSV of the events\n"
        "  verify                                check the hash chain of the events\n"
        "  rebuild-projections                   rebuild the read models from the events\n"
        "\n"
        "Each setting comes from its flag, else its environment variable (WAYBILL_DB,\n"
        "WAYBILL_LISTEN), else the --config file, else the default.\n"
        "Exit codes: 0 done, 1 failed, 2 bad usage.");
}

CommandLine usageError(const QString &message)
{
    CommandLine result;
    result.outcome = CommandLine::Outcome::UsageError;
    result.message = QCoreApplication::translate("CommandLine", "%1 (see --help)").arg(message);
    return result;
}

std::optional<QString> valueIfSet(
    const QCommandLineParser &parser, const QCommandLineOption &option)
{
    if (!parser.isSet(option))
        return std::nullopt;
    return parser.value(option);
}

} // namespace

CommandLine parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description());
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();

    const QCommandLineOption db(QStringLiteral("db"),
        QCoreApplication::translate("CommandLine",
            "The database: sqlite:PATH or postgresql://user[:password]@host[:port]/dbname "
            "(default: waybill.db in the user's data folder)."),
        QCoreApplication::translate("CommandLine", "URL"));
    const QCommandLineOption listen(QStringLiteral("listen"),
        QCoreApplication::translate(
            "CommandLine", "Where to serve (default 127.0.0.1:8080; port 0 takes a free port)."),
        QCoreApplication::translate("CommandLine", "HOST:PORT"));
    const QCommandLineOption config(QStringLiteral("config"),
        QCoreApplication::translate("CommandLine", "The INI config file."),
        QCoreApplication::translate("CommandLine", "FILE"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
        QCoreApplication::translate(
            "CommandLine", "Serve HTTPS with this PEM certificate (needs --tls-key)."),
        QCoreApplication::translate("CommandLine", "FILE"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
        QCoreApplication::translate("CommandLine", "The PEM private key of --tls-cert."),
        QCoreApplication::translate("CommandLine", "FILE"));
    const QCommandLineOption name(QStringLiteral("name"),
        QCoreApplication::translate("CommandLine", "token create: the token's name."),
        QCoreApplication::translate("CommandLine", "NAME"));
    const QCommandLineOption role(QStringLiteral("role"),
        QCoreApplication::translate("CommandLine", "token create: the token's role."),
        QCoreApplication::translate("CommandLine", "ROLE"));
    const QCommandLineOption out(QStringLiteral("out"),
        QCoreApplication::translate("CommandLine", "export: write to FILE instead of stdout."),
        QCoreApplication::translate("CommandLine", "FILE"));
    const QCommandLineOption from(QStringLiteral("from"),
        QCoreApplication::translate(
            "CommandLine", "export: events at or after this ISO-8601 time."),
        QCoreApplication::translate("CommandLine", "T"));
    const QCommandLineOption to(QStringLiteral("to"),
        QCoreApplication::translate("CommandLine", "export: events before this ISO-8601 time."),
        QCoreApplication::translate("CommandLine", "T"));
    const QCommandLineOption stream(QStringLiteral("stream"),
        QCoreApplication::translate(
            "CommandLine", "export: only this stream (shipment-ID or account-ID)."),
        QCoreApplication::translate("CommandLine", "ID"));
    for (const QCommandLineOption &option :
        { db, listen, config, tlsCert, tlsKey, name, role, out, from, to, stream })
        parser.addOption(option);
    parser.addPositionalArgument(QStringLiteral("command"),
        QCoreApplication::translate("CommandLine", "Empty to serve, or one of the commands above."),
        QCoreApplication::translate("CommandLine", "[command]"));

    if (!parser.parse(arguments))
        return usageError(parser.errorText());

    CommandLine result;
    if (parser.isSet(helpOption)) {
        result.outcome = CommandLine::Outcome::Help;
        result.message = parser.helpText();
        return result;
    }
    if (parser.isSet(versionOption)) {
        result.outcome = CommandLine::Outcome::Version;
        result.message = QStringLiteral("%1 %2").arg(
            QCoreApplication::applicationName(), QCoreApplication::applicationVersion());
        return result;
    }

    // QCommandLineParser takes the last of a repeated option; a repeated setting is more
    // likely a mistake than an intent, so say so.
    for (const QCommandLineOption &option :
        { db, listen, config, tlsCert, tlsKey, name, role, out, from, to, stream }) {
        if (parser.values(option).size() > 1)
            return usageError(
                QCoreApplication::translate("CommandLine", "--%1 is given more than once")
                    .arg(option.names().constFirst()));
    }

    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0);
    int expectedArguments = 1;
    if (command.isEmpty()) {
        result.command = CliCommand::Serve;
        expectedArguments = 0;
    } else if (command == QLatin1String("token")) {
        const QString action = positional.value(1);
        expectedArguments = 2;
        if (action == QLatin1String("create")) {
            result.command = CliCommand::TokenCreate;
        } else if (action == QLatin1String("list")) {
            result.command = CliCommand::TokenList;
        } else if (action == QLatin1String("revoke")) {
            result.command = CliCommand::TokenRevoke;
            if (positional.size() < 3 || positional.at(2).isEmpty())
                return usageError(QCoreApplication::translate(
                    "CommandLine", "token revoke needs the name of the token"));
            result.tokenName = positional.at(2);
            expectedArguments = 3;
        } else if (action.isEmpty()) {
            return usageError(QCoreApplication::translate(
                "CommandLine", "token needs an action: create, list or revoke"));
        } else {
            return usageError(QCoreApplication::translate(
                "CommandLine", "unknown token action \"%1\": use create, list or revoke")
                                  .arg(action));
        }
    } else if (command == QLatin1String("export")) {
        result.command = CliCommand::Export;
    } else if (command == QLatin1String("verify")) {
        result.command = CliCommand::Verify;
    } else if (command == QLatin1String("rebuild-projections")) {
        result.command = CliCommand::RebuildProjections;
    } else {
        return usageError(
            QCoreApplication::translate("CommandLine", "unknown command \"%1\"").arg(command));
    }
    if (positional.size() > expectedArguments)
        return usageError(QCoreApplication::translate("CommandLine", "unexpected argument \"%1\"")
                              .arg(positional.at(expectedArguments)));

    // Each command's own flags belong to it alone.
    struct Scoped
    {
        const QCommandLineOption &option;
        CliCommand owner;
    };
    const bool creating = result.command == CliCommand::TokenCreate;
    const bool exporting = result.command == CliCommand::Export;
    const QString given = positional.mid(0, expectedArguments).join(QLatin1Char(' '));
    for (const Scoped &scoped : { Scoped { listen, CliCommand::Serve },
             Scoped { tlsCert, CliCommand::Serve }, Scoped { tlsKey, CliCommand::Serve },
             Scoped { name, CliCommand::TokenCreate }, Scoped { role, CliCommand::TokenCreate },
             Scoped { out, CliCommand::Export }, Scoped { from, CliCommand::Export },
             Scoped { to, CliCommand::Export }, Scoped { stream, CliCommand::Export } }) {
        if (!parser.isSet(scoped.option) || scoped.owner == result.command)
            continue;
        const QString optionName = scoped.option.names().constFirst();
        if (scoped.owner == CliCommand::Serve)
            return usageError(
                QCoreApplication::translate("CommandLine", "--%1 is only for serving, not for %2")
                    .arg(optionName, given));
        const QString ownerName = scoped.owner == CliCommand::Export
            ? QStringLiteral("export")
            : QStringLiteral("token create");
        return usageError(
            QCoreApplication::translate("CommandLine", "--%1 goes with the %2 command only")
                .arg(optionName, ownerName));
    }

    result.flags.database = valueIfSet(parser, db);
    result.flags.listen = valueIfSet(parser, listen);
    result.flags.configFile = valueIfSet(parser, config);
    result.flags.tlsCertificateFile = valueIfSet(parser, tlsCert);
    result.flags.tlsKeyFile = valueIfSet(parser, tlsKey);

    if (creating) {
        if (!parser.isSet(name) || parser.value(name).trimmed().isEmpty())
            return usageError(
                QCoreApplication::translate("CommandLine", "token create needs --name NAME"));
        if (!parser.isSet(role))
            return usageError(
                QCoreApplication::translate("CommandLine", "token create needs --role ROLE"));
        result.tokenName = parser.value(name);
        result.tokenRole = parser.value(role);
    }
    if (exporting) {
        result.outFile = parser.value(out);
        if (parser.isSet(out) && result.outFile.isEmpty())
            return usageError(
                QCoreApplication::translate("CommandLine", "--out needs a file name"));
        for (const auto &[option, target] :
            { std::pair { &from, &result.from }, std::pair { &to, &result.to } }) {
            if (!parser.isSet(*option))
                continue;
            *target = parseIsoUtc(parser.value(*option));
            if (!*target)
                return usageError(QCoreApplication::translate("CommandLine",
                    "--%1: \"%2\" is not an ISO-8601 time (e.g. 2026-11-27T10:00:00Z)")
                                      .arg(option->names().constFirst(), parser.value(*option)));
        }
        if (result.from && result.to && *result.to <= *result.from)
            return usageError(
                QCoreApplication::translate("CommandLine", "--to must be later than --from"));
        if (parser.isSet(stream)) {
            result.streamId = parser.value(stream);
            if (streamKind(result.streamId) == StreamKind::Unknown
                || !isValidId(entityIdOfStream(result.streamId)))
                return usageError(QCoreApplication::translate("CommandLine",
                    "--stream: \"%1\" is not a stream id (shipment-ID or account-ID)")
                                      .arg(result.streamId));
        }
    }
    return result;
}

} // namespace waybill::cli
