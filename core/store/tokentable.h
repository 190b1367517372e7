// The tokens table: API tokens' rows (name, role, salt, salted hash, creation time). What a token
// is and how its hash is made belong to the server; this reads and writes the rows.
#pragma once

#include <QSet>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVector>

namespace waybill::TokenTable {

struct TokenRow
{
    QString name;
    QString role; // as stored: the role's name
    QString salt; // the token's public id
    QString hash; // hex(SHA-256(salt + token))
    QString createdAt; // ISO-8601 UTC
};

// All of these throw StoreError.

// Whether a token of that name exists (inside the caller's write transaction, before insert()).
bool exists(const QSqlDatabase &db, const QString &name);
void insert(const QSqlDatabase &db, const TokenRow &row);
// Every row but its hash, by name.
QVector<TokenRow> listByName(const QSqlDatabase &db);
// True when a row of that name existed.
bool remove(const QSqlDatabase &db, const QString &name);
// The rows with this salt, hash included (one indexed lookup, on a statement kept prepared).
QVector<TokenRow> withSalt(const QSqlDatabase &db, const QString &salt);
// Which of these salts no row has any more, in one query per chunk of salts.
QSet<QString> missingSalts(const QSqlDatabase &db, const QSet<QString> &salts);

} // namespace waybill::TokenTable
