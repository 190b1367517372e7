#include "upcasting.h"

#include "account.h"

#include <array>
#include <utility>

namespace waybill {

namespace {

using Step = void (*)(QJsonObject &data);

// opened: payment terms are optional in the command; their absence always meant the default.
void openedPaymentTerms(QJsonObject &data)
{
    if (!data.contains(QStringLiteral("paymentTermsDays")))
        data.insert(QStringLiteral("paymentTermsDays"), kDefaultPaymentTermsDays);
}

// In the order they were added; a step is never removed or changed once released, only
// followed by new ones. The shapes of the first release (submitted, assigned, shipped,
// delivered, cancelled, paymentReceived, invoiced) are today's shapes: no step touches them.
const std::array<std::pair<const QString *, Step>, 1> kSteps { {
    { &EventType::Opened, &openedPaymentTerms },
} };

} // namespace

QJsonObject upcastEventData(const QString &type, QJsonObject data)
{
    for (const auto &[stepType, step] : kSteps) {
        if (*stepType == type)
            step(data);
    }
    return data;
}

} // namespace waybill
