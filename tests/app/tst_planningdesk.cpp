// The desktop's planning, driven as a clerk drives it: real widgets (offscreen), the real
// embedded server, HTTP on loopback. New shipments start with sensible windows and send them in
// UTC whatever the clerk's time zone; amend and reschedule change them (the pickup only until it
// is shipped); the board and the detail say what is late and what was on time, the board filters
// the late ones and today's, and its less used columns hide from the header's menu, remembered.
#include "appcontroller.h"
#include "apptestsupport.h"
#include "client/apiclient.h"
#include "client/shipmentids.h"
#include "language.h"
#include "models/accounttablemodel.h"
#include "models/shipmentquery.h"
#include "models/shipmenttablemodel.h"
#include "models/statementmodel.h"
#include "presentation/timetext.h"
#include "screenshots/demodata.h"
#include "views/accountsview.h"
#include "views/addressform.h"
#include "views/amenddialog.h"
#include "views/mainwindow.h"
#include "views/newshipmentdialog.h"
#include "views/rescheduledialog.h"
#include "views/shipmentactions.h"
#include "views/shipmentboard.h"
#include "views/shipmentdetail.h"
#include "views/viewsettings.h"
#include "views/windowedit.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateTimeEdit>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStyle>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace waybill;
using namespace waybill::app;

namespace {
void type(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

void fillAddress(AddressForm *form, const QStringList &values)
{
    for (int i = 0; i < AddressForm::keys().size(); ++i) {
        if (!values.at(i).isEmpty())
            type(form->field(AddressForm::keys().at(i)), values.at(i));
    }
}

// A submit with the windows given.
CommandRequest submitWith(const QString &id, const std::optional<TimeWindow> &pickup,
    const std::optional<TimeWindow> &delivery)
{
    CommandRequest request = test::submit(id, QStringLiteral("PLAN-ACCT"));
    if (pickup)
        request.body.insert(QStringLiteral("pickupWindow"), pickup->toJson());
    if (delivery)
        request.body.insert(QStringLiteral("deliveryWindow"), delivery->toJson());
    return request;
}

QDateTime minutes(const QDateTime &t)
{
    const QDateTime utc = t.toUTC();
    return QDateTime(utc.date(), QTime(utc.time().hour(), utc.time().minute()), QTimeZone::utc());
}
} // namespace

class TestPlanningDesk final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void windowEditShowsItsZonesTimesAndSendsUtc();
    void newShipmentStartsPickedUpTomorrowMorningAndDeliveredByTheNextDaysEnd();
    void deliveryEndingBeforeThePickupIsShownUnderItAndNotSent();
    void newShipmentOffersTheAddressesTheAccountUsedBefore();
    void newShipmentProposesTheNextFreeIdAndFlagsATakenOne();
    void amendChangesAWindowAndTheDetailShowsIt();
    void rescheduleOfAShippedShipmentMovesOnlyItsDelivery();
    void rescheduleRefusesADeliveryEndingBeforeThePickupItKeeps();
    void boardSaysWhatIsLateAndFiltersLateAndDueToday();
    void lessUsedColumnsHideFromTheHeaderMenuAndStayHidden();
    void newShipmentAddressesReadWhole_data();
    void newShipmentAddressesReadWhole();
    void everyFilterHintOfTheBoardsReadsWhole_data();
    void everyFilterHintOfTheBoardsReadsWhole();
    void statementDatesStayOnOneLine();
    void firstStartOnAnEmptyDatabaseSaysHowToBegin();
    void demoFillsADatabaseOfItsOwnWithAWorkingWeek();

private:
    std::unique_ptr<AppController> openApp(const QString &role);
    // The shipment as the server has it now.
    std::optional<ShipmentState> fetch(const QString &id);

    QTemporaryDir m_settings;
    QTemporaryDir m_home;
    std::unique_ptr<test::TestServer> m_server;
    std::unique_ptr<ApiClient> m_api;
    QHash<QString, QString> m_tokens;
};

void TestPlanningDesk::initTestCase()
{
    test::isolateSettings(m_settings.path());
    m_server = std::make_unique<test::TestServer>();
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_api = std::make_unique<ApiClient>(m_server->url(), m_server->adminToken());
    for (const QString &role : { QStringLiteral("dispatch"), QStringLiteral("customer-service"),
             QStringLiteral("finance") })
        m_tokens.insert(role, m_server->createToken(QStringLiteral("clerk-") + role, role));
}

void TestPlanningDesk::init()
{
    QSettings().clear();
    Language::install(QStringLiteral("en"));
}

void TestPlanningDesk::cleanupTestCase()
{
    m_api.reset();
    m_server.reset();
}

std::unique_ptr<AppController> TestPlanningDesk::openApp(const QString &role)
{
    return test::openApp(m_server->url(), m_tokens.value(role), test::appPathsIn(m_home));
}

std::optional<ShipmentState> TestPlanningDesk::fetch(const QString &id)
{
    std::optional<ShipmentState> found;
    bool done = false;
    m_api->get(ApiClient::pathOf({ QStringLiteral("shipments"), id }), {}, m_api.get(),
        [&](const ApiResult &result) {
            if (result.ok())
                found = ShipmentState::fromJson(result.object());
            done = true;
        });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        return std::nullopt;
    return found;
}

