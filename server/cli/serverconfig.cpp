#include "serverconfig.h"

#include "inifile.h"
#include "listenaddress.h"
#include "tlsfiles.h"

#include "domain/ratetablefile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace waybill::cli {

namespace {

// A setting's value and where it came from, for messages ("--db", "WAYBILL_DB", "FILE:LINE").
struct Setting
{
    QString value;
    QString origin;
    bool fromFile = false;
};

struct KeySpec
{
    const char *section;
    const char *key;
};

// Every key the config file may hold; anything else is a typo worth reporting.
constexpr KeySpec kKnownKeys[] = {
    { ConfigKeys::serverSection, "db" },
    { ConfigKeys::serverSection, "listen" },
    { ConfigKeys::serverSection, "engine-threads" },
    { ConfigKeys::serverSection, "reader-threads" },
    { ConfigKeys::serverSection, "tls-cert" },
    { ConfigKeys::serverSection, "tls-key" },
    { ConfigKeys::serverSection, "trusted-proxies" },
    { ConfigKeys::serverSection, "rates" },
    { ConfigKeys::serverSection, "require-registered-accounts" },
    { ConfigKeys::serverSection, "require-registered-trucks" },
    { ConfigKeys::serverSection, "drain-seconds" },
    { ConfigKeys::limitsSection, "max-body-bytes" },
    { ConfigKeys::limitsSection, "idle-timeout-seconds" },
    { ConfigKeys::limitsSection, "request-timeout-seconds" },
    { ConfigKeys::limitsSection, "max-connections" },
    { ConfigKeys::limitsSection, "max-connections-per-address" },
    { ConfigKeys::limitsSection, "live-client-buffer-bytes" },
    { ConfigKeys::ratesSection, "cents-per-pound" },
    { ConfigKeys::ratesSection, "minimum-charge-cents" },
};

bool isKnownKey(const IniEntry &entry)
{
    for (const KeySpec &spec : kKnownKeys) {
        if (entry.section == QLatin1String(spec.section) && entry.key == QLatin1String(spec.key))
            return true;
    }
    return false;
}

class Resolver final
{
public:
    Resolver(const ConfigInputs &inputs, const IniFile *ini)
        : m_inputs(inputs)
        , m_ini(ini)
    { }

    std::optional<Setting> pick(const std::optional<QString> &flag, const char *flagName,
        const char *environmentVariable, const char *section, const char *key) const
    {
        if (flag)
            return Setting { *flag, QStringLiteral("--%1").arg(QLatin1String(flagName)), false };
        if (environmentVariable) {
            // An empty variable counts as unset, as shells make clearing one awkward.
            const QString value = m_inputs.environment.value(QLatin1String(environmentVariable));
            if (!value.isEmpty())
                return Setting { value, QLatin1String(environmentVariable), false };
        }
        return fromFile(section, key);
    }

    std::optional<Setting> fromFile(const char *section, const char *key) const
    {
        if (!m_ini)
            return std::nullopt;
        if (const IniEntry *entry = m_ini->find(QLatin1String(section), QLatin1String(key)))
            return Setting { entry->value,
                QStringLiteral("%1:%2").arg(m_ini->fileName(), QString::number(entry->line)),
                true };
        return std::nullopt;
    }

