// The id a new shipment is proposed: "S-" and the day in UTC ("S-261130-"), then a number of three
// digits or more, the next after the highest of the day's ids the server has and after the last
// this app proposed, checked free with the server (GET /shipments/{id} answers 404) before it is
// proposed. Readable, and told apart from the ids of other days at a glance.
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace waybill::app {

class ApiClient;

class ShipmentIds final
{
public:
    // "S-261130-" for that moment's day in UTC.
    static QString dayPrefix(const QDateTime &at);
    // The number of an id of the day ("S-261130-007" -> 7), or -1 for any other id.
    static int numberOf(const QString &id, const QString &prefix);
    // "S-261130-007".
    static QString idOf(const QString &prefix, int number);

    // Asks the server and calls done with the id proposed (empty only if context went away).
    static void proposeNext(
        ApiClient *api, QObject *context, std::function<void(const QString &)> done);
    // Whether the server has a shipment with that id: true, false, or empty when it did not say.
    static void isTaken(ApiClient *api, const QString &id, QObject *context,
        std::function<void(std::optional<bool>)> done);
};

} // namespace waybill::app
