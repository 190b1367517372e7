#include "invoicenumber.h"

namespace waybill {

namespace {
const QString kPrefix = QStringLiteral("INV-");
}

QString invoiceNumberText(qint64 number)
{
    return kPrefix + QStringLiteral("%1").arg(number, 6, 10, QLatin1Char('0'));
}

qint64 invoiceNumberOf(const QString &text)
{
    if (!text.startsWith(kPrefix) || text.size() < kPrefix.size() + 6)
        return 0;
    const QStringView digits = QStringView(text).mid(kPrefix.size());
    for (const QChar c : digits) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return 0;
    }
    bool ok = false;
    const qint64 n = digits.toLongLong(&ok);
    // The text of a number is exactly one: INV-0000042 is not INV-000042.
    return ok && n > 0 && invoiceNumberText(n) == text ? n : 0;
}

QDateTime invoiceDue(const QDateTime &issued, int paymentTermsDays)
{
    return issued.toUTC().addDays(paymentTermsDays);
}

} // namespace waybill
