// Invoice numbers: INV-000001, INV-000002, ... given in log order, with no gap and no repeat.
#pragma once

#include <QDateTime>
#include <QString>

namespace waybill {

// "INV-" and the number with at least six digits: 42 -> INV-000042, 1234567 -> INV-1234567.
QString invoiceNumberText(qint64 number);
// The number of an invoice number's text; 0 when the text is not one.
qint64 invoiceNumberOf(const QString &text);
// When an invoice issued at that time falls due under these payment terms.
QDateTime invoiceDue(const QDateTime &issued, int paymentTermsDays);

} // namespace waybill