    // Relative paths in the config file are relative to the file's folder (a service's working
    // directory is rarely where its config lives); elsewhere, to the working directory.
    QString pathOf(const Setting &setting, const QString &path) const
    {
        if (!setting.fromFile || QDir::isAbsolutePath(path))
            return path;
        return QFileInfo(m_ini->fileName()).absoluteDir().absoluteFilePath(path);
    }

private:
    const ConfigInputs &m_inputs;
    const IniFile *m_ini;
};

// An integer setting from the config file within [minimum, maximum].
bool readInteger(const Resolver &resolver, const char *section, const char *key, qint64 minimum,
    qint64 maximum, qint64 *target, QString *error)
{
    const std::optional<Setting> setting = resolver.fromFile(section, key);
    if (!setting)
        return true;
    bool ok = false;
    const qint64 value = setting->value.toLongLong(&ok);
    if (!ok || value < minimum || value > maximum) {
        *error = QStringLiteral("%1: %2").arg(setting->origin,
            QCoreApplication::translate(
                "ServerConfig", "%1 must be a whole number from %2 to %3, not \"%4\"")
                .arg(QLatin1String(key))
                .arg(minimum)
                .arg(maximum)
                .arg(setting->value));
        return false;
    }
    *target = value;
    return true;
}

// A switch: true, false, yes, no, on, off, 1 or 0 (any case).
bool readSwitch(const Resolver &resolver, bool flag, const char *flagName,
    const char *environmentVariable, const char *key, bool *target, QString *error)
{
    const std::optional<Setting> setting
        = resolver.pick(flag ? std::optional<QString>(QStringLiteral("true")) : std::nullopt,
            flagName, environmentVariable, ConfigKeys::serverSection, key);
    if (!setting)
        return true;
    const QString value = setting->value.trimmed().toLower();
    for (const char *yes : { "true", "yes", "on", "1" }) {
        if (value == QLatin1String(yes)) {
            *target = true;
            return true;
        }
    }
    for (const char *no : { "false", "no", "off", "0" }) {
        if (value == QLatin1String(no)) {
            *target = false;
            return true;
        }
    }
    *error = QStringLiteral("%1: %2").arg(setting->origin,
        QCoreApplication::translate("ServerConfig", "%1 must be true or false, not \"%2\"")
            .arg(QLatin1String(key), setting->value));
    return false;
}

} // namespace

std::optional<QList<QPair<QHostAddress, int>>> parseTrustedProxies(
    const QString &text, QString *error)
{
    QList<QPair<QHostAddress, int>> subnets;
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QString item = part.trimmed();
        if (item.isEmpty())
            continue;
        QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(item);
        if (subnet.first.isNull() && !item.contains(QLatin1Char('/'))) {
            const QHostAddress single(item);
            if (!single.isNull())
                subnet = { single, single.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32 };
        }
        if (subnet.first.isNull()) {
            if (error)
                *error = QCoreApplication::translate("ServerConfig",
                    "trusted-proxies: \"%1\" is not an IP address or subnet (such as 10.0.0.0/8)")
                             .arg(item);
            return std::nullopt;
        }
        subnets.append(subnet);
    }
    return subnets;
}

