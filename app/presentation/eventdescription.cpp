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
        QStringLiteral("invoiced") };
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
    return typeName(type);
}

} // namespace waybill::app
