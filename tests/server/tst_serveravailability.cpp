// What the server says when it cannot do its work, over real HTTP. The database going away under
// load: PostgreSQL stopped and started again (the suite's own throwaway cluster), SQLite's lock
// held by another program for longer than a writer waits. Meanwhile commands get 503 with a
// message in plain words and nothing that was refused is recorded, /health says "database
// unavailable"; afterwards the same server, not restarted, heals within seconds: every thread's
// connection (inbox, engine, invoicer, readers, live feed). And /health says "shutting down"
// once the server drains.
#include "invariants.h"
#include "testdatabases.h"
#include "testserver.h"

#include "domain/ids.h"
#include "engine/deliveryinvoicer.h"
#include "store/commandstore.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <atomic>
#include <thread>

using namespace waybill;
using namespace waybill::test;

namespace {

// Submits of fresh shipments, a few in flight at all times, until stopped; keeps every answer.
class Load final : public QObject
{
public:
    struct Answer
    {
        QString shipmentId;
        HttpResponse response;
    };

    Load(TestServer &server, QString prefix)
        : m_server(server)
        , m_prefix(std::move(prefix))
    { }

    void start()
    {
        for (int i = 0; i < kInFlight; ++i)
            sendNext();
    }
    // No new request; those in flight still finish.
    void stop() { m_stopping = true; }
    bool idle() const { return m_inFlight == 0; }
    int count(int status) const
    {
        return int(std::count_if(answers.begin(), answers.end(),
            [status](const Answer &a) { return a.response.status == status; }));
    }
    QVector<Answer> answers;

private:
    static constexpr int kInFlight = 6; // QNetworkAccessManager's connections per host

    void sendNext()
    {
        if (m_stopping)
            return;
        const QString id = QStringLiteral("%1-%2").arg(m_prefix).arg(m_next++);
        QNetworkReply *reply
            = m_server.start("POST", QStringLiteral("/shipments/%1/commands/submit").arg(id),
                QJsonDocument(submitBody(QStringLiteral("acct"))).toJson(QJsonDocument::Compact),
                m_server.token(Role::CustomerService));
        ++m_inFlight;
        connect(reply, &QNetworkReply::finished, this, [this, reply, id] {
            answers.append({ id, TestServer::read(reply) });
            reply->deleteLater();
            --m_inFlight;
            // Refusals come fast: a short pause keeps the count of requests reasonable.
            if (answers.last().response.status == 202)
                sendNext();
            else
                QTimer::singleShot(20, this, [this] { sendNext(); });
        });
    }

    TestServer &m_server;
    QString m_prefix;
    int m_next = 0;
    int m_inFlight = 0;
    bool m_stopping = false;
};

// What a client may be told when a command could not be recorded: no SQL, no driver text.
bool carriesSql(const QString &message)
{
    static const QRegularExpression sql(
        QStringLiteral(
            "\\b(SELECT|INSERT|UPDATE|BEGIN|COMMIT|EXECUTE|QPSQL|QSQLITE|cannot run)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    return sql.match(message).hasMatch();
}

// A /live client that keeps every event it is sent.
class LiveClient final : public QObject
{
public:
    explicit LiveClient(TestServer &server)
    {
        QUrl url = server.url(QStringLiteral("/live"));
        url.setScheme(QStringLiteral("ws"));
        url.setQuery(QStringLiteral("token=") + server.token(Role::Auditor));
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            if (message.value(QStringLiteral("kind")).toString() == QLatin1String("event"))
                streams << message.value(QStringLiteral("event"))
                               .toObject()
                               .value(QStringLiteral("streamId"))
                               .toString();
        });
        m_socket.open(url);
    }
    bool connected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QStringList streams;

private:
    QWebSocket m_socket;
};

} // namespace

class TestServerAvailability final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void postgresStoppedUnderLoadRefusesCleanlyAndHealsWithoutRestart();
    void sqliteLockHeldElsewhereRefusesCleanlyAndHealsWhenReleased();
    void healthAnswers503OnceTheServerDrains();

