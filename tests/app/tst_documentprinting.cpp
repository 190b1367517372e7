// The desktop's printed documents driven as a clerk drives them: real widgets (offscreen), the
// real embedded server over loopback HTTP. "Print invoice…" on the invoice selected on an
// account's statement, "Account statement…" for a period, "Bill of lading…" on a shipment's
// detail: each opens a print preview whose "Save as PDF" writes a PDF that poppler reads back.
// The desktop and `waybill-server document` print one invoice with one number.
#include "appcontroller.h"
#include "apptestsupport.h"
#include "cliprocess.h"
#include "models/accounttablemodel.h"
#include "models/statementmodel.h"
#include "pdftext.h"
#include "views/accountsview.h"
#include "views/documentpreview.h"
#include "views/mainwindow.h"
#include "views/shipmentdetail.h"
#include "views/statementperioddialog.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QPrintPreviewWidget>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace waybill;
using namespace waybill::app;

namespace {

const QString kAccount = QStringLiteral("DOC-ACME");
const QString kShipment = QStringLiteral("DOC-S1");

// The preview a view opened (its documentOpened signal), once the server answered.
DocumentPreview *previewFrom(QSignalSpy &opened)
{
    if (opened.isEmpty() && !opened.wait(15000))
        return nullptr;
    return opened.first().first().value<DocumentPreview *>();
}

QString flat(const QString &text)
{
    return text.simplified();
}

// The number an invoice's text prints under its heading, or empty.
QString invoiceNumberIn(const QString &text)
{
    return QRegularExpression(QStringLiteral("Invoice number (INV-\\d{6})"))
        .match(text)
        .captured(1);
}

} // namespace

class TestDocumentPrinting final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void printInvoiceSavesTheInvoiceSelectedOnTheStatementAsPdf();
    void anInvoiceHasOneNumberOnTheDesktopTheCommandLineAndItsOpenItems();
    void invoicesRecordedBeforeNumbersHaveTheirNumberOnBothStatements();
    void accountStatementAsksForThePeriodAndSavesItAsPdf();
    void billOfLadingOfTheShownShipmentIsSavedAsPdf();

private:
    std::unique_ptr<AppController> openApp();
    AccountsView *accountsWithStatement(AppController *app);
    QString savedText(DocumentPreview *preview, const QString &name);
    // The position of the last event of the stream, as the server lists them.
    qint64 lastPositionOf(const QString &path);

    QTemporaryDir m_settings;
    QTemporaryDir m_home;
    QTemporaryDir m_out;
    std::unique_ptr<app::test::TestServer> m_server;
    std::unique_ptr<ApiClient> m_api;
    QString m_token;
};

void TestDocumentPrinting::initTestCase()
{
    QString error;
    QVERIFY2(waybill::test::pdfToolsAvailable(&error), qPrintable(error));
    app::test::isolateSettings(m_settings.path());
    m_server = std::make_unique<app::test::TestServer>();
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_api = std::make_unique<ApiClient>(m_server->url(), m_server->adminToken());
    // Customer service reads everything: printing is no finance privilege.
    m_token = m_server->createToken(QStringLiteral("clerk"), QStringLiteral("customer-service"));

    const CommandRequest open { CommandType::Open, kAccount,
        { { QStringLiteral("name"), QStringLiteral("Acme Supply") },
            { QStringLiteral("billingAddress"),
                app::test::address(QStringLiteral("Acme Supply Payables"), QStringLiteral("Dallas"),
                    QStringLiteral("75201")) },
            { QStringLiteral("paymentTermsDays"), 20 } } };
    // 1,200 lb at 28 cents a pound: $336.00, of which $100.00 is paid.
    QCOMPARE(
        app::test::runCommands(m_api.get(),
            { open, app::test::submit(kShipment, kAccount, 1200),
                app::test::assign(kShipment, QStringLiteral("truck-9")), app::test::ship(kShipment),
                app::test::deliver(kShipment, QStringLiteral("Ray Okafor")),
                app::test::payment(kAccount, 100) }),
        QString());
}

void TestDocumentPrinting::init()
{
    QSettings().clear();
}

void TestDocumentPrinting::cleanupTestCase()
{
    m_api.reset();
    m_server.reset();
}

std::unique_ptr<AppController> TestDocumentPrinting::openApp()
{
    return app::test::openApp(m_server->url(), m_token, app::test::appPathsIn(m_home));
}

