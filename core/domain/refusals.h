// Why a reducer refuses a command: every reason once, as an English template whose arguments are
// %1 to %4. The reducers fill them in and the reason is recorded with the command in English, the
// same words for every client. The templates are marked for translation (context
// kRefusalContext): the desktop says a reason in the user's language by reading the English text,
// which may have come over HTTP from a server, back into its template and arguments.
#pragma once

#include <QString>
#include <QStringList>

namespace waybill {

enum class Refusal {
    // Shipments.
    AccountNotRegisteredForShipment,
    AccountOnHold,
    CreditLimitExceeded,
    CapacityExceeded,
    ShipmentExists,
    ShipmentMissing,
    AssignNotAllowed,
    AlreadyOnTheTruck,
    TruckNotRegisteredForLoads,
    TruckOutOfService,
    ShipNotAllowed,
    DeliverNotAllowed,
    CancelNotAllowed,
    AmendNotAllowed,
    AmendChangesNothing,
    DeliveryBeforePickup,
    RescheduleNotAllowed,
    PickupFixedOnceShipped,
    RescheduleChangesNothing,
    NotAShipmentCommand,
    // Pricing (a submit or an amend).
    AccessorialNotInRateTable,
    // Trucks.
    TruckRegisteredAlready,
    TruckNotRegistered,
    TruckOutOfServiceAlready,
    TruckNotOutOfService,
    NotATruckCommand,
    // Accounts.
    AccountNotOpen,
    AccountNotRegisteredForMoney,
    PaymentNotPositive,
    InvoiceWithoutShipment,
    InvoiceNegative,
    InvoiceWithoutNumberOrDate,
    AccountOpenAlready,
    AccountUpdateChangesNothing,
    AccountOnHoldAlready,
    AccountNotOnHold,
    PaymentNotRecorded,
    PaymentReversedAlready,
    CreditWithoutHistory,
    CreditNotPositive,
    NotAnAccountCommand,
};

// How many refusals there are: Refusal(0) to Refusal(kRefusalCount - 1).
inline constexpr int kRefusalCount = int(Refusal::NotAnAccountCommand) + 1;

// The translation context of the templates.
inline constexpr char kRefusalContext[] = "waybill::Refusal";

// The English template, as marked for translation.
const char *refusalTemplate(Refusal refusal);

// The text with its %1... replaced all at once, so that an argument holding "%2" (a reason a
// person typed) stays as it is. At most four arguments.
QString fillRefusal(const QString &text, const QStringList &arguments);

// The reason in English with its arguments, as the reducers give it.
QString refusalText(Refusal refusal, const QStringList &arguments = {});

} // namespace waybill
