#include "commandline.h"

#include "domain/ids.h"
#include "domain/invoicenumber.h"
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
        "commands in flight and exits; SIGHUP reads the config again.\n"
        "\n"
        "Commands:\n"
        "  token create --name NAME --role ROLE  create an API token (printed once, last line)\n"
        "      ROLE: customer-service, dispatch, finance, auditor, admin or monitoring\n"
        "  token list                            list the tokens (name, role, created)\n"
        "  token revoke NAME                     revoke a token\n"
        "  export [--out FILE] [--from T] [--to T] [--stream ID]\n"
        "                                        the audit CSV of the events\n"
        "  verify [--position P --hash H]        check the hash chain of the events (up to P,\n"
        "                                        and that the event at P has the hash H)\n"
        "  rebuild-projections                   rebuild the read models from the events\n"
        "  document invoice INV-N --out FILE.pdf an invoice as a PDF\n"
        "  document statement ACCOUNT --from DATE --to DATE --out FILE.pdf\n"
        "                                        an account's statement for the days from DATE\n"
        "                                        to DATE (YYYY-MM-DD, UTC) as a PDF\n"
        "  document bill-of-lading SHIPMENT --out FILE.pdf\n"
        "                                        a shipment's bill of lading as a PDF\n"
        "      Each document ends with the log position and hash it reflects: check them with\n"
        "      verify --position P --hash H. Documents are laid out with Qt's GUI; without\n"
        "      QT_QPA_PLATFORM set, the offscreen platform is used (no display needed).\n"
        "  copy --from URL --to URL              copy the whole history into an empty database\n"
        "                                        (SQLite or PostgreSQL, either way), then\n"
        "                                        verify its hash chain there\n"
        "  backup --out FILE                     a consistent copy of the SQLite database, taken\n"
        "                                        while it serves (PostgreSQL: use pg_dump)\n"
        "\n"
        "Each setting comes from its flag, else its environment variable (WAYBILL_DB,\n"
        "WAYBILL_LISTEN, WAYBILL_REQUIRE_REGISTERED_ACCOUNTS, WAYBILL_REQUIRE_REGISTERED_TRUCKS),\n"
        "else the --config file, else the default.\n"
        "Exit codes: 0 done, 1 failed, 2 bad usage, 3 the database is newer than this server.");
}

CommandLine usageError(const QString &message)
{
    CommandLine result;
    result.outcome = CommandLine::Outcome::UsageError;
    result.message = QCoreApplication::translate("CommandLine", "%1 (see --help)").arg(message);
    return result;
}

QString translated(const char *text)
{
    return QCoreApplication::translate("CommandLine", text);
}

constexpr unsigned commandBit(CliCommand command)
{
    return 1u << static_cast<unsigned>(command);
}

constexpr unsigned kAnyCommand = 0;

// Every flag, in the order --help lists them, and the commands it goes with (kAnyCommand: any).
struct Flag
{
    const char *longName;
    const char *description; // translated in the context "CommandLine", as valueName is
    const char *valueName; // nullptr: a switch, which takes no value
    unsigned owners; // commandBit()s

    QString name() const { return QString::fromLatin1(longName); }
    bool goesWith(CliCommand command) const
    {
        return owners == kAnyCommand || (owners & commandBit(command)) != 0;
    }
};

QString commandName(CliCommand command)
{
    switch (command) {
    case CliCommand::Serve:
        return QStringLiteral("serve");
    case CliCommand::TokenCreate:
        return QStringLiteral("token create");
    case CliCommand::TokenList:
        return QStringLiteral("token list");
    case CliCommand::TokenRevoke:
        return QStringLiteral("token revoke");
    case CliCommand::Export:
        return QStringLiteral("export");
    case CliCommand::Verify:
        return QStringLiteral("verify");
    case CliCommand::RebuildProjections:
        return QStringLiteral("rebuild-projections");
    case CliCommand::Document:
        return QStringLiteral("document");
    case CliCommand::Copy:
        return QStringLiteral("copy");
    case CliCommand::Backup:
        return QStringLiteral("backup");
    }
    return {};
}

