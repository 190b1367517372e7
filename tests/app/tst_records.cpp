// The desktop's records and corrections driven as a clerk drives them: real widgets (offscreen),
// the real embedded server, HTTP on loopback. Accounts opened, edited, held and released; trucks
// registered, out of service and back; amend, reverse payment and credit memo, each with its
// reason; and a record changed by someone else first, said plainly with what changed.
#include "appcontroller.h"
#include "apptestsupport.h"
#include "client/apiclient.h"
#include "language.h"
#include "models/accounttablemodel.h"
#include "models/statementmodel.h"
#include "models/trucktablemodel.h"
#include "session/remoteconnection.h"
#include "views/accounteditor.h"
#include "views/accountsview.h"
#include "views/addressform.h"
#include "views/amenddialog.h"
#include "views/commanddialog.h"
#include "views/mainwindow.h"
#include "views/notificationbar.h"
#include "views/shipmentactions.h"
#include "views/shipmentdetail.h"
#include "views/trucksview.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QProgressBar>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyle>
#include <QTableView>
#include <QTest>

using namespace waybill;
using namespace waybill::app;

namespace {
void type(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

CommandRequest openAccount(const QString &id, std::optional<double> limit = std::nullopt)
{
    QJsonObject body { { QStringLiteral("name"), QStringLiteral("Acme Supply") },
        { QStringLiteral("billingAddress"),
            test::address(
                QStringLiteral("Acme"), QStringLiteral("Dallas"), QStringLiteral("75201")) } };
    if (limit)
        body.insert(QStringLiteral("creditLimit"), *limit);
    return { CommandType::Open, id, body };
}

CommandRequest registerTruck(const QString &id, int capacity)
{
    return { CommandType::Register, id,
        { { QStringLiteral("name"), QStringLiteral("Rig ") + id },
            { QStringLiteral("capacityPounds"), capacity } } };
}

QString joined(const QStringList &lines)
{
    return lines.join(QLatin1String(" | "));
}

// Empty when every column of the table fits its viewport; else what they need.
QString overflowOf(const QTableView *table)
{
    const int need = table->horizontalHeader()->length();
    const int has = table->viewport()->width();
    return need <= has ? QString()
                       : QStringLiteral("columns need %1 px, the list has %2").arg(need).arg(has);
}

QString errorOf(const QPointer<CommandDialog> &dialog)
{
    return dialog ? dialog->errorText() : QString();
}
} // namespace

class TestRecords final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void accountEditorOpensAnAccountWithTermsAndLimit();
    void accountEditorSendsOnlyWhatChangedWithTheVersionShown();
    void exposureIsShownAgainstTheLimitAsABar();
    void holdAsksForAReasonAndReleaseLiftsIt();
    void reversePaymentIsTakenFromTheStatementWithAReason();
    void creditMemoAsksForAnAmountAndAReason();
    void amendShowsTheRepricedCostBeforeSending();
    void editorChangedByOthersFirstSaysSoAndShowsWhatChanged();
    void dialogChangedByOthersFirstSaysSoAndShowsWhatChanged();
    void accountsShowEveryColumnWithoutScrollingAt1280_data();
    void accountsShowEveryColumnWithoutScrollingAt1280();
    void accountsLayoutSavedBeforeTheseWidthsIsNotRestored();
    void trucksViewRegistersATruckWithItsCapacity();
    void loadsOnATruckOutOfServiceStandOutUntilItIsBack();

private:
    std::unique_ptr<AppController> openApp(const QString &role);
    // The accounts view with this account selected once the list has it.
    AccountsView *accountsWith(AppController *app, const QString &id);
    // The accounts list, shown in a 1280x800 window with this account selected; nullptr if not.
    QTableView *accountListAt1280(AppController *app, const QString &id);

    QTemporaryDir m_settings;
    QTemporaryDir m_home;
    std::unique_ptr<test::TestServer> m_server;
    std::unique_ptr<ApiClient> m_api;
    QHash<QString, QString> m_tokens;
};

