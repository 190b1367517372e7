#include "weight.h"

#include <cmath>

namespace waybill {

qint64 toHundredthsOfPound(double pounds)
{
    return std::llround(pounds * 100.0);
}

QString formatPounds(qint64 hundredths)
{
    const bool negative = hundredths < 0;
    const qint64 magnitude = negative ? -hundredths : hundredths;
    QString text = QString::number(magnitude / 100);
    if (magnitude % 100 != 0) {
        text += QStringLiteral(".%1").arg(magnitude % 100, 2, 10, QLatin1Char('0'));
        if (text.endsWith(QLatin1Char('0')))
            text.chop(1);
    }
    return (negative ? QStringLiteral("-") : QString()) + text + QStringLiteral(" lb");
}

double hundredthsToPounds(qint64 hundredths)
{
    // As for cents: the double nearest the decimal, which Qt prints as that decimal.
    return static_cast<double>(hundredths) / 100.0;
}

} // namespace waybill
