// A postal address as the contract shapes it.
#pragma once

#include <QJsonObject>
#include <QString>

namespace waybill {

struct Address
{
    QString name;
    QString line1;
    QString line2; // optional
    QString city;
    QString state; // two letters
    QString zip;   // five digits

    QJsonObject toJson() const;
    static Address fromJson(const QJsonObject &json);
    bool operator==(const Address &other) const;
};

} // namespace waybill
