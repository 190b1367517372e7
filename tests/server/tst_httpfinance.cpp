// Finance over real HTTP on both databases: invoice numbers, each account's open items and the
// aging report on a hand-computed history (payments, partial payments, a reversal, credits with
// and without a shipment), as the history stood at several times, to the cent; the proof of a
// position; and who may read them.
#include "testserver.h"

#include "domain/timeformat.h"
#include "testdatabases.h"

#include <QLoggingCategory>
#include <QTest>

#include <memory>

using namespace waybill;
using namespace waybill::test;

namespace {

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

// "INV-000001 open 2800" per invoice.
QStringList describe(const QJsonArray &invoices)
{
    QStringList lines;
    for (const QJsonValue &v : invoices) {
        const QJsonObject i = v.toObject();
        lines << QStringLiteral("%1 %2 %3")
                     .arg(i.value(QStringLiteral("invoiceNumber")).toString(),
                         i.value(QStringLiteral("status")).toString())
                     .arg(i.value(QStringLiteral("openCents")).toInteger());
    }
    return lines;
}

// "acme current 7300 1-30 0 31-60 0 61-90 0 over90 0 total 7300", the dollars checked against
// the cents on the way.
QString describeAging(const QJsonObject &line)
{
    QString text = line.value(QStringLiteral("accountId")).toString();
    if (text.isEmpty())
        text = QStringLiteral("total");
    for (const char *key :
        { "current", "days1to30", "days31to60", "days61to90", "over90", "total" }) {
        const QString name = QString::fromLatin1(key);
        const qint64 cents = line.value(name + QStringLiteral("Cents")).toInteger(-1);
        if (qRound64(line.value(name).toDouble(-1) * 100) != cents)
            return QStringLiteral("%1: %2 is not %3 cents").arg(text, name).arg(cents);
        text += QStringLiteral(" %1").arg(cents);
    }
    return text;
}

QStringList describeAgingReport(const QJsonObject &report)
{
    QStringList lines;
    for (const QJsonValue &v : report.value(QStringLiteral("accounts")).toArray())
        lines << describeAging(v.toObject());
    lines << describeAging(report.value(QStringLiteral("total")).toObject());
    return lines;
}

QString at(const QDateTime &time)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(toIsoUtc(time)));
}

} // namespace

class TestHttpFinance final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void openItemsAndAgingFollowTheHistoryAtEveryTime_data() { TestDatabases::addBackendColumn(); }
    void openItemsAndAgingFollowTheHistoryAtEveryTime();
    void financeReadsAreOpenToEveryReadingRole_data();
    void financeReadsAreOpenToEveryReadingRole();
    void badQueriesAreRefusedWithWhatIsWrong_data();
    void badQueriesAreRefusedWithWhatIsWrong();
    void proofOfAPositionIsTheHashTheLogHasThere();

private:
    // Records the command and waits for it (and for the invoice a delivery leads to).
    QJsonObject run(const QString &path, const QJsonObject &body, bool invoiced = false);
    // Submits, assigns, ships and delivers; returns once the delivery is invoiced.
    void deliver(const QString &shipment, const QString &account, double weight);
    QJsonArray accountEvents(const QString &account);

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
};

void TestHttpFinance::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false"));
}

void TestHttpFinance::cleanup()
{
    m_server.reset();
}

// `server`, on a fresh database of the backend; else the test skips (only PostgreSQL, when not
// required) or fails.
#define START_SERVER(backend)                                                                      \
    m_server.reset();                                                                              \
    WAYBILL_START_SERVER(m_server, m_databases, backend);                                          \
    TestServer &server = *m_server

QJsonObject TestHttpFinance::run(const QString &path, const QJsonObject &body, bool invoiced)
{
    const HttpResponse r = m_server->post(path, body, Role::Admin, kPreferWait);
    if (r.status != 200)
        qFatal("%s: %s", qPrintable(path), r.describe().constData());
    if (invoiced && !m_server->engine().waitSettled(20000))
        qFatal("the invoices did not come");
    return r.object();
}

void TestHttpFinance::deliver(const QString &shipment, const QString &account, double weight)
{
    const QString base = QStringLiteral("/shipments/") + shipment + QStringLiteral("/commands/");
    run(base + QStringLiteral("submit"), submitBody(account, weight));
    run(base + QStringLiteral("assign"), json(R"({"truckId": "t1"})"));
    run(base + QStringLiteral("ship"), {});
    run(base + QStringLiteral("deliver"), {}, true);
}

QJsonArray TestHttpFinance::accountEvents(const QString &account)
{
    const HttpResponse r = m_server->get(QStringLiteral("/accounts/%1/events").arg(account));
    if (r.status != 200)
        qFatal("events of %s: %s", qPrintable(account), r.describe().constData());
    return r.array();
}