void TestPlanningDesk::windowEditShowsItsZonesTimesAndSendsUtc()
{
    WindowEdit edit(QStringLiteral("&Pickup:"), QStringLiteral("pickup"));
    edit.setTimeZone(QTimeZone("Asia/Tokyo"));
    const TimeWindow utc { QDateTime(QDate(2026, 12, 1), QTime(8, 0), QTimeZone::utc()),
        QDateTime(QDate(2026, 12, 1), QTime(12, 0), QTimeZone::utc()) };
    edit.setWindow(utc);
    // 08:00 UTC is 17:00 in Tokyo: the clerk reads and types local time...
    QCOMPARE(edit.fromEdit()->time(), QTime(17, 0));
    QCOMPARE(edit.toEdit()->time(), QTime(21, 0));
    QCOMPARE(edit.window(), std::optional<TimeWindow>(utc));
    // ...and what is sent is the same instant in UTC.
    edit.toEdit()->setTime(QTime(22, 30));
    QCOMPARE(edit.window()->to, QDateTime(QDate(2026, 12, 1), QTime(13, 30), QTimeZone::utc()));
    QCOMPARE(edit.problem(), QString());
    edit.toEdit()->setTime(QTime(16, 0));
    QCOMPARE(edit.problem(), QStringLiteral("The window ends before it starts."));
    // Unticked: no window at all.
    edit.check()->setChecked(false);
    QCOMPARE(edit.window(), std::optional<TimeWindow>());
    QVERIFY(!edit.fromEdit()->isEnabled());

    // The defaults, seen from late evening in Tokyo: tomorrow there, not tomorrow in UTC.
    const QDateTime evening(QDate(2026, 12, 1), QTime(14, 30), QTimeZone::utc()); // 23:30 JST
    const TimeWindow pickup = WindowEdit::defaultPickup(evening, QTimeZone("Asia/Tokyo"));
    QCOMPARE(pickup.from, QDateTime(QDate(2026, 12, 2), QTime(8, 0), QTimeZone("Asia/Tokyo")));
    QCOMPARE(pickup.to, QDateTime(QDate(2026, 12, 2), QTime(12, 0), QTimeZone("Asia/Tokyo")));
    const TimeWindow delivery = WindowEdit::defaultDelivery(evening, QTimeZone("Asia/Tokyo"));
    QCOMPARE(delivery.to, QDateTime(QDate(2026, 12, 3), QTime(23, 59), QTimeZone("Asia/Tokyo")));
}

