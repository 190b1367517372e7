#include "tokenstore.h"

#include "domain/ids.h"
#include "domain/timeformat.h"
#include "store/sql.h"
#include "store/tokentable.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QRandomGenerator>

namespace waybill {

namespace {

const QString kPrefix = QStringLiteral("wb_");
constexpr int kPublicIdLength = 16; // hex digits of 8 random bytes
constexpr int kSecretLength = 43; // base64url of 32 random bytes, unpadded
constexpr int kTokenLength = 3 + kPublicIdLength + 1 + kSecretLength;

// Messages in the context "waybill::TokenStore"; a class, so that lupdate files them under that
// context too (it files a free tr() under whatever scope encloses the call).
struct TokenText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::TokenStore)
};

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
        reinterpret_cast<quint32 *>(bytes.data() + count));
    return bytes;
}

QString saltedHash(const QString &salt, const QString &token)
{
    return QString::fromLatin1(
        QCryptographicHash::hash((salt + token).toUtf8(), QCryptographicHash::Sha256).toHex());
}

bool equalInConstantTime(const QString &a, const QString &b)
{
    if (a.size() != b.size())
        return false;
    char16_t difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= a.at(i).unicode() ^ b.at(i).unicode();
    return difference == 0;
}

} // namespace

QString roleName(Role role)
{
    switch (role) {
    case Role::CustomerService:
        return QStringLiteral("customer-service");
    case Role::Dispatch:
        return QStringLiteral("dispatch");
    case Role::Finance:
        return QStringLiteral("finance");
    case Role::Auditor:
        return QStringLiteral("auditor");
    case Role::Admin:
        return QStringLiteral("admin");
    case Role::Monitoring:
        return QStringLiteral("monitoring");
    }
    return {};
}

std::optional<Role> roleFromName(const QString &name)
{
    for (Role role : { Role::CustomerService, Role::Dispatch, Role::Finance, Role::Auditor,
             Role::Admin, Role::Monitoring }) {
        if (roleName(role) == name)
            return role;
    }
    return std::nullopt;
}

TokenStore::TokenStore(Database &database)
    : m_database(database)
{ }

bool TokenStore::isWellFormed(const QString &secret)
{
    if (secret.size() != kTokenLength || !secret.startsWith(kPrefix)
        || secret.at(3 + kPublicIdLength) != QLatin1Char('_'))
        return false;
    for (int i = 0; i < secret.size(); ++i) {
        const char16_t c = secret.at(i).unicode();
        const bool base64url = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!base64url)
            return false;
    }
    for (int i = 3; i < 3 + kPublicIdLength; ++i) {
        const char16_t c = secret.at(i).unicode();
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

QString TokenStore::create(const QString &name, Role role)
{
    if (!isValidId(name))
        throw StoreError(
            TokenText::tr("A token name must be 1 to 64 letters, digits, '-', '_' or '.'"));
    const QString publicId = QString::fromLatin1(randomBytes(kPublicIdLength / 2).toHex());
    const QString secret = QString::fromLatin1(
        randomBytes(32).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    const QString token = kPrefix + publicId + QLatin1Char('_') + secret;
    Q_ASSERT(isWellFormed(token));
    WriteTransaction tx(m_database);
    if (TokenTable::exists(tx.db(), name))
        throw StoreError(TokenText::tr("A token named \"%1\" exists already").arg(name),
            StoreError::Kind::UniqueViolation);
    TokenTable::insert(tx.db(),
        { name, roleName(role), publicId, saltedHash(publicId, token),
            toIsoUtc(QDateTime::currentDateTimeUtc()) });
    tx.commit();
    return token;
}

QVector<TokenInfo> TokenStore::list()
{
    QVector<TokenInfo> tokens;
    for (const TokenTable::TokenRow &row : TokenTable::listByName(m_database.connection())) {
        tokens.append(
            { row.name, roleFromName(row.role).value_or(Role::Auditor), row.createdAt, row.salt });
    }
    return tokens;
}

bool TokenStore::revoke(const QString &name)
{
    WriteTransaction tx(m_database);
    const bool existed = TokenTable::remove(tx.db(), name);
    tx.commit();
    if (existed)
        Q_EMIT TokenRevocations::instance().revoked(
            TokenRevocations::databaseKey(m_database), name);
    return existed;
}

QString TokenStore::publicIdOf(const QString &secret)
{
    return isWellFormed(secret) ? secret.mid(3, kPublicIdLength) : QString();
}

std::optional<TokenInfo> TokenStore::authenticate(const QString &secret)
{
    if (!isWellFormed(secret))
        return std::nullopt;
    // A lookup by key made for every request: planned once per connection on PostgreSQL.
    return authenticate(m_database.lookupConnection(), secret);
}

std::optional<TokenInfo> TokenStore::authenticate(const QSqlDatabase &db, const QString &secret)
{
    const QString publicId = publicIdOf(secret);
    if (publicId.isEmpty())
        return std::nullopt;
    return authenticate(secret, TokenTable::withSalt(db, publicId));
}

std::optional<TokenInfo> TokenStore::authenticate(
    const QString &secret, const QVector<TokenTable::TokenRow> &rowsWithItsSalt)
{
    const QString publicId = publicIdOf(secret);
    if (publicId.isEmpty())
        return std::nullopt;
    std::optional<TokenInfo> owner;
    const QString hash = saltedHash(publicId, secret);
    for (const TokenTable::TokenRow &row : rowsWithItsSalt) {
        if (row.salt != publicId || !equalInConstantTime(row.hash, hash))
            continue;
        if (const auto role = roleFromName(row.role))
            owner = TokenInfo { row.name, *role, row.createdAt, publicId };
        break;
    }
    return owner;
}

QSet<QString> TokenStore::revokedAmong(const QSqlDatabase &db, const QSet<QString> &publicIds)
{
    return TokenTable::missingSalts(db, publicIds);
}

TokenRevocations &TokenRevocations::instance()
{
    static TokenRevocations revocations;
    return revocations;
}

QString TokenRevocations::databaseKey(const Database &database)
{
    return database.url().toDisplayString();
}

} // namespace waybill