AccountsView *TestDocumentPrinting::accountsWithStatement(AppController *app)
{
    MainWindow *window = app->window();
    window->tabs()->setCurrentIndex(MainWindow::AccountsTab);
    window->accountModel()->reload();
    if (!QTest::qWaitFor([&] { return window->accountModel()->rowOfKey(kAccount) >= 0; }, 10000))
        return nullptr;
    window->accounts()->selectAccount(kAccount);
    // Opened, invoiced (once the invoicer has followed the delivery), paid.
    if (!QTest::qWaitFor([&] { return window->accounts()->statement()->rowCount() == 3; }, 10000))
        return nullptr;
    return window->accounts();
}

QString TestDocumentPrinting::savedText(DocumentPreview *preview, const QString &name)
{
    const QString path = m_out.filePath(name);
    QSignalSpy saved(preview, &DocumentPreview::saved);
    if (!preview->saveAsPdf(path) || saved.size() != 1 || waybill::test::pdfPageCount(path) < 1)
        return {};
    return flat(waybill::test::pdfText(path));
}

qint64 TestDocumentPrinting::lastPositionOf(const QString &path)
{
    const std::optional<ApiResult> events = app::test::getNow(m_api.get(), path);
    if (!events || !events->ok() || events->array().isEmpty())
        return 0;
    return static_cast<qint64>(
        events->array().last().toObject().value(QStringLiteral("position")).toDouble());
}

void TestDocumentPrinting::printInvoiceSavesTheInvoiceSelectedOnTheStatementAsPdf()
{
    auto app = openApp();
    QVERIFY(app);
    AccountsView *accounts = accountsWithStatement(app.get());
    QVERIFY(accounts);
    QAction *print = accounts->printInvoiceAction();
    QVERIFY(print);
    QTableView *statement = accounts->statementView();
    int invoiceRow = -1;
    for (int row = 0; row < statement->model()->rowCount(); ++row) {
        const QModelIndex entry = statement->model()->index(row, 0);
        statement->selectionModel()->setCurrentIndex(entry, QItemSelectionModel::ClearAndSelect);
        if (entry.data(StatementModel::EventTypeRole).toString() == QLatin1String("invoiced"))
            invoiceRow = row;
        else
            QVERIFY2(!print->isEnabled(), "only an invoice can be printed as one");
    }
    QVERIFY(invoiceRow >= 0);
    statement->selectionModel()->setCurrentIndex(
        statement->model()->index(invoiceRow, 0), QItemSelectionModel::ClearAndSelect);
    QVERIFY(print->isEnabled());

    QSignalSpy opened(accounts, &AccountsView::documentOpened);
    print->trigger();
    DocumentPreview *preview = previewFrom(opened);
    QVERIFY(preview);
    QVERIFY(preview->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(preview->previewWidget()->pageCount() == 1, 5000);

    const QString text = savedText(preview, QStringLiteral("invoice.pdf"));
    QVERIFY(!text.isEmpty());
    const QRegularExpressionMatch number
        = QRegularExpression(QStringLiteral("Invoice number (INV-\\d{6})")).match(text);
    QVERIFY2(number.hasMatch(), qPrintable(text));
    for (const QString &expected :
        { QStringLiteral("Acme Supply Payables"), QStringLiteral("Shipment DOC-S1"),
            QStringLiteral("Net 20"), QStringLiteral("Invoice total $336.00"),
            QStringLiteral("Payments applied -$100.00"), QStringLiteral("Amount due $236.00"),
            QStringLiteral("signed by Ray Okafor"), QStringLiteral("Page 1 of 1") })
        QVERIFY2(text.contains(expected),
            qPrintable(QStringLiteral("expected \"%1\" in:\n%2").arg(expected, text)));
    // The proof names the last event the invoice reflects, with the hash the log has there.
    const qint64 last = qMax(lastPositionOf(QStringLiteral("/accounts/DOC-ACME/events")),
        lastPositionOf(QStringLiteral("/shipments/DOC-S1/events")));
    QCOMPARE(preview->document().proof.position, last);
    std::optional<ApiResult> proof;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("position"), QString::number(last));
    m_api->get(QStringLiteral("/audit/proof"), query, this,
        [&proof](const ApiResult &result) { proof = result; });
    QTRY_VERIFY_WITH_TIMEOUT(proof.has_value(), 10000);
    QVERIFY(proof->ok());
    const QString hash = proof->object().value(QStringLiteral("hash")).toString();
    QCOMPARE(hash.size(), 64);
    QVERIFY2(text.contains(QStringLiteral("waybill-server verify --position %1 --hash %2")
                               .arg(QString::number(last), hash)),
        qPrintable(text));
}

