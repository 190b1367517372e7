// The new-shipment and amend forms show the price as the server quotes it (POST /quotes), with its
// breakdown, while the clerk types: real widgets (offscreen), the real embedded server pricing by
// a rate table file, HTTP on loopback.
#include "apptestsupport.h"
#include "client/apiclient.h"
#include "session/session.h"
#include "views/addressform.h"
#include "views/amenddialog.h"
#include "views/newshipmentdialog.h"

#include "domain/shipment.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace waybill;
using namespace waybill::app;

namespace {

// A surcharge in effect since long ago, so the figures do not depend on the day.
const QByteArray kTable = R"({"version": "test-2026",
  "lanes": [{"from": "TX", "to": "OK", "centsPerPound": 31, "minimumCents": 7500},
            {"from": "*", "to": "*", "centsPerPound": 28}],
  "fuelSurcharge": [{"from": "2000-01-01", "percent": 10}],
  "accessorials": {"liftgate": 4500, "residential": 1999}})";

void type(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestQuoteForm final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void newShipmentFormShowsTheServersBreakdown_data();
    void newShipmentFormShowsTheServersBreakdown();
    void quoteFollowsTheLastTyping();
    void amendFormShowsThePriceAfterTheChange();

private:
    QTemporaryDir m_settings;
    std::unique_ptr<test::TestServer> m_server;
    std::unique_ptr<Session> m_session;
};

void TestQuoteForm::initTestCase()
{
    test::isolateSettings(m_settings.path());
    m_server = std::make_unique<test::TestServer>(kTable);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_session = std::make_unique<Session>(m_server->url(), m_server->adminToken());
}

void TestQuoteForm::cleanupTestCase()
{
    m_session.reset();
    m_server.reset();
}

void TestQuoteForm::newShipmentFormShowsTheServersBreakdown_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("weight");
    QTest::addColumn<QString>("accessorials");
    QTest::addColumn<QStringList>("shown");
    QTest::newRow("the lane's minimum, and fuel on it")
        << "TX"
        << "OK"
        << "100"
        << ""
        << QStringList { QStringLiteral("Cost: $82.50"), QStringLiteral("test-2026"),
               QStringLiteral("Linehaul $75.00 · Fuel surcharge $7.50") };
    QTest::newRow("accessorials in the order typed")
        << "TX"
        << "TX"
        << "1000"
        << "residential, liftgate"
        << QStringList { QStringLiteral("Cost: $372.99"),
               QStringLiteral("Linehaul $280.00 · Fuel surcharge $28.00 · residential $19.99 · "
                              "liftgate $45.00") };
    QTest::newRow("an accessorial the table lacks is said plainly")
        << "TX"
        << "TX"
        << "100"
        << "hazmat"
        << QStringList { QStringLiteral("No price for this"), QStringLiteral("hazmat"),
               QStringLiteral("liftgate") };
    QTest::newRow("no quote before both states are there")
        << "TX"
        << ""
        << "100"
        << "" << QStringList { QStringLiteral("once the weight and both states are entered") };
}

void TestQuoteForm::newShipmentFormShowsTheServersBreakdown()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, weight);
    QFETCH(QString, accessorials);
    QFETCH(QStringList, shown);
    NewShipmentDialog form(m_session.get(), {});
    form.show();
    type(form.shipFrom()->field(QStringLiteral("state")), from);
    type(form.shipTo()->field(QStringLiteral("state")), to);
    type(form.accessorialsField(), accessorials);
    type(form.weightField(), weight);
    QTRY_VERIFY2_WITH_TIMEOUT(
        std::all_of(shown.cbegin(), shown.cend(),
            [&form](const QString &part) { return form.quoteText().contains(part); }),
        qPrintable(form.quoteText()), 10000);
}

void TestQuoteForm::quoteFollowsTheLastTyping()
{
    NewShipmentDialog form(m_session.get(), {});
    form.show();
    type(form.shipFrom()->field(QStringLiteral("state")), QStringLiteral("TX"));
    type(form.shipTo()->field(QStringLiteral("state")), QStringLiteral("TX"));
    QSignalSpy shownQuotes(&form, &NewShipmentDialog::quoteShown);
    // Typed in one go: the quote waits for the pause, then prices what stands.
    type(form.weightField(), QStringLiteral("2000"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        form.quoteText().contains(QLatin1String("$616.00")), qPrintable(form.quoteText()), 10000);
    QCOMPARE(shownQuotes.size(), 1);
}

void TestQuoteForm::amendFormShowsThePriceAfterTheChange()
{
    const QString id = QStringLiteral("QUOTE-AMEND");
    // Austin to Houston, 100 lb: 2800 and 10 % fuel.
    QCOMPARE(
        test::runCommands(m_session->api(), { test::submit(id, QStringLiteral("Q-ACCT"), 100) }),
        QString());
    const std::optional<ApiResult> got
        = test::getNow(m_session->api(), QStringLiteral("/shipments/") + id);
    QVERIFY(got && got->ok());
    const ShipmentState shipment = ShipmentState::fromJson(got->object());
    QCOMPARE(shipment.costCents, Cents(3080));
    QCOMPARE(shipment.rateTableVersion, QStringLiteral("test-2026"));

    AmendDialog dialog(m_session.get(), shipment);
    dialog.show();
    QCOMPARE(dialog.previewText(), QStringLiteral("Cost stays $30.80."));
    type(dialog.accessorialsField(), QStringLiteral("liftgate"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        dialog.previewText().contains(QLatin1String("after the amendment $75.80 (+$45.00)")),
        qPrintable(dialog.previewText()), 10000);
    QVERIFY2(dialog.previewText().contains(
                 QStringLiteral("Linehaul $28.00 · Fuel surcharge $2.80 · liftgate $45.00")),
        qPrintable(dialog.previewText()));
    // Taking it out again: the price it has stays.
    type(dialog.accessorialsField(), QString());
    QTRY_COMPARE_WITH_TIMEOUT(dialog.previewText(), QStringLiteral("Cost stays $30.80."), 10000);
}

QTEST_MAIN(TestQuoteForm)
#include "tst_quoteform.moc"