void TestRecords::initTestCase()
{
    test::isolateSettings(m_settings.path());
    m_server = std::make_unique<test::TestServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_api = std::make_unique<ApiClient>(m_server->url(), m_server->adminToken());
    for (const QString &role : { QStringLiteral("finance"), QStringLiteral("dispatch"),
             QStringLiteral("customer-service") })
        m_tokens.insert(role, m_server->createToken(QStringLiteral("clerk-") + role, role));
}

void TestRecords::init()
{
    QSettings().clear();
    Language::install(QStringLiteral("en"));
}

void TestRecords::cleanupTestCase()
{
    m_api.reset();
    m_server.reset();
}

std::unique_ptr<AppController> TestRecords::openApp(const QString &role)
{
    return test::openApp(m_server->url(), m_tokens.value(role), test::appPathsIn(m_home));
}

AccountsView *TestRecords::accountsWith(AppController *app, const QString &id)
{
    MainWindow *window = app->window();
    window->tabs()->setCurrentIndex(MainWindow::AccountsTab);
    window->accountModel()->reload();
    if (!QTest::qWaitFor([&] { return window->accountModel()->rowOfKey(id) >= 0; }, 10000))
        return nullptr;
    window->accounts()->selectAccount(id);
    return window->accounts();
}

QTableView *TestRecords::accountListAt1280(AppController *app, const QString &id)
{
    MainWindow *window = app->window();
    window->resize(1280, 800);
    window->show();
    if (!QTest::qWaitForWindowExposed(window))
        return nullptr;
    AccountsView *accounts = accountsWith(app, id);
    if (!accounts || !QTest::qWaitFor([&] { return accounts->accountView()->isVisible(); }))
        return nullptr;
    return accounts->accountView();
}

void TestRecords::accountEditorOpensAnAccountWithTermsAndLimit()
{
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    AccountsView *accounts = app->window()->accounts();
    QVERIFY(accounts->openAction()->isEnabled());
    accounts->openAction()->trigger();
    QPointer<AccountEditor> editor = test::waitForDialog<AccountEditor>(accounts);
    QVERIFY(editor);
    QVERIFY(editor->isOpening());
    QCOMPARE(editor->expectedVersion(), std::optional<int>(0)); // "no events yet"
    type(editor->idField(), QStringLiteral("REC-OPEN"));
    type(editor->nameField(), QStringLiteral("Open Range Feed"));
    const QStringList address { QStringLiteral("Open Range Feed"), QStringLiteral("4 Mill Rd"),
        QString(), QStringLiteral("Amarillo"), QStringLiteral("TX"), QStringLiteral("79101") };
    for (int i = 0; i < AddressForm::keys().size(); ++i)
        type(editor->addressForm()->field(AddressForm::keys().at(i)), address.at(i));
    editor->termsField()->setValue(45);
    type(editor->limitField(), QStringLiteral("2500.00"));
    editor->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(
        editor.isNull(), qPrintable(editor ? editor->errorText() : QString()), 15000);

    AccountTableModel *model = app->window()->accountModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->account(QStringLiteral("REC-OPEN")), 10000);
    const AccountRow *row = model->account(QStringLiteral("REC-OPEN"));
    QVERIFY(row->state.registered);
    QCOMPARE(row->state.name, QStringLiteral("Open Range Feed"));
    QCOMPARE(row->state.paymentTermsDays, 45);
    QCOMPARE(row->state.creditLimitCents, std::optional<Cents>(250000));
    QCOMPARE(row->state.billingAddress.city, QStringLiteral("Amarillo"));
    const int r = model->rowOfKey(QStringLiteral("REC-OPEN"));
    QCOMPARE(model->index(r, AccountTableModel::LimitColumn).data().toString(),
        QStringLiteral("$2,500.00"));
    QCOMPARE(model->index(r, AccountTableModel::TermsColumn).data().toString(),
        QStringLiteral("45 days"));
}