std::optional<ServerConfig> resolveServerConfig(const ConfigInputs &inputs, QString *error)
{
    QString message;
    auto fail = [&](const QString &text) -> std::optional<ServerConfig> {
        if (error)
            *error = text;
        return std::nullopt;
    };

    std::optional<IniFile> ini;
    if (inputs.flags.configFile) {
        ini = IniFile::load(*inputs.flags.configFile, &message);
        if (!ini)
            return fail(message);
        for (const IniEntry &entry : ini->entries()) {
            if (!isKnownKey(entry)) {
                const QString where = entry.section.isEmpty()
                    ? QCoreApplication::translate(
                        "ServerConfig", "unknown setting \"%1\" outside any section")
                          .arg(entry.key)
                    : QCoreApplication::translate("ServerConfig", "unknown setting \"%1\" in [%2]")
                          .arg(entry.key, entry.section);
                return fail(QStringLiteral("%1:%2: %3")
                                .arg(ini->fileName(), QString::number(entry.line), where));
            }
        }
    }
    const Resolver resolver(inputs, ini ? &*ini : nullptr);
    ServerConfig config;

    // The database.
    if (const std::optional<Setting> db = resolver.pick(inputs.flags.database, "db",
            databaseEnvironmentVariable, ConfigKeys::serverSection, "db")) {
        std::optional<DatabaseUrl> url = DatabaseUrl::parse(db->value, &message);
        if (!url)
            return fail(QStringLiteral("%1: %2").arg(db->origin, message));
        if (url->kind == DatabaseUrl::Kind::Sqlite)
            url->path = resolver.pathOf(*db, url->path);
        config.database = *url;
    } else {
        config.database = DatabaseUrl::sqlite(
            QDir(inputs.defaultDataDirectory).filePath(QLatin1String(defaultDatabaseFileName)));
        config.databaseIsDefault = true;
    }

    // The engine and the rate table.
    // Two pools: the engine's command processors and the HTTP side's readers.
    qint64 number = config.engine.workerThreads;
    if (!readInteger(
            resolver, ConfigKeys::serverSection, "engine-threads", 1, 256, &number, &message))
        return fail(message);
    config.engine.workerThreads = int(number);
    number = config.server.workerThreads;
    if (!readInteger(
            resolver, ConfigKeys::serverSection, "reader-threads", 1, 256, &number, &message))
        return fail(message);
    config.server.workerThreads = int(number);
    number = config.server.drainDelayMs / 1000;
    if (!readInteger(
            resolver, ConfigKeys::serverSection, "drain-seconds", 0, 3600, &number, &message))
        return fail(message);
    config.server.drainDelayMs = int(number * 1000);
    Lane flat;
    if (!readInteger(resolver, ConfigKeys::ratesSection, "cents-per-pound", 0, 1000000,
            &flat.centsPerPound, &message))
        return fail(message);
    if (!readInteger(resolver, ConfigKeys::ratesSection, "minimum-charge-cents", 0, 100000000,
            &flat.minimumCents, &message))
        return fail(message);
    config.engine.rates = RateTable::flat(flat.centsPerPound, flat.minimumCents);
    // A rate table file sets every price; a [rates] section beside it would be silently unused.
    if (const std::optional<Setting> rates = resolver.pick(
            inputs.flags.ratesFile, "rates", nullptr, ConfigKeys::serverSection, "rates")) {
        for (const char *key : { "cents-per-pound", "minimum-charge-cents" }) {
            if (const std::optional<Setting> both
                = resolver.fromFile(ConfigKeys::ratesSection, key))
                return fail(QStringLiteral("%1: %2").arg(both->origin,
                    QCoreApplication::translate("ServerConfig",
                        "[rates] %1 cannot be used with a rate table file (%2): the file sets "
                        "the prices")
                        .arg(QLatin1String(key), rates->origin)));
        }
        const QString path = resolver.pathOf(*rates, rates->value);
        if (rates->value.isEmpty())
            return fail(QStringLiteral("%1: %2").arg(rates->origin,
                QCoreApplication::translate("ServerConfig", "the rate table file is not named")));
        std::optional<RateTable> table = loadRateTable(path, &message);
        if (!table)
            return fail(message);
        config.engine.rates = *table;
    }

    // How strict records are: off by default, so that the reference's clients keep working.
    if (!readSwitch(resolver, inputs.flags.requireRegisteredAccounts, "require-registered-accounts",
            requireRegisteredAccountsEnvironmentVariable, "require-registered-accounts",
            &config.engine.requireRegisteredAccounts, &message)
        || !readSwitch(resolver, inputs.flags.requireRegisteredTrucks, "require-registered-trucks",
            requireRegisteredTrucksEnvironmentVariable, "require-registered-trucks",
            &config.engine.requireRegisteredTrucks, &message))
        return fail(message);

    // The HTTP side: limits are checked even when not serving, so a broken file is found early.
    number = config.server.maxBodyBytes;
    if (!readInteger(resolver, ConfigKeys::limitsSection, "max-body-bytes", 1, qint64(1) << 32,
            &number, &message))
        return fail(message);
    config.server.maxBodyBytes = number;
    number = config.server.idleTimeoutMs / 1000;
    if (!readInteger(resolver, ConfigKeys::limitsSection, "idle-timeout-seconds", 1, 86400, &number,
            &message))
        return fail(message);
    config.server.idleTimeoutMs = int(number * 1000);
    number = config.server.requestTimeoutMs / 1000;
    if (!readInteger(resolver, ConfigKeys::limitsSection, "request-timeout-seconds", 1, 86400,
            &number, &message))
        return fail(message);
    config.server.requestTimeoutMs = int(number * 1000);
    number = config.server.maxConnections;
    if (!readInteger(
            resolver, ConfigKeys::limitsSection, "max-connections", 1, 1000000, &number, &message))
        return fail(message);
    config.server.maxConnections = int(number);
    number = config.server.maxConnectionsPerAddress;
    if (!readInteger(resolver, ConfigKeys::limitsSection, "max-connections-per-address", 0, 1000000,
            &number, &message))
        return fail(message);
    config.server.maxConnectionsPerAddress = int(number);
    if (!readInteger(resolver, ConfigKeys::limitsSection, "live-client-buffer-bytes", 1024,
            qint64(1) << 34, &config.server.liveClientBufferBytes, &message))
        return fail(message);

    // Listen, TLS and proxies: the config file's values are checked the same way for every
    // command (one validator: a file that one command accepts, every command accepts); flags and
    // environment variables for them are the serving command's alone, and the TLS files
    // themselves are opened only to serve.
    auto serving = [&](const std::optional<QString> &flag, const char *flagName,
                       const char *environmentVariable, const char *key) {
        return inputs.serving
            ? resolver.pick(flag, flagName, environmentVariable, ConfigKeys::serverSection, key)
            : resolver.fromFile(ConfigKeys::serverSection, key);
    };
    Setting listen { QLatin1String(defaultListenAddress), QString(), false };
    if (const std::optional<Setting> given
        = serving(inputs.flags.listen, "listen", listenEnvironmentVariable, "listen"))
        listen = *given;
    const std::optional<ListenAddress> address = parseListenAddress(listen.value, &message);
    if (!address)
        return fail(listen.origin.isEmpty() ? message
                                            : QStringLiteral("%1: %2").arg(listen.origin, message));
    config.server.address = address->address;
    config.server.port = address->port;

    if (const std::optional<Setting> proxies
        = resolver.fromFile(ConfigKeys::serverSection, "trusted-proxies")) {
        const std::optional<QList<QPair<QHostAddress, int>>> subnets
            = parseTrustedProxies(proxies->value, &message);
        if (!subnets)
            return fail(QStringLiteral("%1: %2").arg(proxies->origin, message));
        config.server.trustedProxies = *subnets;
    }

    const std::optional<Setting> cert
        = serving(inputs.flags.tlsCertificateFile, "tls-cert", nullptr, "tls-cert");
    const std::optional<Setting> key
        = serving(inputs.flags.tlsKeyFile, "tls-key", nullptr, "tls-key");
    if (cert.has_value() != key.has_value()
        || (cert && (cert->value.isEmpty() != key->value.isEmpty())))
        return fail(QCoreApplication::translate("ServerConfig",
            "HTTPS needs both a certificate (--tls-cert) and its private key (--tls-key)"));
    if (cert && !cert->value.isEmpty()) {
        config.server.tlsCertificateFile = resolver.pathOf(*cert, cert->value);
        config.server.tlsKeyFile = resolver.pathOf(*key, key->value);
        if (!inputs.serving)
            return config;
        // Before the load, whose message cannot say where the unreadable path was set.
        for (const auto &[setting, path] : { std::pair { *cert, config.server.tlsCertificateFile },
                 std::pair { *key, config.server.tlsKeyFile } }) {
            if (!QFileInfo(path).isReadable())
                return fail(QStringLiteral("%1: %2").arg(setting.origin,
                    QCoreApplication::translate("ServerConfig", "cannot read %1").arg(path)));
        }
        // A key of another pair would start "fine" and then fail every handshake.
        config.server.tlsConfiguration = loadTlsConfiguration(
            config.server.tlsCertificateFile, config.server.tlsKeyFile, &message);
        if (!config.server.tlsConfiguration)
            return fail(message);
    }
    return config;
}

} // namespace waybill::cli