// The number comes from the invoices read model alone on both paths: the desktop's from
// GET /accounts/{id}/invoices, the command line's from the store.
void TestDocumentPrinting::anInvoiceHasOneNumberOnTheDesktopTheCommandLineAndItsOpenItems()
{
    QString error;
    QVERIFY2(waybill::test::serverBinaryIsBuilt(&error), qPrintable(error));
    auto app = openApp();
    QVERIFY(app);
    AccountsView *accounts = accountsWithStatement(app.get());
    QVERIFY(accounts);
    QTableView *statement = accounts->statementView();
    for (int row = 0; row < statement->model()->rowCount(); ++row) {
        const QModelIndex entry = statement->model()->index(row, 0);
        if (entry.data(StatementModel::EventTypeRole).toString() == QLatin1String("invoiced"))
            statement->selectionModel()->setCurrentIndex(
                entry, QItemSelectionModel::ClearAndSelect);
    }
    QVERIFY(accounts->printInvoiceAction()->isEnabled());
    QSignalSpy opened(accounts, &AccountsView::documentOpened);
    accounts->printInvoiceAction()->trigger();
    DocumentPreview *preview = previewFrom(opened);
    QVERIFY(preview);
    const QString desktop = savedText(preview, QStringLiteral("invoice-desktop.pdf"));
    const QString number = invoiceNumberIn(desktop);
    QVERIFY2(!number.isEmpty(), qPrintable(desktop));

    const std::optional<ApiResult> items
        = app::test::getNow(m_api.get(), QStringLiteral("/accounts/DOC-ACME/invoices"));
    QVERIFY(items && items->ok());
    QString listed;
    for (const QJsonValue &item : items->array()) {
        if (item[QLatin1String("shipmentId")].toString() == kShipment)
            listed = item[QLatin1String("invoiceNumber")].toString();
    }
    QCOMPARE(number, listed);

    const QString pdf = m_out.filePath(QStringLiteral("invoice-command-line.pdf"));
    const waybill::test::CliResult cli = waybill::test::runCli(
        { QStringLiteral("--db"), QStringLiteral("sqlite:") + m_server->config().databaseFile,
            QStringLiteral("document"), QStringLiteral("invoice"), number, QStringLiteral("--out"),
            pdf },
        waybill::test::isolatedEnvironment(m_out.filePath(QStringLiteral("xdg"))));
    QVERIFY2(cli.finished && cli.exitCode == 0, cli.describe().constData());
    const QString printed = flat(waybill::test::pdfText(pdf));
    QCOMPARE(invoiceNumberIn(printed), number);
    for (const QString &same :
        { QStringLiteral("Shipment DOC-S1"), QStringLiteral("Amount due $236.00") })
        QVERIFY2(desktop.contains(same) && printed.contains(same),
            qPrintable(QStringLiteral("\"%1\" in both:\n%2\n%3").arg(same, desktop, printed)));
}

// An invoice recorded before numbers existed carries none in its event: the desktop's statement
// and the command line's give it the number of its place among the log's invoices, the one its
// open items show. (In the earlier release's history, initech's only invoice is the log's third.)
void TestDocumentPrinting::invoicesRecordedBeforeNumbersHaveTheirNumberOnBothStatements()
{
    QString error;
    QVERIFY2(waybill::test::serverBinaryIsBuilt(&error), qPrintable(error));
    app::test::TestServer old(
        {}, QStringLiteral(WAYBILL_SOURCE_DIR "/tests/fixtures/release-96c741c/waybill.sqlite"));
    QVERIFY2(old.start(&error), qPrintable(error));
    const QString account = QStringLiteral("initech");
    ApiClient api(old.url(), old.adminToken());
    const std::optional<ApiResult> items
        = app::test::getNow(&api, QStringLiteral("/accounts/initech/invoices"));
    QVERIFY(items && items->ok());
    QCOMPARE(items->array().size(), 1);
    const QString number = items->array().first()[QLatin1String("invoiceNumber")].toString();
    QCOMPARE(number, QStringLiteral("INV-000003"));
    const std::optional<ApiResult> events
        = app::test::getNow(&api, QStringLiteral("/accounts/initech/events"));
    QVERIFY(events && events->ok());
    for (const QJsonValue &event : events->array())
        QVERIFY2(!event[QLatin1String("data")].toObject().contains(QLatin1String("invoiceNumber")),
            "the stored events carry no number");

    QTemporaryDir home;
    auto app = app::test::openApp(old.url(), old.adminToken(), app::test::appPathsIn(home));
    QVERIFY(app);
    MainWindow *window = app->window();
    window->tabs()->setCurrentIndex(MainWindow::AccountsTab);
    window->accountModel()->reload();
    QVERIFY(QTest::qWaitFor([&] { return window->accountModel()->rowOfKey(account) >= 0; }, 10000));
    AccountsView *accounts = window->accounts();
    accounts->selectAccount(account);
    // Invoiced, then paid.
    QVERIFY(QTest::qWaitFor([&] { return accounts->statement()->rowCount() >= 2; }, 10000));
    QSignalSpy opened(accounts, &AccountsView::documentOpened);
    accounts->statementDocumentAction()->trigger();
    StatementPeriodDialog *period = app::test::waitForDialog<StatementPeriodDialog>(accounts);
    QVERIFY(period);
    const QDate recorded(2026, 11, 30); // the day the earlier release recorded the history
    const QDate today = QDateTime::currentDateTimeUtc().date();
    period->setPeriod(recorded, today);
    period->accept();
    DocumentPreview *preview = previewFrom(opened);
    QVERIFY(preview);
    const QString desktop = savedText(preview, QStringLiteral("old-statement-desktop.pdf"));
    QVERIFY2(desktop.contains(number), qPrintable(desktop));

    const QString pdf = m_out.filePath(QStringLiteral("old-statement-command-line.pdf"));
    const waybill::test::CliResult cli = waybill::test::runCli(
        { QStringLiteral("--db"), QStringLiteral("sqlite:") + old.config().databaseFile,
            QStringLiteral("document"), QStringLiteral("statement"), account,
            QStringLiteral("--from"), recorded.toString(Qt::ISODate), QStringLiteral("--to"),
            today.toString(Qt::ISODate), QStringLiteral("--out"), pdf },
        waybill::test::isolatedEnvironment(m_out.filePath(QStringLiteral("xdg"))));
    QVERIFY2(cli.finished && cli.exitCode == 0, cli.describe().constData());
    const QString printed = flat(waybill::test::pdfText(pdf));
    QVERIFY2(printed.contains(number), qPrintable(printed));
}

