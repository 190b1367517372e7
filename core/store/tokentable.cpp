#include "tokentable.h"

#include "sql.h"

namespace waybill::TokenTable {

bool exists(const QSqlDatabase &db, const QString &name)
{
    QSqlQuery q = runQuery(db, QStringLiteral("SELECT 1 FROM tokens WHERE name = ?"), { name });
    return q.next();
}

void insert(const QSqlDatabase &db, const TokenRow &row)
{
    runQuery(db,
        QStringLiteral(
            "INSERT INTO tokens (name, role, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)"),
        { row.name, row.role, row.salt, row.hash, row.createdAt });
}

QVector<TokenRow> listByName(const QSqlDatabase &db)
{
    QSqlQuery q = runQuery(
        db, QStringLiteral("SELECT name, role, created_at, salt FROM tokens ORDER BY name"));
    QVector<TokenRow> rows;
    while (q.next()) {
        TokenRow row;
        row.name = q.value(0).toString();
        row.role = q.value(1).toString();
        row.createdAt = q.value(2).toString();
        row.salt = q.value(3).toString();
        rows.append(row);
    }
    return rows;
}

bool remove(const QSqlDatabase &db, const QString &name)
{
    QSqlQuery q = runQuery(db, QStringLiteral("DELETE FROM tokens WHERE name = ?"), { name });
    return q.numRowsAffected() > 0;
}

QVector<TokenRow> withSalt(const QSqlDatabase &db, const QString &salt)
{
    QSqlQuery &q = runPrepared(db,
        QStringLiteral("SELECT name, role, hash, created_at FROM tokens WHERE salt = ?"), { salt });
    QVector<TokenRow> rows;
    while (q.next()) {
        TokenRow row;
        row.name = q.value(0).toString();
        row.role = q.value(1).toString();
        row.hash = q.value(2).toString();
        row.createdAt = q.value(3).toString();
        row.salt = salt;
        rows.append(row);
    }
    q.finish();
    return rows;
}

QSet<QString> missingSalts(const QSqlDatabase &db, const QSet<QString> &salts)
{
    QSet<QString> missing = salts;
    forEachInChunks(db, QStringLiteral("SELECT salt FROM tokens WHERE salt"),
        QStringList(salts.begin(), salts.end()),
        [&missing](QSqlQuery &q) { missing.remove(q.value(0).toString()); });
    return missing;
}

} // namespace waybill::TokenTable
