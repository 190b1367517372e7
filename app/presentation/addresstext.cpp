#include "addresstext.h"

#include <QStringList>

namespace waybill::app {

QString addressText(const Address &address)
{
    QStringList lines { address.name, address.line1 };
    if (!address.line2.isEmpty())
        lines << address.line2;
    lines << QStringLiteral("%1, %2 %3").arg(address.city, address.state, address.zip);
    return lines.join(QLatin1Char('\n'));
}

} // namespace waybill::app
