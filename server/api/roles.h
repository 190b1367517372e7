// Which roles may do what (api.md, "Authentication and roles").
#pragma once

#include "domain/command.h"
#include "tokenstore.h"

namespace waybill::api {

using Roles = unsigned;

constexpr Roles roleBit(Role role)
{
    return Roles(1u) << unsigned(role);
}

// Every role that reads the business's data: not monitoring, which sees only /metrics and /health.
constexpr Roles kEveryRole = roleBit(Role::CustomerService) | roleBit(Role::Dispatch)
    | roleBit(Role::Finance) | roleBit(Role::Auditor) | roleBit(Role::Admin);
constexpr Roles kMetricsRoles = roleBit(Role::Admin) | roleBit(Role::Monitoring);
constexpr Roles kAuditRoles = roleBit(Role::Auditor) | roleBit(Role::Admin);
constexpr Roles kAdminOnly = roleBit(Role::Admin);

// Admin may send every command; auditors none.
constexpr Roles rolesThatMay(CommandType type)
{
    switch (type) {
    case CommandType::Submit:
    case CommandType::Amend:
        return roleBit(Role::CustomerService) | roleBit(Role::Admin);
    case CommandType::Cancel:
    case CommandType::Reschedule:
        return roleBit(Role::CustomerService) | roleBit(Role::Dispatch) | roleBit(Role::Admin);
    case CommandType::Assign:
    case CommandType::Ship:
    case CommandType::Deliver:
    case CommandType::Register: // truck records
    case CommandType::OutOfService:
    case CommandType::ReturnToService:
        return roleBit(Role::Dispatch) | roleBit(Role::Admin);
    case CommandType::Payment:
    case CommandType::ReversePayment:
    case CommandType::Credit:
    case CommandType::Open: // account records
    case CommandType::Update:
    case CommandType::Hold:
    case CommandType::Release:
        return roleBit(Role::Finance) | roleBit(Role::Admin);
    case CommandType::Invoice:
        return 0; // issued by Waybill itself
    }
    return 0;
}

constexpr bool mayDo(Role role, Roles roles)
{
    return (roleBit(role) & roles) != 0;
}

} // namespace waybill::api