const Flag kFlags[] = {
    { "db",
        QT_TRANSLATE_NOOP("CommandLine",
            "The database: sqlite:PATH or postgresql://user[:password]@host[:port]/dbname "
            "(default: waybill.db in the user's data folder)."),
        QT_TRANSLATE_NOOP("CommandLine", "URL"), kAnyCommand },
    { "listen",
        QT_TRANSLATE_NOOP(
            "CommandLine", "Where to serve (default 127.0.0.1:8080; port 0 takes a free port)."),
        QT_TRANSLATE_NOOP("CommandLine", "HOST:PORT"), commandBit(CliCommand::Serve) },
    { "config", QT_TRANSLATE_NOOP("CommandLine", "The INI config file."),
        QT_TRANSLATE_NOOP("CommandLine", "FILE"), kAnyCommand },
    { "tls-cert",
        QT_TRANSLATE_NOOP(
            "CommandLine", "Serve HTTPS with this PEM certificate (needs --tls-key)."),
        QT_TRANSLATE_NOOP("CommandLine", "FILE"), commandBit(CliCommand::Serve) },
    { "tls-key", QT_TRANSLATE_NOOP("CommandLine", "The PEM private key of --tls-cert."),
        QT_TRANSLATE_NOOP("CommandLine", "FILE"), commandBit(CliCommand::Serve) },
    { "rates",
        QT_TRANSLATE_NOOP("CommandLine",
            "Price shipments by this rate table file (JSON; default: 28 cents per pound)."),
        QT_TRANSLATE_NOOP("CommandLine", "FILE"), commandBit(CliCommand::Serve) },
    { "require-registered-accounts",
        QT_TRANSLATE_NOOP("CommandLine",
            "Refuse to bill or pay accounts that were never opened (default: allowed)."),
        nullptr, commandBit(CliCommand::Serve) },
    { "require-registered-trucks",
        QT_TRANSLATE_NOOP("CommandLine",
            "Refuse to assign trucks that were never registered (default: allowed)."),
        nullptr, commandBit(CliCommand::Serve) },
    { "name", QT_TRANSLATE_NOOP("CommandLine", "token create: the token's name."),
        QT_TRANSLATE_NOOP("CommandLine", "NAME"), commandBit(CliCommand::TokenCreate) },
    { "role", QT_TRANSLATE_NOOP("CommandLine", "token create: the token's role."),
        QT_TRANSLATE_NOOP("CommandLine", "ROLE"), commandBit(CliCommand::TokenCreate) },
    { "out",
        QT_TRANSLATE_NOOP("CommandLine",
            "export: write to FILE instead of stdout; document: the PDF file to write; backup: "
            "the new file to write."),
        QT_TRANSLATE_NOOP("CommandLine", "FILE"),
        commandBit(CliCommand::Export) | commandBit(CliCommand::Document)
            | commandBit(CliCommand::Backup) },
    { "from",
        QT_TRANSLATE_NOOP("CommandLine",
            "export: events at or after this ISO-8601 time; document statement: the period's "
            "first day (YYYY-MM-DD); copy: the database to copy (URL)."),
        QT_TRANSLATE_NOOP("CommandLine", "T|URL"),
        commandBit(CliCommand::Export) | commandBit(CliCommand::Document)
            | commandBit(CliCommand::Copy) },
    { "to",
        QT_TRANSLATE_NOOP("CommandLine",
            "export: events before this ISO-8601 time; document statement: the period's last "
            "day (YYYY-MM-DD); copy: the empty database to copy into (URL)."),
        QT_TRANSLATE_NOOP("CommandLine", "T|URL"),
        commandBit(CliCommand::Export) | commandBit(CliCommand::Document)
            | commandBit(CliCommand::Copy) },
    { "stream",
        QT_TRANSLATE_NOOP("CommandLine", "export: only this stream (shipment-ID or account-ID)."),
        QT_TRANSLATE_NOOP("CommandLine", "ID"), commandBit(CliCommand::Export) },
    { "position",
        QT_TRANSLATE_NOOP("CommandLine",
            "verify: check the chain up to this position of the log (needs --hash)."),
        QT_TRANSLATE_NOOP("CommandLine", "P"), commandBit(CliCommand::Verify) },
    { "hash",
        QT_TRANSLATE_NOOP(
            "CommandLine", "verify: the hash the event at --position must have (64 hex digits)."),
        QT_TRANSLATE_NOOP("CommandLine", "H"), commandBit(CliCommand::Verify) },
};

