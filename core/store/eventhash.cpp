#include "eventhash.h"

#include "sha256.h"

namespace waybill {

const QString &genesisHash()
{
    static const QString zeros(64, QLatin1Char('0'));
    return zeros;
}

QString chainHash(const QString &previousHash, const EventContent &c)
{
    const QChar sep = QLatin1Char('\n');
    const QString canonical = previousHash + sep + QString::number(c.position) + sep + c.streamId
        + sep + QString::number(c.version) + sep + c.type + sep + c.timestamp + sep + c.commandId
        + sep + c.user + sep + c.correlationId + sep + c.dataText;
    return QString::fromLatin1(sha256(canonical.toUtf8()).toHex());
}

} // namespace waybill