void TestRecords::accountEditorSendsOnlyWhatChangedWithTheVersionShown()
{
    const QString id = QStringLiteral("REC-EDIT");
    QCOMPARE(test::runCommands(m_api.get(), { openAccount(id, 1000) }), QString());
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    AccountsView *accounts = accountsWith(app.get(), id);
    QVERIFY(accounts);
    QTRY_VERIFY_WITH_TIMEOUT(accounts->editAction()->isEnabled(), 5000);
    accounts->editAction()->trigger();
    QPointer<AccountEditor> editor = test::waitForDialog<AccountEditor>(accounts);
    QVERIFY(editor);
    QVERIFY(!editor->isOpening());
    QCOMPARE(editor->expectedVersion(), std::optional<int>(1));
    QCOMPARE(editor->nameField()->text(), QStringLiteral("Acme Supply"));

    // Nothing changed: nothing is sent.
    editor->submit();
    QCOMPARE(editor->errorText(), QStringLiteral("Nothing is changed."));

    type(editor->limitField(), QString()); // no limit any more
    editor->submit();
    QTRY_VERIFY_WITH_TIMEOUT(editor.isNull(), 15000);
    AccountTableModel *model = app->window()->accountModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->account(id)->state.version, 2, 10000);
    QVERIFY(!model->account(id)->state.creditLimitCents);
    // The statement tells what the update changed, and nothing else.
    StatementModel *statement = accounts->statement();
    QTRY_COMPARE_WITH_TIMEOUT(statement->rowCount(), 2, 10000);
    QCOMPARE(statement->index(1, StatementModel::EntryColumn).data().toString(),
        QStringLiteral("Account updated: no credit limit"));
}

void TestRecords::exposureIsShownAgainstTheLimitAsABar()
{
    const QString id = QStringLiteral("REC-EXPO");
    // 1,000 lb at the standard 28 cents: $280.00 of a $500.00 limit.
    QCOMPARE(test::runCommands(m_api.get(),
                 { openAccount(id, 500), test::submit(QStringLiteral("EXPO-1"), id, 1000) }),
        QString());
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    AccountsView *accounts = accountsWith(app.get(), id);
    QVERIFY(accounts);
    AccountTableModel *model = app->window()->accountModel();
    const QModelIndex exposure
        = model->index(model->rowOfKey(id), AccountTableModel::ExposureColumn);
    QCOMPARE(exposure.data().toString(), QStringLiteral("$280.00"));
    QCOMPARE(exposure.data(AccountTableModel::LimitUseRole).toDouble(), 0.56);
    QVERIFY(!exposure.data(AccountTableModel::PastLimitRole).toBool());
    QTRY_VERIFY2_WITH_TIMEOUT(
        accounts->recordText().contains(QLatin1String("exposure $280.00 of a $500.00 limit")),
        qPrintable(accounts->recordText()), 5000);

    accounts->editAction()->trigger();
    QPointer<AccountEditor> editor = test::waitForDialog<AccountEditor>(accounts);
    QVERIFY(editor);
    QCOMPARE(editor->exposureBar()->value(), 560);
    QCOMPARE(editor->exposureText(), QStringLiteral("$280.00 of $500.00 ($220.00 left)."));
    // Lowering the limit below the exposure says what it means before anything is sent.
    type(editor->limitField(), QStringLiteral("200"));
    QCOMPARE(editor->exposureBar()->value(), 1000);
    QVERIFY2(editor->exposureText().contains(QLatin1String("past the limit")),
        qPrintable(editor->exposureText()));
    type(editor->limitField(), QString());
    QVERIFY(editor->exposureBar()->isHidden());
    editor->reject();
}

