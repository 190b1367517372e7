#include "command.h"

#include <array>
#include <utility>

namespace waybill {

namespace {
const std::array<std::pair<CommandType, const char *>, 7> kNames { {
    { CommandType::Submit, "submit" },
    { CommandType::Assign, "assign" },
    { CommandType::Ship, "ship" },
    { CommandType::Deliver, "deliver" },
    { CommandType::Cancel, "cancel" },
    { CommandType::Payment, "payment" },
    { CommandType::Invoice, "invoice" },
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

} // namespace waybill