std::optional<QString> valueIfSet(const QCommandLineParser &parser, const QString &name)
{
    if (!parser.isSet(name))
        return std::nullopt;
    return parser.value(name);
}

} // namespace

CommandLine parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description());
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();

    for (const Flag &flag : kFlags)
        parser.addOption({ flag.name(), translated(flag.description),
            flag.valueName ? translated(flag.valueName) : QString() });
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
    for (const Flag &flag : kFlags) {
        if (parser.values(flag.name()).size() > 1)
            return usageError(
                QCoreApplication::translate("CommandLine", "--%1 is given more than once")
                    .arg(flag.name()));
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
    } else if (command == QLatin1String("document")) {
        result.command = CliCommand::Document;
        const QString kind = positional.value(1);
        const QString subject = positional.value(2);
        expectedArguments = 3;
        if (kind == QLatin1String("invoice")) {
            result.documentKind = DocumentKind::Invoice;
            if (subject.isEmpty())
                return usageError(QCoreApplication::translate(
                    "CommandLine", "document invoice needs the invoice number, e.g. INV-000042"));
            result.invoiceNumber = invoiceNumberOf(subject);
            if (result.invoiceNumber <= 0)
                return usageError(QCoreApplication::translate("CommandLine",
                    "\"%1\" is not an invoice number (INV- and digits, e.g. INV-000042)")
                                      .arg(subject));
        } else if (kind == QLatin1String("statement") || kind == QLatin1String("bill-of-lading")) {
            const bool statement = kind == QLatin1String("statement");
            result.documentKind = statement ? DocumentKind::Statement : DocumentKind::BillOfLading;
            if (subject.isEmpty())
                return usageError(statement ? QCoreApplication::translate(
                                      "CommandLine", "document statement needs the account's id")
                                            : QCoreApplication::translate("CommandLine",
                                                "document bill-of-lading needs the shipment's id"));
            if (!isValidId(subject))
                return usageError(QCoreApplication::translate(
                    "CommandLine", "\"%1\" is not an id (1 to 64 letters, digits, '-', '_' or '.')")
                                      .arg(subject));
            result.documentSubject = subject;
        } else if (kind.isEmpty()) {
            return usageError(QCoreApplication::translate(
                "CommandLine", "document needs a kind: invoice, statement or bill-of-lading"));
        } else {
            return usageError(QCoreApplication::translate(
                "CommandLine", "unknown document \"%1\": use invoice, statement or bill-of-lading")
                                  .arg(kind));
        }
    } else if (command == QLatin1String("copy")) {
        result.command = CliCommand::Copy;
    } else if (command == QLatin1String("backup")) {
        result.command = CliCommand::Backup;
    } else {
        return usageError(
            QCoreApplication::translate("CommandLine", "unknown command \"%1\"").arg(command));
    }
    if (positional.size() > expectedArguments)
        return usageError(QCoreApplication::translate("CommandLine", "unexpected argument \"%1\"")
                              .arg(positional.at(expectedArguments)));

    // Each command's own flags belong to it alone.
    const QString given = positional.mid(0, expectedArguments).join(QLatin1Char(' '));
    for (const Flag &flag : kFlags) {
        if (flag.goesWith(result.command) || !parser.isSet(flag.name()))
            continue;
        if (flag.owners == commandBit(CliCommand::Serve))
            return usageError(
                QCoreApplication::translate("CommandLine", "--%1 is only for serving, not for %2")
                    .arg(flag.name(), given));
        QStringList owners;
        for (const CliCommand c : { CliCommand::TokenCreate, CliCommand::Export, CliCommand::Verify,
                 CliCommand::Document, CliCommand::Copy, CliCommand::Backup }) {
            if (flag.goesWith(c))
                owners << commandName(c);
        }
        // More than two owners: all but the last are listed, by commas, where the first would
        // stand.
        const QString last = owners.takeLast();
        return usageError(owners.isEmpty()
                ? QCoreApplication::translate("CommandLine", "--%1 goes with the %2 command only")
                      .arg(flag.name(), last)
                : QCoreApplication::translate(
                    "CommandLine", "--%1 goes with the %2 and %3 commands only")
                      .arg(flag.name(), owners.join(QStringLiteral(", ")), last));
    }

    result.flags.database = valueIfSet(parser, QStringLiteral("db"));
    result.flags.listen = valueIfSet(parser, QStringLiteral("listen"));
    result.flags.configFile = valueIfSet(parser, QStringLiteral("config"));
    result.flags.tlsCertificateFile = valueIfSet(parser, QStringLiteral("tls-cert"));
    result.flags.tlsKeyFile = valueIfSet(parser, QStringLiteral("tls-key"));
    result.flags.ratesFile = valueIfSet(parser, QStringLiteral("rates"));
    result.flags.requireRegisteredAccounts
        = parser.isSet(QStringLiteral("require-registered-accounts"));
    result.flags.requireRegisteredTrucks
        = parser.isSet(QStringLiteral("require-registered-trucks"));

    if (result.command == CliCommand::TokenCreate) {
        const std::optional<QString> name = valueIfSet(parser, QStringLiteral("name"));
        const std::optional<QString> role = valueIfSet(parser, QStringLiteral("role"));
        if (!name || name->trimmed().isEmpty())
            return usageError(
                QCoreApplication::translate("CommandLine", "token create needs --name NAME"));
        if (!role)
            return usageError(
                QCoreApplication::translate("CommandLine", "token create needs --role ROLE"));
        result.tokenName = *name;
        result.tokenRole = *role;
    }
    if (result.command == CliCommand::Verify
        && (parser.isSet(QStringLiteral("position")) || parser.isSet(QStringLiteral("hash")))) {
        const std::optional<QString> position = valueIfSet(parser, QStringLiteral("position"));
        const std::optional<QString> hash = valueIfSet(parser, QStringLiteral("hash"));
        if (!position || !hash)
            return usageError(QCoreApplication::translate(
                "CommandLine", "--position and --hash go together: the hash of the event at P"));
        bool ok = false;
        const qint64 p = position->toLongLong(&ok);
        if (!ok || p < 1 || position->startsWith(QLatin1Char('+')))
            return usageError(QCoreApplication::translate("CommandLine",
                "--position: \"%1\" is not a position of the log (a whole number, 1 or more)")
                                  .arg(*position));
        const QString h = hash->toLower();
        bool hex = h.size() == 64;
        for (const QChar c : h)
            hex = hex
                && ((c >= QLatin1Char('0') && c <= QLatin1Char('9'))
                    || (c >= QLatin1Char('a') && c <= QLatin1Char('f')));
        if (!hex)
            return usageError(QCoreApplication::translate(
                "CommandLine", "--hash: \"%1\" is not a hash of the log (64 hex digits)")
                                  .arg(*hash));
        result.position = p;
        result.hash = h;
    }
    if (result.command == CliCommand::Document) {
        const std::optional<QString> out = valueIfSet(parser, QStringLiteral("out"));
        if (!out || out->isEmpty())
            return usageError(QCoreApplication::translate(
                "CommandLine", "document needs --out FILE.pdf: the file to write"));
        result.outFile = *out;
        const bool statement = result.documentKind == DocumentKind::Statement;
        for (const QString &option : { QStringLiteral("from"), QStringLiteral("to") }) {
            if (!statement && parser.isSet(option))
                return usageError(QCoreApplication::translate(
                    "CommandLine", "--%1 goes with document statement only")
                                      .arg(option));
            if (!statement)
                continue;
            if (!parser.isSet(option))
                return usageError(QCoreApplication::translate(
                    "CommandLine", "document statement needs --from DATE and --to DATE"));
            const QString text = parser.value(option);
            const QDate date = QDate::fromString(text, Qt::ISODate);
            if (!date.isValid() || text.size() != 10)
                return usageError(QCoreApplication::translate(
                    "CommandLine", "--%1: \"%2\" is not a day (YYYY-MM-DD, e.g. 2026-11-27)")
                                      .arg(option, text));
            if (option == QLatin1String("from"))
                result.periodFrom = QDateTime(date, QTime(0, 0), Qt::UTC);
            else
                result.periodTo = QDateTime(date, QTime(23, 59, 59, 999), Qt::UTC);
        }
        if (statement && result.periodTo < result.periodFrom)
            return usageError(
                QCoreApplication::translate("CommandLine", "--to must not be before --from"));
    }
    if (result.command == CliCommand::Copy) {
        if (parser.isSet(QStringLiteral("db")))
            return usageError(QCoreApplication::translate(
                "CommandLine", "copy takes its databases from --from and --to, not --db"));
        const std::optional<QString> from = valueIfSet(parser, QStringLiteral("from"));
        const std::optional<QString> to = valueIfSet(parser, QStringLiteral("to"));
        if (!from || !to || from->isEmpty() || to->isEmpty())
            return usageError(QCoreApplication::translate("CommandLine",
                "copy needs --from URL (the database to copy) and --to URL (an "
                "empty database to copy into)"));
        for (const auto &[flag, url] : { std::pair { QStringLiteral("from"), *from },
                 std::pair { QStringLiteral("to"), *to } }) {
            QString why;
            if (!DatabaseUrl::parse(url, &why))
                return usageError(QStringLiteral("--%1: %2").arg(flag, why));
        }
        if (*from == *to)
            return usageError(QCoreApplication::translate(
                "CommandLine", "copy: --from and --to name the same database"));
        result.copyFrom = *from;
        result.copyTo = *to;
    }
    if (result.command == CliCommand::Backup) {
        const std::optional<QString> out = valueIfSet(parser, QStringLiteral("out"));
        if (!out || out->isEmpty())
            return usageError(QCoreApplication::translate(
                "CommandLine", "backup needs --out FILE (a file that does not exist yet)"));
        result.outFile = *out;
    }
    if (result.command == CliCommand::Export) {
        const std::optional<QString> out = valueIfSet(parser, QStringLiteral("out"));
        result.outFile = out.value_or(QString());
        if (out && out->isEmpty())
            return usageError(
                QCoreApplication::translate("CommandLine", "--out needs a file name"));
        for (const auto &[option, target] : { std::pair { QStringLiteral("from"), &result.from },
                 std::pair { QStringLiteral("to"), &result.to } }) {
            if (!parser.isSet(option))
                continue;
            *target = parseIsoUtc(parser.value(option));
            if (!*target)
                return usageError(QCoreApplication::translate("CommandLine",
                    "--%1: \"%2\" is not an ISO-8601 time (e.g. 2026-11-27T10:00:00Z)")
                                      .arg(option, parser.value(option)));
        }
        if (result.from && result.to && *result.to <= *result.from)
            return usageError(
                QCoreApplication::translate("CommandLine", "--to must be later than --from"));
        if (const std::optional<QString> stream = valueIfSet(parser, QStringLiteral("stream"))) {
            result.streamId = *stream;
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

namespace waybill::cli {

bool needsGuiApplication(const QStringList &arguments)
{
    const CommandLine commandLine = parseCommandLine(arguments);
    return commandLine.outcome == CommandLine::Outcome::Run
        && commandLine.command == CliCommand::Document;
}

} // namespace waybill::cli