void TestRecords::holdAsksForAReasonAndReleaseLiftsIt()
{
    const QString id = QStringLiteral("REC-HOLD");
    QCOMPARE(test::runCommands(m_api.get(), { openAccount(id) }), QString());
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    AccountsView *accounts = accountsWith(app.get(), id);
    QVERIFY(accounts);
    QTRY_VERIFY_WITH_TIMEOUT(accounts->holdAction()->isEnabled(), 5000);
    QVERIFY(!accounts->releaseAction()->isEnabled());
    QCOMPARE(
        accounts->releaseAction()->toolTip(), QStringLiteral("Account REC-HOLD is not on hold."));

    accounts->holdAction()->trigger();
    QPointer<CommandDialog> dialog = test::waitForDialog<CommandDialog>(accounts);
    QVERIFY(dialog);
    QCOMPARE(dialog->expectedVersion(), std::optional<int>(1));
    dialog->submit(); // no reason
    QCOMPARE(dialog->errorText(), QStringLiteral("Say why."));
    type(dialog->field(), QStringLiteral("Invoices 90 days overdue"));
    dialog->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(dialog.isNull(), qPrintable(errorOf(dialog)), 15000);

    AccountTableModel *model = app->window()->accountModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->account(id)->state.onHold, 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        accounts->recordText().contains(QLatin1String("ON HOLD: Invoices 90 days overdue")),
        qPrintable(accounts->recordText()), 5000);
    QCOMPARE(model->index(model->rowOfKey(id), AccountTableModel::HoldColumn).data().toString(),
        QStringLiteral("On hold: Invoices 90 days overdue"));
    QTRY_VERIFY_WITH_TIMEOUT(accounts->releaseAction()->isEnabled(), 5000);
    QVERIFY(!accounts->holdAction()->isEnabled());

    accounts->releaseAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!model->account(id)->state.onHold, 10000);
    QCOMPARE(model->account(id)->state.version, 3);
}

void TestRecords::reversePaymentIsTakenFromTheStatementWithAReason()
{
    const QString id = QStringLiteral("REC-REV");
    QCOMPARE(
        test::runCommands(m_api.get(), { openAccount(id), test::payment(id, 1000) }), QString());
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    AccountsView *accounts = accountsWith(app.get(), id);
    QVERIFY(accounts);
    QTRY_COMPARE_WITH_TIMEOUT(accounts->statement()->rowCount(), 2, 10000);
    QVERIFY2(!accounts->reverseAction()->isEnabled(), "nothing is selected on the statement");
    QTableView *statement = accounts->statementView();
    statement->selectionModel()->setCurrentIndex(
        statement->model()->index(0, 0), QItemSelectionModel::ClearAndSelect);
    QVERIFY2(!accounts->reverseAction()->isEnabled(), "opening the account is no payment");
    statement->selectionModel()->setCurrentIndex(
        statement->model()->index(1, 0), QItemSelectionModel::ClearAndSelect);
    QVERIFY(accounts->reverseAction()->isEnabled());

    accounts->reverseAction()->trigger();
    QPointer<CommandDialog> dialog = test::waitForDialog<CommandDialog>(accounts);
    QVERIFY(dialog);
    dialog->submit();
    QCOMPARE(dialog->errorText(), QStringLiteral("Say why."));
    type(dialog->field(), QStringLiteral("Keyed as $1,000 instead of $100"));
    dialog->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(dialog.isNull(), qPrintable(errorOf(dialog)), 15000);

    AccountTableModel *model = app->window()->accountModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->account(id)->state.balanceCents, Cents(0), 10000);
    StatementModel *entries = accounts->statement();
    QTRY_COMPARE_WITH_TIMEOUT(entries->rowCount(), 3, 10000);
    QCOMPARE(entries->index(1, StatementModel::EntryColumn).data().toString(),
        QStringLiteral("Payment received (reversed later)"));
    QVERIFY(!entries->index(1, 0).data(StatementModel::ReversibleRole).toBool());
    QCOMPARE(entries->index(2, StatementModel::EntryColumn).data().toString(),
        QStringLiteral("Payment of $1,000.00 reversed: Keyed as $1,000 instead of $100"));
    QCOMPARE(entries->index(2, StatementModel::BalanceColumn).data().toString(),
        QStringLiteral("$0.00"));
}

