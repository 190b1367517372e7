#include "screenshotrenderer.h"

#include "client/apiclient.h"
#include "demodata.h"
#include "embedded/embeddedserver.h"
#include "models/accounttablemodel.h"
#include "models/eventlogmodel.h"
#include "models/planboardmodel.h"
#include "models/shipmenttablemodel.h"
#include "models/statementmodel.h"
#include "models/timelinemodel.h"
#include "models/trucktablemodel.h"
#include "planboardshots.h"
#include "reportshots.h"
#include "session/session.h"
#include "views/accounteditor.h"
#include "views/accountsview.h"
#include "views/addressform.h"
#include "views/amenddialog.h"
#include "views/auditview.h"
#include "views/commanddialog.h"
#include "views/dispatchpanel.h"
#include "views/mainwindow.h"
#include "views/movedatadialog.h"
#include "views/newshipmentdialog.h"
#include "views/planboard.h"
#include "views/shipmentactions.h"
#include "views/shipmentboard.h"
#include "views/shipmentdetail.h"
#include "views/trucksview.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDir>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>

#include <cstdio>

namespace waybill::app {

namespace {
void say(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stderr);
}
} // namespace

ScreenshotRenderer::ScreenshotRenderer(QString outputDir)
    : m_outputDir(std::move(outputDir))
{ }

bool ScreenshotRenderer::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    }
    QCoreApplication::processEvents();
    return true;
}

bool ScreenshotRenderer::save(QWidget *widget, const QString &name)
{
    QCoreApplication::processEvents();
    const QString path = QDir(m_outputDir).filePath(name);
    if (!widget->grab().save(path, "PNG")) {
        say(tr("Could not write %1").arg(path));
        return false;
    }
    m_written.append(path);
    return true;
}

