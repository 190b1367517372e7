#include "refusals.h"

#include <QtGlobal>

#include <iterator>

namespace waybill {

namespace {
struct Entry
{
    Refusal refusal;
    const char *text;
};

// lupdate reads the templates from here.
constexpr Entry kTemplates[] = {
    { Refusal::AccountNotRegisteredForShipment,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Account %1 is not registered; open it before billing shipments to it.") },
    { Refusal::AccountOnHold,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Account %1 is on hold (%2); it takes no new charges until it is released.") },
    { Refusal::CreditLimitExceeded,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Shipment %1 would take account %2's exposure to %3, past its credit limit of %4.") },
    { Refusal::CapacityExceeded,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Shipment %1 would load truck %2 to %3, past its capacity of %4.") },
    { Refusal::ShipmentExists,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Shipment %1 already exists (it is %2).") },
    { Refusal::ShipmentMissing,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Shipment %1 does not exist; submit it first.") },
    { Refusal::AssignNotAllowed,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Shipment %1 is %2; a truck can be assigned only while it is Submitted or Assigned.") },
    { Refusal::AlreadyOnTheTruck,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Shipment %1 is already assigned to truck %2.") },
    { Refusal::TruckNotRegisteredForLoads,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Truck %1 is not registered; register it before assigning loads to it.") },
    { Refusal::TruckOutOfService,
        QT_TRANSLATE_NOOP(
            "waybill::Refusal", "Truck %1 is out of service (%2); assign another truck.") },
    { Refusal::ShipNotAllowed,
        QT_TRANSLATE_NOOP(
            "waybill::Refusal", "Shipment %1 is %2; only an Assigned shipment can be shipped.") },
    { Refusal::DeliverNotAllowed,
        QT_TRANSLATE_NOOP(
            "waybill::Refusal", "Shipment %1 is %2; only a Shipped shipment can be delivered.") },
    { Refusal::CancelNotAllowed,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Shipment %1 is %2; only a Submitted or Assigned shipment can be cancelled.") },
    { Refusal::AmendNotAllowed,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Shipment %1 is %2; only a Submitted or Assigned shipment can be amended.") },
    { Refusal::AmendChangesNothing,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "The amendment changes nothing: shipment %1 already has those values.") },
    { Refusal::DeliveryBeforePickup,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Shipment %1's delivery window would end before its pickup window starts.") },
    { Refusal::RescheduleNotAllowed,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Shipment %1 is %2; only a Submitted, Assigned or Shipped shipment can be "
            "rescheduled.") },
    { Refusal::PickupFixedOnceShipped,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Shipment %1 is Shipped; its pickup window can no longer change.") },
    { Refusal::RescheduleChangesNothing,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "The new schedule changes nothing: shipment %1 already has those windows.") },
    { Refusal::NotAShipmentCommand,
        QT_TRANSLATE_NOOP("waybill::Refusal", "A %1 command does not apply to a shipment.") },
    { Refusal::AccessorialNotInRateTable,
        QT_TRANSLATE_NOOP("waybill::Refusal", "The rate table %1 has no accessorial \"%2\".") },
    { Refusal::TruckRegisteredAlready,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Truck %1 is registered already.") },
    { Refusal::TruckNotRegistered,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Truck %1 is not registered; register it first.") },
    { Refusal::TruckOutOfServiceAlready,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Truck %1 is out of service already (%2).") },
    { Refusal::TruckNotOutOfService,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Truck %1 is not out of service.") },
    { Refusal::NotATruckCommand,
        QT_TRANSLATE_NOOP("waybill::Refusal", "A %1 command does not apply to a truck.") },
    { Refusal::AccountNotOpen,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Account %1 is not open; open it first.") },
    { Refusal::AccountNotRegisteredForMoney,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "Account %1 is not registered; open it before recording money on it.") },
    { Refusal::PaymentNotPositive,
        QT_TRANSLATE_NOOP("waybill::Refusal", "A payment must be a positive amount.") },
    { Refusal::InvoiceWithoutShipment,
        QT_TRANSLATE_NOOP("waybill::Refusal", "An invoice must name its shipment.") },
    { Refusal::InvoiceNegative,
        QT_TRANSLATE_NOOP("waybill::Refusal", "An invoice cannot be negative.") },
    { Refusal::InvoiceWithoutNumberOrDate,
        QT_TRANSLATE_NOOP("waybill::Refusal", "An invoice needs its number and its date.") },
    { Refusal::AccountOpenAlready,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Account %1 is open already (as %2).") },
    { Refusal::AccountUpdateChangesNothing,
        QT_TRANSLATE_NOOP("waybill::Refusal",
            "The update changes nothing: account %1 already has those values.") },
    { Refusal::AccountOnHoldAlready,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Account %1 is on hold already (%2).") },
    { Refusal::AccountNotOnHold,
        QT_TRANSLATE_NOOP("waybill::Refusal", "Account %1 is not on hold.") },
    { Refusal::PaymentNotRecorded,
        QT_TRANSLATE_NOOP(
            "waybill::Refusal", "No payment on account %1 was recorded by command %2.") },
    { Refusal::PaymentReversedAlready,
        QT_TRANSLATE_NOOP(
            "waybill::Refusal", "The payment recorded by command %1 is reversed already.") },
    { Refusal::CreditWithoutHistory,
        QT_TRANSLATE_NOOP(
            "waybill::Refusal", "Account %1 has no history to credit; open it first.") },
    { Refusal::CreditNotPositive,
        QT_TRANSLATE_NOOP("waybill::Refusal", "A credit must be a positive amount.") },
    { Refusal::NotAnAccountCommand,
        QT_TRANSLATE_NOOP("waybill::Refusal", "A %1 command does not apply to an account.") },
};

constexpr bool inTheEnumsOrder()
{
    for (int i = 0; i < int(std::size(kTemplates)); ++i) {
        if (kTemplates[i].refusal != Refusal(i))
            return false;
    }
    return true;
}
static_assert(std::size(kTemplates) == kRefusalCount, "one template for each refusal");
static_assert(inTheEnumsOrder(), "a refusal's template is found by its number");
} // namespace

const char *refusalTemplate(Refusal refusal)
{
    return kTemplates[int(refusal)].text;
}

QString fillRefusal(const QString &text, const QStringList &arguments)
{
    const auto at = [&arguments](int i) { return arguments.value(i); };
    switch (arguments.size()) {
    case 0:
        return text;
    case 1:
        return text.arg(at(0));
    case 2:
        return text.arg(at(0), at(1));
    case 3:
        return text.arg(at(0), at(1), at(2));
    default:
        return text.arg(at(0), at(1), at(2), at(3));
    }
}

QString refusalText(Refusal refusal, const QStringList &arguments)
{
    return fillRefusal(QString::fromUtf8(refusalTemplate(refusal)), arguments);
}

} // namespace waybill
