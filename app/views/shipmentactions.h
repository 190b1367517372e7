// The actions on one shipment (assign, ship, deliver, cancel, amend, reschedule): offered only to
// roles that may take them, enabled only where the shipment's rules allow them, and saying why not.
#pragma once

#include "domain/command.h"
#include "domain/shipment.h"
#include "session/identity.h"

#include <QObject>

#include <optional>

class QAction;
class QWidget;

namespace waybill::app {

class Session;
class TruckTableModel;

class ShipmentActions final : public QObject
{
    Q_OBJECT
public:
    // The actions get shortcuts active while focus is inside host; dialogs open over host.
    ShipmentActions(Session *session, QWidget *host, QObject *parent = nullptr);

    QAction *assignAction() const { return m_assign; }
    QAction *shipAction() const { return m_ship; }
    QAction *deliverAction() const { return m_deliver; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *amendAction() const { return m_amend; }
    QAction *rescheduleAction() const { return m_reschedule; }
    // The actions this role may take, in menu order (the others are not offered at all).
    QList<QAction *> offered() const;

    // The shipment the actions apply to, as it is now; nothing selected or still loading: none.
    void setShipment(const std::optional<ShipmentState> &shipment);
    // Everything disabled, with this reason (e.g. while looking at the past).
    void setUnavailable(const QString &reason);
    // Trucks suggested when assigning (available first).
    void setTrucks(TruckTableModel *trucks) { m_trucks = trucks; }
    // Why each disabled action is disabled, one line each; empty when all are enabled.
    QStringList reasons() const;

Q_SIGNALS:
    // For the notification bar: what happened to a command sent from here.
    void succeeded(const QString &message);
    void failed(const QString &message);
    void reasonsChanged();

private:
    QAction *makeAction(Capability capability, const QString &text, const QKeySequence &shortcut);
    void update();
    void explain(QAction *action, const QString &enabledTip, const QString &reason);
    void openAssign();
    void openDeliver();
    void openCancel();
    void openAmend();
    void openReschedule();
    void sendSimple(CommandType type);

    Session *m_session;
    QWidget *m_host;
    TruckTableModel *m_trucks = nullptr;
    std::optional<ShipmentState> m_shipment;
    QString m_unavailable;
    QAction *m_assign;
    QAction *m_ship;
    QAction *m_deliver;
    QAction *m_cancel;
    QAction *m_amend;
    QAction *m_reschedule;
};

} // namespace waybill::app
