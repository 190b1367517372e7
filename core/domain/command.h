// A command: a request to change one stream, as recorded in the durable inbox.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace waybill {

// The first release's seven first, in their order (their numbers are used by fuzzing seeds).
enum class CommandType {
    Submit,
    Assign,
    Ship,
    Deliver,
    Cancel,
    Payment,
    Invoice,
    // shipment-{id}
    Amend,
    Reschedule,
    // account-{id}
    Open,
    Update,
    Hold,
    Release,
    ReversePayment,
    Credit,
    // truck-{id}
    Register,
    OutOfService,
    ReturnToService,
};

// "submit", "assign", "reverse-payment", ... as in the routes.
QString commandTypeName(CommandType type);
bool commandTypeFromName(const QString &name, CommandType *type);

enum class StreamKind;
// The kind of stream a command of this type changes.
StreamKind streamKindOf(CommandType type);

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
    // If-Match: the stream's version the sender saw; the command is rejected when the stream has
    // moved on by the time it is processed. Absent: no expectation.
    std::optional<int> expectedVersion;
};

} // namespace waybill