void TestRecords::creditMemoAsksForAnAmountAndAReason()
{
    const QString id = QStringLiteral("REC-CREDIT");
    QCOMPARE(test::runCommands(m_api.get(), { openAccount(id) }), QString());
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    AccountsView *accounts = accountsWith(app.get(), id);
    QVERIFY(accounts);
    QTRY_VERIFY_WITH_TIMEOUT(accounts->creditAction()->isEnabled(), 5000);
    accounts->creditAction()->trigger();
    QPointer<CommandDialog> dialog = test::waitForDialog<CommandDialog>(accounts);
    QVERIFY(dialog);
    type(dialog->field(QStringLiteral("amount")), QStringLiteral("45"));
    dialog->submit();
    QCOMPARE(dialog->errorText(), QStringLiteral("Say why."));
    type(dialog->field(QStringLiteral("reason")), QStringLiteral("Damaged on delivery"));
    type(dialog->field(QStringLiteral("amount")), QStringLiteral("45.123"));
    dialog->submit();
    QCOMPARE(dialog->errorText(),
        QStringLiteral("Enter an amount greater than 0 with at most two decimals, e.g. 120.50."));
    type(dialog->field(QStringLiteral("amount")), QStringLiteral("45.10"));
    dialog->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(dialog.isNull(), qPrintable(errorOf(dialog)), 15000);

    AccountTableModel *model = app->window()->accountModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->account(id)->state.balanceCents, Cents(4510), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(accounts->statement()->rowCount(), 2, 10000);
    QCOMPARE(accounts->statement()->index(1, StatementModel::EntryColumn).data().toString(),
        QStringLiteral("Credit memo of $45.10: Damaged on delivery"));
}

