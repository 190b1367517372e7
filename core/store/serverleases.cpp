#include "serverleases.h"

#include "commandstore.h"
#include "domain/timeformat.h"
#include "rowbatch.h"
#include "sql.h"

#include <QSet>
#include <QSqlQuery>

#include <algorithm>

namespace waybill::ServerLeases {

void renew(const QSqlDatabase &db, const ServerLease &lease)
{
    runPrepared(db,
        QStringLiteral("INSERT INTO server_leases (id, started_at, expires_at) VALUES (?, ?, ?) "
                       "ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at"),
        { lease.serverId, toIsoUtc(lease.startedAt), toIsoUtc(lease.expiresAt) });
}

void drop(const QSqlDatabase &db, const QString &serverId)
{
    runPrepared(db, QStringLiteral("DELETE FROM server_leases WHERE id = ?"), { serverId });
}

QVector<ServerLease> all(const QSqlDatabase &db)
{
    QSqlQuery q = runQuery(
        db, QStringLiteral("SELECT id, started_at, expires_at FROM server_leases ORDER BY id"));
    QVector<ServerLease> leases;
    while (q.next()) {
        leases.append(
            { q.value(0).toString(), parseIsoUtc(q.value(1).toString()).value_or(QDateTime()),
                parseIsoUtc(q.value(2).toString()).value_or(QDateTime()) });
    }
    return leases;
}

QVector<Command> adoptOrphans(const QSqlDatabase &db, const QString &serverId, const QDateTime &now)
{
    QSet<QString> live { serverId };
    RowBatch expired { { QStringLiteral("server"), ColumnType::Text } };
    for (const ServerLease &lease : all(db)) {
        if (lease.serverId == serverId)
            continue;
        // An unreadable time counts as expired: a lease no server can read keeps nothing.
        if (lease.expiresAt.isValid() && lease.expiresAt >= now)
            live.insert(lease.serverId);
        else
            expired.add({ lease.serverId });
    }
    runForRows(db,
        QStringLiteral("DELETE FROM server_leases WHERE id IN (SELECT server FROM %ROWS%)"),
        expired);

    RowBatch orphans { { QStringLiteral("server"), ColumnType::Text },
        { QStringLiteral("adopter"), ColumnType::Text } };
    {
        QSqlQuery &q = runPrepared(db,
            QStringLiteral("SELECT DISTINCT accepted_by FROM commands "
                           "WHERE status = 'pending' AND accepted_by IS NOT NULL"));
        QStringList owners;
        while (q.next())
            owners << q.value(0).toString();
        q.finish();
        for (const QString &owner : std::as_const(owners)) {
            if (!live.contains(owner))
                orphans.add({ owner, serverId });
        }
    }
    QVector<Command> adopted;
    runForRows(db,
        QStringLiteral("UPDATE commands SET accepted_by = batch.adopter FROM %ROWS% "
                       "WHERE commands.status = 'pending' AND commands.accepted_by = batch.server "
                       "RETURNING ")
            + CommandStore::selectColumns(),
        orphans, [&](QSqlQuery &q) { adopted.append(CommandStore::fromRow(q)); });
    std::sort(adopted.begin(), adopted.end(),
        [](const Command &a, const Command &b) { return a.sequence < b.sequence; });
    return adopted;
}

} // namespace waybill::ServerLeases
