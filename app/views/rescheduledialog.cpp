#include "rescheduledialog.h"

#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "presentation/refusaltext.h"
#include "windowedit.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace waybill::app {

RescheduleDialog::RescheduleDialog(Session *session, const ShipmentState &shipment, QWidget *parent)
    : CommandForm(session, shipment.version, parent)
    , m_shipment(shipment)
    , m_pickup(new WindowEdit(tr("&Pickup:"), QStringLiteral("reschedulePickup"), this))
    , m_delivery(new WindowEdit(tr("D&elivery:"), QStringLiteral("rescheduleDelivery"), this))
    , m_reason(new QLineEdit(this))
{
    setObjectName(QStringLiteral("rescheduleDialog"));
    setWindowTitle(tr("Reschedule shipment %1").arg(shipment.id));
    auto *layout = new QVBoxLayout(this);
    const bool shipped = shipment.status == ShipmentStatus::Shipped;
    auto *intro = new QLabel(shipped
            ? tr("Shipment %1 is on the road: only its delivery window can change.")
                  .arg(shipment.id)
            : tr("New times for shipment %1. The history keeps the old ones.").arg(shipment.id),
        this);
    intro->setObjectName(QStringLiteral("explanation"));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    // A window the shipment has not got yet starts at the usual times, unticked.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_pickup->setWindow(
        shipment.pickupWindow.value_or(WindowEdit::defaultPickup(now, m_pickup->timeZone())));
    m_pickup->check()->setChecked(shipment.pickupWindow.has_value());
    m_delivery->setWindow(
        shipment.deliveryWindow.value_or(WindowEdit::defaultDelivery(now, m_delivery->timeZone())));
    m_delivery->check()->setChecked(shipment.deliveryWindow.has_value());
    m_pickup->setEnabled(!shipped);
    if (shipped)
        m_pickup->setToolTip(tr("Picked up already: the pickup window can no longer change."));
    layout->addWidget(m_pickup);
    layout->addWidget(m_delivery);

    auto *form = new QFormLayout;
    m_reason->setObjectName(QStringLiteral("rescheduleReason"));
    m_reason->setPlaceholderText(tr("e.g. The customer asked for Thursday (optional)"));
    m_reason->setAccessibleName(tr("Reason"));
    form->addRow(tr("&Reason:"), m_reason);
    layout->addLayout(form);
    addFooter(layout, tr("Reschedule"));
}

void RescheduleDialog::submit()
{
    QJsonObject body;
    for (const auto &[key, edit, was] :
        { std::tuple { QStringLiteral("pickupWindow"), m_pickup, m_shipment.pickupWindow },
            std::tuple {
                QStringLiteral("deliveryWindow"), m_delivery, m_shipment.deliveryWindow } }) {
        if (!edit->isEnabled())
            continue;
        const std::optional<TimeWindow> now = edit->window();
        if (!now && was) {
            showProblem(tr("A window cannot be removed; change its times instead."));
            return;
        }
        if (now && now != was)
            body.insert(key, now->toJson());
    }
    if (body.isEmpty()) {
        showProblem(tr("Nothing is changed."));
        return;
    }
    const QString reason = m_reason->text().trimmed();
    if (!reason.isEmpty())
        body.insert(QStringLiteral("reason"), reason);
    QJsonObject data;
    const ValidationErrors errors = validateCommandBody(CommandType::Reschedule, body, &data);
    if (!errors.isEmpty()) {
        const QString where
            = errors.first().path.isEmpty() ? QString() : errors.first().path.first().toString();
        showProblem(where == QLatin1String("deliveryWindow")
                ? tr("The delivery window must not end before the pickup window starts.")
                : where == QLatin1String("pickupWindow") ? tr("The window ends before it starts.")
                                                         : errors.first().message);
        return;
    }
    // The shipment's own rules, as the server runs them: a new delivery window alone may still
    // end before the pickup window the shipment keeps.
    Command command;
    command.type = CommandType::Reschedule;
    command.streamId = shipmentStreamId(m_shipment.id);
    command.data = data;
    const Decision decision = decideShipment(m_shipment, command, Rules {});
    if (decision.isRejected()) {
        showProblem(RefusalText::translated(decision.rejection));
        return;
    }
    send({ CommandType::Reschedule, m_shipment.id, body, expectedVersion() });
}

} // namespace waybill::app
