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
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
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

// Passes HTTP between the app and the real server byte for byte, except that it holds back the
// first request that starts with `held` until release(): the answer to it then comes after the
// answers to later requests, as on a slow network.
class HoldingRelay final
{
public:
    HoldingRelay(const QUrl &server, const QByteArray &held)
        : m_server(server)
        , m_held(held)
    {
        QObject::connect(&m_listener, &QTcpServer::newConnection, &m_listener, [this] {
            while (QTcpSocket *client = m_listener.nextPendingConnection())
                relay(client);
        });
    }

    bool listen() { return m_listener.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const
    {
        QUrl url = m_server;
        url.setPort(m_listener.serverPort());
        return url;
    }
    bool isHolding() const { return !m_heldUpstream.isNull(); }
    // Sends what was held to the server; its answer then goes back as any other.
    void release()
    {
        if (m_heldUpstream)
            m_heldUpstream->write(m_heldBytes);
        m_heldBytes.clear();
        m_heldUpstream.clear();
        m_released = true;
    }

private:
    void relay(QTcpSocket *client)
    {
        client->setParent(&m_listener);
        auto *upstream = new QTcpSocket(client);
        upstream->connectToHost(m_server.host(), quint16(m_server.port()));
        QObject::connect(client, &QTcpSocket::readyRead, upstream, [this, client, upstream] {
            const QByteArray bytes = client->readAll();
            if (!m_released && !m_heldUpstream && bytes.startsWith(m_held))
                m_heldUpstream = upstream;
            if (m_heldUpstream == upstream)
                m_heldBytes += bytes; // the rest of a held request is held with it
            else
                upstream->write(bytes);
        });
        QObject::connect(upstream, &QTcpSocket::readyRead, client,
            [client, upstream] { client->write(upstream->readAll()); });
        QObject::connect(upstream, &QTcpSocket::disconnected, client,
            [client] { client->disconnectFromHost(); });
        QObject::connect(
            client, &QTcpSocket::disconnected, client, [client] { client->deleteLater(); });
    }

    QUrl m_server;
    QByteArray m_held;
    QTcpServer m_listener;
    QPointer<QTcpSocket> m_heldUpstream;
    QByteArray m_heldBytes;
    bool m_released = false;
};

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
    QTest::addColumn<QStringList>("absent");
    QTest::newRow("the lane's minimum, and fuel on it")
        << "TX"
        << "OK"
        << "100"
        << ""
        << QStringList { QStringLiteral("Cost: $82.50"), QStringLiteral("test-2026"),
               QStringLiteral("Linehaul $75.00 · Fuel surcharge $7.50") }
        << QStringList();
    QTest::newRow("accessorials in the order typed")
        << "TX"
        << "TX"
        << "1000"
        << "residential, liftgate"
        << QStringList { QStringLiteral("Cost: $372.99"),
               QStringLiteral("Linehaul $280.00 · Fuel surcharge $28.00 · residential $19.99 · "
                              "liftgate $45.00") }
        << QStringList();
    QTest::newRow("an accessorial the table lacks is said plainly, with no price")
        << "TX"
        << "TX"
        << "100"
        << "hazmat"
        << QStringList { QStringLiteral("No price for this"), QStringLiteral("hazmat"),
               QStringLiteral("liftgate") }
        << QStringList { QStringLiteral("Cost"), QStringLiteral("$") };
    QTest::newRow("no quote before both states are there")
        << "TX"
        << ""
        << "100"
        << "" << QStringList { QStringLiteral("once the weight and both states are entered") }
        << QStringList { QStringLiteral("$") };
}

void TestQuoteForm::newShipmentFormShowsTheServersBreakdown()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, weight);
    QFETCH(QString, accessorials);
    QFETCH(QStringList, shown);
    QFETCH(QStringList, absent);
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
    for (const QString &part : absent)
        QVERIFY2(!form.quoteText().contains(part), qPrintable(form.quoteText()));
}

// The answer to an older quote that comes after a newer one's is not shown: the relay holds the
// first quote request back until the second has been answered and shown.
void TestQuoteForm::quoteFollowsTheLastTyping()
{
    HoldingRelay relay(m_server->url(), QByteArrayLiteral("POST /quotes"));
    QVERIFY(relay.listen());
    Session session(relay.url(), m_server->adminToken());
    NewShipmentDialog form(&session, {});
    form.show();
    type(form.shipFrom()->field(QStringLiteral("state")), QStringLiteral("TX"));
    type(form.shipTo()->field(QStringLiteral("state")), QStringLiteral("TX"));
    QSignalSpy shownQuotes(&form, &NewShipmentDialog::quoteShown);
    type(form.weightField(), QStringLiteral("1000"));
    QTRY_VERIFY_WITH_TIMEOUT(relay.isHolding(), 10000);
    type(form.weightField(), QStringLiteral("2000"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        form.quoteText().contains(QLatin1String("$616.00")), qPrintable(form.quoteText()), 10000);
    QCOMPARE(shownQuotes.size(), 1);
    QVERIFY(relay.isHolding()); // the first quote is still unanswered

    relay.release();
    QTRY_COMPARE_WITH_TIMEOUT(session.api()->requestsInFlight(), 0, 10000);
    QVERIFY2(form.quoteText().contains(QLatin1String("$616.00")), qPrintable(form.quoteText()));
    QVERIFY2(!form.quoteText().contains(QLatin1String("$308.00")), qPrintable(form.quoteText()));
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
    // A weight past the contract's range is not quoted.
    type(dialog.weightField(), QStringLiteral("80001"));
    QTRY_VERIFY2_WITH_TIMEOUT(dialog.previewText().contains(QLatin1String(
                                  "The new price is quoted once the weight and both states")),
        qPrintable(dialog.previewText()), 10000);
    QVERIFY2(!dialog.previewText().contains(QLatin1String("after the amendment")),
        qPrintable(dialog.previewText()));
}

QTEST_MAIN(TestQuoteForm)
#include "tst_quoteform.moc"
