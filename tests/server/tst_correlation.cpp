// Over HTTP, on SQLite and on PostgreSQL alike: commands sent with one Correlation-Id (a move
// of every load after a breakdown) carry it into their events, each keeping its own command
// id; a command sent without one is its own correlation; a malformed Correlation-Id is refused
// (400) and records nothing.
#include "store/sql.h"
#include "testdatabases.h"
#include "testserver.h"

#include <QLoggingCategory>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

namespace {

QByteArray rawSubmit(const QString &shipmentId, const QString &token, const QByteArray &extra)
{
    const QByteArray body = QJsonDocument(submitBody(QStringLiteral("acme"))).toJson();
    return "POST /shipments/" + shipmentId.toUtf8()
        + "/commands/submit HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
        + token.toLatin1() + "\r\nContent-Type: application/json\r\n" + extra
        + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

class TestCorrelation final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void commandsSentTogetherCarryOneCorrelationIdIntoTheirEvents_data()
    {
        TestDatabases::addBackendColumn();
    }
    void commandsSentTogetherCarryOneCorrelationIdIntoTheirEvents();
    void malformedCorrelationIdIsRefusedAndRecordsNothing_data();
    void malformedCorrelationIdIsRefusedAndRecordsNothing();

private:
    TestDatabases m_databases;
};

void TestCorrelation::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false"));
}

void TestCorrelation::commandsSentTogetherCarryOneCorrelationIdIntoTheirEvents()
{
    QFETCH(QString, backend);
    const std::optional<DatabaseUrl> url = m_databases.fresh(backend);
    if (!url)
        WAYBILL_SKIP_OR_FAIL(m_databases);
    TestServer server(*url);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));

    const QByteArray correlation = "breakdown-T7.2030-06-01";
    QStringList commandIds;
    for (const QString &id : { QStringLiteral("C-1"), QStringLiteral("C-2") }) {
        const HttpResponse r = server.post(QStringLiteral("/shipments/%1/commands/submit").arg(id),
            submitBody(QStringLiteral("acme")), Role::CustomerService,
            { { "Prefer", "wait=20" }, { "Correlation-Id", correlation } });
        QVERIFY2(r.status == 200, r.describe());
        commandIds << r.object().value(QStringLiteral("commandId")).toString();
        const QJsonArray events = r.object().value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().toObject().value(QStringLiteral("correlationId")).toString(),
            QString::fromLatin1(correlation));
    }
    QVERIFY(commandIds.at(0) != commandIds.at(1));

    // As the history tells it later, too: each event its own command, both one correlation.
    for (int i = 0; i < 2; ++i) {
        const HttpResponse history
            = server.get(QStringLiteral("/shipments/C-%1/events").arg(i + 1));
        QVERIFY2(history.status == 200, history.describe());
        const QJsonObject event = history.array().first().toObject();
        QCOMPARE(event.value(QStringLiteral("commandId")).toString(), commandIds.at(i));
        QCOMPARE(event.value(QStringLiteral("correlationId")).toString(),
            QString::fromLatin1(correlation));
    }

    // Without the header, a command is its own correlation.
    const HttpResponse alone = server.post(QStringLiteral("/shipments/C-3/commands/submit"),
        submitBody(QStringLiteral("acme")), Role::CustomerService, { { "Prefer", "wait=20" } });
    QVERIFY2(alone.status == 200, alone.describe());
    const QJsonObject event
        = alone.object().value(QStringLiteral("events")).toArray().first().toObject();
    QCOMPARE(event.value(QStringLiteral("correlationId")).toString(),
        alone.object().value(QStringLiteral("commandId")).toString());
}

void TestCorrelation::malformedCorrelationIdIsRefusedAndRecordsNothing_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("empty") << QByteArray("Correlation-Id: \r\n");
    QTest::newRow("65 characters") << "Correlation-Id: " + QByteArray(65, 'a') + "\r\n";
    QTest::newRow("a space inside") << QByteArray("Correlation-Id: move all\r\n");
    QTest::newRow("a slash") << QByteArray("Correlation-Id: a/b\r\n");
    QTest::newRow("a byte above ASCII") << QByteArray("Correlation-Id: caf\xe9\r\n");
    QTest::newRow("UTF-8") << QByteArray("Correlation-Id: caf\xc3\xa9\r\n");
}

void TestCorrelation::malformedCorrelationIdIsRefusedAndRecordsNothing()
{
    QFETCH(QByteArray, header);
    const std::optional<DatabaseUrl> url = m_databases.fresh(QStringLiteral("sqlite"));
    QVERIFY(url);
    TestServer server(*url);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));

    const HttpResponse r
        = server.raw(rawSubmit(QStringLiteral("C-9"), server.token(Role::Admin), header));
    QVERIFY2(r.status == 400, r.describe());
    QVERIFY2(r.body.contains("Correlation-Id"), r.describe());
    server.engine().waitIdle();
    QSqlQuery count = runQuery(server.database().connection(),
        QStringLiteral("SELECT (SELECT COUNT(*) FROM commands) + (SELECT COUNT(*) FROM events)"));
    QVERIFY(count.next());
    QCOMPARE(count.value(0).toInt(), 0);
    QCOMPARE(server.get(QStringLiteral("/shipments/C-9")).status, 404);
}

QTEST_GUILESS_MAIN(TestCorrelation)
#include "tst_correlation.moc"