void TestHttpFinance::openItemsAndAgingFollowTheHistoryAtEveryTime()
{
    QFETCH(QString, backend);
    START_SERVER(backend);

    // acme, 30 days: 28 cents a pound, so 100 lb is $28.00.
    QJsonObject open { { QStringLiteral("name"), QStringLiteral("Acme") },
        { QStringLiteral("billingAddress"), addressJson(QStringLiteral("Acme")) },
        { QStringLiteral("paymentTermsDays"), 30 } };
    run(QStringLiteral("/accounts/acme/commands/open"), open);
    deliver(QStringLiteral("s1"), QStringLiteral("acme"), 100); // INV-000001 2800
    deliver(QStringLiteral("s2"), QStringLiteral("acme"), 200); // INV-000002 5600
    const QString p1
        = run(QStringLiteral("/accounts/acme/commands/payment"), json(R"({"amount": 10})"))
              .value(QStringLiteral("commandId"))
              .toString();
    run(QStringLiteral("/accounts/acme/commands/credit"),
        json(R"({"amount": 5, "reason": "dented", "shipmentId": "s2"})"));
    run(QStringLiteral("/accounts/acme/commands/payment"), json(R"({"amount": 30})"));
    run(QStringLiteral("/accounts/acme/commands/reverse-payment"),
        { { QStringLiteral("paymentCommandId"), p1 },
            { QStringLiteral("reason"), QStringLiteral("bounced") } });
    run(QStringLiteral("/accounts/acme/commands/credit"),
        json(R"({"amount": 60, "reason": "late all month"})"));
    deliver(QStringLiteral("s3"), QStringLiteral("acme"), 300); // INV-000003 8400

    // bolt, never opened (30 days): one invoice credited whole, one paid in part.
    deliver(QStringLiteral("s4"), QStringLiteral("bolt"), 50); // INV-000004 1400
    run(QStringLiteral("/accounts/bolt/commands/credit"),
        json(R"({"amount": 14, "reason": "free trial", "shipmentId": "s4"})"));
    deliver(QStringLiteral("s5"), QStringLiteral("bolt"), 100); // INV-000005 2800
    run(QStringLiteral("/accounts/bolt/commands/payment"), json(R"({"amount": 8})"));

    // cargo: its terms change between invoices; each invoice keeps the terms it was issued on.
    open.insert(QStringLiteral("name"), QStringLiteral("Cargo"));
    open.insert(QStringLiteral("paymentTermsDays"), 0);
    run(QStringLiteral("/accounts/cargo/commands/open"), open);
    deliver(QStringLiteral("s6"), QStringLiteral("cargo"), 100); // INV-000006 2800, due at once
    const int terms[] = { 60, 90, 120 };
    const double weights[] = { 200, 300, 50 }; // 5600, 8400, 1400
    for (int i = 0; i < 3; ++i) {
        run(QStringLiteral("/accounts/cargo/commands/update"),
            { { QStringLiteral("paymentTermsDays"), terms[i] } });
        deliver(QStringLiteral("s%1").arg(7 + i), QStringLiteral("cargo"), weights[i]);
    }

    // The invoices as they are now, with their numbers, dates and what is open.
    const HttpResponse now = server.get(QStringLiteral("/accounts/acme/invoices"), Role::Finance);
    QVERIFY2(now.status == 200, now.describe());
    QCOMPARE(describe(now.array()),
        QStringList({ "INV-000001 paid 0", "INV-000002 paid 0", "INV-000003 open 7300" }));
    const QJsonArray acmeEvents = accountEvents(QStringLiteral("acme"));
    QCOMPARE(acmeEvents.size(), 9);
    const QJsonObject third = now.array().at(2).toObject();
    const QJsonObject thirdEvent = acmeEvents.at(8).toObject();
    QCOMPARE(thirdEvent.value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("invoiceNumber"))
                 .toString(),
        QStringLiteral("INV-000003"));
    QCOMPARE(third.value(QStringLiteral("shipmentId")).toString(), QStringLiteral("s3"));
    QCOMPARE(third.value(QStringLiteral("amountCents")).toInteger(), 8400);
    QCOMPARE(third.value(QStringLiteral("amount")).toDouble(), 84.0);
    QCOMPARE(third.value(QStringLiteral("open")).toDouble(), 73.0);
    QCOMPARE(third.value(QStringLiteral("issued")).toString(),
        thirdEvent.value(QStringLiteral("timestamp")).toString());
    const QDateTime issued3 = *parseIsoUtc(third.value(QStringLiteral("issued")).toString());
    QCOMPARE(third.value(QStringLiteral("due")).toString(), toIsoUtc(issued3.addDays(30)));

    // acme as of the time of each of its events (events sharing a millisecond count together).
    const QList<QStringList> expected {
        {},
        { "INV-000001 open 2800" },
        { "INV-000001 open 2800", "INV-000002 open 5600" },
        { "INV-000001 open 1800", "INV-000002 open 5600" },
        { "INV-000001 open 1800", "INV-000002 open 5100" },
        { "INV-000001 paid 0", "INV-000002 open 3900" },
        { "INV-000001 open 1000", "INV-000002 open 3900" },
        { "INV-000001 paid 0", "INV-000002 paid 0" },
        { "INV-000001 paid 0", "INV-000002 paid 0", "INV-000003 open 7300" },
    };
    QList<QDateTime> times;
    for (const QJsonValue &e : acmeEvents)
        times << *parseIsoUtc(e.toObject().value(QStringLiteral("timestamp")).toString());
    for (int k = 0; k < times.size(); ++k) {
        int last = k;
        while (last + 1 < times.size() && times.at(last + 1) == times.at(k))
            ++last;
        const HttpResponse then = server.get(
            QStringLiteral("/accounts/acme/invoices?asOf=") + at(times.at(k)), Role::Finance);
        QVERIFY2(then.status == 200, then.describe());
        QCOMPARE(describe(then.array()), expected.at(last));
    }
    const HttpResponse before = server.get(
        QStringLiteral("/accounts/acme/invoices?asOf=") + at(times.first().addMSecs(-1)));
    QCOMPARE(before.status, 404);

    const HttpResponse bolt = server.get(QStringLiteral("/accounts/bolt/invoices"));
    QCOMPARE(
        describe(bolt.array()), QStringList({ "INV-000004 credited 0", "INV-000005 open 2000" }));
    const HttpResponse cargo = server.get(QStringLiteral("/accounts/cargo/invoices"));
    QCOMPARE(describe(cargo.array()),
        QStringList({ "INV-000006 open 2800", "INV-000007 open 5600", "INV-000008 open 8400",
            "INV-000009 open 1400" }));
    const QJsonArray cargoInvoices = cargo.array();
    for (int i = 0; i < 4; ++i) {
        const QJsonObject invoice = cargoInvoices.at(i).toObject();
        const QDateTime issued = *parseIsoUtc(invoice.value(QStringLiteral("issued")).toString());
        QCOMPARE(invoice.value(QStringLiteral("due")).toString(),
            toIsoUtc(issued.addDays(i == 0 ? 0 : terms[i - 1])));
    }

    // Aging now: cargo's first invoice was due the moment it was issued, so it is past due.
    const HttpResponse agingNow = server.get(QStringLiteral("/reports/aging"), Role::Finance);
    QVERIFY2(agingNow.status == 200, agingNow.describe());
    QCOMPARE(describeAgingReport(agingNow.object()),
        QStringList({ "acme 7300 0 0 0 0 7300", "bolt 2000 0 0 0 0 2000",
            "cargo 15400 2800 0 0 0 18200", "total 24700 2800 0 0 0 27500" }));

    // 100 days after cargo's first invoice, if nothing changes: it is over 90 days past due;
    // the 60-day one 40 days (less the moments between them), the 90-day one 10, the 120-day one
    // not yet due; acme's and bolt's 30-day invoices, issued before, about 70 days.
    const QDateTime cargoFirst
        = *parseIsoUtc(cargoInvoices.at(0).toObject().value(QStringLiteral("issued")).toString());
    const QDateTime future = cargoFirst.addDays(100);
    const HttpResponse agingLater
        = server.get(QStringLiteral("/reports/aging?asOf=") + at(future), Role::Finance);
    QVERIFY2(agingLater.status == 200, agingLater.describe());
    QCOMPARE(agingLater.object().value(QStringLiteral("asOf")).toString(), toIsoUtc(future));
    QCOMPARE(describeAgingReport(agingLater.object()),
        QStringList({ "acme 0 0 0 7300 0 7300", "bolt 0 0 0 2000 0 2000",
            "cargo 1400 8400 5600 0 2800 18200", "total 1400 8400 5600 9300 2800 27500" }));

    // As the history stood when acme's reversal was recorded: acme alone, with 4900 open.
    const HttpResponse agingPast
        = server.get(QStringLiteral("/reports/aging?asOf=") + at(times.at(6)), Role::Finance);
    QVERIFY2(agingPast.status == 200, agingPast.describe());
    QStringList past = describeAgingReport(agingPast.object());
    if (times.at(7) != times.at(6)) // else the credit that settles it is part of that moment
        QCOMPARE(past, QStringList({ "acme 4900 0 0 0 0 4900", "total 4900 0 0 0 0 4900" }));
    // And before anything was invoiced: nothing open, no account listed.
    const HttpResponse agingBefore
        = server.get(QStringLiteral("/reports/aging?asOf=") + at(times.first()), Role::Finance);
    QCOMPARE(describeAgingReport(agingBefore.object()), QStringList({ "total 0 0 0 0 0 0" }));
}

