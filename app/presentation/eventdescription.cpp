#include "eventdescription.h"

#include "moneytext.h"

#include <QLocale>

namespace waybill::app {

namespace {
Cents centsOf(const QJsonObject &data, const char *key)
{
    return static_cast<Cents>(data.value(QLatin1String(key)).toDouble());
}
} // namespace

QStringList EventDescription::types()
{
    return { QStringLiteral("submitted"), QStringLiteral("assigned"), QStringLiteral("shipped"),
        QStringLiteral("delivered"), QStringLiteral("cancelled"), QStringLiteral("paymentReceived"),
        QStringLiteral("invoiced"), QStringLiteral("amended"), QStringLiteral("rescheduled"),
        QStringLiteral("opened"), QStringLiteral("updated"), QStringLiteral("placedOnHold"),
        QStringLiteral("released"), QStringLiteral("paymentReversed"), QStringLiteral("credited"),
        QStringLiteral("registered"), QStringLiteral("outOfService"),
        QStringLiteral("returnedToService") };
}

QString EventDescription::typeName(const QString &type)
{
    if (type == QLatin1String("submitted"))
        return tr("Submitted");
    if (type == QLatin1String("assigned"))
        return tr("Assigned");
    if (type == QLatin1String("shipped"))
        return tr("Shipped");
    if (type == QLatin1String("delivered"))
        return tr("Delivered");
    if (type == QLatin1String("cancelled"))
        return tr("Cancelled");
    if (type == QLatin1String("paymentReceived"))
        return tr("Payment received");
    if (type == QLatin1String("invoiced"))
        return tr("Invoiced");
    if (type == QLatin1String("amended"))
        return tr("Amended");
    if (type == QLatin1String("rescheduled"))
        return tr("Rescheduled");
    if (type == QLatin1String("opened"))
        return tr("Account opened");
    if (type == QLatin1String("updated"))
        return tr("Account updated");
    if (type == QLatin1String("placedOnHold"))
        return tr("Placed on hold");
    if (type == QLatin1String("released"))
        return tr("Released from hold");
    if (type == QLatin1String("paymentReversed"))
        return tr("Payment reversed");
    if (type == QLatin1String("credited"))
        return tr("Credit memo");
    if (type == QLatin1String("registered"))
        return tr("Truck registered");
    if (type == QLatin1String("outOfService"))
        return tr("Out of service");
    if (type == QLatin1String("returnedToService"))
        return tr("Back in service");
    return type;
}

QString EventDescription::place(const QJsonObject &address)
{
    return place(address.value(QLatin1String("city")).toString(),
        address.value(QLatin1String("state")).toString());
}

QString EventDescription::place(const QString &city, const QString &state)
{
    if (city.isEmpty())
        return state;
    //: A place: city and state, e.g. "Austin, TX"
    return tr("%1, %2").arg(city, state);
}

QString EventDescription::describe(const QString &type, const QJsonObject &data)
{
    if (type == QLatin1String("submitted")) {
        const QLocale locale;
        return tr("Submitted: %1 lb from %2 to %3, bill to %4, cost %5")
            .arg(locale.toString(data.value(QLatin1String("weightInPounds")).toDouble()),
                place(data.value(QLatin1String("shipFrom")).toObject()),
                place(data.value(QLatin1String("shipTo")).toObject()),
                data.value(QLatin1String("billToAccountId")).toString(),
                MoneyText::display(centsOf(data, "costCents")));
    }
    if (type == QLatin1String("assigned")) {
        const QString truck = data.value(QLatin1String("truckId")).toString();
        const QString previous = data.value(QLatin1String("previousTruckId")).toString();
        return previous.isEmpty()
            ? tr("Assigned to truck %1").arg(truck)
            : tr("Re-assigned from truck %1 to truck %2").arg(previous, truck);
    }
    if (type == QLatin1String("shipped"))
        return tr("Shipped: on the road");
    if (type == QLatin1String("delivered")) {
        const QString signedBy = data.value(QLatin1String("signedBy")).toString();
        return signedBy.isEmpty() ? tr("Delivered") : tr("Delivered, signed by %1").arg(signedBy);
    }
    if (type == QLatin1String("cancelled"))
        return tr("Cancelled: %1").arg(data.value(QLatin1String("reason")).toString());
    if (type == QLatin1String("paymentReceived"))
        return tr("Payment received: %1").arg(MoneyText::display(centsOf(data, "amountCents")));
    if (type == QLatin1String("invoiced"))
        return tr("Invoiced %1 for shipment %2")
            .arg(MoneyText::display(centsOf(data, "amountCents")),
                data.value(QLatin1String("shipmentId")).toString());
    if (type == QLatin1String("amended"))
        return amendment(data);
    if (type == QLatin1String("rescheduled")) {
        const QString reason = data.value(QLatin1String("reason")).toString();
        return reason.isEmpty() ? tr("Rescheduled") : tr("Rescheduled: %1").arg(reason);
    }
    if (type == QLatin1String("opened") || type == QLatin1String("updated"))
        return accountRecord(type, data);
    if (type == QLatin1String("placedOnHold"))
        return tr("Placed on hold: %1").arg(data.value(QLatin1String("reason")).toString());
    if (type == QLatin1String("released"))
        return tr("Released from hold");
    if (type == QLatin1String("paymentReversed"))
        return tr("Payment of %1 reversed: %2")
            .arg(MoneyText::display(centsOf(data, "amountCents")),
                data.value(QLatin1String("reason")).toString());
    if (type == QLatin1String("credited")) {
        const QString shipment = data.value(QLatin1String("shipmentId")).toString();
        const QString amount = MoneyText::display(centsOf(data, "amountCents"));
        const QString reason = data.value(QLatin1String("reason")).toString();
        return shipment.isEmpty()
            ? tr("Credit memo of %1: %2").arg(amount, reason)
            : tr("Credit memo of %1 for shipment %2: %3").arg(amount, shipment, reason);
    }
    if (type == QLatin1String("registered")) {
        QStringList parts;
        const QString name = data.value(QLatin1String("name")).toString();
        if (!name.isEmpty())
            parts.append(name);
        if (data.contains(QLatin1String("capacityPounds")))
            parts.append(
                tr("capacity %1 lb")
                    .arg(QLocale().toString(data.value(QLatin1String("capacityPounds")).toInt())));
        return parts.isEmpty() ? tr("Truck registered")
                               : tr("Truck registered: %1").arg(parts.join(QLatin1String(", ")));
    }
    if (type == QLatin1String("outOfService"))
        return tr("Out of service: %1").arg(data.value(QLatin1String("reason")).toString());
    if (type == QLatin1String("returnedToService"))
        return tr("Back in service");
    return typeName(type);
}

QString EventDescription::amendment(const QJsonObject &data)
{
    const QLocale locale;
    QStringList changes;
    if (data.contains(QLatin1String("weightInPounds")))
        changes.append(
            tr("weight %1 lb")
                .arg(locale.toString(data.value(QLatin1String("weightInPounds")).toDouble())));
    if (data.contains(QLatin1String("shipFrom")))
        changes.append(tr("from %1").arg(place(data.value(QLatin1String("shipFrom")).toObject())));
    if (data.contains(QLatin1String("shipTo")))
        changes.append(tr("to %1").arg(place(data.value(QLatin1String("shipTo")).toObject())));
    if (data.contains(QLatin1String("billToAccountId")))
        changes.append(
            tr("bill to %1").arg(data.value(QLatin1String("billToAccountId")).toString()));
    if (data.contains(QLatin1String("pickupWindow")))
        changes.append(tr("new pickup window"));
    if (data.contains(QLatin1String("deliveryWindow")))
        changes.append(tr("new delivery window"));
    if (data.contains(QLatin1String("costCents")))
        changes.append(tr("re-priced to %1").arg(MoneyText::display(centsOf(data, "costCents"))));
    //: An amendment: the changes, then the reason, e.g. "Amended: weight 900 lb (typo)"
    return tr("Amended: %1 (%2)")
        .arg(changes.join(QLatin1String(", ")), data.value(QLatin1String("reason")).toString());
}

QString EventDescription::accountRecord(const QString &type, const QJsonObject &data)
{
    QStringList changes;
    if (data.contains(QLatin1String("name")))
        changes.append(tr("name %1").arg(data.value(QLatin1String("name")).toString()));
    if (data.contains(QLatin1String("billingAddress")))
        changes.append(tr("billing address %1")
                           .arg(place(data.value(QLatin1String("billingAddress")).toObject())));
    if (data.contains(QLatin1String("paymentTermsDays")))
        changes.append(
            tr("terms %n day(s)", nullptr, data.value(QLatin1String("paymentTermsDays")).toInt()));
    if (data.value(QLatin1String("creditLimitCents")).isDouble())
        changes.append(
            tr("credit limit %1").arg(MoneyText::display(centsOf(data, "creditLimitCents"))));
    else if (data.contains(QLatin1String("creditLimit")))
        changes.append(tr("no credit limit"));
    const QString list = changes.join(QLatin1String(", "));
    return type == QLatin1String("opened") ? tr("Account opened: %1").arg(list)
                                           : tr("Account updated: %1").arg(list);
}

} // namespace waybill::app
