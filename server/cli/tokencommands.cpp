#include "tokencommands.h"

#include "console.h"
#include "exitcodes.h"
#include "tokenstore.h"

#include <QCoreApplication>
#include <QStringList>

namespace waybill::cli {

namespace {

QStringList allRoleNames()
{
    QStringList names;
    for (Role role : { Role::CustomerService, Role::Dispatch, Role::Finance, Role::Auditor,
             Role::Admin, Role::Monitoring })
        names << roleName(role);
    return names;
}

} // namespace

int createToken(Database &database, const QString &name, const QString &roleText)
{
    const std::optional<Role> role = roleFromName(roleText);
    if (!role) {
        printError(
            QCoreApplication::translate("TokenCommands", "unknown role \"%1\": use one of %2")
                .arg(roleText, allRoleNames().join(QLatin1String(", "))));
        return ExitUsage;
    }
    database.migrate();
    TokenStore store(database);
    for (const TokenInfo &token : store.list()) {
        if (token.name == name) {
            printError(QCoreApplication::translate(
                "TokenCommands", "a token named \"%1\" exists already (revoke it first)")
                           .arg(name));
            return ExitFailure;
        }
    }
    const QString secret = store.create(name, *role);
    printLine(QCoreApplication::translate("TokenCommands",
        "Created the token \"%1\" with the role %2. Keep it safe; it is shown "
        "only this once:")
                  .arg(name, roleName(*role)));
    printLine(secret);
    return ExitSuccess;
}

int listTokens(Database &database)
{
    database.migrate();
    TokenStore store(database);
    const QVector<TokenInfo> tokens = store.list();
    const QStringList header { QCoreApplication::translate("TokenCommands", "NAME"),
        QCoreApplication::translate("TokenCommands", "ROLE"),
        QCoreApplication::translate("TokenCommands", "CREATED") };
    QVector<QStringList> rows { header };
    for (const TokenInfo &token : tokens)
        rows.append({ token.name, roleName(token.role), token.createdAt });
    int nameWidth = 0;
    int roleWidth = 0;
    for (const QStringList &row : rows) {
        nameWidth = qMax(nameWidth, int(row.at(0).size()));
        roleWidth = qMax(roleWidth, int(row.at(1).size()));
    }
    for (const QStringList &row : rows)
        printLine(row.at(0).leftJustified(nameWidth) + QLatin1String("  ")
            + row.at(1).leftJustified(roleWidth) + QLatin1String("  ") + row.at(2));
    return ExitSuccess;
}

int revokeToken(Database &database, const QString &name)
{
    database.migrate();
    TokenStore store(database);
    if (!store.revoke(name)) {
        printError(QCoreApplication::translate("TokenCommands", "there is no token named \"%1\"")
                       .arg(name));
        return ExitFailure;
    }
    printLine(QCoreApplication::translate("TokenCommands", "Revoked the token \"%1\".").arg(name));
    return ExitSuccess;
}

} // namespace waybill::cli
