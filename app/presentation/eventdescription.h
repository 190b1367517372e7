// What an event means, in a sentence for the timeline, the statement and the audit log.
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace waybill::app {

class EventDescription final
{
    Q_DECLARE_TR_FUNCTIONS(EventDescription)
public:
    // The event types of the contract.
    static QStringList types();
    // "submitted" -> "Submitted" in the user's language.
    static QString typeName(const QString &type);
    // "Assigned to truck T-7 (was T-3)" from the type and the event's data.
    static QString describe(const QString &type, const QJsonObject &data);
    // "Austin, TX" from an address object, or from its city and state.
    static QString place(const QJsonObject &address);
    static QString place(const QString &city, const QString &state);

private:
    static QString amendment(const QJsonObject &data);
    static QString accountRecord(const QString &type, const QJsonObject &data);
};

} // namespace waybill::app
