#include "commanddescription.h"

#include "moneytext.h"

namespace waybill::app {

QString CommandDescription::name(CommandType type)
{
    switch (type) {
    case CommandType::Submit:
        return tr("Submit");
    case CommandType::Assign:
        return tr("Assign");
    case CommandType::Ship:
        return tr("Ship");
    case CommandType::Deliver:
        return tr("Deliver");
    case CommandType::Cancel:
        return tr("Cancel");
    case CommandType::Payment:
        return tr("Payment");
    case CommandType::Invoice:
        return tr("Invoice");
    case CommandType::Amend:
        return tr("Amend");
    case CommandType::Reschedule:
        return tr("Reschedule");
    case CommandType::Open:
        return tr("Open account");
    case CommandType::Update:
        return tr("Update account");
    case CommandType::Hold:
        return tr("Hold");
    case CommandType::Release:
        return tr("Release");
    case CommandType::ReversePayment:
        return tr("Reverse payment");
    case CommandType::Credit:
        return tr("Credit");
    case CommandType::Register:
        return tr("Register truck");
    case CommandType::OutOfService:
        return tr("Out of service");
    case CommandType::ReturnToService:
        return tr("Back in service");
    }
    return {};
}

QString CommandDescription::describe(CommandType type, const QString &id, const QJsonObject &body)
{
    switch (type) {
    case CommandType::Submit:
        return tr("Submit shipment %1").arg(id);
    case CommandType::Assign: {
        const QString truck = body.value(QLatin1String("truckId")).toString();
        return truck.isEmpty() ? tr("Assign shipment %1").arg(id)
                               : tr("Assign shipment %1 to truck %2").arg(id, truck);
    }
    case CommandType::Ship:
        return tr("Ship shipment %1").arg(id);
    case CommandType::Deliver:
        return tr("Deliver shipment %1").arg(id);
    case CommandType::Cancel:
        return tr("Cancel shipment %1").arg(id);
    case CommandType::Payment: {
        const std::optional<Cents> cents
            = dollarsToCents(body.value(QLatin1String("amount")).toDouble());
        return cents ? tr("Payment of %1 to account %2").arg(MoneyText::display(*cents), id)
                     : tr("Payment to account %1").arg(id);
    }
    case CommandType::Invoice:
        return tr("Invoice to account %1").arg(id);
    case CommandType::Amend:
        return tr("Amend shipment %1").arg(id);
    case CommandType::Reschedule:
        return tr("Reschedule shipment %1").arg(id);
    case CommandType::Open:
        return tr("Open account %1").arg(id);
    case CommandType::Update:
        return tr("Update account %1").arg(id);
    case CommandType::Hold:
        return tr("Put account %1 on hold").arg(id);
    case CommandType::Release:
        return tr("Release account %1 from hold").arg(id);
    case CommandType::ReversePayment:
        return tr("Reverse a payment on account %1").arg(id);
    case CommandType::Credit: {
        const std::optional<Cents> cents
            = dollarsToCents(body.value(QLatin1String("amount")).toDouble());
        return cents ? tr("Credit of %1 to account %2").arg(MoneyText::display(*cents), id)
                     : tr("Credit to account %1").arg(id);
    }
    case CommandType::Register:
        return tr("Register truck %1").arg(id);
    case CommandType::OutOfService:
        return tr("Take truck %1 out of service").arg(id);
    case CommandType::ReturnToService:
        return tr("Return truck %1 to service").arg(id);
    }
    return {};
}

} // namespace waybill::app
