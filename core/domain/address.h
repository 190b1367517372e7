// A postal address as the contract shapes it.
#pragma once

#include <QJsonObject>
#include <QString>

namespace waybill {

class JsonText;

struct Address
{
    QString name;
    QString line1;
    QString line2; // optional
    QString city;
    QString state; // two letters
    QString zip; // five digits

    QJsonObject toJson() const;
    // The same object as compact JSON text, written without building it (see jsontext.h).
    void writeJson(JsonText &out) const;
    static Address fromJson(const QJsonObject &json);
    bool operator==(const Address &other) const;
};

} // namespace waybill
