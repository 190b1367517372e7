// Who the token belongs to and what its role may do, so that the app offers only that.
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace waybill::app {

enum class Capability {
    Submit, // New shipment
    Assign, // Assign or re-assign a truck
    Ship,
    Deliver,
    Cancel,
    Payment, // Post a payment
    AccountRecords, // Open and update accounts, hold and release
    Corrections, // Reverse a payment, credit memo
    TruckRecords, // Register trucks, out of service and back
    Amend, // Amend a shipment
    Reschedule, // New pickup or delivery window
    ExportAudit, // Export the event log as CSV
    VerifyAudit, // Verify the hash chain
    ViewReports // The Reports window (revenue, on-time delivery, utilisation, aging)
};

class Identity final
{
    Q_DECLARE_TR_FUNCTIONS(Identity)
public:
    // Nobody yet: nothing is offered until the server says who we are.
    Identity() = default;
    // From GET /me: {"name": ..., "role": ...}.
    static Identity fromJson(const QJsonObject &json);
    static Identity withRole(const QString &name, const QString &role);
    // The server cannot say (no /me): everything is offered and the server refuses what is not
    // allowed, in words (403).
    static Identity unknownRole(const QString &name = {});

    bool isKnown() const { return m_known; }
    QString name() const { return m_name; }
    QString role() const { return m_role; }
    bool may(Capability capability) const;
    // Whether the role may change anything at all.
    bool maySendCommands() const;

    // "customer-service" -> "Customer Service" in the user's language.
    static QString roleDisplayName(const QString &role);

private:
    QString m_name;
    QString m_role;
    bool m_known = false;
    bool m_everything = false;
};

} // namespace waybill::app
