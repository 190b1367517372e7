// The shipments board: filters (status, late or due today, truck, account), a search by id and
// address, sortable columns and the status as a coloured badge. Used by the Shipments tab and by
// Dispatch.
#pragma once

#include "domain/shipment.h"

#include <QTimer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace waybill::app {

class Session;
class ShipmentFilterModel;
class ShipmentTableModel;

class ShipmentBoard final : public QWidget
{
    Q_OBJECT
public:
    // settingsKey: where its filters and columns are remembered ("board", "dispatch", ...).
    // defaultStatus applies until the user picks one.
    ShipmentBoard(Session *session, const QString &settingsKey, QWidget *parent = nullptr,
        const QString &defaultStatus = {});

    ShipmentTableModel *model() const { return m_model; }
    ShipmentFilterModel *filterModel() const { return m_filter; }
    QTableView *table() const { return m_table; }
    QLineEdit *searchField() const { return m_search; }
    QComboBox *statusFilter() const { return m_status; }
    // Any time, late now, or due today (a pickup or delivery window today).
    QComboBox *timingFilter() const { return m_timing; }
    // What the board says when there is nothing at all yet: how to begin. Empty when hidden.
    QString emptyText() const;
    QLineEdit *truckFilter() const { return m_truck; }
    QLineEdit *accountFilter() const { return m_account; }

    QString currentShipmentId() const;
    std::optional<ShipmentState> currentShipment() const;
    // Selects the shipment if it is on the board (it may arrive a moment later).
    void selectShipment(const QString &id);
    void setTruckFilter(const QString &truckId);
    void refresh();

Q_SIGNALS:
    // The user (or a reload keeping the choice) selected another shipment.
    void currentShipmentChanged(const QString &id);
    // The selected row was read again or vanished (its state may have changed).
    void currentShipmentUpdated();

private:
    void applyFilters();
    void saveFilters() const;
    void reselect();
    void updateCount();

    Session *m_session;
    QString m_settingsKey;
    ShipmentTableModel *m_model;
    ShipmentFilterModel *m_filter;
    QTableView *m_table;
    QComboBox *m_status;
    QComboBox *m_timing;
    QLineEdit *m_truck;
    QLineEdit *m_account;
    QLineEdit *m_search;
    QLabel *m_count;
    QLabel *m_empty;
    QTimer m_typingPause;
    QString m_wanted; // the shipment to keep selected across reloads
};

} // namespace waybill::app
