// Dispatch's desk: the trucks (available, occupied or out of service, each with its loads in order,
// their status and windows, and the capacity they use) beside the shipments to move, with the
// actions assign, re-assign, ship and deliver, each enabled only where it is legal.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace waybill::app {

class PlanBoardModel;
class Session;
class ShipmentActions;
class ShipmentBoard;
class TruckFilterModel;
class TruckLoadsModel;
class TruckTableModel;

class DispatchPanel final : public QWidget
{
    Q_OBJECT
public:
    // loads: where the trucks' loads are read (the planboard's), read when the panel is first
    // shown.
    DispatchPanel(Session *session, TruckTableModel *trucks, PlanBoardModel *loads,
        QWidget *parent = nullptr);

    ShipmentBoard *board() const { return m_board; }
    ShipmentActions *actions() const { return m_actions; }
    QTableView *truckView() const { return m_truckView; }
    TruckFilterModel *truckFilter() const { return m_truckFilter; }
    TruckLoadsModel *truckLoads() const { return m_truckLoads; }
    // Why the actions that are off are off, as shown under them.
    QString hintText() const;

Q_SIGNALS:
    void succeeded(const QString &message);
    void failed(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateActions();

    Session *m_session;
    TruckTableModel *m_trucks;
    PlanBoardModel *m_loads;
    TruckLoadsModel *m_truckLoads;
    TruckFilterModel *m_truckFilter;
    QTableView *m_truckView;
    QComboBox *m_truckShow;
    QLineEdit *m_truckSearch;
    ShipmentBoard *m_board;
    ShipmentActions *m_actions;
    QLabel *m_hint;
};

} // namespace waybill::app
