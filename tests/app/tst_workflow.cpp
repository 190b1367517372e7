// The desktop app driven as a clerk drives it: real widgets (offscreen), the real embedded
// server, HTTP on loopback. From the new-shipment form to the invoice on the account.
#include "appcontroller.h"
#include "apptestsupport.h"
#include "client/apiclient.h"
#include "client/liveclient.h"
#include "engine/engine.h"
#include "language.h"
#include "models/accounttablemodel.h"
#include "models/shipmenttablemodel.h"
#include "models/statementmodel.h"
#include "models/timelinemodel.h"
#include "session/remoteconnection.h"
#include "views/accountsview.h"
#include "views/addressform.h"
#include "views/auditview.h"
#include "views/commanddialog.h"
#include "views/connectiondialog.h"
#include "views/dispatchpanel.h"
#include "views/mainwindow.h"
#include "views/newshipmentdialog.h"
#include "views/notificationbar.h"
#include "views/shipmentactions.h"
#include "views/shipmentboard.h"
#include "views/shipmentdetail.h"
#include "views/timerangeedit.h"
#include "views/trucksview.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimeZone>
#include <QToolButton>

using namespace waybill;
using namespace waybill::app;

namespace {
// Types into a field and leaves it, as a clerk does. (Leaving is sent as the focus-out event
// itself: which window the offscreen platform holds active is not this test's business.)
void type(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
    QFocusEvent leave(QEvent::FocusOut, Qt::TabFocusReason);
    QApplication::sendEvent(edit, &leave);
}

void fillAddress(AddressForm *form, const QStringList &values)
{
    for (int i = 0; i < AddressForm::keys().size(); ++i) {
        if (!values.at(i).isEmpty())
            type(form->field(AddressForm::keys().at(i)), values.at(i));
    }
}

// Presses the panel's button for an action, types the answer into the dialog it opens and sends
// it. Empty once the dialog has closed (the command was taken); else what went wrong.
QString answerCommandDialog(QWidget *panel, const QString &buttonName, const QString &answer)
{
    QTest::mouseClick(panel->findChild<QToolButton *>(buttonName), Qt::LeftButton);
    QPointer<CommandDialog> dialog = panel->findChild<CommandDialog *>();
    if (!dialog)
        return buttonName + QStringLiteral(" opened no dialog");
    type(dialog->field(), answer);
    dialog->submit();
    if (!QTest::qWaitFor([&dialog] { return dialog.isNull(); }, 15000))
        return buttonName + QStringLiteral(": the dialog stayed open: ") + dialog->errorText();
    return {};
}

QString joined(const QStringList &lines)
{
    return lines.join(QLatin1String(" | "));
}

// The UTC second after the present one, once the clock has reached it (invalid if it did not):
// what was recorded before the call is before it, what is recorded after the call is not.
QDateTime nextWholeSecondReached()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QTime t = now.time();
    const QDateTime next
        = QDateTime(now.date(), QTime(t.hour(), t.minute(), t.second()), QTimeZone::utc())
              .addSecs(1);
    if (!QTest::qWaitFor([&next] { return QDateTime::currentDateTimeUtc() >= next; }, 5000))
        return {};
    return next;
}

// The first three cells (position, timestamp, stream) of each record of an exported file; they
// are ids and times, never quoted.
QVector<QStringList> exportedRecords(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return {};
    }
    QVector<QStringList> records;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) { // after the header
        if (lines.at(i).trimmed().isEmpty())
            continue;
        records.append(QString::fromUtf8(lines.at(i)).split(QLatin1Char(',')).mid(0, 3));
    }
    return records;
}

bool anyContains(const QStringList &lines, const QString &part)
{
    for (const QString &line : lines) {
        if (line.contains(part))
            return true;
    }
    return false;
}
} // namespace

class TestWorkflow final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();
    void noArgumentsStartsTheEmbeddedServerWithoutBlockingTheWindow();
    void shipmentGoesFromTheFormToAnInvoiceOnItsAccount();
    void formShowsEachProblemBesideItsFieldAndSendsNothing();
    void actionsAreEnabledOnlyWhereLegalAndSayWhy_data();
    void actionsAreEnabledOnlyWhereLegalAndSayWhy();
    void commandRejectedAfterAcceptanceRaisesANotification();
    void rolesAreOfferedOnlyWhatTheyMayDo_data();
    void rolesAreOfferedOnlyWhatTheyMayDo();
    void spanishLabelsUnderTheSpanishLocale();
    void pastStateIsShownForAPickedEvent();
    void auditExportShowsProgressAndCancelLeavesNoFile();
    void auditExportWritesOnlyTheEventsFromFromUntilTo();
    void auditExportRangeEndingBeforeItStartsIsRefusedInline();
    void auditVerifySaysTheHistoryIsIntact();
    void keyboardShortcutsReachTheFrequentActions();
    void layoutAndFiltersAreRemembered();
    void connectionDialogSwitchesToARemoteServerAndIsRemembered();

