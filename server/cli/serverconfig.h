// Everything waybill-server is configured with, resolved per setting from, in order:
// command-line flags, environment variables, the INI config file, built-in defaults.
#pragma once

#include "engine/engine.h"
#include "httpapiserver.h"
#include "store/databaseurl.h"

#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace waybill::cli {

// What the command line said, before any fallback.
struct ConfigFlags
{
    std::optional<QString> database; // --db
    std::optional<QString> listen; // --listen
    std::optional<QString> configFile; // --config
    std::optional<QString> tlsCertificateFile;
    std::optional<QString> tlsKeyFile;
    std::optional<QString> ratesFile; // --rates
    bool requireRegisteredAccounts = false; // --require-registered-accounts
    bool requireRegisteredTrucks = false; // --require-registered-trucks
};

struct ConfigInputs
{
    ConfigFlags flags;
    QProcessEnvironment environment;
    QString defaultDataDirectory; // where waybill.db goes when nothing names a database
    bool serving = true; // false for admin commands: the listen and TLS settings are not used
};

struct ServerConfig
{
    DatabaseUrl database;
    bool databaseIsDefault = false; // the default file: its folder may have to be created
    ServerOptions server;
    EngineOptions engine;
};

// The INI file's sections and keys (see resources/waybill-server.ini.sample).
namespace ConfigKeys {
inline constexpr char serverSection[] = "server";
inline constexpr char limitsSection[] = "limits";
inline constexpr char ratesSection[] = "rates";
} // namespace ConfigKeys

inline constexpr char databaseEnvironmentVariable[] = "WAYBILL_DB";
inline constexpr char listenEnvironmentVariable[] = "WAYBILL_LISTEN";
inline constexpr char requireRegisteredAccountsEnvironmentVariable[]
    = "WAYBILL_REQUIRE_REGISTERED_ACCOUNTS";
inline constexpr char requireRegisteredTrucksEnvironmentVariable[]
    = "WAYBILL_REQUIRE_REGISTERED_TRUCKS";
inline constexpr char defaultListenAddress[] = "127.0.0.1:8080";
inline constexpr char defaultDatabaseFileName[] = "waybill.db";

// "10.0.0.0/8, 192.0.2.7, ::1": addresses and subnets, comma-separated; nothing on a bad item.
std::optional<QList<QPair<QHostAddress, int>>> parseTrustedProxies(
    const QString &text, QString *error);

// Returns nothing on a bad value, with one line in error that says where it came from.
std::optional<ServerConfig> resolveServerConfig(const ConfigInputs &inputs, QString *error);

} // namespace waybill::cli
