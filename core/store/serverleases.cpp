#include "serverleases.h"

#include "commandstore.h"
#include "domain/timeformat.h"
#include "sql.h"

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

QVector<Command> adoptOrphans(const QSqlDatabase &db, const QString &serverId, const QDateTime &now)
{
    // The times are written by toIsoUtc alone (fixed width, UTC): as text they sort as times.
    runPrepared(db, QStringLiteral("DELETE FROM server_leases WHERE expires_at < ? AND id <> ?"),
        { toIsoUtc(now), serverId });
    QVector<Command> adopted;
    QSqlQuery &q = runPrepared(db,
        QStringLiteral("UPDATE commands SET accepted_by = ? WHERE status = 'pending' "
                       "AND accepted_by IS NOT NULL AND accepted_by <> ? "
                       "AND accepted_by NOT IN (SELECT id FROM server_leases) RETURNING ")
            + CommandStore::selectColumns(),
        { serverId, serverId });
    while (q.next())
        adopted.append(CommandStore::fromRow(q));
    q.finish();
    std::sort(adopted.begin(), adopted.end(),
        [](const Command &a, const Command &b) { return a.sequence < b.sequence; });
    return adopted;
}

} // namespace waybill::ServerLeases