void TestRecords::amendShowsTheRepricedCostBeforeSending()
{
    const QString id = QStringLiteral("REC-AMEND");
    QCOMPARE(
        test::runCommands(m_api.get(), { test::submit(id, QStringLiteral("AMEND-ACCT"), 100) }),
        QString());
    auto app = openApp(QStringLiteral("customer-service"));
    QVERIFY(app);
    ShipmentDetail *detail = app->window()->detail();
    detail->showShipment(id);
    QTRY_VERIFY_WITH_TIMEOUT(detail->actions()->amendAction()->isEnabled(), 10000);
    detail->actions()->amendAction()->trigger();
    QPointer<AmendDialog> dialog = test::waitForDialog<AmendDialog>(detail);
    QVERIFY(dialog);
    QCOMPARE(dialog->expectedVersion(), std::optional<int>(1));
    QCOMPARE(dialog->previewText(), QStringLiteral("Cost stays $28.00."));

    type(dialog->weightField(), QStringLiteral("250"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        dialog->previewText().contains(QLatin1String("after the amendment $70.00 (+$42.00)")),
        qPrintable(dialog->previewText()), 10000);

    dialog->submit();
    QVERIFY2(
        dialog->errorText().contains(QLatin1String("Say why")), qPrintable(dialog->errorText()));
    type(dialog->reasonField(), QStringLiteral("The customer gave the wrong weight"));
    dialog->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(
        dialog.isNull(), qPrintable(dialog ? dialog->errorText() : QString()), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(
        detail->fieldText(QStringLiteral("cost")), QStringLiteral("$70.00"), 10000);
    QCOMPARE(detail->fieldText(QStringLiteral("weight")), QStringLiteral("250 lb"));
}

void TestRecords::editorChangedByOthersFirstSaysSoAndShowsWhatChanged()
{
    const QString id = QStringLiteral("REC-RACE");
    QCOMPARE(test::runCommands(m_api.get(), { openAccount(id, 800) }), QString());
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    AccountsView *accounts = accountsWith(app.get(), id);
    QVERIFY(accounts);
    QTRY_VERIFY_WITH_TIMEOUT(accounts->editAction()->isEnabled(), 5000);
    accounts->editAction()->trigger();
    QPointer<AccountEditor> editor = test::waitForDialog<AccountEditor>(accounts);
    QVERIFY(editor);
    QCOMPARE(editor->expectedVersion(), std::optional<int>(1));

    // Someone else puts the account on hold while the form is open.
    QCOMPARE(test::runCommands(m_api.get(),
                 { { CommandType::Hold, id,
                     { { QStringLiteral("reason"), QStringLiteral("Cheque bounced") } } } }),
        QString());
    type(editor->nameField(), QStringLiteral("Acme Supply Co"));
    editor->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(editor->errorText().contains(QLatin1String("What changed")),
        qPrintable(editor->errorText()), 10000);
    const QString message = editor->errorText();
    QVERIFY2(message.startsWith(QLatin1String("Someone else changed account REC-RACE first, so "
                                              "your change was not made (you saw version 1; it "
                                              "is now at version 2).")),
        qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("office-admin: Placed on hold: Cheque bounced")),
        qPrintable(message));
    QCOMPARE(app->window()->accountModel()->account(id)->state.name, QStringLiteral("Acme Supply"));

    // Having seen it, the clerk sends again: against the version now.
    QCOMPARE(editor->expectedVersion(), std::optional<int>(2));
    editor->submit();
    QTRY_VERIFY_WITH_TIMEOUT(editor.isNull(), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(app->window()->accountModel()->account(id)->state.name,
        QStringLiteral("Acme Supply Co"), 10000);
}

void TestRecords::dialogChangedByOthersFirstSaysSoAndShowsWhatChanged()
{
    const QString truck = QStringLiteral("T-RACE");
    QCOMPARE(test::runCommands(m_api.get(), { registerTruck(truck, 20000) }), QString());
    auto app = openApp(QStringLiteral("dispatch"));
    QVERIFY(app);
    TrucksView *trucks = app->window()->trucks();
    QTRY_VERIFY_WITH_TIMEOUT(app->window()->truckModel()->rowOfKey(truck) >= 0, 10000);
    trucks->selectTruck(truck);
    QTRY_VERIFY_WITH_TIMEOUT(trucks->outOfServiceAction()->isEnabled(), 5000);
    trucks->outOfServiceAction()->trigger();
    QPointer<CommandDialog> dialog = test::waitForDialog<CommandDialog>(trucks);
    QVERIFY(dialog);
    QCOMPARE(dialog->expectedVersion(), std::optional<int>(1));

    // Another dispatcher takes it off the board and back while this one types.
    QCOMPARE(test::runCommands(m_api.get(),
                 { { CommandType::OutOfService, truck,
                       { { QStringLiteral("reason"), QStringLiteral("Flat tyre") } } },
                     { CommandType::ReturnToService, truck, {} } }),
        QString());
    type(dialog->field(), QStringLiteral("Brake failure"));
    dialog->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(dialog->errorText().contains(QLatin1String("What changed")),
        qPrintable(dialog->errorText()), 10000);
    const QString message = dialog->errorText();
    QVERIFY2(message.startsWith(QLatin1String("Someone else changed truck T-RACE first")),
        qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("it is now at version 3")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("Out of service: Flat tyre")), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("Back in service")), qPrintable(message));
    QTRY_VERIFY_WITH_TIMEOUT(app->window()->truckModel()->truck(truck)->state.version == 3, 10000);
    QVERIFY(app->window()->truckModel()->truck(truck)->state.inService);
    dialog->reject();
}

void TestRecords::accountsShowEveryColumnWithoutScrollingAt1280_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("English") << QStringLiteral("en");
    QTest::newRow("Spanish") << QStringLiteral("es");
}

