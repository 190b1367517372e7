// How a shipment's status looks: its name in the user's language and the colour of its badge.
#pragma once

#include <QColor>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace waybill::app {

class StatusPresentation final
{
    Q_DECLARE_TR_FUNCTIONS(StatusPresentation)
public:
    // The statuses of the contract, in their life order.
    static QStringList statuses();
    static QString displayName(const QString &status);
    static QColor color(const QString &status);
};

} // namespace waybill::app