int ScreenshotRenderer::run()
{
    if (!QDir().mkpath(m_outputDir)) {
        say(tr("Could not create %1").arg(m_outputDir));
        return 1;
    }
    QTemporaryDir scratch;
    // The pictures must not depend on this user's remembered filters and columns.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(
        QSettings::IniFormat, QSettings::UserScope, scratch.filePath(QStringLiteral("settings")));

    EmbeddedServer server({ scratch.filePath(QStringLiteral("demo.db")),
        scratch.filePath(QStringLiteral("token.json")), QStringLiteral("maria"), {} });
    QString failure;
    bool ready = false;
    QObject::connect(&server, &EmbeddedServer::ready, [&ready] { ready = true; });
    QObject::connect(
        &server, &EmbeddedServer::failed, [&failure](const QString &m) { failure = m; });
    server.start();
    if (!waitUntil([&] { return ready || !failure.isEmpty(); }) || !failure.isEmpty()) {
        say(tr("The demo server did not start: %1").arg(failure));
        return 1;
    }

    Session session(server.url(), server.token());
    session.setFallbackIdentity(
        Identity::withRole(QStringLiteral("maria"), QStringLiteral("admin")));
    bool sessionReady = false;
    QObject::connect(&session, &Session::ready, [&sessionReady] { sessionReady = true; });
    QObject::connect(&session, &Session::failed, [&failure](const QString &m) { failure = m; });
    session.start();
    if (!waitUntil([&] { return sessionReady || !failure.isEmpty(); }) || !failure.isEmpty()) {
        say(tr("Could not connect to the demo server: %1").arg(failure));
        return 1;
    }

    DemoData demo(&session);
    bool seeded = false;
    demo.seed([&](const QString &error) {
        failure = error;
        seeded = true;
    });
    if (!waitUntil([&] { return seeded; }, 60000) || !failure.isEmpty()) {
        say(tr("The demo data could not be made: %1").arg(failure));
        return 1;
    }

    MainWindow window;
    window.setSession(&session, tr("This computer"));
    window.resize(1280, 800);
    window.show();
    // Every delivery has been invoiced (the invoicer runs after the delivery).
    AccountTableModel *accounts = window.accountModel();
    auto invoices = [accounts] {
        int count = 0;
        for (int row = 0; row < accounts->rowCount(); ++row)
            count += accounts->index(row, AccountTableModel::InvoiceCountColumn).data().toInt();
        return count;
    };
    waitUntil([&] {
        if (invoices() >= DemoData::deliveries())
            return true;
        if (!accounts->isLoading())
            accounts->reload();
        return false;
    });

    // Shipments: a shipment whose truck broke down, with its history.
    window.tabs()->setCurrentIndex(MainWindow::ShipmentsTab);
    ShipmentBoard *board = window.board();
    waitUntil([board] { return board->model()->rowCount() > 0 && !board->model()->isLoading(); });
    board->selectShipment(QStringLiteral("S-1006"));
    ShipmentDetail *detail = window.detail();
    waitUntil([detail] { return detail->shownState() && detail->timeline()->rowCount() >= 5; });
    save(&window, QStringLiteral("shipments.png"));
    detail->timelineView()->selectRow(1);
    waitUntil([detail] { return detail->shownState() && detail->shownState()->version == 2; });
    save(&window, QStringLiteral("shipment-history.png"));
    detail->backToNow();

    // Dispatch: shipments waiting for a truck, and why an action is off.
    window.tabs()->setCurrentIndex(MainWindow::DispatchTab);
    DispatchPanel *dispatch = window.dispatch();
    dispatch->board()->statusFilter()->setCurrentIndex(
        dispatch->board()->statusFilter()->findData(QStringLiteral("Assigned")));
    TruckTableModel *trucks = window.truckModel();
    PlanBoardModel *loads = window.planboard()->model();
    waitUntil([dispatch, trucks, loads] {
        return dispatch->board()->model()->rowCount() > 0
            && !dispatch->board()->model()->isLoading() && trucks->hasLoaded() && loads->hasLoaded()
            && !loads->isLoading();
    });
    dispatch->board()->table()->selectRow(0);
    save(&window, QStringLiteral("dispatch.png"));

    // Accounts: a statement of invoices and payments.
    window.tabs()->setCurrentIndex(MainWindow::AccountsTab);
    AccountsView *accountsView = window.accounts();
    accountsView->selectAccount(QStringLiteral("ACME-FOODS"));
    waitUntil([accountsView] { return accountsView->statement()->rowCount() > 0; });
    save(&window, QStringLiteral("accounts.png"));

    // Accounts: an account's record in the editor, its exposure against the limit.
    accountsView->selectAccount(QStringLiteral("CACTUS-TOOLS"));
    waitUntil([accountsView] { return accountsView->editAction()->isEnabled(); });
    accountsView->editAction()->trigger();
    if (auto *editor = accountsView->findChild<AccountEditor *>()) {
        editor->adjustSize();
        save(editor, QStringLiteral("account-editor.png"));
        // Someone else changes the account while the form is open: the answer says so.
        bool changed = false;
        session.commands()->send(
            { CommandType::Hold, QStringLiteral("CACTUS-TOOLS"),
                { { QStringLiteral("reason"), QStringLiteral("Cheque returned unpaid") } } },
            editor, [&changed](const CommandResult &) { changed = true; });
        waitUntil([&changed] { return changed; });
        editor->termsField()->setValue(60);
        editor->submit();
        waitUntil([editor] { return editor->errorText().contains(QLatin1Char('\n')); });
        editor->adjustSize();
        save(editor, QStringLiteral("changed-first.png"));
        editor->close();
    }

    waitUntil([accounts] {
        const AccountRow *cactus = accounts->account(QStringLiteral("CACTUS-TOOLS"));
        return cactus && cactus->state.onHold;
    });

    // Corrections from the statement: reverse a payment, a credit memo.
    accountsView->selectAccount(QStringLiteral("DELTA-PAPER"));
    waitUntil([accountsView] {
        return accountsView->statement()->account() == QLatin1String("DELTA-PAPER")
            && accountsView->statement()->rowCount() > 0;
    });
    QTableView *statementView = accountsView->statementView();
    for (int row = statementView->model()->rowCount() - 1; row >= 0; --row) {
        if (statementView->model()->index(row, 0).data(StatementModel::ReversibleRole).toBool()) {
            statementView->selectRow(row);
            break;
        }
    }
    save(&window, QStringLiteral("accounts-statement.png"));
    accountsView->reverseAction()->trigger();
    if (auto *dialog = accountsView->findChild<CommandDialog *>()) {
        dialog->field()->setText(tr("Keyed as $900 instead of $90"));
        dialog->adjustSize();
        save(dialog, QStringLiteral("reverse-payment.png"));
        dialog->close();
        delete dialog;
    }
    accountsView->creditAction()->trigger();
    if (auto *dialog = accountsView->findChild<CommandDialog *>()) {
        dialog->field(QStringLiteral("amount"))->setText(QStringLiteral("45"));
        dialog->field(QStringLiteral("reason"))->setText(tr("Damaged on delivery"));
        dialog->field(QStringLiteral("shipmentId"))->setText(QStringLiteral("S-1004"));
        dialog->adjustSize();
        save(dialog, QStringLiteral("credit-memo.png"));
        dialog->close();
        delete dialog;
    }

    // Trucks: capacity and load, and the loads of a broken-down truck that need a truck.
    window.tabs()->setCurrentIndex(MainWindow::TrucksTab);
    TrucksView *fleet = window.trucks();
    trucks->reload();
    waitUntil([fleet] { return !fleet->strandedText().isEmpty(); });
    fleet->selectTruck(QStringLiteral("T-106"));
    save(&window, QStringLiteral("trucks.png"));
    fleet->selectTruck(QStringLiteral("T-105"));
    waitUntil([fleet] { return fleet->outOfServiceAction()->isEnabled(); });
    fleet->outOfServiceAction()->trigger();
    if (auto *dialog = fleet->findChild<CommandDialog *>()) {
        dialog->field()->setText(tr("Flat tyre"));
        dialog->adjustSize();
        save(dialog, QStringLiteral("out-of-service.png"));
        dialog->close();
        delete dialog;
    }

    // Amend a shipment, with the price it will have.
    window.tabs()->setCurrentIndex(MainWindow::ShipmentsTab);
    board->selectShipment(QStringLiteral("S-1030"));
    waitUntil([detail] {
        return detail->shownState() && detail->shownState()->id == QLatin1String("S-1030")
            && detail->actions()->amendAction()->isEnabled();
    });
    detail->actions()->amendAction()->trigger();
    if (auto *amend = detail->findChild<AmendDialog *>()) {
        amend->weightField()->setText(QLocale().toString(1400));
        amend->reasonField()->setText(tr("Two more pallets"));
        waitUntil([amend] { return amend->previewText().contains(QLatin1Char('(')); });
        amend->adjustSize();
        save(amend, QStringLiteral("amend.png"));
        amend->close();
        delete amend;
    }

    // Audit: the log and a verified chain.
    window.tabs()->setCurrentIndex(MainWindow::AuditTab);
    AuditView *audit = window.audit();
    audit->verify();
    waitUntil([audit] { return audit->log()->rowCount() > 0 && !audit->resultText().isEmpty(); });
    save(&window, QStringLiteral("audit.png"));

    // The new-shipment form, quoting, with one field still wrong.
    window.tabs()->setCurrentIndex(MainWindow::ShipmentsTab);
    NewShipmentDialog *form = window.openNewShipment();
    form->idField()->setText(QStringLiteral("S-1037"));
    form->accountField()->setCurrentText(QStringLiteral("ACME-FOODS"));
    form->weightField()->setText(QStringLiteral("1250"));
    const QStringList from { QStringLiteral("Lone Star Grocers"),
        QStringLiteral("201 Congress Ave"), QString(), QStringLiteral("Austin"),
        QStringLiteral("TX"), QStringLiteral("78701") };
    const QStringList to { QStringLiteral("Bayou Bottling"), QStringLiteral("909 Travis St"),
        QString(), QStringLiteral("Houston"), QStringLiteral("TX"), QStringLiteral("7700") };
    for (int i = 0; i < AddressForm::keys().size(); ++i) {
        form->shipFrom()->field(AddressForm::keys().at(i))->setText(from.at(i));
        form->shipTo()->field(AddressForm::keys().at(i))->setText(to.at(i));
    }
    form->submit(); // shows the problem with the ZIP code; nothing is sent
    waitUntil([form] { return form->quoteText().contains(QLatin1Char('$')); });
    form->adjustSize();
    save(form, QStringLiteral("new-shipment.png"));
    form->close();

    // File > Move this computer's data to a server…, filled in, before the move.
    {
        MoveDataDialog move(scratch.filePath(QStringLiteral("demo.db")), &window);
        move.addressField()->setText(
            QStringLiteral("postgresql://waybill@dispatch-server.example:5432/waybill"));
        move.addressField()->setCursorPosition(0);
        move.passwordField()->setText(QStringLiteral("secret"));
        move.show();
        move.adjustSize();
        save(&move, QStringLiteral("move-data.png"));
        move.close();
    }

    const int planboard = PlanboardShots::render(
        window, session,
        [this](QWidget *widget, const QString &name) { return save(widget, name); },
        [](const std::function<bool()> &done, int timeoutMs) {
            return waitUntil(done, timeoutMs);
        });

    const int reports = ReportShots::render(
        window, [this](QWidget *widget, const QString &name) { return save(widget, name); },
        [](const std::function<bool()> &done, int timeoutMs) {
            return waitUntil(done, timeoutMs);
        });

    window.close();
    server.stop();
    for (const QString &path : std::as_const(m_written))
        std::fputs(qPrintable(path + QLatin1Char('\n')), stdout);
    return m_written.size() == 15 + PlanboardShots::names().size() + ReportShots::names().size()
            && planboard == PlanboardShots::names().size() && reports == ReportShots::names().size()
        ? 0
        : 1;
}

} // namespace waybill::app
