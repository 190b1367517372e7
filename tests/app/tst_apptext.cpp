// The words and numbers the app shows and reads: money, times, errors, the command line.
#include "client/apierrortext.h"
#include "client/apiresult.h"
#include "commandlineoptions.h"
#include "presentation/addresstext.h"
#include "presentation/moneytext.h"
#include "presentation/timetext.h"
#include "session/identity.h"

#include <QJsonDocument>
#include <QTest>

using namespace waybill;
using namespace waybill::app;

class TestAppText final : public QObject
{
    Q_OBJECT
private slots:
    void moneyIsShownFromCentsInTheLocale_data();
    void moneyIsShownFromCentsInTheLocale();
    void typedAmountsBecomeExactCents_data();
    void typedAmountsBecomeExactCents();
    void timesAreShownInLocalTimeToTheSecond();
    void windowsAreShownShortInTheLocale_data();
    void windowsAreShownShortInTheLocale();
    void addressesAreShownLineUnderLine();
    void httpFailuresAreExplainedForClerks_data();
    void httpFailuresAreExplainedForClerks();
    void unreachableServerIsNamedInTheMessage();
    void rolesOfferWhatTheContractAllows_data();
    void rolesOfferWhatTheContractAllows();
    void commandLineAcceptsServerAndToken();
    void commandLineRefusesWhatCannotWork_data();
    void commandLineRefusesWhatCannotWork();
};

void TestAppText::moneyIsShownFromCentsInTheLocale_data()
{
    QTest::addColumn<qint64>("cents");
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QString>("expected");
    QTest::newRow("cents-padded") << qint64(280) << "en_US"
                                  << "$2.80";
    QTest::newRow("thousands-grouped") << qint64(123456789) << "en_US"
                                       << "$1,234,567.89";
    QTest::newRow("negative-owed") << qint64(-1234) << "en_US"
                                   << "-$12.34";
    QTest::newRow("zero") << qint64(0) << "en_US"
                          << "$0.00";
    // Grouping of the whole dollars is the locale's own (Qt's Spanish groups from five digits).
    QTest::newRow("spanish-separators")
        << qint64(123456789) << "es_ES"
        << QStringLiteral("$%1,89").arg(QLocale(QStringLiteral("es_ES")).toString(1234567));
}

void TestAppText::moneyIsShownFromCentsInTheLocale()
{
    QFETCH(qint64, cents);
    QFETCH(QString, locale);
    QFETCH(QString, expected);
    QCOMPARE(MoneyText::display(cents, QLocale(locale)), expected);
}

void TestAppText::typedAmountsBecomeExactCents_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<qint64>("cents"); // -1: refused
    QTest::newRow("plain") << "120" << qint64(12000);
    QTest::newRow("dot-decimals") << "120.50" << qint64(12050);
    QTest::newRow("comma-decimals") << "120,50" << qint64(12050);
    QTest::newRow("one-decimal") << "0.5" << qint64(50);
    QTest::newRow("dollar-sign-and-spaces") << " $ 1,234.56 " << qint64(123456);
    QTest::newRow("spanish-grouping") << "1.234,56" << qint64(123456);
    QTest::newRow("several-groups") << "1,234,567" << qint64(123456700);
    QTest::newRow("ambiguous-three-digits") << "1.234" << qint64(-1);
    QTest::newRow("same-separator-twice") << "1.234.56" << qint64(-1);
    QTest::newRow("three-decimals") << "1.2345" << qint64(-1);
    QTest::newRow("letters") << "12a" << qint64(-1);
    QTest::newRow("empty") << "" << qint64(-1);
    QTest::newRow("only-separator") << "." << qint64(-1);
}

void TestAppText::typedAmountsBecomeExactCents()
{
    QFETCH(QString, typed);
    QFETCH(qint64, cents);
    const std::optional<Cents> parsed = MoneyText::parse(typed);
    if (cents < 0) {
        QVERIFY2(!parsed,
            qPrintable(QStringLiteral("\"%1\" should be refused, became %2")
                           .arg(typed)
                           .arg(parsed.value_or(0))));
        return;
    }
    QVERIFY2(parsed, qPrintable(QStringLiteral("\"%1\" was refused").arg(typed)));
    QCOMPARE(*parsed, cents);
}

