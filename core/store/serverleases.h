// The servers that share a database, each with a lease it renews while it runs, and the commands
// each one took: what lets a live server take over the pending commands of one that died.
#pragma once

#include "domain/command.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>
#include <QVector>

namespace waybill {

struct ServerLease
{
    QString serverId;
    QDateTime startedAt;
    QDateTime expiresAt; // the server counts as gone after this, unless it renews first
};

namespace ServerLeases {

// Records or extends a server's lease.
void renew(const QSqlDatabase &db, const ServerLease &lease);
// Ends a server's lease (a clean stop).
void drop(const QSqlDatabase &db, const QString &serverId);

// The leases (but serverId's) that expired before now are dropped, and the pending commands
// taken by servers without a live lease (expired, or stopped before finishing) are given to
// serverId; returns those commands in acceptance order. Commands taken by no server (recorded
// before leases existed) are left to the recovery at start.
QVector<Command> adoptOrphans(
    const QSqlDatabase &db, const QString &serverId, const QDateTime &now);

} // namespace ServerLeases

} // namespace waybill
