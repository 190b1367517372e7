#include "command.h"

#include "ids.h"

#include <array>
#include <utility>

namespace waybill {

namespace {
const std::array<std::pair<CommandType, const char *>, 18> kNames { {
    { CommandType::Submit, "submit" },
    { CommandType::Assign, "assign" },
    { CommandType::Ship, "ship" },
    { CommandType::Deliver, "deliver" },
    { CommandType::Cancel, "cancel" },
    { CommandType::Amend, "amend" },
    { CommandType::Reschedule, "reschedule" },
    { CommandType::Payment, "payment" },
    { CommandType::Invoice, "invoice" },
    { CommandType::Open, "open" },
    { CommandType::Update, "update" },
    { CommandType::Hold, "hold" },
    { CommandType::Release, "release" },
    { CommandType::ReversePayment, "reverse-payment" },
    { CommandType::Credit, "credit" },
    { CommandType::Register, "register" },
    { CommandType::OutOfService, "out-of-service" },
    { CommandType::ReturnToService, "return-to-service" },
} };
} // namespace

QString commandTypeName(CommandType type)
{
    for (const auto &[t, name] : kNames) {
        if (t == type)
            return QString::fromLatin1(name);
    }
    return {};
}

bool commandTypeFromName(const QString &name, CommandType *type)
{
    for (const auto &[t, n] : kNames) {
        if (name == QLatin1String(n)) {
            *type = t;
            return true;
        }
    }
    return false;
}

StreamKind streamKindOf(CommandType type)
{
    switch (type) {
    case CommandType::Submit:
    case CommandType::Assign:
    case CommandType::Ship:
    case CommandType::Deliver:
    case CommandType::Cancel:
    case CommandType::Amend:
    case CommandType::Reschedule:
        return StreamKind::Shipment;
    case CommandType::Payment:
    case CommandType::Invoice:
    case CommandType::Open:
    case CommandType::Update:
    case CommandType::Hold:
    case CommandType::Release:
    case CommandType::ReversePayment:
    case CommandType::Credit:
        return StreamKind::Account;
    case CommandType::Register:
    case CommandType::OutOfService:
    case CommandType::ReturnToService:
        return StreamKind::Truck;
    }
    return StreamKind::Unknown;
}

} // namespace waybill