void TestHttpFinance::financeReadsAreOpenToEveryReadingRole_data()
{
    QTest::addColumn<QString>("path");
    for (const char *path : { "/accounts/acme/invoices", "/reports/aging",
             "/reports/aging?asOf=2030-01-01T00:00:00Z", "/audit/proof?position=1" })
        QTest::newRow(path) << QString::fromLatin1(path);
}

void TestHttpFinance::financeReadsAreOpenToEveryReadingRole()
{
    QFETCH(QString, path);
    START_SERVER(TestDatabases::sqlite());
    run(QStringLiteral("/accounts/acme/commands/payment"), json(R"({"amount": 10})"));
    for (Role role : kAllRoles) {
        const HttpResponse r = server.get(path, role);
        QVERIFY2(r.status == 200, qPrintable(roleName(role) + QLatin1Char(' ') + r.describe()));
    }
    const HttpResponse anonymous = server.request("GET", path);
    QCOMPARE(anonymous.status, 401);
}

void TestHttpFinance::badQueriesAreRefusedWithWhatIsWrong_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("invoices of an account with no events")
        << "/accounts/nobody/invoices" << 404 << "No such account";
    QTest::newRow("invoices of a bad id") << "/accounts/a%20b/invoices" << 400 << "";
    QTest::newRow("invoices as of no time")
        << "/accounts/acme/invoices?asOf=yesterday" << 400 << "asOf";
    QTest::newRow("aging as of no time") << "/reports/aging?asOf=2026-13-01" << 400 << "asOf";
    QTest::newRow("proof without a position") << "/audit/proof" << 400 << "position";
    QTest::newRow("proof at position 0") << "/audit/proof?position=0" << 400 << "position";
    QTest::newRow("proof at a negative position")
        << "/audit/proof?position=-1" << 400 << "position";
    QTest::newRow("proof at no number") << "/audit/proof?position=last" << 400 << "position";
    QTest::newRow("proof past the log") << "/audit/proof?position=99" << 404 << "position";
}

