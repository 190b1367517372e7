#include "mainwindow.h"

#include "accountsview.h"
#include "appicon.h"
#include "auditview.h"
#include "client/apiclient.h"
#include "client/commandsender.h"
#include "client/liveclient.h"
#include "dispatchpanel.h"
#include "language.h"
#include "models/accounttablemodel.h"
#include "models/planboardmodel.h"
#include "models/shipmenttablemodel.h"
#include "models/trucktablemodel.h"
#include "newshipmentdialog.h"
#include "notificationbar.h"
#include "planboard.h"
#include "reportsview.h"
#include "session/session.h"
#include "shipmentactions.h"
#include "shipmentboard.h"
#include "shipmentdetail.h"
#include "trucksview.h"
#include "viewsettings.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace waybill::app {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_stack(new QStackedWidget(this))
    , m_whereLabel(new QLabel(this))
    , m_liveLabel(new QLabel(this))
    , m_busy(new QProgressBar(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Waybill"));
    setWindowIcon(applicationIcon());
    setCentralWidget(m_stack);
    buildStartupPage();
    buildMenus();

    m_whereLabel->setObjectName(QStringLiteral("where"));
    m_liveLabel->setObjectName(QStringLiteral("live"));
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(80);
    m_busy->setMaximumHeight(12);
    m_busy->setVisible(false);
    m_busy->setAccessibleName(tr("Working"));
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_liveLabel);
    statusBar()->addPermanentWidget(m_whereLabel);

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildStartupPage()
{
    m_startup = new QWidget(m_stack);
    m_startupText = new QLabel(m_startup);
    m_startupText->setObjectName(QStringLiteral("startupText"));
    m_startupText->setWordWrap(true);
    m_startupText->setAlignment(Qt::AlignCenter);
    m_startupBusy = new QProgressBar(m_startup);
    m_startupBusy->setRange(0, 0);
    m_startupBusy->setMaximumWidth(300);
    m_retry = new QPushButton(tr("&Try again"), m_startup);
    m_retry->setObjectName(QStringLiteral("retry"));
    m_connect = new QPushButton(tr("&Connect to a server…"), m_startup);
    m_connect->setObjectName(QStringLiteral("connect"));
    connect(m_retry, &QPushButton::clicked, this, &MainWindow::retryRequested);
    connect(m_connect, &QPushButton::clicked, this, &MainWindow::connectRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_retry);
    buttons->addWidget(m_connect);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(m_startup);
    layout->addStretch(1);
    layout->addWidget(m_startupText);
    layout->addWidget(m_startupBusy, 0, Qt::AlignHCenter);
    layout->addLayout(buttons);
    layout->addStretch(2);
    m_stack->addWidget(m_startup);
    showStarting(tr("Starting Waybill…"));
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_newShipment = file->addAction(tr("&New shipment…"), this, [this] { openNewShipment(); });
    m_newShipment->setObjectName(QStringLiteral("newShipmentAction"));
    m_newShipment->setShortcut(QKeySequence::New);
    m_newShipment->setVisible(false);
    file->addSeparator();
    QAction *connectAction
        = file->addAction(tr("&Connect to server…"), this, &MainWindow::connectRequested);
    connectAction->setObjectName(QStringLiteral("connectAction"));
    QAction *moveData = file->addAction(
        tr("&Move this computer's data to a server…"), this, &MainWindow::moveDataRequested);
    moveData->setObjectName(QStringLiteral("moveDataAction"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_refresh = view->addAction(tr("&Refresh"), this, &MainWindow::refreshAll);
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setEnabled(false);
    view->addSeparator();
    const QStringList names { tr("&Shipments"), tr("&Dispatch"), tr("&Trucks"), tr("&Accounts"),
        tr("A&udit"), tr("&Planboard") };
    for (int i = 0; i < names.size(); ++i) {
        QAction *action = view->addAction(names.at(i), this, [this, i] {
            if (m_tabs)
                m_tabs->setCurrentIndex(i);
        });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        action->setEnabled(false);
        m_tabActions.append(action);
    }
    view->addSeparator();
    m_reportsAction = view->addAction(tr("R&eports…"), this, [this] { openReports(); });
    m_reportsAction->setObjectName(QStringLiteral("reportsAction"));
    m_reportsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    m_reportsAction->setVisible(false);

    QMenu *settings = menuBar()->addMenu(tr("&Settings"));
    QMenu *language = settings->addMenu(tr("&Language"));
    auto *languages = new QActionGroup(this);
    const QString configured = Language::configured();
    QAction *system = language->addAction(tr("As the system"));
    system->setData(QString());
    for (const QString &code : Language::available()) {
        QAction *action = language->addAction(Language::nativeName(code));
        action->setData(code);
    }
    for (QAction *action : language->actions()) {
        action->setCheckable(true);
        action->setChecked(action->data().toString() == configured);
        languages->addAction(action);
    }
    connect(languages, &QActionGroup::triggered, this, [this](QAction *action) {
        Language::setConfigured(action->data().toString());
        if (m_notifications)
            m_notifications->notify(NotificationBar::Kind::Info,
                tr("The language changes the next time Waybill starts."));
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Waybill"), this, [this] {
        QMessageBox::about(this, tr("About Waybill"),
            tr("<p><b>Waybill</b> %1</p><p>Shipments, dispatch and billing, with "
               "every change kept in an untouchable history.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

QString MainWindow::startupText() const
{
    return m_startupText->text();
}

void MainWindow::showStarting(const QString &message)
{
    m_startupText->setText(message);
    m_startupBusy->setVisible(true);
    m_retry->setVisible(false);
    m_connect->setVisible(false);
    m_stack->setCurrentWidget(m_startup);
}

void MainWindow::showStartFailed(const QString &message)
{
    clearSession();
    m_startupText->setText(message);
    m_startupBusy->setVisible(false);
    m_retry->setVisible(true);
    m_connect->setVisible(true);
    m_stack->setCurrentWidget(m_startup);
}

void MainWindow::clearSession()
{
    if (m_workspace) {
        m_stack->removeWidget(m_workspace);
        delete m_workspace;
    }
    m_notifications = nullptr;
    m_tabs = nullptr;
    m_board = nullptr;
    m_detail = nullptr;
    m_dispatch = nullptr;
    m_trucks = nullptr;
    m_accounts = nullptr;
    m_audit = nullptr;
    m_planboard = nullptr;
    m_accountModel = nullptr;
    m_truckModel = nullptr;
    m_planModel = nullptr;
    m_session = nullptr;
    m_newShipment->setVisible(false);
    m_reportsAction->setVisible(false);
    m_refresh->setEnabled(false);
    for (QAction *action : m_tabActions)
        action->setEnabled(false);
    setWindowTitle(tr("Waybill"));
    m_whereLabel->clear();
    m_liveLabel->clear();
    m_busy->setVisible(false);
}

void MainWindow::setSession(Session *session, const QString &where)
{
    clearSession();
    m_session = session;
    m_workspace = new QWidget(m_stack);
    m_workspace->setObjectName(QStringLiteral("workspace"));
    m_notifications = new NotificationBar(m_workspace);
    m_truckModel = new TruckTableModel(session->api(), m_workspace);
    m_truckModel->followLive(session->live());
    m_planModel = new PlanBoardModel(session->api(), m_truckModel, m_workspace);
    m_planModel->followLive(session->live());
    m_accountModel = new AccountTableModel(session->api(), m_workspace);
    m_accountModel->followLive(session->live());

    m_tabs = new QTabWidget(m_workspace);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->setDocumentMode(true);

    // Shipments: the board beside the selected shipment's detail.
    m_board = new ShipmentBoard(session, QStringLiteral("board"), m_workspace);
    m_detail = new ShipmentDetail(session, m_truckModel, m_workspace);
    auto *shipments = new QSplitter(Qt::Horizontal, m_workspace);
    shipments->setObjectName(QStringLiteral("shipmentsSplitter"));
    shipments->addWidget(m_board);
    shipments->addWidget(m_detail);
    shipments->setStretchFactor(0, 3);
    shipments->setStretchFactor(1, 2);
    shipments->setSizes({ 800, 480 });
    ViewSettings::keep(shipments, QStringLiteral("board/splitter"));
    connect(
        m_board, &ShipmentBoard::currentShipmentChanged, m_detail, &ShipmentDetail::showShipment);
    // The detail's actions answer their shortcuts from the board too, where the focus usually is.
    shipments->addActions(m_detail->actions()->offered());
    m_board->table()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(
        m_board->table(), &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
            const QList<QAction *> actions = m_detail->actions()->offered();
            if (actions.isEmpty())
                return;
            QMenu menu(this);
            menu.addActions(actions);
            menu.exec(m_board->table()->viewport()->mapToGlobal(pos));
        });
    m_tabs->addTab(shipments, tr("Shipments"));

    m_dispatch = new DispatchPanel(session, m_truckModel, m_planModel, m_workspace);
    m_tabs->addTab(m_dispatch, tr("Dispatch"));
    m_trucks = new TrucksView(session, m_truckModel, m_workspace);
    m_tabs->addTab(m_trucks, tr("Trucks"));
    m_accounts = new AccountsView(session, m_accountModel, m_workspace);
    m_tabs->addTab(m_accounts, tr("Accounts"));
    m_audit = new AuditView(session, m_workspace);
    m_tabs->addTab(m_audit, tr("Audit"));
    m_planboard = new PlanBoard(session, m_truckModel, m_planModel, m_workspace);
    m_tabs->addTab(m_planboard, tr("Planboard"));
    for (int i = 0; i < m_tabs->count(); ++i)
        m_tabs->setTabToolTip(i, tr("Ctrl+%1").arg(i + 1));
    m_tabs->setCurrentIndex(std::clamp(
        QSettings().value(QStringLiteral("window/tab")).toInt(), 0, m_tabs->count() - 1));
    connect(m_tabs, &QTabWidget::currentChanged, this,
        [](int index) { QSettings().setValue(QStringLiteral("window/tab"), index); });

    auto *layout = new QVBoxLayout(m_workspace);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_notifications);
    layout->addWidget(m_tabs, 1);
    m_stack->addWidget(m_workspace);
    m_stack->setCurrentWidget(m_workspace);

    auto relay = [this](auto *source) {
        using Source = std::remove_pointer_t<decltype(source)>;
        connect(source, &Source::succeeded, this, &MainWindow::notifySuccess);
        connect(source, &Source::failed, this, &MainWindow::notifyFailure);
    };
    relay(m_detail);
    relay(m_dispatch);
    relay(m_trucks);
    relay(m_accounts);
    relay(m_planboard);
    connect(m_audit, &AuditView::failed, this, &MainWindow::notifyFailure);
    connect(m_board->model(), &ShipmentTableModel::loadFailed, this, &MainWindow::notifyFailure);
    connect(m_truckModel, &TruckTableModel::loadFailed, this, &MainWindow::notifyFailure);
    connect(m_accountModel, &AccountTableModel::loadFailed, this, &MainWindow::notifyFailure);

    CommandSender *commands = session->commands();
    connect(commands, &CommandSender::rejectedAfterAcceptance, m_workspace,
        [this](const QString &commandId, const QString &command, const QString &reason) {
            const QString what = command.isEmpty() ? tr("A command (%1)").arg(commandId) : command;
            m_notifications->notify(
                NotificationBar::Kind::Error, tr("%1 was rejected: %2").arg(what, reason));
        });
    connect(commands, &CommandSender::pendingSucceeded, m_workspace,
        [this](const QString &, const QString &command) {
            if (!command.isEmpty())
                notifySuccess(tr("%1: done.").arg(command));
        });
    connect(session, &Session::notice, m_workspace, [this](const QString &message) {
        m_notifications->notify(NotificationBar::Kind::Warning, message);
    });
    connect(session->api(), &ApiClient::busyChanged, m_busy, &QWidget::setVisible);
    auto showLive = [this](bool connected) {
        m_liveLabel->setText(connected ? tr("Live") : tr("Offline: reconnecting…"));
        m_liveLabel->setToolTip(connected
                ? tr("Changes by others appear as they happen.")
                : tr("Changes by others appear once the connection is back."));
    };
    connect(session->live(), &LiveClient::connectedChanged, m_workspace, showLive);
    showLive(session->live()->isConnected());

    setWindowTitle(tr("Waybill: %1").arg(where));
    const Identity &who = session->identity();
    m_whereLabel->setText(who.role().isEmpty()
            ? tr("%1, as %2").arg(where, who.name())
            : tr("%1, as %2 (%3)").arg(where, who.name(), Identity::roleDisplayName(who.role())));
    m_newShipment->setVisible(who.may(Capability::Submit));
    m_reportsAction->setVisible(who.may(Capability::ViewReports));
    m_refresh->setEnabled(true);
    for (QAction *action : m_tabActions)
        action->setEnabled(true);
    m_truckModel->reload();
    m_accountModel->reload();
}

NewShipmentDialog *MainWindow::openNewShipment()
{
    if (!m_session || !m_session->identity().may(Capability::Submit))
        return nullptr;
    QStringList accounts;
    for (int row = 0; row < m_accountModel->rowCount(); ++row)
        accounts.append(m_accountModel->index(row, 0).data(AccountTableModel::IdRole).toString());
    auto *dialog = new NewShipmentDialog(m_session, accounts, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewShipmentDialog::submitted, this,
        [this](const QString &id, const QString &message) {
            notifySuccess(message);
            m_tabs->setCurrentIndex(ShipmentsTab);
            m_board->selectShipment(id);
            m_detail->showShipment(id);
        });
    dialog->open();
    return dialog;
}

ReportsView *MainWindow::openReports()
{
    if (!m_session || !m_session->identity().may(Capability::ViewReports))
        return nullptr;
    if (!m_reports) {
        // A window of its own beside the tabs, owned by the workspace: it goes with the session.
        m_reports = new ReportsView(m_session, m_workspace);
        m_reports->setWindowFlag(Qt::Window);
        // Closing the main window ends Waybill even while the reports are open.
        m_reports->setAttribute(Qt::WA_QuitOnClose, false);
        m_reports->refresh();
    }
    m_reports->show();
    m_reports->raise();
    m_reports->activateWindow();
    return m_reports;
}

void MainWindow::refreshAll()
{
    if (!m_session)
        return;
    m_board->refresh();
    m_dispatch->board()->refresh();
    m_planboard->refresh();
    m_truckModel->reload();
    m_accountModel->reload();
    if (m_reports)
        m_reports->refresh();
}

void MainWindow::notifySuccess(const QString &message)
{
    if (m_notifications)
        m_notifications->notify(NotificationBar::Kind::Success, message);
}

void MainWindow::notifyFailure(const QString &message)
{
    if (m_notifications)
        m_notifications->notify(NotificationBar::Kind::Error, message);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (m_reports)
        m_reports->close();
    QMainWindow::closeEvent(event);
}

} // namespace waybill::app