// At 1280x800 the accounts list shows all its columns, the last activity's date whole, with no
// horizontal scrolling (before, "Last activity" lay past the window's edge in both languages).
void TestRecords::accountsShowEveryColumnWithoutScrollingAt1280()
{
    QFETCH(QString, language);
    const QString id = QStringLiteral("REC-WIDE-") + language.toUpper();
    QCOMPARE(test::runCommands(m_api.get(), { openAccount(id, 1000) }), QString());
    Language::install(language);
    const auto english = qScopeGuard([] { Language::install(QStringLiteral("en")); });
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    QTableView *table = accountListAt1280(app.get(), id);
    QVERIFY(table);
    const QHeaderView *header = table->horizontalHeader();
    QVERIFY2(overflowOf(table).isEmpty(), qPrintable(overflowOf(table)));
    QCOMPARE(table->horizontalScrollBar()->maximum(), 0);
    AccountTableModel *model = app->window()->accountModel();
    const QModelIndex last
        = model->index(model->rowOfKey(id), AccountTableModel::LastActivityColumn);
    const QString when = last.data().toString();
    QVERIFY(!when.isEmpty());
    QVERIFY2(table->fontMetrics().horizontalAdvance(when)
            < header->sectionSize(AccountTableModel::LastActivityColumn),
        qPrintable(when));
    // The statement's titles read whole ("Saldo resultante" was cut to "aldo resultant").
    const QHeaderView *statement = app->window()->accounts()->statementView()->horizontalHeader();
    const int margins = 2 * statement->style()->pixelMetric(QStyle::PM_HeaderMargin);
    for (int column = 0; column < statement->count(); ++column) {
        const QString title = statement->model()->headerData(column, Qt::Horizontal).toString();
        const int need = statement->fontMetrics().horizontalAdvance(title) + margins;
        QVERIFY2(statement->sectionSize(column) >= need,
            qPrintable(QStringLiteral("%1: %2 px, needs %3")
                           .arg(title)
                           .arg(statement->sectionSize(column))
                           .arg(need)));
    }
    // The hold's reason keeps room to be read: the widest word of the demo's reason three times.
    QVERIFY2(header->sectionSize(AccountTableModel::HoldColumn)
            >= 3 * table->fontMetrics().horizontalAdvance(QStringLiteral("Invoices")),
        qPrintable(QString::number(header->sectionSize(AccountTableModel::HoldColumn))));
}

// A layout the version before saved (its last column past the window's edge) does not come
// back after the upgrade: the new widths show.
void TestRecords::accountsLayoutSavedBeforeTheseWidthsIsNotRestored()
{
    const QString id = QStringLiteral("REC-UPGRADE");
    QCOMPARE(test::runCommands(m_api.get(), { openAccount(id, 1000) }), QString());
    QByteArray oldLayout;
    {
        auto app = openApp(QStringLiteral("finance"));
        QVERIFY(app);
        QHeaderView *header = app->window()->accounts()->accountView()->horizontalHeader();
        header->resizeSection(AccountTableModel::HoldColumn, 210);
        header->setStretchLastSection(true);
        header->resizeSection(AccountTableModel::LastActivityColumn, 400);
        oldLayout = header->saveState();
    }
    QSettings().clear();
    QSettings().setValue(QStringLiteral("accounts/columns"), oldLayout); // the key it used
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    QTableView *table = accountListAt1280(app.get(), id);
    QVERIFY(table);
    QVERIFY(table->horizontalHeader()->sectionSize(AccountTableModel::LastActivityColumn) < 400);
    QVERIFY2(overflowOf(table).isEmpty(), qPrintable(overflowOf(table)));
}

void TestRecords::trucksViewRegistersATruckWithItsCapacity()
{
    auto app = openApp(QStringLiteral("dispatch"));
    QVERIFY(app);
    TrucksView *trucks = app->window()->trucks();
    QVERIFY(trucks->registerAction()->isEnabled());
    trucks->registerAction()->trigger();
    QPointer<CommandDialog> dialog = test::waitForDialog<CommandDialog>(trucks);
    QVERIFY(dialog);
    type(dialog->field(QStringLiteral("id")), QStringLiteral("T-NEW"));
    type(dialog->field(QStringLiteral("capacityPounds")), QStringLiteral("90000"));
    dialog->submit();
    QVERIFY2(
        dialog->errorText().contains(QLatin1String("80,000")), qPrintable(dialog->errorText()));
    type(dialog->field(QStringLiteral("name")), QStringLiteral("Blue Peterbilt"));
    type(dialog->field(QStringLiteral("capacityPounds")), QStringLiteral("24000"));
    dialog->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(dialog.isNull(), qPrintable(errorOf(dialog)), 15000);

    TruckTableModel *model = app->window()->truckModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->truck(QStringLiteral("T-NEW")), 10000);
    const TruckRow *row = model->truck(QStringLiteral("T-NEW"));
    QVERIFY(row->state.registered);
    QCOMPARE(row->state.name, QStringLiteral("Blue Peterbilt"));
    QCOMPARE(row->state.capacityPounds, std::optional<int>(24000));
    const int r = model->rowOfKey(QStringLiteral("T-NEW"));
    QCOMPARE(model->index(r, TruckTableModel::CapacityColumn).data().toString(),
        QStringLiteral("24,000 lb"));
    QCOMPARE(model->index(r, TruckTableModel::StatusColumn).data().toString(),
        QStringLiteral("Available"));
}

