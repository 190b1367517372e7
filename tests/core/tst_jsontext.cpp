// The read models' bodies are written as text straight from the state, not through QJsonObject,
// and an event's data straight from its JSON value, not through QJsonDocument: the text must be
// exactly what Qt's compact JSON gives for the same object, awkward text included (an event's text
// is what its chain link hashes).
#include "domain/account.h"
#include "domain/jsontext.h"
#include "domain/shipment.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
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

// Halves of surrogate pairs: not characters, so not UTF-8; Qt writes them as \u escapes.
QString loneSurrogates()
{
    QString text = QStringLiteral("a");
    text.append(QChar(char16_t(0xd83d))); // a high half, then a plain letter
    text.append(QStringLiteral("b"));
    text.append(QChar(char16_t(0xdc1a))); // a low half alone
    text.append(QChar(char16_t(0xdbff))); // a high half at the end
    return text;
}

// A JSON value of every kind, nested up to depth levels, its texts and numbers drawn from those
// Qt writes in a way of their own.
QJsonValue randomValue(QRandomGenerator &random, int depth)
{
    static const QStringList texts { QString(), QStringLiteral("acct-7"), awkwardText(),
        loneSurrogates(), QStringLiteral("Peña \"Zoë\""), QStringLiteral("\u0001\u001f\u007f") };
    static const double doubles[] = { 0.0, -0.0, 0.1, 12.5, -2.75, 1e15, 9007199254740992.0, 1e16,
        1.5e300, 5e-324, 123456789.01, std::numeric_limits<double>::quiet_NaN(),
        std::numeric_limits<double>::infinity() };
    static const qint64 integers[] = { 0, -1, 42, 9007199254740993LL, 123456789012345678LL,
        std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min() };
    const int kind = int(random.bounded(depth > 0 ? 8 : 6));
    switch (kind) {
    case 0:
        return QJsonValue();
    case 1:
        return random.bounded(2) == 1;
    case 2:
        return doubles[random.bounded(int(std::size(doubles)))];
    case 3:
        return integers[random.bounded(int(std::size(integers)))];
    case 4:
    case 5: {
        QString text = texts.at(int(random.bounded(texts.size())));
        text.append(QChar(char16_t(random.bounded(0x10000))));
        return text;
    }
    case 6: {
        QJsonArray array;
        for (int i = int(random.bounded(4)); i > 0; --i)
            array.append(randomValue(random, depth - 1));
        return array;
    }
    default: {
        QJsonObject object;
        for (int i = int(random.bounded(5)); i > 0; --i) {
            QString key = texts.at(int(random.bounded(texts.size())));
            key.append(QChar(char16_t(0x20 + random.bounded(0x60))));
            object.insert(key, randomValue(random, depth - 1));
        }
        return object;
    }
    }
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

    void anyJsonObjectIsWrittenAsQtWritesIt()
    {
        QRandomGenerator random(20261201);
        for (int i = 0; i < 3000; ++i) {
            QJsonObject object;
            for (int k = int(random.bounded(6)); k > 0; --k)
                object.insert(QStringLiteral("k%1").arg(k), randomValue(random, 3));
            JsonText text;
            text.value(object);
            const QByteArray expected = qtCompact(object);
            if (text.utf8() != expected)
                QFAIL(qPrintable(QStringLiteral("case %1: %2 against Qt's %3")
                                     .arg(i)
                                     .arg(QString::fromUtf8(text.utf8().toPercentEncoding()),
                                         QString::fromUtf8(expected.toPercentEncoding()))));
        }
    }

    void integersAreWrittenWholeAndDoublesAsQtWritesThem()
    {
        const QJsonObject object { { QStringLiteral("big"), qint64(123456789012345678LL) },
            { QStringLiteral("max"), std::numeric_limits<qint64>::max() },
            { QStringLiteral("min"), std::numeric_limits<qint64>::min() },
            { QStringLiteral("whole double"), 1e16 }, { QStringLiteral("cents"), qint64(2875) } };
        JsonText text;
        text.value(object);
        QCOMPARE(text.utf8(), qtCompact(object));
        QCOMPARE(text.utf8(),
            QByteArray(R"({"big":123456789012345678,"cents":2875,"max":9223372036854775807,)"
                       R"("min":-9223372036854775808,"whole double":1e+16})"));
    }

    void loneSurrogatesAreEscapedAsQtEscapesThem()
    {
        const QJsonObject object { { loneSurrogates(), loneSurrogates() } };
        JsonText text;
        text.value(object);
        QCOMPARE(text.utf8(), qtCompact(object));
        QCOMPARE(text.utf8(), QByteArray(R"({"a\ud83db\udc1a\udbff":"a\ud83db\udc1a\udbff"})"));
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
