// Over HTTP, on SQLite and on PostgreSQL alike: text that a database cannot store (NUL), control
// characters and unpaired surrogates are refused with 400 and the field's path in every string
// field of every command, nothing is recorded, and the engine goes on processing other commands.
// What is allowed is stored and read back identically by both databases.
#include "samplecommands.h"
#include "testdatabases.h"
#include "testserver.h"

#include <QLoggingCategory>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

namespace {

// The body with the string at `path` carrying `escape` (JSON text such as \u0000) inside it.
QByteArray bodyWithEscape(const QJsonObject &body, const QJsonArray &path, const QByteArray &escape)
{
    const QString marker = QStringLiteral("MARK7f3a");
    QByteArray text = QJsonDocument(withString(body, path, QStringLiteral("Ab") + marker))
                          .toJson(QJsonDocument::Compact);
    text.replace(marker.toUtf8(), escape + "c");
    return text;
}

qint64 countRows(Database &database, const QString &table)
{
    QSqlQuery q = runQuery(database.connection(), QStringLiteral("SELECT COUNT(*) FROM ") + table);
    return q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace

class TestUnstorableText final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void unstorableTextIsRefusedEverywhereAndNothingIsRecorded_data();
    void unstorableTextIsRefusedEverywhereAndNothingIsRecorded();
    void allowedUnicodeIsStoredAndReadBackAlike_data();
    void allowedUnicodeIsStoredAndReadBackAlike();
    void queryParametersWithNulAreRefused_data();
    void queryParametersWithNulAreRefused();

private:
    TestDatabases m_databases;
};

void TestUnstorableText::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false"));
}

#define START_SERVER(backend)                                                                      \
    std::unique_ptr<TestServer> server;                                                            \
    WAYBILL_START_SERVER(server, m_databases, backend)

void TestUnstorableText::unstorableTextIsRefusedEverywhereAndNothingIsRecorded_data()
{
    TestDatabases::addBackendColumn();
}

void TestUnstorableText::unstorableTextIsRefusedEverywhereAndNothingIsRecorded()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    const QList<QPair<QByteArray, QByteArray>> characters {
        { "NUL", QByteArrayLiteral("\\u0000") },
        { "raw NUL byte", QByteArray(1, '\0') },
        { "U+0001", QByteArrayLiteral("\\u0001") },
        { "escape", QByteArrayLiteral("\\u001b") },
        { "delete", QByteArrayLiteral("\\u007f") },
        { "C1 next line", QByteArrayLiteral("\\u0085") },
        { "lone surrogate", QByteArrayLiteral("\\udc00") },
    };
    const qint64 commandsBefore = countRows(server->database(), QStringLiteral("commands"));
    int attacks = 0;
    for (const SampleCommand &sample : sampleCommands()) {
        for (const QJsonArray &path : stringPaths(sample.body)) {
            QList<QPair<QByteArray, QByteArray>> tried = characters;
            if (path.last().toString() != QLatin1String("reason"))
                tried.append({ "line feed", QByteArrayLiteral("\\n") });
            for (const auto &[name, escape] : tried) {
                const QByteArray body = bodyWithEscape(sample.body, path, escape);
                const HttpResponse r = server->request("POST", sample.route(QStringLiteral("s1")),
                    body, server->token(Role::Admin), kPreferWait);
                const QByteArray what = commandTypeName(sample.type).toUtf8() + ' '
                    + QJsonDocument(path).toJson(QJsonDocument::Compact) + ' ' + name + ": "
                    + r.describe();
                QVERIFY2(r.status == 400, what.constData());
                const QJsonArray errors = r.object().value(QStringLiteral("errors")).toArray();
                QVERIFY2(errors.size() == 1, what.constData());
                QVERIFY2(errors.first().toObject().value(QStringLiteral("path")).toArray() == path,
                    what.constData());
                ++attacks;
            }
        }
    }
    // A NUL in the path's id is refused too.
    const HttpResponse r
        = server->request("POST", QStringLiteral("/shipments/s%001/commands/cancel"),
            R"({"reason":"late"})", server->token(Role::Admin));
    QVERIFY2(r.status == 400, r.describe());
    QCOMPARE(r.object()
                 .value(QStringLiteral("errors"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("path")),
        QJsonValue(QJsonArray { QStringLiteral("shipmentId") }));
    QVERIFY(attacks > 100);

    QCOMPARE(countRows(server->database(), QStringLiteral("commands")), commandsBefore);
    QCOMPARE(countRows(server->database(), QStringLiteral("events")), qint64(0));
    // The engine was never given any of it, and goes on with the next commands.
    HttpResponse ok = server->request("POST", QStringLiteral("/shipments/after/commands/submit"),
        QJsonDocument(sampleCommand(CommandType::Submit)->body).toJson(),
        server->token(Role::CustomerService), kPreferWait);
    QVERIFY2(ok.status == 200, ok.describe());
    ok = server->request("POST", QStringLiteral("/shipments/after/commands/cancel"),
        R"({"reason":"changed plans"})", server->token(Role::CustomerService), kPreferWait);
    QVERIFY2(ok.status == 200, ok.describe());
    QCOMPARE(countRows(server->database(), QStringLiteral("events")), qint64(2));
}

