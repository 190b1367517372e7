// The tamper-evident chain: each event's hash covers the previous hash and the event's content.
#pragma once

#include <QString>

namespace waybill {

// 64 zeros: the link before the first event.
const QString &genesisHash();

struct EventContent
{
    qint64 position;
    QString streamId;
    int version;
    QString type;
    QString timestamp; // as stored: ISO-8601 UTC with milliseconds
    QString commandId;
    QString user;
    QString correlationId;
    QString dataText; // the stored compact JSON, byte for byte
};

// hex(SHA-256(previousHash "\n" position "\n" streamId "\n" version "\n" type "\n" timestamp "\n"
//             commandId "\n" user "\n" correlationId "\n" data)), all UTF-8.
QString chainHash(const QString &previousHash, const EventContent &content);

} // namespace waybill