private:
    // Opens the app on the test server with this token and waits until the views are built.
    std::unique_ptr<AppController> openApp(const QString &token);
    // The same as the administrator, showing the audit tab.
    std::unique_ptr<AppController> openAppOnAuditTab();
    AppPaths m_paths;
    QTemporaryDir m_settings;
    QTemporaryDir m_home;
    std::unique_ptr<test::TestServer> m_server;
    std::unique_ptr<ApiClient> m_api;
};

void TestWorkflow::initTestCase()
{
    test::isolateSettings(m_settings.path());
    m_paths = test::appPathsIn(m_home);
    m_server = std::make_unique<test::TestServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_api = std::make_unique<ApiClient>(m_server->url(), m_server->adminToken());
}

void TestWorkflow::init()
{
    QSettings().clear();
    Language::install(QStringLiteral("en"));
}

void TestWorkflow::cleanup()
{
    Language::install(QStringLiteral("en"));
}

void TestWorkflow::cleanupTestCase()
{
    m_api.reset();
    m_server.reset();
}

std::unique_ptr<AppController> TestWorkflow::openApp(const QString &token)
{
    return test::openApp(m_server->url(), token, m_paths);
}

std::unique_ptr<AppController> TestWorkflow::openAppOnAuditTab()
{
    auto app = openApp(m_server->adminToken());
    if (app)
        app->window()->tabs()->setCurrentIndex(MainWindow::AuditTab);
    return app;
}

void TestWorkflow::noArgumentsStartsTheEmbeddedServerWithoutBlockingTheWindow()
{
    QTemporaryDir home;
    const AppPaths paths = test::appPathsIn(home);
    AppController app(CommandLineOptions {}, paths);
    QSignalSpy ready(&app, &AppController::sessionReady);
    app.start();
    // The window is up at once and says what it is doing while the server starts.
    QVERIFY(app.window()->isVisible());
    QVERIFY2(app.window()->windowTitle().contains(QLatin1String("Waybill")),
        qPrintable(app.window()->windowTitle()));
    QVERIFY2(!app.window()->startupText().isEmpty(), "the window says what it is waiting for");
    QVERIFY(ready.wait(30000));
    QVERIFY(app.embeddedServer() && app.embeddedServer()->isRunning());
    QCOMPARE(
        QHostAddress(app.embeddedServer()->url().host()), QHostAddress(QHostAddress::LocalHost));
    QVERIFY2(QFile::exists(paths.databaseFile()), qPrintable(paths.databaseFile()));
    QVERIFY2(QFile::exists(paths.embeddedTokenFile()), qPrintable(paths.embeddedTokenFile()));
    QVERIFY2(
        !(QFile::permissions(paths.embeddedTokenFile()) & (QFile::ReadGroup | QFile::ReadOther)),
        "the administrator token is readable by the user only");
    // The app talks to its own server over HTTP like to any other: the board fills.
    QTRY_VERIFY_WITH_TIMEOUT(!app.window()->board()->model()->isLoading(), 10000);
    QVERIFY(app.window()->newShipmentAction()->isVisible());
}