void TestHttpFinance::badQueriesAreRefusedWithWhatIsWrong()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, mentions);
    START_SERVER(TestDatabases::sqlite());
    run(QStringLiteral("/accounts/acme/commands/payment"), json(R"({"amount": 10})"));
    const HttpResponse r = server.get(path, Role::Finance);
    QVERIFY2(r.status == status, r.describe());
    QVERIFY2(QString::fromUtf8(r.body).contains(mentions), r.describe());
}

void TestHttpFinance::proofOfAPositionIsTheHashTheLogHasThere()
{
    START_SERVER(TestDatabases::sqlite());
    deliver(QStringLiteral("s1"), QStringLiteral("acme"), 100);
    const HttpResponse verify = server.get(QStringLiteral("/audit/verify"), Role::Auditor);
    QVERIFY2(verify.status == 200, verify.describe());
    const qint64 last = verify.object().value(QStringLiteral("lastPosition")).toInteger();
    QCOMPARE(last, qint64(5)); // submit, assign, ship, deliver, invoice
    const QString lastHash = verify.object().value(QStringLiteral("lastHash")).toString();
    QCOMPARE(lastHash.size(), 64);
    const HttpResponse proof
        = server.get(QStringLiteral("/audit/proof?position=%1").arg(last), Role::Finance);
    QVERIFY2(proof.status == 200, proof.describe());
    QCOMPARE(proof.object().value(QStringLiteral("position")).toInteger(), last);
    QCOMPARE(proof.object().value(QStringLiteral("hash")).toString(), lastHash);
    // Each position has its own, as the export shows it.
    const HttpResponse csv = server.get(QStringLiteral("/events.csv"), Role::Auditor);
    const QList<QByteArray> rows = csv.body.split('\n');
    for (qint64 p = 1; p <= last; ++p) {
        const HttpResponse r
            = server.get(QStringLiteral("/audit/proof?position=%1").arg(p), Role::Finance);
        QVERIFY2(rows.at(p).trimmed().endsWith(
                     r.object().value(QStringLiteral("hash")).toString().toLatin1()),
            rows.at(p).constData());
    }
}

QTEST_GUILESS_MAIN(TestHttpFinance)
#include "tst_httpfinance.moc"
