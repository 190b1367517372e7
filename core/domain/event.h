// Events: what a reducer decides (NewEvent) and what the store recorded (RecordedEvent).
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QVector>

namespace waybill {

namespace EventType {
inline const QString Submitted = QStringLiteral("submitted");
inline const QString Assigned = QStringLiteral("assigned");
inline const QString Shipped = QStringLiteral("shipped");
inline const QString Delivered = QStringLiteral("delivered");
inline const QString Cancelled = QStringLiteral("cancelled");
inline const QString PaymentReceived = QStringLiteral("paymentReceived");
inline const QString Invoiced = QStringLiteral("invoiced");
// Records and corrections.
inline const QString Amended = QStringLiteral("amended");
inline const QString Rescheduled = QStringLiteral("rescheduled");
inline const QString Opened = QStringLiteral("opened");
inline const QString Updated = QStringLiteral("updated");
inline const QString PlacedOnHold = QStringLiteral("placedOnHold");
inline const QString Released = QStringLiteral("released");
inline const QString PaymentReversed = QStringLiteral("paymentReversed");
inline const QString Credited = QStringLiteral("credited");
inline const QString Registered = QStringLiteral("registered");
inline const QString OutOfService = QStringLiteral("outOfService");
inline const QString ReturnedToService = QStringLiteral("returnedToService");
} // namespace EventType

struct NewEvent
{
    QString type;
    QJsonObject data;
};

struct RecordedEvent
{
    qint64 position = 0;
    QString streamId;
    int version = 0;
    QString type;
    QDateTime timestamp;
    QString commandId;
    QString user;
    QString correlationId;
    QJsonObject data;
    QString hash;

    // The envelope of the contract: position, streamId, version, type, timestamp, commandId,
    // user, data (plus correlationId).
    QJsonObject toJson() const;
};

using EventList = QVector<RecordedEvent>;

} // namespace waybill
