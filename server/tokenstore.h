// API tokens: random, shown once, stored only as salted hashes; each carries one role.
#pragma once

#include "store/database.h"

#include <QString>
#include <QVector>

#include <optional>

namespace waybill {

// Monitoring reads GET /metrics and GET /health only: what Prometheus and load balancers hold.
enum class Role { CustomerService, Dispatch, Finance, Auditor, Admin, Monitoring };
// "customer-service", "dispatch", "finance", "auditor", "admin", "monitoring"
QString roleName(Role role);
std::optional<Role> roleFromName(const QString &name);

struct TokenInfo
{
    QString name;
    Role role = Role::Auditor;
    QString createdAt; // ISO-8601 UTC
};

// A token reads "wb_" + 16 hex digits (its public id, which is also the salt of its hash) + "_" +
// 43 characters of base64url (32 random bytes, the secret). The row is found by its public id,
// so authenticating costs one lookup and one hash, never a scan of every salted hash; the
// database keeps only hex(SHA-256(salt + token)).
class TokenStore final
{
public:
    explicit TokenStore(Database &database);

    // Creates a token; returns the secret (shown once). Throws StoreError (also when the name
    // exists).
    QString create(const QString &name, Role role);
    QVector<TokenInfo> list();
    // True when a token of that name existed.
    bool revoke(const QString &name);
    // The token's owner, or nothing for an unknown or revoked token. Cached after first success.
    std::optional<TokenInfo> authenticate(const QString &secret);

    // The owner if a recent authentication of this token is cached in this process (no
    // database access); nothing otherwise. Thread-safe.
    std::optional<TokenInfo> cachedOwner(const QString &secret) const;
    // True when the text has the shape of a token (checked before any database access).
    static bool isWellFormed(const QString &secret);
    // How long a successful authentication is trusted without asking the database again: a
    // token revoked by another process stops working at most this long after.
    static constexpr int kCacheMilliseconds = 5000;

private:
    Database &m_database;
};

} // namespace waybill
