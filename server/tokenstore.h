// API tokens: random, shown once, stored only as salted hashes; each carries one role.
#pragma once

#include "store/database.h"

#include <QString>
#include <QVector>

#include <optional>

namespace waybill {

enum class Role { CustomerService, Dispatch, Finance, Auditor, Admin };
QString roleName(Role role); // "customer-service", "dispatch", "finance", "auditor", "admin"
std::optional<Role> roleFromName(const QString &name);

struct TokenInfo
{
    QString name;
    Role role = Role::Auditor;
    QString createdAt; // ISO-8601 UTC
};

class TokenStore final
{
public:
    explicit TokenStore(Database &database);

    // Creates a token; returns the secret (shown once). Throws StoreError (also when the name exists).
    QString create(const QString &name, Role role);
    QVector<TokenInfo> list();
    // True when a token of that name existed.
    bool revoke(const QString &name);
    // The token's owner, or nothing for an unknown or revoked token. Cached after first success.
    std::optional<TokenInfo> authenticate(const QString &secret);

private:
    Database &m_database;
};

} // namespace waybill
