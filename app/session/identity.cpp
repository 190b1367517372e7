#include "identity.h"

namespace waybill::app {

Identity Identity::fromJson(const QJsonObject &json)
{
    return withRole(
        json.value(QLatin1String("name")).toString(), json.value(QLatin1String("role")).toString());
}

Identity Identity::withRole(const QString &name, const QString &role)
{
    Identity identity;
    identity.m_name = name;
    identity.m_role = role;
    identity.m_known = true;
    return identity;
}

Identity Identity::unknownRole(const QString &name)
{
    Identity identity;
    identity.m_name = name;
    identity.m_known = true;
    identity.m_everything = true;
    return identity;
}

bool Identity::may(Capability capability) const
{
    if (m_everything || m_role == QLatin1String("admin"))
        return true;
    // The role table of the contract (api.md, "Authentication and roles").
    switch (capability) {
    case Capability::Submit:
    case Capability::Amend:
        return m_role == QLatin1String("customer-service");
    case Capability::Cancel:
    case Capability::Reschedule:
        return m_role == QLatin1String("customer-service") || m_role == QLatin1String("dispatch");
    case Capability::Assign:
    case Capability::Ship:
    case Capability::Deliver:
    case Capability::TruckRecords:
        return m_role == QLatin1String("dispatch");
    case Capability::Payment:
    case Capability::AccountRecords:
    case Capability::Corrections:
    case Capability::ViewReports:
        return m_role == QLatin1String("finance");
    case Capability::ExportAudit:
    case Capability::VerifyAudit:
        return m_role == QLatin1String("auditor");
    }
    return false;
}

bool Identity::maySendCommands() const
{
    for (Capability c : { Capability::Submit, Capability::Assign, Capability::Ship,
             Capability::Deliver, Capability::Cancel, Capability::Payment,
             Capability::AccountRecords, Capability::Corrections, Capability::TruckRecords,
             Capability::Amend, Capability::Reschedule }) {
        if (may(c))
            return true;
    }
    return false;
}

QString Identity::roleDisplayName(const QString &role)
{
    if (role == QLatin1String("customer-service"))
        return tr("Customer Service");
    if (role == QLatin1String("dispatch"))
        return tr("Dispatch");
    if (role == QLatin1String("finance"))
        return tr("Finance");
    if (role == QLatin1String("auditor"))
        return tr("Auditor");
    if (role == QLatin1String("admin"))
        return tr("Administrator");
    if (role.isEmpty())
        return tr("Unknown role");
    return role;
}

} // namespace waybill::app