void TestAppText::timesAreShownInLocalTimeToTheSecond()
{
    const QDateTime utc(QDate(2026, 11, 27), QTime(10, 0, 7), Qt::UTC);
    const QString shown = TimeText::display(
        QStringLiteral("2026-11-27T10:00:07.000Z"), QLocale(QStringLiteral("en_US")));
    const QString expectedTime = QLocale(QStringLiteral("en_US"))
                                     .toString(utc.toLocalTime().time(), QStringLiteral("h:mm:ss"));
    QVERIFY2(
        shown.contains(expectedTime), qPrintable(shown + QStringLiteral(" lacks ") + expectedTime));
    QVERIFY2(!shown.contains(QLatin1String("UTC")) && !shown.contains(QLatin1String("GMT")),
        qPrintable(shown));
    QCOMPARE(TimeText::display(QString()), QString());
}

void TestAppText::windowsAreShownShortInTheLocale_data()
{
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QDateTime>("from");
    QTest::addColumn<QDateTime>("to");
    QTest::addColumn<QString>("shown");
    const QDate wednesday(2026, 12, 2);
    QTest::newRow("one day, English: the day once, no year")
        << "en_US" << QDateTime(wednesday, QTime(11, 0)) << QDateTime(wednesday, QTime(14, 0))
        << QStringLiteral("Wed 12/2 11:00 AM–2:00 PM");
    QTest::newRow("one day, Spanish: day before month, 24 hours")
        << "es_ES" << QDateTime(wednesday, QTime(11, 0)) << QDateTime(wednesday, QTime(14, 0))
        << QStringLiteral("mié 2/12 11:00–14:00");
    QTest::newRow("over two days: both days") << "es_ES" << QDateTime(wednesday, QTime(22, 0))
                                              << QDateTime(wednesday.addDays(1), QTime(6, 30))
                                              << QStringLiteral("mié 2/12 22:00 – jue 3/12 6:30");
    QTest::newRow("another year: the year is shown")
        << "en_US" << QDateTime(QDate(2027, 1, 4), QTime(8, 0))
        << QDateTime(QDate(2027, 1, 4), QTime(12, 0))
        << QStringLiteral("Mon 1/4/27 8:00 AM–12:00 PM");
}

void TestAppText::windowsAreShownShortInTheLocale()
{
    QFETCH(QString, locale);
    QFETCH(QDateTime, from);
    QFETCH(QDateTime, to);
    QFETCH(QString, shown);
    // Local times in, as the clerk reads them; the window itself is in UTC.
    const TimeWindow window { from.toUTC(), to.toUTC() };
    QCOMPARE(TimeText::window(window, QLocale(locale), QDate(2026, 11, 30)), shown);
    QCOMPARE(TimeText::window(std::nullopt), QString());
}

void TestAppText::addressesAreShownLineUnderLine()
{
    Address address { QStringLiteral("Acme Freight"), QStringLiteral("1 Main St"), QString(),
        QStringLiteral("Springfield"), QStringLiteral("IL"), QStringLiteral("62701") };
    QCOMPARE(
        addressText(address), QStringLiteral("Acme Freight\n1 Main St\nSpringfield, IL 62701"));
    address.line2 = QStringLiteral("Dock 4");
    QCOMPARE(addressText(address),
        QStringLiteral("Acme Freight\n1 Main St\nDock 4\nSpringfield, IL 62701"));
}

void TestAppText::httpFailuresAreExplainedForClerks_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expectedPart");
    QTest::newRow("401-token") << 401 << QByteArray(R"({"message":"no token"})") << "access token";
    QTest::newRow("403-role") << 403 << QByteArray(R"({"message":"forbidden"})")
                              << "role does not allow";
    QTest::newRow("409-says-why")
        << 409 << QByteArray(R"({"error":"Conflict","message":"Shipment S-1 is Shipped"})")
        << "cannot be done now: Shipment S-1 is Shipped";
    QTest::newRow("400-lists-problems")
        << 400
        << QByteArray(
               R"({"errors":[{"path":["shipTo","zip"],"message":"\"zip\" must be five digits"}]})")
        << "\"zip\" must be five digits";
    QTest::newRow("500-try-again") << 500 << QByteArray("{}") << "Try again";
    QTest::newRow("503-busy") << 503 << QByteArray("{}") << "busy";
}

void TestAppText::httpFailuresAreExplainedForClerks()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, expectedPart);
    ApiResult result;
    result.httpStatus = status;
    result.body = body;
    result.json = QJsonDocument::fromJson(body).object();
    const QString text
        = ApiErrorText::describe(result, QNetworkReply::ProtocolInvalidOperationError, QUrl());
    QVERIFY2(text.contains(expectedPart),
        qPrintable(QStringLiteral("expected \"%1\" in \"%2\"").arg(expectedPart, text)));
}

