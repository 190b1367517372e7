// A finance history with hand-computed figures, recorded through the real engine, for the
// document tests: account "acme" (Acme Mills, Net 15) billed for shipment "ship-1" (TX to OK,
// 1,200 lb, liftgate: INV-000001 of $463.50) and for 40 more small shipments, with payments, a
// reversed payment and a credit.
#pragma once

#include "domain/money.h"
#include "store/databaseurl.h"

#include <QString>

namespace waybill::test {

struct DocumentHistoryFigures
{
    // INV-000001: linehaul 1,200 lb x 31 cents, fuel 12.5% of it, liftgate.
    static constexpr Cents kLinehaulCents = 37200;
    static constexpr Cents kFuelCents = 4650;
    static constexpr Cents kLiftgateCents = 4500;
    static constexpr Cents kInvoiceCents = 46350;
    // Paid $100.00 on account (the oldest invoice first): $363.50 left open on INV-000001.
    static constexpr Cents kFirstPaymentCents = 10000;
    // Shipments small-1..40 at 100 x i lb on the lane *->* (28 cents a pound) plus 12.5% fuel:
    // 3150 x i cents each, 3150 x 820 in all.
    static constexpr int kSmallShipments = 40;
    static constexpr Cents kSmallShipmentsCents = 3150 * 820;
    // A $500.00 payment, then reversed; a $25.00 credit.
    static constexpr Cents kReversedPaymentCents = 50000;
    static constexpr Cents kCreditCents = 2500;
    // What acme owes at the end.
    static constexpr Cents kClosingDueCents
        = kInvoiceCents + kSmallShipmentsCents - kFirstPaymentCents - kCreditCents;
};

// Records it (creating the schema); false with a reason when a command was not accepted or an
// invoice is missing.
bool recordDocumentHistory(const DatabaseUrl &url, QString *error);

} // namespace waybill::test