void TestWorkflow::shipmentGoesFromTheFormToAnInvoiceOnItsAccount()
{
    auto app = openApp(m_server->adminToken());
    QVERIFY(app);
    MainWindow *window = app->window();

    // Customer Service: the form.
    QPointer<NewShipmentDialog> form = window->openNewShipment();
    QVERIFY(form);
    type(form->idField(), QStringLiteral("WF-1"));
    type(form->accountField()->lineEdit(), QStringLiteral("WF-ACCT"));
    type(form->weightField(), QStringLiteral("125.5"));
    fillAddress(form->shipFrom(),
        { QStringLiteral("Lone Star Grocers"), QStringLiteral("201 Congress Ave"), QString(),
            QStringLiteral("Austin"), QStringLiteral("TX"), QStringLiteral("78701") });
    fillAddress(form->shipTo(),
        { QStringLiteral("Bayou Bottling"), QStringLiteral("909 Travis St"), QString(),
            QStringLiteral("Houston"), QStringLiteral("TX"), QStringLiteral("77002") });
    QTRY_VERIFY2_WITH_TIMEOUT(
        form->quoteText().contains(QLatin1String("$35.14")), qPrintable(form->quoteText()), 10000);
    QTest::mouseClick(
        form->findChild<QPushButton *>(QStringLiteral("submitButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(form.isNull(), 15000);
    QTRY_VERIFY2_WITH_TIMEOUT(anyContains(window->notifications()->messages(),
                                  QStringLiteral("Shipment WF-1 submitted; cost $35.14")),
        qPrintable(joined(window->notifications()->messages())), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        window->detail()->fieldText(QStringLiteral("status")), QStringLiteral("Submitted"), 10000);

    // Dispatch: assign, ship, deliver, each offered once it is legal.
    window->tabs()->setCurrentIndex(MainWindow::DispatchTab);
    DispatchPanel *dispatch = window->dispatch();
    dispatch->board()->statusFilter()->setCurrentIndex(0); // all statuses
    QTRY_VERIFY_WITH_TIMEOUT(dispatch->board()->model()->rowOf(QStringLiteral("WF-1")) >= 0, 10000);
    dispatch->board()->selectShipment(QStringLiteral("WF-1"));
    ShipmentActions *actions = dispatch->actions();
    QTRY_VERIFY_WITH_TIMEOUT(actions->assignAction()->isEnabled(), 10000);
    QVERIFY(!actions->shipAction()->isEnabled());

    QString error = answerCommandDialog(
        dispatch, QStringLiteral("assignActionButton"), QStringLiteral("T-77"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(actions->shipAction()->isEnabled(), 10000);
    QCOMPARE(actions->assignAction()->text(), QStringLiteral("Re-&assign truck…"));

    QTest::mouseClick(
        dispatch->findChild<QToolButton *>(QStringLiteral("shipActionButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(actions->deliverAction()->isEnabled(), 10000);
    QVERIFY(!actions->cancelAction()->isEnabled());

    error = answerCommandDialog(
        dispatch, QStringLiteral("deliverActionButton"), QStringLiteral("Pat Doe"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(!actions->deliverAction()->isEnabled(), 10000);

    // Finance: the invoice is on the account, without pressing refresh.
    window->tabs()->setCurrentIndex(MainWindow::AccountsTab);
    AccountsView *accounts = window->accounts();
    QTRY_VERIFY_WITH_TIMEOUT(
        window->accountModel()->rowOfKey(QStringLiteral("WF-ACCT")) >= 0, 10000);
    accounts->selectAccount(QStringLiteral("WF-ACCT"));
    StatementModel *statement = accounts->statement();
    QTRY_COMPARE_WITH_TIMEOUT(statement->rowCount(), 1, 10000);
    QCOMPARE(statement->index(0, StatementModel::EntryColumn).data().toString(),
        QStringLiteral("Invoice for shipment WF-1"));
    QCOMPARE(statement->index(0, StatementModel::AmountColumn).data().toString(),
        QStringLiteral("-$35.14"));
    QTRY_COMPARE_WITH_TIMEOUT(
        accounts->statementTitle(), QStringLiteral("Statement of WF-ACCT: owes $35.14"), 10000);

    // The shipment's history tells the whole story.
    window->tabs()->setCurrentIndex(MainWindow::ShipmentsTab);
    QTRY_COMPARE_WITH_TIMEOUT(
        window->detail()->fieldText(QStringLiteral("signedBy")), QStringLiteral("Pat Doe"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(window->detail()->timeline()->rowCount(), 4, 10000);
}

void TestWorkflow::formShowsEachProblemBesideItsFieldAndSendsNothing()
{
    auto app = openApp(m_server->adminToken());
    QVERIFY(app);
    QPointer<NewShipmentDialog> form = app->window()->openNewShipment();
    type(form->idField(), QStringLiteral("BAD ID"));
    type(form->weightField(), QStringLiteral("90000"));
    fillAddress(form->shipFrom(),
        { QStringLiteral("A"), QStringLiteral("1 Road"), QString(), QStringLiteral("Austin"),
            QStringLiteral("T"), QStringLiteral("78701") });
    // A problem shows once the clerk leaves the field, not while typing.
    QCOMPARE(
        form->problem(QStringLiteral("shipFrom/state")), QStringLiteral("Two letters, e.g. TX."));
    QCOMPARE(form->problem(QStringLiteral("shipTo/zip")), QString());
    type(form->shipTo()->field(QStringLiteral("zip")), QStringLiteral("7700"));
    QCOMPARE(
        form->problem(QStringLiteral("shipTo/zip")), QStringLiteral("Five digits, e.g. 78701."));

    QTest::mouseClick(
        form->findChild<QPushButton *>(QStringLiteral("submitButton")), Qt::LeftButton);
    QCOMPARE(form->problem(QStringLiteral("id")),
        QStringLiteral("1 to 64 letters, digits, '-', '_' or '.'."));
    QCOMPARE(form->problem(QStringLiteral("weightInPounds")),
        QStringLiteral("A weight from 1 to 80,000 lb."));
    QCOMPARE(form->problem(QStringLiteral("billToAccountId")),
        QStringLiteral("1 to 64 letters, digits, '-', '_' or '.'."));
    QCOMPARE(form->problem(QStringLiteral("shipTo/name")), QStringLiteral("Required."));
    QCOMPARE(form->problem(QStringLiteral("shipFrom/line2")), QString());
    QVERIFY(!form->summaryText().isEmpty());
    QVERIFY2(!form.isNull(), "the form stays open");

    // Corrected, the same form goes through.
    type(form->idField(), QStringLiteral("FIXED-1"));
    type(form->weightField(), QStringLiteral("80000"));
    type(form->accountField()->lineEdit(), QStringLiteral("FIX"));
    type(form->shipFrom()->field(QStringLiteral("state")), QStringLiteral("tx"));
    QCOMPARE(form->shipFrom()->field(QStringLiteral("state"))->text(), QStringLiteral("TX"));
    fillAddress(form->shipTo(),
        { QStringLiteral("B"), QStringLiteral("2 Road"), QString(), QStringLiteral("Waco"),
            QStringLiteral("TX"), QStringLiteral("76701") });
    QCOMPARE(form->problem(QStringLiteral("shipTo/zip")), QString());
    form->submit();
    QTRY_VERIFY_WITH_TIMEOUT(form.isNull(), 15000);

    std::optional<ApiResult> answer;
    m_api->get(QStringLiteral("/shipments/FIXED-1"), {}, this,
        [&answer](const ApiResult &r) { answer = r; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10000);
    QCOMPARE(answer->httpStatus, 200);
    answer.reset();
    m_api->get(QStringLiteral("/shipments/BAD%20ID"), {}, this,
        [&answer](const ApiResult &r) { answer = r; });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10000);
    QVERIFY2(answer->httpStatus != 200, "the invalid form sent nothing");
}

void TestWorkflow::actionsAreEnabledOnlyWhereLegalAndSayWhy_data()
{
    QTest::addColumn<QVector<CommandRequest>>("history");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QStringList>("enabled");
    QTest::addColumn<QString>("shipWhyNot");
    const QString id = QStringLiteral("LEGAL-%1");
    auto s = [&id](int n) { return id.arg(n); };
    QTest::newRow("submitted") << QVector<CommandRequest> { test::submit(s(1),
        QStringLiteral("L")) } << s(1)
                               << QStringList { "assignAction", "cancelAction", "amendAction",
                                      "rescheduleAction" }
                               << "Only an assigned shipment can be shipped; LEGAL-1 is Submitted.";
    QTest::newRow("assigned") << QVector<CommandRequest> { test::submit(s(2), QStringLiteral("L")),
        test::assign(s(2), QStringLiteral("T-1")) }
                              << s(2)
                              << QStringList { "assignAction", "shipAction", "cancelAction",
                                     "amendAction", "rescheduleAction" }
                              << "";
    QTest::newRow("shipped") << QVector<CommandRequest> { test::submit(s(3), QStringLiteral("L")),
        test::assign(s(3), QStringLiteral("T-1")), test::ship(s(3)) }
                             << s(3) << QStringList { "deliverAction", "rescheduleAction" }
                             << "Only an assigned shipment can be shipped; LEGAL-3 is Shipped.";
    QTest::newRow("delivered") << QVector<CommandRequest> { test::submit(s(4), QStringLiteral("L")),
        test::assign(s(4), QStringLiteral("T-1")), test::ship(s(4)), test::deliver(s(4)) }
                               << s(4) << QStringList {}
                               << "Only an assigned shipment can be shipped; LEGAL-4 is Delivered.";
    QTest::newRow("cancelled") << QVector<CommandRequest> { test::submit(s(5), QStringLiteral("L")),
        { CommandType::Cancel, s(5), { { QStringLiteral("reason"), QStringLiteral("no") } } } }
                               << s(5) << QStringList {}
                               << "Only an assigned shipment can be shipped; LEGAL-5 is Cancelled.";
}

void TestWorkflow::actionsAreEnabledOnlyWhereLegalAndSayWhy()
{
    QFETCH(QVector<CommandRequest>, history);
    QFETCH(QString, id);
    QFETCH(QStringList, enabled);
    QFETCH(QString, shipWhyNot);
    QCOMPARE(test::runCommands(m_api.get(), history), QString());
    auto app = openApp(m_server->adminToken());
    QVERIFY(app);
    ShipmentDetail *detail = app->window()->detail();
    detail->showShipment(id);
    QTRY_VERIFY_WITH_TIMEOUT(detail->shownState().has_value(), 10000);
    QStringList on;
    for (QAction *action : detail->actions()->offered()) {
        if (action->isEnabled())
            on << action->objectName();
        else
            QVERIFY2(!action->toolTip().isEmpty() && action->toolTip().contains(id),
                qPrintable(action->objectName() + QStringLiteral(" is off without saying why: ")
                    + action->toolTip()));
    }
    QCOMPARE(on, enabled);
    if (!shipWhyNot.isEmpty()) {
        QCOMPARE(detail->actions()->shipAction()->toolTip(), shipWhyNot);
        QCOMPARE(detail->actions()->shipAction()->statusTip(), shipWhyNot);
    }
}

void TestWorkflow::commandRejectedAfterAcceptanceRaisesANotification()
{
    QCOMPARE(test::runCommands(
                 m_api.get(), { test::submit(QStringLiteral("REJ-1"), QStringLiteral("R")) }),
        QString());
    auto app = openApp(m_server->adminToken());
    QVERIFY(app);
    MainWindow *window = app->window();
    QTRY_VERIFY_WITH_TIMEOUT(app->session()->live()->isConnected(), 10000);
    // Another client's command that passed the server's pre-check but is refused when processed
    // (here put straight into the engine's inbox, as a race between two clerks would).
    AcceptRequest request;
    request.type = CommandType::Ship;
    request.streamId = QStringLiteral("shipment-REJ-1");
    request.user = QStringLiteral("other-clerk");
    std::atomic<bool> accepted { false };
    QString commandId;
    m_server->engine()->accept(request, [&accepted, &commandId](const AcceptResult &r) {
        commandId = r.commandId;
        accepted = r.status == AcceptResult::Status::Accepted;
    });
    QTRY_VERIFY_WITH_TIMEOUT(accepted.load(), 10000);
    auto notified = [window] {
        for (const QString &m : window->notifications()->messages()) {
            if (m.contains(QLatin1String("was rejected")))
                return m;
        }
        return QString();
    };
    QTRY_VERIFY2_WITH_TIMEOUT(
        !notified().isEmpty(), qPrintable(joined(window->notifications()->messages())), 10000);
    const QString message = notified();
    // The command is named by what it was when the live feed says so, else by its id.
    QVERIFY2(message.startsWith(QLatin1String("Ship shipment REJ-1 was rejected: "))
            || message.startsWith(QStringLiteral("A command (%1) was rejected: ").arg(commandId)),
        qPrintable(message));
    QVERIFY2(message.endsWith(QLatin1String(
                 "Shipment REJ-1 is Submitted; only an Assigned shipment can be shipped.")),
        qPrintable(message));
}

void TestWorkflow::rolesAreOfferedOnlyWhatTheyMayDo_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<bool>("submit");
    QTest::addColumn<QStringList>("dispatchActions");
    QTest::addColumn<bool>("payment");
    QTest::addColumn<bool>("audit");
    QTest::newRow("customer-service")
        << "customer-service" << true
        << QStringList { "cancelAction", "amendAction", "rescheduleAction" } << false << false;
    QTest::newRow("dispatch") << "dispatch" << false
                              << QStringList { "assignAction", "shipAction", "deliverAction",
                                     "cancelAction", "rescheduleAction" }
                              << false << false;
    QTest::newRow("finance") << "finance" << false << QStringList {} << true << false;
    QTest::newRow("auditor") << "auditor" << false << QStringList {} << false << true;
    QTest::newRow("admin") << "admin" << true
                           << QStringList { "assignAction", "shipAction", "deliverAction",
                                  "cancelAction", "amendAction", "rescheduleAction" }
                           << true << true;
}

void TestWorkflow::rolesAreOfferedOnlyWhatTheyMayDo()
{
    QFETCH(QString, role);
    QFETCH(bool, submit);
    QFETCH(QStringList, dispatchActions);
    QFETCH(bool, payment);
    QFETCH(bool, audit);
    // A shipment of this row's own, so that there is something to read whatever ran before.
    const QString readable = QStringLiteral("ROLE-") + role;
    QCOMPARE(
        test::runCommands(m_api.get(), { test::submit(readable, QStringLiteral("R")) }), QString());
    const QString token = m_server->createToken(QStringLiteral("role-%1").arg(role), role);
    auto app = openApp(token);
    QVERIFY(app);
    MainWindow *window = app->window();
    QCOMPARE(window->newShipmentAction()->isVisible(), submit);
    QCOMPARE(window->openNewShipment() != nullptr, submit);
    QStringList offered;
    for (QAction *action : window->dispatch()->actions()->offered())
        offered << action->objectName();
    QCOMPARE(offered, dispatchActions);
    QCOMPARE(
        window->dispatch()->findChildren<QToolButton *>(QStringLiteral("shipActionButton")).size(),
        dispatchActions.contains(QStringLiteral("shipAction")) ? 1 : 0);
    QCOMPARE(window->accounts()->paymentAction() != nullptr, payment);
    // Account records and corrections go with payments (finance), truck records with dispatch.
    QCOMPARE(window->accounts()->openAction() != nullptr, payment);
    QCOMPARE(window->accounts()->holdAction() != nullptr, payment);
    QCOMPARE(window->accounts()->creditAction() != nullptr, payment);
    QCOMPARE(window->accounts()->reverseAction() != nullptr, payment);
    QCOMPARE(window->trucks()->registerAction() != nullptr,
        dispatchActions.contains(QStringLiteral("shipAction")));
    QCOMPARE(window->audit()->exportAction() != nullptr, audit);
    QCOMPARE(window->audit()->verifyAction() != nullptr, audit);
    // Reading is for everyone.
    QTRY_VERIFY_WITH_TIMEOUT(!window->board()->model()->isLoading(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(window->board()->model()->rowOf(readable) >= 0, 10000);
}

void TestWorkflow::spanishLabelsUnderTheSpanishLocale()
{
    Language::install(QStringLiteral("es"));
    auto app = openApp(m_server->adminToken());
    QVERIFY(app);
    MainWindow *window = app->window();
    QCOMPARE(window->tabs()->tabText(MainWindow::ShipmentsTab), QStringLiteral("Envíos"));
    QCOMPARE(window->tabs()->tabText(MainWindow::DispatchTab), QStringLiteral("Despacho"));
    QCOMPARE(window->tabs()->tabText(MainWindow::AccountsTab), QStringLiteral("Cuentas"));
    QCOMPARE(window->tabs()->tabText(MainWindow::AuditTab), QStringLiteral("Auditoría"));
    QCOMPARE(window->newShipmentAction()->text(), QStringLiteral("&Nuevo envío…"));
    QCOMPARE(window->board()
                 ->model()
                 ->headerData(ShipmentTableModel::StatusColumn, Qt::Horizontal)
                 .toString(),
        QStringLiteral("Estado"));
    QCOMPARE(window->board()->statusFilter()->itemText(1), QStringLiteral("Registrado"));
    QCOMPARE(window->dispatch()->actions()->shipAction()->text(), QStringLiteral("&Enviar"));
    QCOMPARE(window->audit()->exportRange()->fromCheck()->text(), QStringLiteral("&Desde"));
    QCOMPARE(window->audit()->exportRange()->toCheck()->text(), QStringLiteral("&Hasta"));
    QCOMPARE(QLocale().decimalPoint(), QStringLiteral(","));
}

void TestWorkflow::pastStateIsShownForAPickedEvent()
{
    QCOMPARE(test::runCommands(m_api.get(),
                 { test::submit(QStringLiteral("PAST-1"), QStringLiteral("P")),
                     test::assign(QStringLiteral("PAST-1"), QStringLiteral("T-1")),
                     test::assign(QStringLiteral("PAST-1"), QStringLiteral("T-2")),
                     test::ship(QStringLiteral("PAST-1")) }),
        QString());
    auto app = openApp(m_server->adminToken());
    QVERIFY(app);
    ShipmentDetail *detail = app->window()->detail();
    detail->showShipment(QStringLiteral("PAST-1"));
    QTRY_COMPARE_WITH_TIMEOUT(detail->timeline()->rowCount(), 4, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        detail->fieldText(QStringLiteral("status")), QStringLiteral("Shipped"), 10000);
    detail->timelineView()->selectRow(1); // "Assigned to truck T-1"
    QTRY_COMPARE_WITH_TIMEOUT(
        detail->fieldText(QStringLiteral("truck")), QStringLiteral("T-1"), 10000);
    QCOMPARE(detail->fieldText(QStringLiteral("status")), QStringLiteral("Assigned"));
    QVERIFY(detail->isShowingPast());
    for (QAction *action : detail->actions()->offered())
        QVERIFY2(!action->isEnabled(), "nothing is done to the past");
    detail->backToNow();
    QTRY_COMPARE_WITH_TIMEOUT(
        detail->fieldText(QStringLiteral("truck")), QStringLiteral("T-2"), 10000);
    QCOMPARE(detail->fieldText(QStringLiteral("status")), QStringLiteral("Shipped"));
    QVERIFY(detail->actions()->deliverAction()->isEnabled());
}

void TestWorkflow::auditExportShowsProgressAndCancelLeavesNoFile()
{
    auto app = openAppOnAuditTab();
    QVERIFY(app);
    AuditView *audit = app->window()->audit();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("log.csv"));
    audit->exportTo(path);
    QVERIFY2(audit->progressBar()->isVisible(), "the export shows its progress");
    QVERIFY(audit->cancelButton()->isVisible());
    QVERIFY(!audit->exportAction()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!audit->resultText().isEmpty(), 15000);
    QVERIFY2(audit->resultText().contains(QLatin1String("exported to")),
        qPrintable(audit->resultText()));
    QVERIFY(!audit->progressBar()->isVisible());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readLine().startsWith("position,timestamp,stream_id"));

    const QString cancelled = dir.filePath(QStringLiteral("cancelled.csv"));
    audit->exportTo(cancelled);
    QTest::mouseClick(audit->cancelButton(), Qt::LeftButton);
    QVERIFY2(
        audit->resultText().contains(QLatin1String("cancelled")), qPrintable(audit->resultText()));
    QVERIFY(!QFile::exists(cancelled));
}

void TestWorkflow::auditExportWritesOnlyTheEventsFromFromUntilTo()
{
    // Three shipments recorded in three different seconds: before, inside and after the range.
    QCOMPARE(test::runCommands(m_api.get(),
                 { test::submit(QStringLiteral("RANGE-BEFORE"), QStringLiteral("R")) }),
        QString());
    const QDateTime from = nextWholeSecondReached();
    QVERIFY(from.isValid());
    QCOMPARE(test::runCommands(m_api.get(),
                 { test::submit(QStringLiteral("RANGE-INSIDE"), QStringLiteral("R")) }),
        QString());
    const QDateTime to = nextWholeSecondReached();
    QVERIFY(to.isValid());
    QCOMPARE(test::runCommands(
                 m_api.get(), { test::submit(QStringLiteral("RANGE-AFTER"), QStringLiteral("R")) }),
        QString());

    auto app = openAppOnAuditTab();
    QVERIFY(app);
    AuditView *audit = app->window()->audit();
    TimeRangeEdit *range = audit->exportRange();
    QVERIFY(range);
    QVERIFY2(!range->fromEdit()->isEnabled(), "no range until one is asked for");
    range->fromCheck()->click();
    QVERIFY(range->fromEdit()->isEnabled());
    range->fromEdit()->setDateTime(from);
    range->toCheck()->click();
    range->toEdit()->setDateTime(to);
    QCOMPARE(range->from().value_or(QDateTime()), from);
    QCOMPARE(range->to().value_or(QDateTime()), to);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("range.csv"));
    audit->exportTo(path);
    QTRY_VERIFY_WITH_TIMEOUT(!audit->resultText().isEmpty(), 15000);
    QVERIFY2(audit->resultText().contains(QLatin1String("exported to")),
        qPrintable(audit->resultText()));
    QString error;
    const QVector<QStringList> records = exportedRecords(path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList streams;
    for (const QStringList &record : records) {
        QCOMPARE(record.size(), 3);
        const QDateTime time = QDateTime::fromString(record.at(1), Qt::ISODateWithMs);
        QVERIFY2(time >= from && time < to,
            qPrintable(QStringLiteral("%1 is outside [%2, %3)")
                           .arg(record.join(QLatin1Char(',')), from.toString(Qt::ISODate),
                               to.toString(Qt::ISODate))));
        streams << record.at(2);
    }
    QVERIFY2(
        streams.contains(QStringLiteral("shipment-RANGE-INSIDE")), qPrintable(joined(streams)));
    QVERIFY2(
        !streams.contains(QStringLiteral("shipment-RANGE-BEFORE")), qPrintable(joined(streams)));
    QVERIFY2(
        !streams.contains(QStringLiteral("shipment-RANGE-AFTER")), qPrintable(joined(streams)));

    // Only the start: everything from then on, the later shipment too.
    range->toCheck()->click();
    QVERIFY(!range->to());
    const QString open = dir.filePath(QStringLiteral("from-only.csv"));
    audit->exportTo(open);
    QTRY_VERIFY_WITH_TIMEOUT(!audit->resultText().isEmpty(), 15000);
    streams.clear();
    for (const QStringList &record : exportedRecords(open, &error))
        streams << record.value(2);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(streams.contains(QStringLiteral("shipment-RANGE-INSIDE"))
            && streams.contains(QStringLiteral("shipment-RANGE-AFTER"))
            && !streams.contains(QStringLiteral("shipment-RANGE-BEFORE")),
        qPrintable(joined(streams)));
}

void TestWorkflow::auditExportRangeEndingBeforeItStartsIsRefusedInline()
{
    auto app = openAppOnAuditTab();
    QVERIFY(app);
    AuditView *audit = app->window()->audit();
    TimeRangeEdit *range = audit->exportRange();
    QVERIFY(range);
    const QDateTime start(QDate(2026, 11, 27), QTime(10, 0), QTimeZone::utc());
    range->setFrom(start);
    range->setTo(start.addSecs(-1));
    QVERIFY(!range->isValid());
    QLabel *message = range->findChild<QLabel *>(QStringLiteral("rangeError"));
    QVERIFY(message);
    QVERIFY2(message->isVisible(), "the reason is shown beside the fields");
    QCOMPARE(message->text(), range->errorText());
    QVERIFY2(message->text().contains(QLatin1String("after")), qPrintable(message->text()));
    QVERIFY2(!audit->exportAction()->isEnabled(), "nothing to export from an empty range");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("never.csv"));
    audit->exportTo(path);
    QVERIFY(!audit->progressBar()->isVisible());
    QVERIFY(!QFile::exists(path));

    // The same moment at both ends is allowed (it selects nothing, as the server says).
    range->setTo(start);
    QVERIFY(range->isValid());
    QVERIFY(!message->isVisible());
    QVERIFY(audit->exportAction()->isEnabled());
}

void TestWorkflow::auditVerifySaysTheHistoryIsIntact()
{
    auto app = openApp(m_server->adminToken());
    QVERIFY(app);
    AuditView *audit = app->window()->audit();
    audit->verifyAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!audit->resultText().isEmpty(), 15000);
    QVERIFY2(audit->resultText().startsWith(QLatin1String("The history is intact")),
        qPrintable(audit->resultText()));
}

void TestWorkflow::keyboardShortcutsReachTheFrequentActions()
{
    auto app = openApp(m_server->adminToken());
    QVERIFY(app);
    MainWindow *window = app->window();
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window));
    QTest::keyClick(window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(window->tabs()->currentIndex(), int(MainWindow::TrucksTab));
    QTest::keyClick(window, Qt::Key_4, Qt::ControlModifier);
    QCOMPARE(window->tabs()->currentIndex(), int(MainWindow::AccountsTab));
    QTest::keyClick(window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(window->tabs()->currentIndex(), int(MainWindow::ShipmentsTab));
    window->board()->table()->setFocus();
    QTest::keyClick(window->board()->table(), Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(QApplication::focusWidget(), window->board()->searchField());
    QTest::keyClick(window, Qt::Key_N, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(window->findChild<NewShipmentDialog *>() != nullptr, 5000);
    window->findChild<NewShipmentDialog *>()->reject();
}

void TestWorkflow::layoutAndFiltersAreRemembered()
{
    {
        auto app = openApp(m_server->adminToken());
        QVERIFY(app);
        MainWindow *window = app->window();
        window->resize(1111, 777);
        window->board()->statusFilter()->setCurrentIndex(
            window->board()->statusFilter()->findData(QStringLiteral("Delivered")));
        window->board()->table()->horizontalHeader()->resizeSection(
            ShipmentTableModel::AccountColumn, 222);
        window->tabs()->setCurrentIndex(MainWindow::AuditTab);
        window->audit()->exportRange()->setFrom(
            QDateTime(QDate(2026, 11, 27), QTime(10, 0, 5), QTimeZone::utc()));
        window->close();
    }
    auto app = openApp(m_server->adminToken());
    QVERIFY(app);
    MainWindow *window = app->window();
    QCOMPARE(window->size(), QSize(1111, 777));
    QCOMPARE(window->tabs()->currentIndex(), int(MainWindow::AuditTab));
    QCOMPARE(
        window->board()->statusFilter()->currentData().toString(), QStringLiteral("Delivered"));
    QCOMPARE(window->board()->model()->query().status, QStringLiteral("Delivered"));
    QCOMPARE(window->board()->table()->horizontalHeader()->sectionSize(
                 ShipmentTableModel::AccountColumn),
        222);
    QCOMPARE(window->audit()->exportRange()->from().value_or(QDateTime()),
        QDateTime(QDate(2026, 11, 27), QTime(10, 0, 5), QTimeZone::utc()));
    QVERIFY(!window->audit()->exportRange()->to());
}

void TestWorkflow::connectionDialogSwitchesToARemoteServerAndIsRemembered()
{
    QTemporaryDir home;
    const AppPaths paths = test::appPathsIn(home);
    {
        AppController app(CommandLineOptions {}, paths);
        QSignalSpy ready(&app, &AppController::sessionReady);
        app.start();
        QVERIFY(ready.wait(30000));
        QVERIFY(app.embeddedServer()->isRunning());

        app.window()->findChild<QAction *>(QStringLiteral("connectAction"))->trigger();
        QPointer<ConnectionDialog> dialog = app.window()->findChild<ConnectionDialog *>();
        QVERIFY(dialog);
        QVERIFY(!dialog->urlField()->isEnabled()); // this computer is the current choice
        QTest::mouseClick(dialog->remoteChoice(), Qt::LeftButton);
        QVERIFY(dialog->urlField()->isEnabled());
        type(dialog->urlField(), m_server->url().toString());
        type(dialog->tokenField(), m_server->adminToken());
        dialog->findChild<QCheckBox *>()->setChecked(true);
        dialog->testConnection();
        QTRY_VERIFY2_WITH_TIMEOUT(dialog->statusText().startsWith(QLatin1String("Connected")),
            qPrintable(dialog->statusText()), 10000);
        ready.clear();
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(ready.wait(15000));
        QCOMPARE(app.session()->serverUrl(), m_server->url());
        QVERIFY2(!app.embeddedServer()->isRunning(), "nobody talks to the local server any more");
    }
    const RemoteConnection kept = RemoteConnection::load(paths.connectionFile());
    QCOMPARE(kept.serverUrl, m_server->url());
    QCOMPARE(kept.token, m_server->adminToken());
    QVERIFY(!(QFile::permissions(paths.connectionFile()) & (QFile::ReadGroup | QFile::ReadOther)));

    // Next start, with no arguments: the remembered server, as asked.
    AppController again(CommandLineOptions {}, paths);
    QSignalSpy ready(&again, &AppController::sessionReady);
    again.start();
    QVERIFY(ready.wait(15000));
    QCOMPARE(again.session()->serverUrl(), m_server->url());
    QVERIFY(!again.embeddedServer());
}

QTEST_MAIN(TestWorkflow)
#include "tst_workflow.moc"
