// Dispatch's fleet: every truck with its record, load against capacity and the shipments on it;
// register a truck, take one out of service (with the reason) and back. Loads left on a truck
// out of service stand out: they need another truck.
#pragma once

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace waybill::app {

class Session;
class TruckFilterModel;
class TruckTableModel;
struct TruckRow;

class TrucksView final : public QWidget
{
    Q_OBJECT
public:
    TrucksView(Session *session, TruckTableModel *trucks, QWidget *parent = nullptr);

    QTableView *truckView() const { return m_view; }
    TruckFilterModel *filter() const { return m_filter; }
    // Absent (nullptr) for roles that may not keep truck records.
    QAction *registerAction() const { return m_register; }
    QAction *outOfServiceAction() const { return m_outOfService; }
    QAction *returnAction() const { return m_return; }
    QString currentTruckId() const;
    void selectTruck(const QString &id);
    // The warning about loads that need a truck; empty when there are none.
    QString strandedText() const;
    QString detailText() const;

Q_SIGNALS:
    void succeeded(const QString &message);
    void failed(const QString &message);

private:
    const TruckRow *currentTruck() const;
    void updateActions();
    void updateStranded();
    void openRegister();
    void openOutOfService();
    void sendReturn();

    Session *m_session;
    TruckTableModel *m_trucks;
    TruckFilterModel *m_filter;
    QComboBox *m_show;
    QLineEdit *m_search;
    QTableView *m_view;
    QLabel *m_stranded;
    QLabel *m_detail;
    QAction *m_register = nullptr;
    QAction *m_outOfService = nullptr;
    QAction *m_return = nullptr;
    QString m_wanted;
};

} // namespace waybill::app
