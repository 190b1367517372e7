// API tokens: random, shown once, stored only as salted hashes; each carries one role.
#pragma once

#include "store/database.h"
#include "store/tokentable.h"

#include <QObject>
#include <QSet>
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
    QString publicId; // the token's public part, which finds its row (not a secret)
};

// A token reads "wb_" + 16 hex digits (its public id, which is also the salt of its hash) + "_" +
// 43 characters of base64url (32 random bytes, the secret). The row is found by its public id,
// so authenticating costs one indexed lookup and one hash, never a scan of every salted hash;
// the database keeps only hex(SHA-256(salt + token)).
//
// Nothing is cached: every authentication reads the database, so a token revoked by any process
// on the database (`waybill-server token revoke`, another server) stops working at once.
class TokenStore final
{
public:
    explicit TokenStore(Database &database);

    // Creates a token; returns the secret (shown once). Throws StoreError (also when the name
    // exists).
    QString create(const QString &name, Role role);
    QVector<TokenInfo> list();
    // True when a token of that name existed. Tells this process at once (TokenRevocations).
    bool revoke(const QString &name);
    // The token's owner, or nothing for an unknown or revoked token, as the database says now.
    // On this thread's connection; throws StoreError when the database cannot answer.
    std::optional<TokenInfo> authenticate(const QString &secret);
    static std::optional<TokenInfo> authenticate(const QSqlDatabase &db, const QString &secret);
    // The same, from the rows of the token's public id as the database gave them just now (read
    // by the caller with other things: a command's pre-check reads them with the states).
    static std::optional<TokenInfo> authenticate(
        const QString &secret, const QVector<TokenTable::TokenRow> &rowsWithItsSalt);
    // Which of these public ids no longer exist (their tokens were revoked), in one query per
    // 64 ids; for what holds a token for long (live sockets, exports).
    static QSet<QString> revokedAmong(const QSqlDatabase &db, const QSet<QString> &publicIds);

    // True when the text has the shape of a token (checked before any database access).
    static bool isWellFormed(const QString &secret);
    // The public id of a well-formed token; empty otherwise.
    static QString publicIdOf(const QString &secret);

private:
    Database &m_database;
};

// News of revocations made in this process, for what holds a token open (live sockets), so
// that it need not wait for its next look at the database.
class TokenRevocations final : public QObject
{
    Q_OBJECT
public:
    static TokenRevocations &instance();
    // How a database is named in revoked(): its URL as shown.
    static QString databaseKey(const Database &database);

Q_SIGNALS:
    // Emitted on the thread that revoked, after the revocation committed.
    void revoked(const QString &database, const QString &name);

private:
    TokenRevocations() = default;
};

} // namespace waybill
