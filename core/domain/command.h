// A command: a request to change one stream, as recorded in the durable inbox.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace waybill {

enum class CommandType { Submit, Assign, Ship, Deliver, Cancel, Payment, Invoice };

// "submit", "assign", ... as in the routes; empty optional-like Unknown is reported by ok=false.
QString commandTypeName(CommandType type);
bool commandTypeFromName(const QString &name, CommandType *type);

struct Command
{
    QString id; // commandId, unique
    CommandType type = CommandType::Submit;
    QString streamId; // shipment-{id} or account-{id}
    QJsonObject data; // the validated body
    QString user; // who sent it (token name), or "system:invoicer"
    QDateTime acceptedAt; // UTC; part of the command so reducers never read a clock
    QString idempotencyKey;
    QString
        correlationId; // the command that caused this one (an invoice's delivery), or its own id
    qint64 sequence = 0; // inbox order, assigned when recorded
};

} // namespace waybill
