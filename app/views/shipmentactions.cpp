#include "shipmentactions.h"

#include "amenddialog.h"
#include "client/commandsender.h"
#include "commanddialog.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "models/trucktablemodel.h"
#include "presentation/statuspresentation.h"
#include "rescheduledialog.h"
#include "session/session.h"

#include <QAction>
#include <QWidget>

namespace waybill::app {

namespace {
// Any truck other than the current one: legality of "assign" does not depend on which.
const QString kSomeOtherTruck = QStringLiteral("\x01other");

// Whether the shipment's own rules (the server's reducer) allow the command now.
bool isLegal(const ShipmentState &state, CommandType type)
{
    Command command;
    command.type = type;
    command.streamId = shipmentStreamId(state.id);
    if (type == CommandType::Assign)
        command.data.insert(QStringLiteral("truckId"), kSomeOtherTruck);
    if (type == CommandType::Cancel)
        command.data.insert(QStringLiteral("reason"), QStringLiteral("-"));
    if (type == CommandType::Reschedule) {
        // A delivery window unlike any it has and after any pickup: legality of "reschedule"
        // then depends on the status alone.
        const QDateTime far(QDate(9000, 1, 1), QTime(0, 0), Qt::UTC);
        command.data.insert(
            QStringLiteral("deliveryWindow"), TimeWindow { far, far.addSecs(3600) }.toJson());
    }
    return !decideShipment(state, command, Rules {}).isRejected();
}
} // namespace

ShipmentActions::ShipmentActions(Session *session, QWidget *host, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_host(host)
    , m_assign(makeAction(
          Capability::Assign, tr("&Assign truck…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A)))
    , m_ship(
          makeAction(Capability::Ship, tr("&Ship"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)))
    , m_deliver(makeAction(
          Capability::Deliver, tr("&Deliver…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D)))
    , m_cancel(makeAction(Capability::Cancel, tr("Ca&ncel shipment…"),
          QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X)))
    , m_amend(makeAction(
          Capability::Amend, tr("A&mend…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M)))
    , m_reschedule(makeAction(Capability::Reschedule, tr("Resc&hedule…"),
          QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R)))
{
    m_reschedule->setObjectName(QStringLiteral("rescheduleAction"));
    connect(m_reschedule, &QAction::triggered, this, &ShipmentActions::openReschedule);
    m_amend->setObjectName(QStringLiteral("amendAction"));
    connect(m_amend, &QAction::triggered, this, &ShipmentActions::openAmend);
    m_assign->setObjectName(QStringLiteral("assignAction"));
    m_ship->setObjectName(QStringLiteral("shipAction"));
    m_deliver->setObjectName(QStringLiteral("deliverAction"));
    m_cancel->setObjectName(QStringLiteral("cancelAction"));
    connect(m_assign, &QAction::triggered, this, &ShipmentActions::openAssign);
    connect(m_ship, &QAction::triggered, this, [this] { sendSimple(CommandType::Ship); });
    connect(m_deliver, &QAction::triggered, this, &ShipmentActions::openDeliver);
    connect(m_cancel, &QAction::triggered, this, &ShipmentActions::openCancel);
    update();
}

QAction *ShipmentActions::makeAction(
    Capability capability, const QString &text, const QKeySequence &shortcut)
{
    auto *action = new QAction(text, this);
    action->setShortcut(shortcut);
    // Several views carry these actions; each answers its shortcut only while it has the focus.
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    // What the role may not do is not offered at all.
    action->setVisible(m_session->identity().may(capability));
    if (action->isVisible())
        m_host->addAction(action);
    return action;
}

QList<QAction *> ShipmentActions::offered() const
{
    QList<QAction *> actions;
    for (QAction *action : { m_assign, m_ship, m_deliver, m_cancel, m_amend, m_reschedule }) {
        if (action->isVisible())
            actions.append(action);
    }
    return actions;
}

void ShipmentActions::setShipment(const std::optional<ShipmentState> &shipment)
{
    m_shipment = shipment;
    m_unavailable.clear();
    update();
}

void ShipmentActions::setUnavailable(const QString &reason)
{
    m_unavailable = reason;
    update();
}

void ShipmentActions::explain(QAction *action, const QString &enabledTip, const QString &reason)
{
    action->setEnabled(reason.isEmpty());
    const QString tip = reason.isEmpty() ? enabledTip : reason;
    action->setToolTip(tip);
    action->setStatusTip(tip);
    action->setWhatsThis(tip);
}

void ShipmentActions::update()
{
    QString common = m_unavailable;
    if (common.isEmpty() && !m_shipment)
        common = tr("Select a shipment first.");
    if (!common.isEmpty()) {
        for (QAction *action : { m_assign, m_ship, m_deliver, m_cancel, m_amend, m_reschedule })
            explain(action, {}, common);
        Q_EMIT reasonsChanged();
        return;
    }
    const ShipmentState &s = *m_shipment;
    const QString status = StatusPresentation::displayName(shipmentStatusName(s.status));
    const bool reassign = s.status == ShipmentStatus::Assigned;
    m_assign->setText(reassign ? tr("Re-&assign truck…") : tr("&Assign truck…"));
    explain(m_assign,
        reassign
            ? tr("Move shipment %1 from truck %2 to another truck").arg(s.id, s.assignedToTruck)
            : tr("Assign a truck to shipment %1").arg(s.id),
        isLegal(s, CommandType::Assign)
            ? QString()
            : tr("A truck can be assigned only while a shipment is Submitted or Assigned; "
                 "%1 is %2.")
                  .arg(s.id, status));
    explain(m_ship, tr("Mark shipment %1 as on the road").arg(s.id),
        isLegal(s, CommandType::Ship)
            ? QString()
            : tr("Only an assigned shipment can be shipped; %1 is %2.").arg(s.id, status));
    explain(m_deliver, tr("Record the delivery of shipment %1").arg(s.id),
        isLegal(s, CommandType::Deliver)
            ? QString()
            : tr("Only a shipped shipment can be delivered; %1 is %2.").arg(s.id, status));
    explain(m_cancel, tr("Cancel shipment %1").arg(s.id),
        isLegal(s, CommandType::Cancel)
            ? QString()
            : tr("Only a submitted or assigned shipment can be cancelled; %1 is %2.")
                  .arg(s.id, status));
    explain(m_amend, tr("Correct the weight, account or addresses of shipment %1").arg(s.id),
        s.status == ShipmentStatus::Submitted || s.status == ShipmentStatus::Assigned
            ? QString()
            : tr("Only a submitted or assigned shipment can be amended; %1 is %2.")
                  .arg(s.id, status));
    explain(m_reschedule, tr("Change the pickup or delivery window of shipment %1").arg(s.id),
        isLegal(s, CommandType::Reschedule)
            ? QString()
            : tr("Only a shipment not yet delivered or cancelled can be rescheduled; %1 is %2.")
                  .arg(s.id, status));
    Q_EMIT reasonsChanged();
}

QStringList ShipmentActions::reasons() const
{
    QStringList lines;
    for (QAction *action : offered()) {
        if (!action->isEnabled() && !lines.contains(action->toolTip()))
            lines.append(action->toolTip());
    }
    return lines;
}

void ShipmentActions::openAssign()
{
    if (!m_shipment || !m_assign->isEnabled())
        return;
    const ShipmentState s = *m_shipment;
    CommandDialogSpec spec;
    spec.type = CommandType::Assign;
    spec.entityId = s.id;
    spec.title = s.assignedToTruck.isEmpty() ? tr("Assign a truck") : tr("Re-assign a truck");
    spec.explanation = s.assignedToTruck.isEmpty()
        ? tr("Shipment %1 goes from %2 to %3.").arg(s.id, s.shipFrom.city, s.shipTo.city)
        : tr("Shipment %1 is on truck %2. Choose the truck that takes it over (for example "
             "after a breakdown).")
              .arg(s.id, s.assignedToTruck);
    CommandField truck { QStringLiteral("truckId"), tr("&Truck:"), tr("e.g. T-101") };
    if (m_trucks)
        truck.suggestions = m_trucks->availableTrucks();
    truck.suggestions.removeAll(s.assignedToTruck);
    spec.fields = { truck };
    spec.submitText = tr("Assign");
    spec.expectedVersion = s.version;
    auto *dialog = new CommandDialog(m_session, spec, m_host);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CommandDialog::succeeded, this, &ShipmentActions::succeeded);
    dialog->open();
}

void ShipmentActions::openDeliver()
{
    if (!m_shipment || !m_deliver->isEnabled())
        return;
    CommandDialogSpec spec;
    spec.type = CommandType::Deliver;
    spec.entityId = m_shipment->id;
    spec.title = tr("Record a delivery");
    spec.explanation
        = tr("Shipment %1 was delivered to %2. Delivering it bills account %3.")
              .arg(m_shipment->id, m_shipment->shipTo.name, m_shipment->billToAccountId);
    spec.fields = { { QStringLiteral("signedBy"), tr("&Signed by:"),
        tr("Name of the person who signed (optional)") } };
    spec.submitText = tr("Deliver");
    spec.expectedVersion = m_shipment->version;
    auto *dialog = new CommandDialog(m_session, spec, m_host);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CommandDialog::succeeded, this, &ShipmentActions::succeeded);
    dialog->open();
}

void ShipmentActions::openCancel()
{
    if (!m_shipment || !m_cancel->isEnabled())
        return;
    CommandDialogSpec spec;
    spec.type = CommandType::Cancel;
    spec.entityId = m_shipment->id;
    spec.title = tr("Cancel a shipment");
    spec.explanation = tr("Cancelling shipment %1 cannot be undone.").arg(m_shipment->id);
    spec.fields
        = { { QStringLiteral("reason"), tr("&Reason:"), tr("e.g. The customer called it off") } };
    spec.submitText = tr("Cancel shipment");
    spec.expectedVersion = m_shipment->version;
    auto *dialog = new CommandDialog(m_session, spec, m_host);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CommandDialog::succeeded, this, &ShipmentActions::succeeded);
    dialog->open();
}

void ShipmentActions::openAmend()
{
    if (!m_shipment || !m_amend->isEnabled())
        return;
    auto *dialog = new AmendDialog(m_session, *m_shipment, m_host);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AmendDialog::succeeded, this, &ShipmentActions::succeeded);
    dialog->open();
}

void ShipmentActions::openReschedule()
{
    if (!m_shipment || !m_reschedule->isEnabled())
        return;
    auto *dialog = new RescheduleDialog(m_session, *m_shipment, m_host);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RescheduleDialog::succeeded, this, &ShipmentActions::succeeded);
    dialog->open();
}

void ShipmentActions::sendSimple(CommandType type)
{
    if (!m_shipment)
        return;
    m_session->commands()->sendAndTell({ type, m_shipment->id, {}, m_shipment->version }, this);
}

} // namespace waybill::app