void TestPlanningDesk::newShipmentStartsPickedUpTomorrowMorningAndDeliveredByTheNextDaysEnd()
{
    // The form reads "tomorrow" as it opens, the test just after, and a window is shown with its
    // year when it is not this year's: one day, and one year, throughout.
    const QTimeZone zone = QTimeZone::systemTimeZone();
    QVERIFY(test::waitOutTheDaysEnd(zone, std::chrono::seconds(60)));
    auto app = openApp(QStringLiteral("customer-service"));
    QVERIFY(app);
    QPointer<NewShipmentDialog> form = app->window()->openNewShipment();
    QVERIFY(form);
    QCOMPARE(form->pickupWindow()->timeZone(), zone);
    const QDate tomorrow = QDateTime::currentDateTimeUtc().toTimeZone(zone).date().addDays(1);
    const std::optional<TimeWindow> pickup = form->pickupWindow()->window();
    const std::optional<TimeWindow> delivery = form->deliveryWindow()->window();
    QVERIFY(pickup && delivery);
    QCOMPARE(pickup->from, QDateTime(tomorrow, QTime(8, 0), zone));
    QCOMPARE(pickup->to, QDateTime(tomorrow, QTime(12, 0), zone));
    QCOMPARE(delivery->to, QDateTime(tomorrow.addDays(1), QTime(23, 59), zone));

    type(form->idField(), QStringLiteral("PLAN-NEW"));
    type(form->accountField()->lineEdit(), QStringLiteral("PLAN-ACCT"));
    type(form->weightField(), QStringLiteral("300"));
    fillAddress(form->shipFrom(),
        { QStringLiteral("Lone Star Grocers"), QStringLiteral("201 Congress Ave"), QString(),
            QStringLiteral("Austin"), QStringLiteral("TX"), QStringLiteral("78701") });
    fillAddress(form->shipTo(),
        { QStringLiteral("Bayou Bottling"), QStringLiteral("909 Travis St"), QString(),
            QStringLiteral("Houston"), QStringLiteral("TX"), QStringLiteral("77002") });
    // The clerk moves the pickup an hour later.
    form->pickupWindow()->toEdit()->setTime(QTime(13, 0));
    QTest::mouseClick(
        form->findChild<QPushButton *>(QStringLiteral("submitButton")), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(
        form.isNull(), qPrintable(form ? form->summaryText() : QString()), 15000);
    const std::optional<ShipmentState> stored = fetch(QStringLiteral("PLAN-NEW"));
    QVERIFY(stored);
    QCOMPARE(stored->pickupWindow->from, minutes(pickup->from));
    QCOMPARE(stored->pickupWindow->to, QDateTime(tomorrow, QTime(13, 0), zone).toUTC());
    QCOMPARE(stored->deliveryWindow, std::optional<TimeWindow>(delivery));
    ShipmentDetail *detail = app->window()->detail();
    QTRY_VERIFY_WITH_TIMEOUT(!detail->fieldText(QStringLiteral("pickupWindow")).isEmpty(), 10000);
    QCOMPARE(
        detail->fieldText(QStringLiteral("pickupWindow")), TimeText::window(stored->pickupWindow));
    QCOMPARE(detail->fieldText(QStringLiteral("timing")), QString());
}

void TestPlanningDesk::deliveryEndingBeforeThePickupIsShownUnderItAndNotSent()
{
    auto app = openApp(QStringLiteral("customer-service"));
    QVERIFY(app);
    QPointer<NewShipmentDialog> form = app->window()->openNewShipment();
    QVERIFY(form);
    type(form->idField(), QStringLiteral("PLAN-BACKWARDS"));
    type(form->accountField()->lineEdit(), QStringLiteral("PLAN-ACCT"));
    type(form->weightField(), QStringLiteral("300"));
    fillAddress(form->shipFrom(),
        { QStringLiteral("A"), QStringLiteral("1 Road"), QString(), QStringLiteral("Austin"),
            QStringLiteral("TX"), QStringLiteral("78701") });
    fillAddress(form->shipTo(),
        { QStringLiteral("B"), QStringLiteral("2 Road"), QString(), QStringLiteral("Waco"),
            QStringLiteral("TX"), QStringLiteral("76701") });
    const QDateTime pickupStart = form->pickupWindow()->fromEdit()->dateTime();
    form->deliveryWindow()->fromEdit()->setDateTime(pickupStart.addDays(-2));
    form->deliveryWindow()->toEdit()->setDateTime(pickupStart.addDays(-1));
    ApiClient *api = app->session()->api();
    QTRY_COMPARE_WITH_TIMEOUT(api->requestsInFlight(), 0, 10000);
    QTest::mouseClick(
        form->findChild<QPushButton *>(QStringLiteral("submitButton")), Qt::LeftButton);
    QCOMPARE(form->problem(QStringLiteral("deliveryWindow")),
        QStringLiteral("The delivery window must not end before the pickup window starts."));
    QVERIFY2(!form.isNull(), "the form stays open");
    QCOMPARE(api->requestsInFlight(), 0);
    const std::optional<ApiResult> stored = test::getNow(m_api.get(),
        ApiClient::pathOf({ QStringLiteral("shipments"), QStringLiteral("PLAN-BACKWARDS") }));
    QVERIFY2(stored, "the server answered");
    QCOMPARE(stored->httpStatus, 404);
}

void TestPlanningDesk::newShipmentOffersTheAddressesTheAccountUsedBefore()
{
    QCOMPARE(test::runCommands(m_api.get(),
                 { test::submit(QStringLiteral("PLAN-HIST-1"), QStringLiteral("PLAN-HIST")),
                     test::submit(QStringLiteral("PLAN-HIST-2"), QStringLiteral("PLAN-HIST")),
                     test::submit(QStringLiteral("PLAN-OTHER-1"), QStringLiteral("PLAN-OTHER")) }),
        QString());
    // Another account's addresses are not offered: a second address for PLAN-OTHER.
    CommandRequest other
        = test::submit(QStringLiteral("PLAN-OTHER-2"), QStringLiteral("PLAN-OTHER"));
    other.body.insert(QStringLiteral("shipTo"),
        test::address(QStringLiteral("Gulf Ice House"), QStringLiteral("Galveston"),
            QStringLiteral("77550")));
    QCOMPARE(test::runCommands(m_api.get(), { other }), QString());
    auto app = openApp(QStringLiteral("customer-service"));
    QVERIFY(app);
    QPointer<NewShipmentDialog> form = app->window()->openNewShipment();
    QVERIFY(form);
    QSignalSpy loaded(form.data(), &NewShipmentDialog::suggestionsLoaded);
    type(form->accountField()->lineEdit(), QStringLiteral("PLAN-HIST"));
    Q_EMIT form->accountField()->lineEdit()->editingFinished();
    QVERIFY(loaded.wait(10000));
    const QStringList offered = form->addressSuggestions();
    // Each address once, however many shipments used it.
    QCOMPARE(offered.size(), 2);
    QVERIFY2(
        !offered.filter(QStringLiteral("Bayou Bottling")).isEmpty(), qPrintable(offered.join('|')));
    QVERIFY2(
        offered.filter(QStringLiteral("Gulf Ice House")).isEmpty(), qPrintable(offered.join('|')));
    // Typed into the name, "bayou" narrows the completer to that one; picking it fills the form.
    QCompleter *completer = form->shipTo()->field(QStringLiteral("name"))->completer();
    QVERIFY(completer);
    completer->setCompletionPrefix(QStringLiteral("bayou"));
    QCOMPARE(completer->completionCount(), 1);
    form->useSuggestion(form->shipTo(), completer->currentCompletion());
    QCOMPARE(
        form->shipTo()->field(QStringLiteral("name"))->text(), QStringLiteral("Bayou Bottling"));
    QCOMPARE(form->shipTo()->field(QStringLiteral("city"))->text(), QStringLiteral("Houston"));
    QCOMPARE(form->shipTo()->field(QStringLiteral("zip"))->text(), QStringLiteral("77002"));
    // Another account, other addresses.
    QSignalSpy again(form.data(), &NewShipmentDialog::suggestionsLoaded);
    type(form->accountField()->lineEdit(), QStringLiteral("PLAN-OTHER"));
    Q_EMIT form->accountField()->lineEdit()->editingFinished();
    QVERIFY(again.wait(10000));
    QVERIFY2(!form->addressSuggestions().filter(QStringLiteral("Gulf Ice House")).isEmpty(),
        qPrintable(form->addressSuggestions().join('|')));
}

void TestPlanningDesk::amendChangesAWindowAndTheDetailShowsIt()
{
    // A window is shown with its year when it is not this year's: the detail and the test write
    // it in one year.
    QVERIFY(test::waitOutTheDaysEnd(QTimeZone::systemTimeZone(), std::chrono::seconds(60)));
    const QString id = QStringLiteral("PLAN-AMEND");
    const QDateTime day = QDateTime::currentDateTimeUtc().addDays(3);
    const TimeWindow pickup { minutes(day), minutes(day.addSecs(3600 * 4)) };
    QCOMPARE(test::runCommands(m_api.get(), { submitWith(id, pickup, std::nullopt) }), QString());
    auto app = openApp(QStringLiteral("customer-service"));
    QVERIFY(app);
    ShipmentDetail *detail = app->window()->detail();
    detail->showShipment(id);
    QTRY_VERIFY_WITH_TIMEOUT(detail->actions()->amendAction()->isEnabled(), 10000);
    detail->actions()->amendAction()->trigger();
    QPointer<AmendDialog> dialog = test::waitForDialog<AmendDialog>(detail);
    QVERIFY(dialog);
    QCOMPARE(dialog->pickupWindow()->window(), std::optional<TimeWindow>(pickup));
    QVERIFY(!dialog->deliveryWindow()->window());
    // Taking a window away is not something the contract can do: said, not sent.
    dialog->pickupWindow()->check()->setChecked(false);
    type(dialog->reasonField(), QStringLiteral("Customer called"));
    dialog->submit();
    QCOMPARE(dialog->errorText(),
        QStringLiteral("A window cannot be removed; change its times instead."));
    dialog->pickupWindow()->check()->setChecked(true);
    dialog->deliveryWindow()->check()->setChecked(true);
    const TimeWindow delivery { pickup.from.addDays(1), pickup.from.addDays(2) };
    dialog->deliveryWindow()->setWindow(delivery);
    dialog->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(
        dialog.isNull(), qPrintable(dialog ? dialog->errorText() : QString()), 15000);
    const std::optional<ShipmentState> stored = fetch(id);
    QVERIFY(stored);
    QCOMPARE(stored->deliveryWindow, std::optional<TimeWindow>(delivery));
    QCOMPARE(stored->pickupWindow, std::optional<TimeWindow>(pickup));
    QTRY_COMPARE_WITH_TIMEOUT(
        detail->fieldText(QStringLiteral("deliveryWindow")), TimeText::window(delivery), 10000);
}

void TestPlanningDesk::rescheduleOfAShippedShipmentMovesOnlyItsDelivery()
{
    const QString id = QStringLiteral("PLAN-RESCHEDULE");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const TimeWindow pickup { minutes(now.addSecs(-7200)), minutes(now.addSecs(-3600)) };
    const TimeWindow delivery { minutes(now.addSecs(-3600)), minutes(now.addSecs(-60)) };
    QCOMPARE(test::runCommands(m_api.get(),
                 { submitWith(id, pickup, delivery), test::assign(id, QStringLiteral("T-9")),
                     test::ship(id) }),
        QString());
    auto app = openApp(QStringLiteral("dispatch"));
    QVERIFY(app);
    ShipmentDetail *detail = app->window()->detail();
    detail->showShipment(id);
    // Shipped and its delivery window over: late for its delivery.
    QTRY_COMPARE_WITH_TIMEOUT(
        detail->fieldText(QStringLiteral("timing")), QStringLiteral("Late: delivery"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(detail->actions()->rescheduleAction()->isEnabled(), 10000);
    QVERIFY(!detail->actions()->amendAction()->isVisible()); // not Dispatch's to amend
    detail->actions()->rescheduleAction()->trigger();
    QPointer<RescheduleDialog> dialog = test::waitForDialog<RescheduleDialog>(detail);
    QVERIFY(dialog);
    QVERIFY(!dialog->pickupWindow()->isEnabled());
    QCOMPARE(dialog->deliveryWindow()->window(), std::optional<TimeWindow>(delivery));
    const TimeWindow later { delivery.from, minutes(now.addDays(1)) };
    dialog->deliveryWindow()->setWindow(later);
    type(dialog->reasonField(), QStringLiteral("Road closed"));
    dialog->submit();
    QTRY_VERIFY2_WITH_TIMEOUT(
        dialog.isNull(), qPrintable(dialog ? dialog->errorText() : QString()), 15000);
    const std::optional<ShipmentState> stored = fetch(id);
    QVERIFY(stored);
    QCOMPARE(stored->deliveryWindow, std::optional<TimeWindow>(later));
    QCOMPARE(stored->pickupWindow, std::optional<TimeWindow>(pickup));
    QTRY_COMPARE_WITH_TIMEOUT(detail->fieldText(QStringLiteral("timing")), QString(), 10000);

    // Delivered now, inside the new window: on time, for good.
    QCOMPARE(test::runCommands(m_api.get(), { test::deliver(id) }), QString());
    QTRY_COMPARE_WITH_TIMEOUT(
        detail->fieldText(QStringLiteral("timing")), QStringLiteral("On time"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!detail->actions()->rescheduleAction()->isEnabled(), 10000);
}

void TestPlanningDesk::rescheduleRefusesADeliveryEndingBeforeThePickupItKeeps()
{
    const QString id = QStringLiteral("PLAN-RESCHEDULE-BACKWARDS");
    const QDateTime day = QDateTime::currentDateTimeUtc().addDays(3);
    const TimeWindow pickup { minutes(day), minutes(day.addSecs(3600 * 4)) };
    QCOMPARE(test::runCommands(m_api.get(), { submitWith(id, pickup, std::nullopt) }), QString());
    auto app = openApp(QStringLiteral("customer-service"));
    QVERIFY(app);
    ShipmentDetail *detail = app->window()->detail();
    detail->showShipment(id);
    QTRY_VERIFY_WITH_TIMEOUT(detail->actions()->rescheduleAction()->isEnabled(), 10000);
    detail->actions()->rescheduleAction()->trigger();
    QPointer<RescheduleDialog> dialog = test::waitForDialog<RescheduleDialog>(detail);
    QVERIFY(dialog);
    // Only a delivery window is sent: it ends the day before the pickup the shipment keeps.
    dialog->deliveryWindow()->check()->setChecked(true);
    dialog->deliveryWindow()->setWindow(
        TimeWindow { pickup.from.addDays(-2), pickup.from.addDays(-1) });
    ApiClient *api = app->session()->api();
    QTRY_COMPARE_WITH_TIMEOUT(api->requestsInFlight(), 0, 10000);
    dialog->submit();
    QCOMPARE(dialog->errorText(),
        QStringLiteral("Shipment %1's delivery window would end before its pickup window starts.")
            .arg(id));
    QCOMPARE(api->requestsInFlight(), 0);
    QVERIFY2(!dialog.isNull(), "the dialog stays open");
    const std::optional<ShipmentState> stored = fetch(id);
    QVERIFY(stored);
    QCOMPARE(stored->version, 1);
    QVERIFY(!stored->deliveryWindow);
}

namespace {
// A row for each language of the app.
void addLanguageRows()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("English") << QStringLiteral("en");
    QTest::newRow("Spanish") << QStringLiteral("es");
}

// The width a line edit has for its text: less its frame, margins and side buttons.
int roomForText(const QLineEdit *edit)
{
    int room = edit->width()
        - 2 * edit->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, edit) - 4
        - edit->textMargins().left() - edit->textMargins().right();
    for (const QToolButton *button : edit->findChildren<QToolButton *>())
        room -= button->width();
    return room;
}
} // namespace

void TestPlanningDesk::newShipmentAddressesReadWhole_data()
{
    addLanguageRows();
}

// In the new shipment form both addresses' hints read whole, and so do a long name and street
// (before, "201 Congress Ave" barely fitted).
void TestPlanningDesk::newShipmentAddressesReadWhole()
{
    QFETCH(QString, language);
    Language::install(language);
    const auto english = qScopeGuard([] { Language::install(QStringLiteral("en")); });
    auto app = openApp(QStringLiteral("customer-service"));
    QVERIFY(app);
    QPointer<NewShipmentDialog> form = app->window()->openNewShipment();
    QVERIFY(form);
    QVERIFY(QTest::qWaitForWindowExposed(form));
    const QString longest[] = { QStringLiteral("Panhandle Plains Cooperative"),
        QStringLiteral("4100 North Central Expressway"), QStringLiteral("Dock 14, Building C"),
        QStringLiteral("North Richland Hills") };
    for (AddressForm *address : { form->shipFrom(), form->shipTo() }) {
        for (const QString &key : AddressForm::keys()) {
            auto *edit = address->findChild<QLineEdit *>(key);
            QVERIFY2(edit, qPrintable(key));
            const int room = roomForText(edit);
            const int hint = edit->fontMetrics().horizontalAdvance(edit->placeholderText());
            QVERIFY2(hint <= room,
                qPrintable(QStringLiteral("%1 %2: the hint \"%3\" needs %4 px, has %5")
                               .arg(address->objectName(), key, edit->placeholderText())
                               .arg(hint)
                               .arg(room)));
        }
        const QStringList texts { QStringLiteral("name"), QStringLiteral("line1"),
            QStringLiteral("line2"), QStringLiteral("city") };
        for (int i = 0; i < texts.size(); ++i) {
            auto *edit = address->findChild<QLineEdit *>(texts.at(i));
            const int needed = edit->fontMetrics().horizontalAdvance(longest[i]);
            QVERIFY2(needed <= roomForText(edit),
                qPrintable(QStringLiteral("%1 %2: \"%3\" needs %4 px, has %5")
                               .arg(address->objectName(), texts.at(i), longest[i])
                               .arg(needed)
                               .arg(roomForText(edit))));
        }
    }
    form->reject();
}

void TestPlanningDesk::everyFilterHintOfTheBoardsReadsWhole_data()
{
    addLanguageRows();
}

// At 1280x800, on the Shipments tab (beside a shipment's details) and on Dispatch (beside the
// trucks), the hints of the truck, account and search fields read whole: each field's room for
// text, less its frame, margins and clear button, holds its hint.
void TestPlanningDesk::everyFilterHintOfTheBoardsReadsWhole()
{
    QFETCH(QString, language);
    Language::install(language);
    const auto english = qScopeGuard([] { Language::install(QStringLiteral("en")); });
    auto app = openApp(QStringLiteral("dispatch"));
    QVERIFY(app);
    MainWindow *window = app->window();
    window->resize(1280, 800);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    for (const int tab : { int(MainWindow::ShipmentsTab), int(MainWindow::DispatchTab) }) {
        window->tabs()->setCurrentIndex(tab);
        QWidget *page = window->tabs()->currentWidget();
        for (const char *name : { "truckFilter", "accountFilter", "search" }) {
            auto *edit = page->findChild<QLineEdit *>(QLatin1String(name));
            QVERIFY2(edit, name);
            QTRY_VERIFY(edit->isVisible());
            QVERIFY(!edit->placeholderText().isEmpty());
            const int room = roomForText(edit);
            const int hint = edit->fontMetrics().horizontalAdvance(edit->placeholderText());
            QVERIFY2(hint <= room,
                qPrintable(QStringLiteral("tab %1, %2: \"%3\" needs %4 px, has %5")
                               .arg(tab)
                               .arg(QLatin1String(name), edit->placeholderText())
                               .arg(hint)
                               .arg(room)));
        }
    }
}

void TestPlanningDesk::boardSaysWhatIsLateAndFiltersLateAndDueToday()
{
    const QTimeZone zone = QTimeZone::systemTimeZone();
    // Today's window ends at 23:59: in the day's last minute it is over, and due today would
    // rightly be late. Started then, the test waits for the next day (at most 70 seconds).
    QVERIFY(test::waitOutTheDaysEnd(zone, std::chrono::seconds(70)));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDate today = now.toTimeZone(zone).date();
    // Today's window: the whole of today, local time, ending in the future.
    const TimeWindow todays { QDateTime(today, QTime(0, 0), zone).toUTC(),
        QDateTime(today, QTime(23, 59), zone).toUTC() };
    const TimeWindow past { minutes(now.addDays(-3)), minutes(now.addDays(-3).addSecs(3600)) };
    const TimeWindow future { minutes(now.addDays(5)), minutes(now.addDays(5).addSecs(3600)) };
    QCOMPARE(test::runCommands(m_api.get(),
                 { submitWith(QStringLiteral("PLAN-B-LATE"), past, std::nullopt),
                     submitWith(QStringLiteral("PLAN-B-TODAY"), std::nullopt, todays),
                     submitWith(QStringLiteral("PLAN-B-LATER"), future, future) }),
        QString());
    auto app = openApp(QStringLiteral("dispatch"));
    QVERIFY(app);
    MainWindow *window = app->window();
    window->tabs()->setCurrentIndex(MainWindow::ShipmentsTab);
    ShipmentBoard *board = window->board();
    ShipmentTableModel *model = board->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(QStringLiteral("PLAN-B-LATER")) >= 0, 10000);
    const auto timing = [&](const QString &id) {
        return model->index(model->rowOf(id), ShipmentTableModel::TimingColumn).data().toString();
    };
    QCOMPARE(timing(QStringLiteral("PLAN-B-LATE")), QStringLiteral("Late: pickup"));
    QCOMPARE(timing(QStringLiteral("PLAN-B-TODAY")), QString());
    QCOMPARE(
        model->index(model->rowOf(QStringLiteral("PLAN-B-LATER")), ShipmentTableModel::PickupColumn)
            .data()
            .toString(),
        TimeText::window(future));

    const auto shownIds = [&] {
        QStringList ids;
        for (int row = 0; row < model->rowCount(); ++row) {
            const QString id = model->index(row, 0).data(ShipmentTableModel::IdRole).toString();
            if (id.startsWith(QLatin1String("PLAN-B-")))
                ids << id;
        }
        return ids;
    };
    board->timingFilter()->setCurrentIndex(board->timingFilter()->findData(QStringLiteral("late")));
    QTRY_COMPARE_WITH_TIMEOUT(shownIds(), QStringList { QStringLiteral("PLAN-B-LATE") }, 10000);
    board->timingFilter()->setCurrentIndex(
        board->timingFilter()->findData(QStringLiteral("today")));
    QTRY_COMPARE_WITH_TIMEOUT(shownIds(), QStringList { QStringLiteral("PLAN-B-TODAY") }, 10000);
    // Remembered for the next start.
    QCOMPARE(QSettings().value(QStringLiteral("board/timing")).toString(), QStringLiteral("today"));
}

void TestPlanningDesk::lessUsedColumnsHideFromTheHeaderMenuAndStayHidden()
{
    auto app = openApp(QStringLiteral("dispatch"));
    QVERIFY(app);
    QHeaderView *header = app->window()->board()->table()->horizontalHeader();
    // At first the times of creation and change are hidden; the rest shows.
    QVERIFY(header->isSectionHidden(ShipmentTableModel::CreatedColumn));
    QVERIFY(header->isSectionHidden(ShipmentTableModel::UpdatedColumn));
    QVERIFY(!header->isSectionHidden(ShipmentTableModel::WeightColumn));
    std::unique_ptr<QMenu> menu(ViewSettings::columnsMenu(header, QStringLiteral("board/columns")));
    QAction *weight = nullptr;
    QAction *created = nullptr;
    for (QAction *action : menu->actions()) {
        if (action->text() == QLatin1String("Weight"))
            weight = action;
        if (action->text() == QLatin1String("Created"))
            created = action;
    }
    QVERIFY(weight && created);
    QVERIFY(weight->isChecked());
    QVERIFY(!created->isChecked());
    weight->trigger();
    created->trigger();
    QVERIFY(header->isSectionHidden(ShipmentTableModel::WeightColumn));
    QVERIFY(!header->isSectionHidden(ShipmentTableModel::CreatedColumn));
    menu.reset();
    app.reset();

    // The next start shows the board as it was left.
    app = openApp(QStringLiteral("dispatch"));
    QVERIFY(app);
    header = app->window()->board()->table()->horizontalHeader();
    QVERIFY(header->isSectionHidden(ShipmentTableModel::WeightColumn));
    QVERIFY(!header->isSectionHidden(ShipmentTableModel::CreatedColumn));
    QVERIFY(header->isSectionHidden(ShipmentTableModel::UpdatedColumn));
}

void TestPlanningDesk::statementDatesStayOnOneLine()
{
    const QString account = QStringLiteral("PLAN-STATEMENT");
    QCOMPARE(test::runCommands(m_api.get(), { test::payment(account, 25) }), QString());
    auto app = openApp(QStringLiteral("finance"));
    QVERIFY(app);
    MainWindow *window = app->window();
    window->tabs()->setCurrentIndex(MainWindow::AccountsTab);
    window->accountModel()->reload();
    QTRY_VERIFY_WITH_TIMEOUT(window->accountModel()->rowOfKey(account) >= 0, 10000);
    window->accounts()->selectAccount(account);
    QTRY_COMPARE_WITH_TIMEOUT(window->accounts()->statement()->rowCount(), 1, 10000);
    QTableView *view = window->accounts()->statementView();
    QVERIFY(!view->wordWrap());
    const QString date = view->model()->index(0, StatementModel::DateColumn).data().toString();
    QVERIFY(!date.isEmpty());
    QVERIFY2(
        view->fontMetrics().horizontalAdvance(date) < view->columnWidth(StatementModel::DateColumn),
        qPrintable(QStringLiteral("\"%1\" is %2 px in a column of %3")
                       .arg(date)
                       .arg(view->fontMetrics().horizontalAdvance(date))
                       .arg(view->columnWidth(StatementModel::DateColumn))));
}

void TestPlanningDesk::firstStartOnAnEmptyDatabaseSaysHowToBegin()
{
    QTemporaryDir home;
    AppController app(CommandLineOptions {}, test::appPathsIn(home));
    QSignalSpy ready(&app, &AppController::sessionReady);
    app.start();
    QVERIFY(ready.wait(20000));
    ShipmentBoard *board = app.window()->board();
    QTRY_VERIFY_WITH_TIMEOUT(!board->emptyText().isEmpty(), 10000);
    QVERIFY2(board->emptyText().contains(QLatin1String("New shipment"))
            && board->emptyText().contains(QLatin1String("Connect to server"))
            && board->emptyText().contains(QLatin1String("--demo")),
        qPrintable(board->emptyText()));
    // A filter that matches nothing is not an empty office: no hint then.
    board->timingFilter()->setCurrentIndex(board->timingFilter()->findData(QStringLiteral("late")));
    QTRY_VERIFY_WITH_TIMEOUT(!board->model()->isLoading(), 10000);
    QCOMPARE(board->emptyText(), QString());
}

void TestPlanningDesk::demoFillsADatabaseOfItsOwnWithAWorkingWeek()
{
    QTemporaryDir home;
    const AppPaths paths = test::appPathsIn(home);
    CommandLineOptions options;
    options.demo = true;
    {
        AppController app(options, paths);
        QSignalSpy seeded(&app, &AppController::demoSeeded);
        app.start();
        QVERIFY(seeded.wait(90000));
        QCOMPARE(seeded.first().first().toString(), QString());
        ShipmentTableModel *model = app.window()->board()->model();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), DemoData::shipments(), 10000);
        // Windows over several days, some of them late now.
        QSet<QDate> days;
        int late = 0;
        for (int row = 0; row < model->rowCount(); ++row) {
            QTRY_VERIFY_WITH_TIMEOUT(model->shipmentAt(row).has_value(), 10000);
            const ShipmentState s = *model->shipmentAt(row);
            QVERIFY2(s.pickupWindow && s.deliveryWindow, qPrintable(s.id));
            days.insert(s.pickupWindow->from.toLocalTime().date());
            if (!model->index(row, 0).data(ShipmentTableModel::LateRole).toString().isEmpty())
                ++late;
        }
        QVERIFY2(days.size() >= 5, qPrintable(QString::number(days.size())));
        QVERIFY(late >= 2);
        QVERIFY(QFileInfo::exists(QDir(paths.dataDir).filePath(QStringLiteral("demo/waybill.db"))));
        QVERIFY(!QFileInfo::exists(paths.databaseFile()));
    }
    // Started again, the demo is there already and is not sent twice.
    AppController again(options, paths);
    QSignalSpy seeded(&again, &AppController::demoSeeded);
    again.start();
    QVERIFY(seeded.wait(30000));
    QCOMPARE(seeded.first().first().toString(), QString());
    QTRY_COMPARE_WITH_TIMEOUT(
        again.window()->board()->model()->rowCount(), DemoData::shipments(), 10000);
}