void TestRecords::loadsOnATruckOutOfServiceStandOutUntilItIsBack()
{
    const QString truck = QStringLiteral("T-BREAK");
    QCOMPARE(test::runCommands(m_api.get(),
                 { registerTruck(truck, 10000),
                     test::submit(QStringLiteral("BRK-1"), QStringLiteral("B"), 2500),
                     test::assign(QStringLiteral("BRK-1"), truck) }),
        QString());
    auto app = openApp(QStringLiteral("dispatch"));
    QVERIFY(app);
    TrucksView *trucks = app->window()->trucks();
    TruckTableModel *model = app->window()->truckModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOfKey(truck) >= 0, 10000);
    int r = model->rowOfKey(truck);
    QCOMPARE(
        model->index(r, TruckTableModel::LoadColumn).data().toString(), QStringLiteral("2,500 lb"));
    QCOMPARE(model->index(r, TruckTableModel::LoadColumn)
                 .data(TruckTableModel::CapacityUseRole)
                 .toDouble(),
        0.25);
    QVERIFY(trucks->strandedText().isEmpty());

    trucks->selectTruck(truck);
    QTRY_VERIFY_WITH_TIMEOUT(trucks->outOfServiceAction()->isEnabled(), 5000);
    QVERIFY(!trucks->returnAction()->isEnabled());
    trucks->outOfServiceAction()->trigger();
    QPointer<CommandDialog> dialog = test::waitForDialog<CommandDialog>(trucks);
    QVERIFY(dialog);
    dialog->submit();
    QCOMPARE(dialog->errorText(), QStringLiteral("Say why."));
    type(dialog->field(), QStringLiteral("Brake failure"));
    dialog->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(dialog.isNull(), qPrintable(errorOf(dialog)), 15000);

    QTRY_VERIFY_WITH_TIMEOUT(!model->truck(truck)->state.inService, 10000);
    r = model->rowOfKey(truck);
    QVERIFY(model->index(r, 0).data(TruckTableModel::StrandedRole).toBool());
    QVERIFY(model->index(r, 0).data(Qt::BackgroundRole).isValid());
    QCOMPARE(model->index(r, TruckTableModel::StatusColumn).data().toString(),
        QStringLiteral("Out of service"));
    QCOMPARE(model->index(r, TruckTableModel::ShipmentsColumn).data().toString(),
        QStringLiteral("Needs a truck: BRK-1"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        trucks->strandedText().contains(QLatin1String("BRK-1 (truck T-BREAK)")),
        qPrintable(trucks->strandedText()), 5000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        trucks->detailText().contains(QLatin1String("Out of service: Brake failure")),
        qPrintable(trucks->detailText()), 5000);
    QVERIFY2(!model->availableTrucks().contains(truck), "a broken truck is not offered for loads");

    QTRY_VERIFY_WITH_TIMEOUT(trucks->returnAction()->isEnabled(), 5000);
    trucks->returnAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(model->truck(truck)->state.inService, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(trucks->strandedText().isEmpty(), 5000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        joined(app->window()->notifications()->messages())
            .contains(QLatin1String("Return truck T-BREAK to service: done.")),
        qPrintable(joined(app->window()->notifications()->messages())), 5000);
}

QTEST_MAIN(TestRecords)
#include "tst_records.moc"