void TestDocumentPrinting::accountStatementAsksForThePeriodAndSavesItAsPdf()
{
    auto app = openApp();
    QVERIFY(app);
    AccountsView *accounts = accountsWithStatement(app.get());
    QVERIFY(accounts);
    QVERIFY(accounts->statementDocumentAction()->isEnabled());
    QSignalSpy opened(accounts, &AccountsView::documentOpened);
    accounts->statementDocumentAction()->trigger();
    StatementPeriodDialog *period = app::test::waitForDialog<StatementPeriodDialog>(accounts);
    QVERIFY(period);
    const QDate today = QDateTime::currentDateTimeUtc().date();
    period->setPeriod(today.addDays(-1), today.addDays(1));
    period->accept();
    DocumentPreview *preview = previewFrom(opened);
    QVERIFY(preview);

    const QString text = savedText(preview, QStringLiteral("statement.pdf"));
    for (const QString &expected :
        { QStringLiteral("STATEMENT"), QStringLiteral("Acme Supply Payables"),
            QStringLiteral("Opening balance $0.00"), QStringLiteral("$336.00"),
            QStringLiteral("Payment received, thank you $100.00 $236.00"),
            QStringLiteral("Closing balance $236.00"), QStringLiteral("Page 1 of 1") })
        QVERIFY2(text.contains(expected),
            qPrintable(QStringLiteral("expected \"%1\" in:\n%2").arg(expected, text)));
    QCOMPARE(preview->document().proof.position,
        lastPositionOf(QStringLiteral("/accounts/DOC-ACME/events")));
}

void TestDocumentPrinting::billOfLadingOfTheShownShipmentIsSavedAsPdf()
{
    auto app = openApp();
    QVERIFY(app);
    ShipmentDetail *detail = app->window()->detail();
    detail->showShipment(kShipment);
    QVERIFY(detail->billOfLadingAction()->isEnabled());
    QSignalSpy opened(detail, &ShipmentDetail::documentOpened);
    detail->billOfLadingAction()->trigger();
    DocumentPreview *preview = previewFrom(opened);
    QVERIFY(preview);

    const QString text = savedText(preview, QStringLiteral("bill-of-lading.pdf"));
    for (const QString &expected :
        { QStringLiteral("BILL OF LADING"), QStringLiteral("Lone Star Grocers"),
            QStringLiteral("Bayou Bottling"), QStringLiteral("Truck: truck-9"),
            QStringLiteral("1,200 lb"), QStringLiteral("Ray Okafor") })
        QVERIFY2(text.contains(expected),
            qPrintable(QStringLiteral("expected \"%1\" in:\n%2").arg(expected, text)));
    QCOMPARE(preview->document().proof.position,
        lastPositionOf(QStringLiteral("/shipments/DOC-S1/events")));
}

QTEST_MAIN(TestDocumentPrinting)
#include "tst_documentprinting.moc"