void TestUnstorableText::allowedUnicodeIsStoredAndReadBackAlike_data()
{
    TestDatabases::addBackendColumn();
}

void TestUnstorableText::allowedUnicodeIsStoredAndReadBackAlike()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    const QString name = QString::fromUtf8("Pe\xc3\xb1\x61\t\xe6\x9d\xb1\xe4\xba\xac ")
        + QString::fromUcs4(U"\U0001F69A") + QChar(0x00a0) + QChar(0x200b) + QChar(0xfffd);
    const QString reason = QStringLiteral("line one\r\nline two\n\ttabbed ") + QChar(0xfeff);
    QJsonObject submit = sampleCommand(CommandType::Submit)->body;
    submit = withString(submit, { QStringLiteral("shipFrom"), QStringLiteral("name") }, name);
    HttpResponse r = server->request("POST", QStringLiteral("/shipments/u1/commands/submit"),
        QJsonDocument(submit).toJson(), server->token(Role::Admin), kPreferWait);
    QVERIFY2(r.status == 200, r.describe());
    r = server->request("POST", QStringLiteral("/shipments/u1/commands/cancel"),
        QJsonDocument(QJsonObject { { QStringLiteral("reason"), reason } }).toJson(),
        server->token(Role::Admin), kPreferWait);
    QVERIFY2(r.status == 200, r.describe());
    const QJsonArray events = server->get(QStringLiteral("/shipments/u1/events")).array();
    QCOMPARE(events.size(), 2);
    const QJsonObject submitted = events.at(0).toObject().value(QStringLiteral("data")).toObject();
    QCOMPARE(submitted.value(QStringLiteral("shipFrom")).toObject().value(QStringLiteral("name")),
        QJsonValue(name));
    const QJsonObject cancelled = events.at(1).toObject().value(QStringLiteral("data")).toObject();
    QCOMPARE(cancelled.value(QStringLiteral("reason")), QJsonValue(reason));
    const QJsonObject shipment = server->get(QStringLiteral("/shipments/u1")).object();
    QCOMPARE(shipment.value(QStringLiteral("shipFrom")).toObject().value(QStringLiteral("name")),
        QJsonValue(name));
    QCOMPARE(shipment.value(QStringLiteral("cancelReason")), QJsonValue(reason));
}

void TestUnstorableText::queryParametersWithNulAreRefused_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("parameter");
    for (const QString &backend : TestDatabases::all()) {
        const QByteArray b = backend.toUtf8();
        QTest::addRow("%s search", b.constData())
            << backend << QStringLiteral("/shipments?search=a%00b") << QStringLiteral("search");
        QTest::addRow("%s truck", b.constData())
            << backend << QStringLiteral("/shipments?truckId=%00") << QStringLiteral("truckId");
        QTest::addRow("%s event stream", b.constData())
            << backend << QStringLiteral("/events?streamId=shipment-a%00")
            << QStringLiteral("streamId");
        QTest::addRow("%s event type", b.constData())
            << backend << QStringLiteral("/events?type=%1B") << QStringLiteral("type");
        QTest::addRow("%s export stream", b.constData())
            << backend << QStringLiteral("/events.csv?streamId=%00") << QStringLiteral("streamId");
    }
}

void TestUnstorableText::queryParametersWithNulAreRefused()
{
    QFETCH(QString, backend);
    QFETCH(QString, path);
    QFETCH(QString, parameter);
    START_SERVER(backend);
    const HttpResponse r = server->get(path);
    QVERIFY2(r.status == 400, r.describe());
    QCOMPARE(r.object()
                 .value(QStringLiteral("errors"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("path")),
        QJsonValue(QJsonArray { parameter }));
}

QTEST_GUILESS_MAIN(TestUnstorableText)
#include "tst_unstorabletext.moc"