void TestAppText::unreachableServerIsNamedInTheMessage()
{
    const QString text = ApiErrorText::networkFailure(
        QNetworkReply::ConnectionRefusedError, QUrl(QStringLiteral("http://depot.example:8080/")));
    QVERIFY2(text.contains(QLatin1String("depot.example:8080"))
            && text.contains(QLatin1String("cannot reach")),
        qPrintable(text));
}

void TestAppText::rolesOfferWhatTheContractAllows_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QList<int>>("allowed");
    using C = Capability;
    QTest::newRow("customer-service")
        << "customer-service"
        << QList<int> { int(C::Submit), int(C::Cancel), int(C::Amend), int(C::Reschedule) };
    QTest::newRow("dispatch") << "dispatch"
                              << QList<int> { int(C::Assign), int(C::Ship), int(C::Deliver),
                                     int(C::Cancel), int(C::TruckRecords), int(C::Reschedule) };
    QTest::newRow("finance") << "finance"
                             << QList<int> { int(C::Payment), int(C::AccountRecords),
                                    int(C::Corrections) };
    QTest::newRow("auditor") << "auditor"
                             << QList<int> { int(C::ExportAudit), int(C::VerifyAudit) };
    QTest::newRow("admin") << "admin"
                           << QList<int> { int(C::Submit), int(C::Assign), int(C::Ship),
                                  int(C::Deliver), int(C::Cancel), int(C::Payment),
                                  int(C::AccountRecords), int(C::Corrections), int(C::TruckRecords),
                                  int(C::Amend), int(C::Reschedule), int(C::ExportAudit),
                                  int(C::VerifyAudit) };
}

void TestAppText::rolesOfferWhatTheContractAllows()
{
    QFETCH(QString, role);
    QFETCH(QList<int>, allowed);
    const Identity who = Identity::withRole(QStringLiteral("someone"), role);
    for (int c = int(Capability::Submit); c <= int(Capability::VerifyAudit); ++c)
        QVERIFY2(who.may(Capability(c)) == allowed.contains(c),
            qPrintable(QStringLiteral("%1: capability %2 should be %3")
                           .arg(role)
                           .arg(c)
                           .arg(allowed.contains(c))));
    QCOMPARE(who.maySendCommands(), role != QLatin1String("auditor"));
}

void TestAppText::commandLineAcceptsServerAndToken()
{
    CommandLineOptions options;
    QString message;
    const auto outcome = CommandLineOptions::parse(
        { QStringLiteral("waybill"), QStringLiteral("--server"),
            QStringLiteral("https://depot.example:8443"), QStringLiteral("--token"),
            QStringLiteral("wb_abc"), QStringLiteral("--language"), QStringLiteral("es") },
        &options, &message);
    QCOMPARE(outcome, CommandLineOptions::Outcome::Run);
    QVERIFY(options.isRemote());
    QCOMPARE(options.serverUrl, QUrl(QStringLiteral("https://depot.example:8443")));
    QCOMPARE(options.token, QStringLiteral("wb_abc"));
    QCOMPARE(options.language, QStringLiteral("es"));

    CommandLineOptions none;
    QCOMPARE(CommandLineOptions::parse({ QStringLiteral("waybill") }, &none, &message),
        CommandLineOptions::Outcome::Run);
    QVERIFY2(!none.isRemote(), "no arguments must mean the embedded server");
}

void TestAppText::commandLineRefusesWhatCannotWork_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expectedPart");
    QTest::newRow("server-without-token")
        << QStringList { QStringLiteral("--server"), QStringLiteral("http://h:1") } << "--token";
    QTest::newRow("token-without-server")
        << QStringList { QStringLiteral("--token"), QStringLiteral("x") } << "--server";
    QTest::newRow("not-http") << QStringList { QStringLiteral("--server"),
        QStringLiteral("ftp://h"), QStringLiteral("--token"), QStringLiteral("x") }
                              << "http";
    QTest::newRow("unknown-language")
        << QStringList { QStringLiteral("--language"), QStringLiteral("xx") } << "en, es";
    QTest::newRow("unknown-flag") << QStringList { QStringLiteral("--colour") } << "colour";
}

void TestAppText::commandLineRefusesWhatCannotWork()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expectedPart);
    qunsetenv("WAYBILL_TOKEN");
    CommandLineOptions options;
    QString message;
    arguments.prepend(QStringLiteral("waybill"));
    QCOMPARE(CommandLineOptions::parse(arguments, &options, &message),
        CommandLineOptions::Outcome::ExitUsage);
    QVERIFY2(message.contains(expectedPart), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1Char('\n')), "a usage error is one line");
}

QTEST_GUILESS_MAIN(TestAppText)
#include "tst_apptext.moc"
