// The read models' bodies are written as text straight from the state, not through QJsonObject:
// the text must be exactly what Qt's compact JSON gives for the same object, awkward text included.
#include "domain/account.h"
#include "domain/jsontext.h"
#include "domain/shipment.h"

#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

#include <cmath>
#include <limits>

using namespace waybill;

namespace {

QByteArray qtCompact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QDateTime at(int day, int hour, int msec = 0)
{
    return QDateTime(QDate(2026, 11, day), QTime(hour, 0).addMSecs(msec), QTimeZone::utc());
}

Address address(const QString &name, const QString &line2 = {})
{
    Address a;
    a.name = name;
    a.line1 = QStringLiteral("100 Grand Ave");
    a.line2 = line2;
    a.city = QStringLiteral("Des Moines");
    a.state = QStringLiteral("IA");
    a.zip = QStringLiteral("50309");
    return a;
}

// Every character class the escaping must get right: quotes, backslashes, every control
// character, DEL, Latin-1, the BMP beyond it and a surrogate pair.
QString awkwardText()
{
    QString text = QStringLiteral("say \"hi\" \\ back/slash ");
    for (char16_t c = 0; c < 0x20; ++c)
        text.append(QChar(c));
    text.append(QChar(0x7f));
    text.append(QStringLiteral(" Peña Zoë 東京 "));
    text.append(QString::fromUcs4(U"\U0001F69A"));
    return text;
}

} // namespace

class JsonTextTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shipmentTextIsQtCompactJsonOfTheSameObject_data()
    {
        QTest::addColumn<ShipmentState>("state");

        ShipmentState submitted;
        submitted.id = QStringLiteral("s-1");
        submitted.status = ShipmentStatus::Submitted;
        submitted.shipFrom = address(QStringLiteral("Acme"));
        submitted.shipTo = address(QStringLiteral("Globex"), QStringLiteral("Suite 4"));
        submitted.weightInPounds = 12.5;
        submitted.billToAccountId = QStringLiteral("acct-1");
        submitted.costCents = 2875;
        submitted.createdTimestamp = at(27, 10);
        submitted.lastCommandTimestamp = at(27, 10, 7);
        submitted.version = 1;
        QTest::newRow("submitted") << submitted;

        ShipmentState delivered = submitted;
        delivered.status = ShipmentStatus::Delivered;
        delivered.assignedToTruck = QStringLiteral("truck-9");
        delivered.shipDate = at(27, 12);
        delivered.deliveredDate = at(28, 9, 999);
        delivered.signedBy = QStringLiteral("J. Smith");
        delivered.weightInPounds = 0.1;
        delivered.costCents = 100000000000;
        delivered.version = 4;
        QTest::newRow("delivered, fractional weight, large cost") << delivered;

        ShipmentState cancelled = submitted;
        cancelled.status = ShipmentStatus::Cancelled;
        cancelled.cancelReason = awkwardText();
        cancelled.shipFrom.name = awkwardText();
        cancelled.weightInPounds = 79999.99;
        cancelled.costCents = 1;
        QTest::newRow("cancelled, awkward text") << cancelled;

        ShipmentState empty;
        QTest::newRow("no shipment: empty times, zero numbers") << empty;
    }

    void shipmentTextIsQtCompactJsonOfTheSameObject()
    {
        QFETCH(ShipmentState, state);
        const QString text = state.toJsonText();
        QCOMPARE(text.toUtf8(), qtCompact(state.toJson()));
        QJsonParseError error;
        const QJsonDocument parsed = QJsonDocument::fromJson(text.toUtf8(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(ShipmentState::fromJson(parsed.object()), state);
    }

    void accountTextIsQtCompactJsonOfTheSameObject_data()
    {
        QTest::addColumn<AccountState>("account");
        AccountState fresh;
        fresh.id = QStringLiteral("acct-1");
        fresh.createdTimestamp = at(27, 10);
        fresh.lastEventTimestamp = at(27, 10);
        fresh.version = 1;
        QTest::newRow("fresh") << fresh;

        AccountState owing = fresh;
        owing.invoicedCents = 123456789;
        owing.paidCents = 100;
        owing.balanceCents = 123456689;
        owing.invoiceCount = 17;
        owing.paymentCount = 1;
        owing.lastEventTimestamp = at(29, 23, 123);
        owing.version = 18;
        QTest::newRow("owing") << owing;

        AccountState credit = owing;
        credit.id = awkwardText().left(20);
        credit.paidCents = 123456799;
        credit.balanceCents = -10;
        QTest::newRow("in credit, awkward id") << credit;
    }

    void accountTextIsQtCompactJsonOfTheSameObject()
    {
        QFETCH(AccountState, account);
        const QString text = account.toJsonText();
        QCOMPARE(text.toUtf8(), qtCompact(account.toJson()));
        QCOMPARE(AccountState::fromJson(QJsonDocument::fromJson(text.toUtf8()).object()), account);
    }

    void nonFiniteNumbersAreWrittenAsNullLikeQt()
    {
        for (const double number :
            { std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                -std::numeric_limits<double>::infinity() }) {
            JsonText text;
            text.beginObject().key("n").value(number).endObject();
            QCOMPARE(text.utf8(), qtCompact(QJsonObject { { QStringLiteral("n"), number } }));
            QCOMPARE(text.utf8(), QByteArray(R"({"n":null})"));
        }
    }

    void numbersAreWrittenLikeQt()
    {
        for (const double number :
            { 0.0, -0.0, 1.0, -1.0, 0.1, 12.5, -2.75, 1e15, 9007199254740991.0, 9007199254740992.0,
                18014398509481984.0, 1e16, 1.5e300, 5e-324, 123456789.01 }) {
            JsonText text;
            text.beginObject().key("n").value(number).endObject();
            QCOMPARE(text.utf8(), qtCompact(QJsonObject { { QStringLiteral("n"), number } }));
        }
    }

    void nestedObjectsAreSeparatedByCommas()
    {
        JsonText text;
        text.beginObject()
            .key("a")
            .beginObject()
            .key("x")
            .value(1)
            .key("y")
            .value(QStringLiteral("z"))
            .endObject();
        text.key("b").beginObject().endObject().key("c").value(2.5).endObject();
        QCOMPARE(text.utf8(), QByteArray(R"({"a":{"x":1,"y":"z"},"b":{},"c":2.5})"));
    }
};

QTEST_GUILESS_MAIN(JsonTextTest)
#include "tst_jsontext.moc"