// The id proposed is the next of the day after the highest the server has, free when it is shown;
// two forms one after the other propose two ids; an id the clerk types that is taken is said
// beside the field before anything is sent, and a free one clears it.
void TestPlanningDesk::newShipmentProposesTheNextFreeIdAndFlagsATakenOne()
{
    // The ids are of the day (UTC) the form opens: the day read here must still be the one
    // when the forms open a moment later. Started in the day's last minute, the test waits.
    QVERIFY(test::waitOutTheDaysEnd(QTimeZone::utc(), std::chrono::seconds(60)));
    const QString prefix = ShipmentIds::dayPrefix(QDateTime::currentDateTimeUtc());
    const QString takenByAnother = prefix + QStringLiteral("500");
    if (!fetch(takenByAnother))
        QCOMPARE(test::runCommands(
                     m_api.get(), { test::submit(takenByAnother, QStringLiteral("PLAN-ACCT")) }),
            QString());
    auto app = openApp(QStringLiteral("customer-service"));
    QVERIFY(app);

    QPointer<NewShipmentDialog> first = app->window()->openNewShipment();
    QVERIFY(first);
    QTRY_VERIFY_WITH_TIMEOUT(!first->idField()->text().isEmpty(), 10000);
    const QString firstId = first->idField()->text();
    QVERIFY2(ShipmentIds::numberOf(firstId, prefix) > 500, qPrintable(firstId));
    QVERIFY2(!fetch(firstId), qPrintable(firstId + QStringLiteral(" is taken")));
    first->reject();

    QPointer<NewShipmentDialog> second = app->window()->openNewShipment();
    QVERIFY(second);
    QTRY_VERIFY_WITH_TIMEOUT(!second->idField()->text().isEmpty(), 10000);
    const QString secondId = second->idField()->text();
    QVERIFY2(ShipmentIds::numberOf(secondId, prefix) > ShipmentIds::numberOf(firstId, prefix),
        qPrintable(firstId + QStringLiteral(" then ") + secondId));
    QVERIFY2(!fetch(secondId), qPrintable(secondId + QStringLiteral(" is taken")));

    // The first form's id is used meanwhile: a third form knows it from the server.
    QCOMPARE(test::runCommands(m_api.get(), { test::submit(firstId, QStringLiteral("PLAN-ACCT")) }),
        QString());
    second->reject();
    QPointer<NewShipmentDialog> third = app->window()->openNewShipment();
    QVERIFY(third);
    QTRY_VERIFY_WITH_TIMEOUT(!third->idField()->text().isEmpty(), 10000);
    const QString thirdId = third->idField()->text();
    QVERIFY(thirdId != firstId && thirdId != secondId);
    QVERIFY2(!fetch(thirdId), qPrintable(thirdId + QStringLiteral(" is taken")));

    // The clerk types an id another office took: said beside the field, nothing sent.
    type(third->idField(), takenByAnother);
    QTRY_VERIFY2_WITH_TIMEOUT(third->problem(QStringLiteral("id")).contains(takenByAnother),
        qPrintable(third->problem(QStringLiteral("id"))), 10000);
    QVERIFY(third->problem(QStringLiteral("id")).contains(QLatin1String("exists already")));
    type(third->weightField(), QStringLiteral("300"));
    third->submit();
    QVERIFY(third->summaryText().contains(QLatin1String("need attention")));
    // A free one clears it.
    type(third->idField(), prefix + QStringLiteral("777"));
    QTRY_COMPARE_WITH_TIMEOUT(third->problem(QStringLiteral("id")), QString(), 10000);
    third->reject();
}

QTEST_MAIN(TestPlanningDesk)
#include "tst_planningdesk.moc"
