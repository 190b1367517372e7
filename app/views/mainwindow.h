// The main window: Shipments (board and detail), Dispatch, Accounts, Audit and the planboard as
// tabs, the
// notifications above them, and where Waybill is connected in the status bar.
#pragma once

#include <QMainWindow>
#include <QPointer>

class QAction;
class QActionGroup;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;

namespace waybill::app {

class AccountTableModel;
class AccountsView;
class AuditView;
class DispatchPanel;
class NewShipmentDialog;
class NotificationBar;
class PlanBoard;
class PlanBoardModel;
class ReportsView;
class Session;
class ShipmentBoard;
class ShipmentDetail;
class TruckTableModel;
class TrucksView;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    enum Tab { ShipmentsTab, DispatchTab, TrucksTab, AccountsTab, AuditTab, PlanboardTab };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shown while the server starts or the connection is made.
    void showStarting(const QString &message);
    // Starting failed: the reason, with Retry and Connect to server.
    void showStartFailed(const QString &message);
    // Builds the views for this session; where says what the session is connected to.
    void setSession(Session *session, const QString &where);
    void clearSession();

    // The views, once a session is set (for tests, screenshots and shortcuts).
    QTabWidget *tabs() const { return m_tabs; }
    ShipmentBoard *board() const { return m_board; }
    ShipmentDetail *detail() const { return m_detail; }
    DispatchPanel *dispatch() const { return m_dispatch; }
    TrucksView *trucks() const { return m_trucks; }
    AccountsView *accounts() const { return m_accounts; }
    AuditView *audit() const { return m_audit; }
    PlanBoard *planboard() const { return m_planboard; }
    NotificationBar *notifications() const { return m_notifications; }
    AccountTableModel *accountModel() const { return m_accountModel; }
    TruckTableModel *truckModel() const { return m_truckModel; }
    QAction *newShipmentAction() const { return m_newShipment; }
    QString startupText() const;
    // Opens the new-shipment form (what Ctrl+N does); null when the role may not submit.
    NewShipmentDialog *openNewShipment();
    // Opens (or raises) the Reports window (View › Reports…); null when the role may not.
    ReportsView *openReports();
    QAction *reportsAction() const { return m_reportsAction; }

Q_SIGNALS:
    void connectRequested();
    void moveDataRequested();
    void retryRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void buildStartupPage();
    void refreshAll();
    void notifySuccess(const QString &message);
    void notifyFailure(const QString &message);

    QStackedWidget *m_stack;
    QWidget *m_startup = nullptr;
    QLabel *m_startupText = nullptr;
    QProgressBar *m_startupBusy = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_connect = nullptr;
    QPointer<QWidget> m_workspace;
    NotificationBar *m_notifications = nullptr;
    QTabWidget *m_tabs = nullptr;
    ShipmentBoard *m_board = nullptr;
    ShipmentDetail *m_detail = nullptr;
    DispatchPanel *m_dispatch = nullptr;
    TrucksView *m_trucks = nullptr;
    AccountsView *m_accounts = nullptr;
    AuditView *m_audit = nullptr;
    PlanBoard *m_planboard = nullptr;
    AccountTableModel *m_accountModel = nullptr;
    TruckTableModel *m_truckModel = nullptr;
    PlanBoardModel *m_planModel = nullptr; // the planboard's and Dispatch's loads, read once
    QPointer<Session> m_session;
    QAction *m_newShipment = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_reportsAction = nullptr;
    QPointer<ReportsView> m_reports; // its own window, closed with the session
    QList<QAction *> m_tabActions;
    QLabel *m_whereLabel;
    QLabel *m_liveLabel;
    QProgressBar *m_busy;
};

} // namespace waybill::app