private:
    // Every 202 has its outcome, every refusal recorded nothing, refusals are 503 in plain words.
    void verifyPromises(TestServer &server, const Load &load);
    // Waits for GET /health to answer `status`; its last answer.
    HttpResponse waitForHealth(TestServer &server, int status, int timeoutMs);
    // A shipment accepted after the outage is delivered and invoiced: the engine's lanes and the
    // invoicer work again.
    void verifyDeliveredAndInvoiced(TestServer &server, const QString &shipmentId);

    PostgresCluster m_cluster; // its own: stopping it must not touch other suites' databases
    QString m_clusterError;
    TestDatabases m_databases;
};

void TestServerAvailability::initTestCase()
{
    if (!m_cluster.start(&m_clusterError))
        m_cluster.stop();
}

void TestServerAvailability::cleanupTestCase()
{
    m_cluster.stop();
}

HttpResponse TestServerAvailability::waitForHealth(TestServer &server, int status, int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    HttpResponse health;
    do {
        health = server.request("GET", QStringLiteral("/health"));
        if (health.status == status)
            break;
        QTest::qWait(50);
    } while (waited.elapsed() < timeoutMs);
    return health;
}

void TestServerAvailability::verifyPromises(TestServer &server, const Load &load)
{
    QVERIFY(server.engine().waitSettled(60000));
    Database &database = server.database();
    const QSqlDatabase db = database.connection();
    int refused = 0;
    for (const Load::Answer &a : load.answers) {
        const QString stream = shipmentStreamId(a.shipmentId);
        if (a.response.status == 202) {
            const QString id = a.response.object().value(QStringLiteral("commandId")).toString();
            const std::optional<CommandOutcome> outcome = CommandStore::outcome(db, id);
            QVERIFY2(outcome,
                qPrintable(QStringLiteral("acknowledged %1 is not recorded").arg(a.shipmentId)));
            QVERIFY2(outcome->status == CommandStatus::Succeeded,
                qPrintable(QStringLiteral("acknowledged %1 is %2")
                               .arg(a.shipmentId, commandStatusName(outcome->status))));
            continue;
        }
        ++refused;
        QVERIFY2(a.response.status == 503,
            qPrintable(QStringLiteral("%1: %2").arg(
                a.shipmentId, QString::fromUtf8(a.response.describe()))));
        const QJsonObject body = a.response.object();
        QCOMPARE(
            body.value(QStringLiteral("error")).toString(), QStringLiteral("Service Unavailable"));
        const QString message = body.value(QStringLiteral("message")).toString();
        QVERIFY2(!message.isEmpty() && !carriesSql(message), qPrintable(message));
        QSqlQuery recorded = runQuery(db,
            QStringLiteral("SELECT (SELECT COUNT(*) FROM commands WHERE stream_id = ?) + "
                           "(SELECT COUNT(*) FROM events WHERE stream_id = ?)"),
            { stream, stream });
        QVERIFY(recorded.next());
        QVERIFY2(recorded.value(0).toInt() == 0,
            qPrintable(QStringLiteral("%1 was refused with 503 but recorded").arg(a.shipmentId)));
    }
    QVERIFY2(refused > 0, "nothing was refused: the outage was not met");
    QCOMPARE(CommandStore::pendingCount(db), qint64(0));
    const QStringList problems = invariantViolations(database);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestServerAvailability::verifyDeliveredAndInvoiced(
    TestServer &server, const QString &shipmentId)
{
    const QString base = QStringLiteral("/shipments/%1/commands/").arg(shipmentId);
    const QList<QPair<QByteArray, QByteArray>> wait { { "Prefer", "wait=10" } };
    HttpResponse r = server.post(base + QStringLiteral("assign"),
        { { QStringLiteral("truckId"), QStringLiteral("t1") } }, Role::Dispatch, wait);
    QVERIFY2(r.status == 200, r.describe());
    r = server.post(base + QStringLiteral("ship"), {}, Role::Dispatch, wait);
    QVERIFY2(r.status == 200, r.describe());
    r = server.post(base + QStringLiteral("deliver"), {}, Role::Dispatch, wait);
    QVERIFY2(r.status == 200, r.describe());
    QVERIFY(server.engine().waitSettled(30000));
    r = server.get(QStringLiteral("/commands/") + DeliveryInvoicer::invoiceCommandId(shipmentId));
    QVERIFY2(r.status == 200, r.describe());
    QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
}

void TestServerAvailability::postgresStoppedUnderLoadRefusesCleanlyAndHealsWithoutRestart()
{
    if (!m_clusterError.isEmpty()) {
        if (PostgresCluster::requirePostgres())
            QFAIL(qPrintable(m_clusterError));
        QSKIP(qPrintable(m_clusterError));
    }
    QString error;
    const QString urlText = m_cluster.createDatabase(QStringLiteral("outage"), &error);
    QVERIFY2(!urlText.isEmpty(), qPrintable(error));
    TestServer server(*DatabaseUrl::parse(urlText, &error));
    QVERIFY2(server.start(&error), qPrintable(error));
    LiveClient live(server);
    QTRY_VERIFY_WITH_TIMEOUT(live.connected(), 10000);

    Load load(server, QStringLiteral("pg"));
    load.start();
    QTRY_VERIFY_WITH_TIMEOUT(load.count(202) >= 30, 30000);

    QVERIFY2(m_cluster.interrupt(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(load.count(503) >= 10, 30000);
    const HttpResponse down = waitForHealth(server, 503, 10000);
    QVERIFY2(down.status == 503, down.describe());
    // The contract's status and reason, in an error body like any other.
    QCOMPARE(down.object(),
        (QJsonObject { { QStringLiteral("status"), QStringLiteral("unavailable") },
            { QStringLiteral("reason"), QStringLiteral("database unavailable") },
            { QStringLiteral("error"), QStringLiteral("Service Unavailable") },
            { QStringLiteral("message"), QStringLiteral("The database cannot be reached") } }));
    // Reads are refused in the same words as commands, and a request that needs no database
    // still gets its answer.
    const HttpResponse read = server.get(QStringLiteral("/shipments"));
    QVERIFY2(read.status == 503
            && !carriesSql(read.object().value(QStringLiteral("message")).toString()),
        read.describe());

    QVERIFY2(m_cluster.resume(&error), qPrintable(error));
    QElapsedTimer sinceReturn;
    sinceReturn.start();
    const HttpResponse up = waitForHealth(server, 200, 20000);
    QVERIFY2(up.status == 200, up.describe());
    const qint64 healthyAfterMs = sinceReturn.elapsed();
    const int acceptedBefore = load.count(202);
    QTRY_VERIFY_WITH_TIMEOUT(load.count(202) >= acceptedBefore + 1, 20000);
    const qint64 acceptingAfterMs = sinceReturn.elapsed();
    QTRY_VERIFY_WITH_TIMEOUT(load.count(202) >= acceptedBefore + 30, 30000);
    load.stop();
    QTRY_VERIFY_WITH_TIMEOUT(load.idle(), 30000);
    qInfo("PostgreSQL back: /health 200 after %lld ms, commands accepted after %lld ms; "
          "answers: %d x 202, %d x 503",
        healthyAfterMs, acceptingAfterMs, load.count(202), load.count(503));
    QVERIFY2(acceptingAfterMs < 10000, "the server took more than 10 s to heal");

    verifyPromises(server, load);
    const QString lastAccepted = [&load] {
        for (auto it = load.answers.crbegin(); it != load.answers.crend(); ++it) {
            if (it->response.status == 202)
                return it->shipmentId;
        }
        return QString();
    }();
    verifyDeliveredAndInvoiced(server, lastAccepted);
    QVERIFY2(server.get(QStringLiteral("/shipments/") + lastAccepted).status == 200,
        "a reader did not heal");
    QTRY_VERIFY2_WITH_TIMEOUT(
        live.streams.contains(shipmentStreamId(lastAccepted)), "the live feed did not heal", 10000);
}

void TestServerAvailability::sqliteLockHeldElsewhereRefusesCleanlyAndHealsWhenReleased()
{
    WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), url);
    TestServer server(url);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    // Writers give up after a short wait, so that the test need not hold the lock for 30 s.
    server.database().setLockTimeout(300);
    LiveClient live(server);
    QTRY_VERIFY_WITH_TIMEOUT(live.connected(), 10000);

    Load load(server, QStringLiteral("lite"));
    load.start();
    QTRY_VERIFY_WITH_TIMEOUT(load.count(202) >= 30, 30000);

    // Another program takes the writer lock and keeps it, as a backup tool or an administrator's
    // open transaction would.
    std::atomic<bool> held { false };
    std::atomic<bool> release { false };
    QString holderError;
    std::thread holder([&] {
        try {
            Database other(url);
            WriteTransaction tx(other);
            held = true;
            while (!release)
                QThread::msleep(5);
            tx.rollback();
        } catch (const StoreError &e) {
            holderError = e.message();
            held = true;
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(held.load(), 30000);
    QVERIFY2(holderError.isEmpty(), qPrintable(holderError));
    QTRY_VERIFY_WITH_TIMEOUT(load.count(503) >= 10, 30000);
    const HttpResponse down = waitForHealth(server, 503, 10000);
    QVERIFY2(down.status == 503, down.describe());
    QCOMPARE(down.object().value(QStringLiteral("reason")).toString(),
        QStringLiteral("database unavailable"));

    release = true;
    holder.join();
    QElapsedTimer sinceRelease;
    sinceRelease.start();
    const HttpResponse up = waitForHealth(server, 200, 10000);
    QVERIFY2(up.status == 200, up.describe());
    const int acceptedBefore = load.count(202);
    QTRY_VERIFY_WITH_TIMEOUT(load.count(202) >= acceptedBefore + 30, 30000);
    load.stop();
    QTRY_VERIFY_WITH_TIMEOUT(load.idle(), 30000);
    qInfo("SQLite lock released: healthy again after %lld ms; answers: %d x 202, %d x 503",
        sinceRelease.elapsed(), load.count(202), load.count(503));

    verifyPromises(server, load);
    const QString last = load.answers.constLast().shipmentId;
    Q_UNUSED(last)
}

void TestServerAvailability::healthAnswers503OnceTheServerDrains()
{
    WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), url);
    TestServer server(url);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    HttpResponse health = server.request("GET", QStringLiteral("/health"));
    QVERIFY2(health.status == 200, health.describe());
    QCOMPARE(health.object(), (QJsonObject { { QStringLiteral("status"), QStringLiteral("ok") } }));
    // As waybill-server does on SIGTERM: it takes no more commands and finishes what it took,
    // while connections still open are answered.
    server.engine().stop();
    health = server.request("GET", QStringLiteral("/health"));
    QVERIFY2(health.status == 503, health.describe());
    // The contract's status and reason, in an error body like any other.
    QCOMPARE(health.object(),
        (QJsonObject { { QStringLiteral("status"), QStringLiteral("unavailable") },
            { QStringLiteral("reason"), QStringLiteral("shutting down") },
            { QStringLiteral("error"), QStringLiteral("Service Unavailable") },
            { QStringLiteral("message"), QStringLiteral("The server is shutting down") } }));
    const HttpResponse command = server.post(QStringLiteral("/shipments/late/commands/submit"),
        submitBody(QStringLiteral("acct")), Role::CustomerService);
    QVERIFY2(command.status == 503, command.describe());
    QCOMPARE(CommandStore::pendingCount(server.database().connection()), qint64(0));
    QSqlQuery recorded = runQuery(server.database().connection(),
        QStringLiteral("SELECT COUNT(*) FROM commands WHERE stream_id = ?"),
        { shipmentStreamId(QStringLiteral("late")) });
    QVERIFY(recorded.next());
    QCOMPARE(recorded.value(0).toInt(), 0);
}

QTEST_MAIN(TestServerAvailability)
#include "tst_serveravailability.moc"
