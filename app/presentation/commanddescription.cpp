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
    }
    return {};
}

} // namespace waybill::app
