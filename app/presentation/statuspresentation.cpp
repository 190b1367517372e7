#include "statuspresentation.h"

namespace waybill::app {

QStringList StatusPresentation::statuses()
{
    return { QStringLiteral("Submitted"), QStringLiteral("Assigned"), QStringLiteral("Shipped"),
        QStringLiteral("Delivered"), QStringLiteral("Cancelled") };
}

QString StatusPresentation::displayName(const QString &status)
{
    if (status == QLatin1String("Submitted"))
        return tr("Submitted");
    if (status == QLatin1String("Assigned"))
        return tr("Assigned");
    if (status == QLatin1String("Shipped"))
        return tr("Shipped");
    if (status == QLatin1String("Delivered"))
        return tr("Delivered");
    if (status == QLatin1String("Cancelled"))
        return tr("Cancelled");
    return status;
}

QColor StatusPresentation::color(const QString &status)
{
    // Distinct hues that stay readable with dark text, and apart for colour-blind readers
    // (the name is always printed in the badge too).
    if (status == QLatin1String("Submitted"))
        return QColor(0xFF, 0xE0, 0x8A); // waiting: amber
    if (status == QLatin1String("Assigned"))
        return QColor(0xA8, 0xD1, 0xFF); // planned: blue
    if (status == QLatin1String("Shipped"))
        return QColor(0xC7, 0xB8, 0xFF); // on the road: violet
    if (status == QLatin1String("Delivered"))
        return QColor(0xB5, 0xE8, 0xB0); // done: green
    if (status == QLatin1String("Cancelled"))
        return QColor(0xD9, 0xD9, 0xD9); // gone: grey
    return QColor(Qt::white);
}

} // namespace waybill::app
