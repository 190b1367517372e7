// Two waybill-server processes on one PostgreSQL database: behind a real HAProxy that checks
// their /health (requests reach both, nothing is lost or applied twice, and a server that
// drains on SIGTERM is taken out of the balancer before it stops, without a failed request),
// and a /live client on one server that sees every event of commands sent to the other.
#include "cliprocess.h"
#include "commandburst.h"
#include "haproxyrun.h"
#include "historychecks.h"
#include "postgrescluster.h"
#include "samplehistory.h"

#include "store/database.h"
#include "store/sql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QWebSocket>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace waybill;
using namespace waybill::test;

class TestServerCluster final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PostgresCluster m_cluster;
    int m_databases = 0;

    // A fresh database for one test function, a token of the admin role on it, and the
    // environment that names it.
    struct Office
    {
        QString url;
        QProcessEnvironment env;
        QString token;
    };

    bool newOffice(Office *office, QString *error)
    {
        office->url
            = m_cluster.createDatabase(QStringLiteral("cluster%1").arg(++m_databases), error);
        if (office->url.isEmpty())
            return false;
        office->env = isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
        office->env.insert(QStringLiteral("WAYBILL_DB"), office->url);
        office->token = createTokenWithCli(
            office->env, QStringLiteral("desk"), QStringLiteral("admin"), error);
        return !office->token.isEmpty();
    }

    // Serving arguments with a config file that sets the drain delay.
    QStringList serverArguments(int drainSeconds)
    {
        const QString config = m_dir.filePath(QStringLiteral("drain-%1.ini").arg(drainSeconds));
        QFile file(config);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(QStringLiteral("[server]\ndrain-seconds = %1\n[limits]\n"
                                      "max-connections-per-address = 0\n")
                           .arg(drainSeconds)
                           .toUtf8());
        return { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--config"), config };
    }

    // waybill_commands_accepted_total of one server, read from its own /metrics.
    static qint64 acceptedBy(const QUrl &server, const QString &token)
    {
        QNetworkAccessManager network;
        const HttpAnswer answer
            = httpRequest(network, "GET", server.resolved(QUrl(QStringLiteral("/metrics"))), token);
        static const QRegularExpression line(
            QStringLiteral("^waybill_commands_accepted_total (\\d+)$"),
            QRegularExpression::MultilineOption);
        const QRegularExpressionMatch match = line.match(QString::fromUtf8(answer.body));
        return answer.status == 200 && match.hasMatch() ? match.captured(1).toLongLong() : -1;
    }

    static QVector<CommandPost> lifecycleStep(const QString &step, int shipments)
    {
        QVector<CommandPost> posts;
        for (int i = 0; i < shipments; ++i) {
            const QString path = QStringLiteral("/shipments/life%1/commands/%2").arg(i).arg(step);
            if (step == QLatin1String("submit"))
                posts.append({ path, submitBody(QStringLiteral("acct-%1").arg(i % 5), 100 + i) });
            else if (step == QLatin1String("assign"))
                posts.append({ path, QStringLiteral("{\"truckId\": \"t%1\"}").arg(i).toUtf8() });
            else
                posts.append({ path, QByteArray("{}") });
        }
        return posts;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(serverBinaryIsBuilt(&error), qPrintable(error));
        if (!m_cluster.start(&error)) {
            if (PostgresCluster::requirePostgres())
                QFAIL(qPrintable(error));
            QSKIP(qPrintable(error));
        }
    }

    void aBurstThroughHaproxyReachesBothServersAndEveryCommandIsProcessedOnce()
    {
        QString error;
        if (HaproxyRun::binary(&error).isEmpty())
            QSKIP(qPrintable(error));
        Office office;
        QVERIFY2(newOffice(&office, &error), qPrintable(error));
        ServerRun a(serverArguments(0), office.env);
        ServerRun b(serverArguments(0), office.env);
        QVERIFY2(a.start(&error), qPrintable(error));
        QVERIFY2(b.start(&error), qPrintable(error));
        QTemporaryDir folder(QDir::tempPath() + QStringLiteral("/hap-XXXXXX"));
        HaproxyRun balancer(
            folder.path(), { { QStringLiteral("a"), a.url() }, { QStringLiteral("b"), b.url() } });
        QVERIFY2(balancer.start(&error), qPrintable(error));
        const std::optional<DatabaseUrl> url = DatabaseUrl::parse(office.url, &error);
        QVERIFY2(url, qPrintable(error));
        Database db(*url);

        // Shipments taken to their delivery (so that invoices are made too), each step once the
        // one before is processed; the deliveries go with a burst of new submits.
        constexpr int kDelivered = 40;
        constexpr int kSubmitted = 400;
        QStringList acknowledged;
        for (const char *step : { "submit", "assign", "ship" }) {
            const QVector<CommandPost> posts = lifecycleStep(QLatin1String(step), kDelivered);
            const BurstAnswers answers = postBurst(balancer.url(), office.token.toUtf8(), posts);
            QVERIFY2(answers.acknowledged.size() == posts.size(), qPrintable(answers.describe()));
            acknowledged += answers.acknowledged;
            QVERIFY(historySettles(db, 30000));
        }
        QVector<CommandPost> burst = lifecycleStep(QStringLiteral("deliver"), kDelivered);
        for (int i = 0; i < kSubmitted; ++i)
            burst.append({ QStringLiteral("/shipments/burst%1/commands/submit").arg(i),
                submitBody(QStringLiteral("acct-%1").arg(i % 5), 10 + i % 90) });
        const BurstAnswers answers = postBurst(balancer.url(), office.token.toUtf8(), burst);
        QVERIFY2(answers.acknowledged.size() == burst.size(), qPrintable(answers.describe()));
        acknowledged += answers.acknowledged;
        QVERIFY(historySettles(db, 60000));

        // Both servers took a share of the commands, as their own counters and HAProxy's say.
        const qint64 byA = acceptedBy(a.url(), office.token);
        const qint64 byB = acceptedBy(b.url(), office.token);
        QVERIFY2(byA > 0 && byB > 0, qPrintable(QStringLiteral("a %1, b %2").arg(byA).arg(byB)));
        QCOMPARE(byA + byB, qint64(acknowledged.size()));
        const QHash<QString, BalancedServerState> states = balancer.serverStates();
        QVERIFY(states.value(QStringLiteral("a")).sessions > 0);
        QVERIFY(states.value(QStringLiteral("b")).sessions > 0);

        const QStringList problems = historyProblems(db, acknowledged, kDelivered);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 10).join(QLatin1Char('\n'))));
        // Nothing recorded but what was acknowledged, and the invoicer's one command per delivery.
        QCOMPARE(countOf(db, QStringLiteral("SELECT COUNT(*) FROM commands")),
            qint64(acknowledged.size() + kDelivered));
        db.closeConnection();
    }

    void aDrainingServerLeavesTheBalancerBeforeItStopsAndNoRequestFails()
    {
        QString error;
        if (HaproxyRun::binary(&error).isEmpty())
            QSKIP(qPrintable(error));
        Office office;
        QVERIFY2(newOffice(&office, &error), qPrintable(error));
        // Long enough for HAProxy's checks (every 200 ms, down after 2 failures) to see the 503
        // on a busy machine; the drain ends when this is over.
        ServerRun draining(serverArguments(3), office.env);
        ServerRun staying(serverArguments(3), office.env);
        QVERIFY2(draining.start(&error), qPrintable(error));
        QVERIFY2(staying.start(&error), qPrintable(error));
        QTemporaryDir folder(QDir::tempPath() + QStringLiteral("/hap-XXXXXX"));
        HaproxyRun balancer(folder.path(),
            { { QStringLiteral("draining"), draining.url() },
                { QStringLiteral("staying"), staying.url() } });
        QVERIFY2(balancer.start(&error), qPrintable(error));

        SteadySubmits load(balancer.url(), office.token.toUtf8(), QStringLiteral("steady"), 16);
        load.start();
        QVERIFY(QTest::qWaitFor(
            [&] {
                const QHash<QString, BalancedServerState> s = balancer.serverStates();
                return load.answers().acknowledged.size() >= 100
                    && s.value(QStringLiteral("draining")).sessions > 0
                    && s.value(QStringLiteral("staying")).sessions > 0;
            },
            30000));

        draining.sendSignal(SIGTERM);
        // While it drains it answers /health with 503, and still serves.
        // (The signal is handled a moment after it is sent.)
        QNetworkAccessManager direct;
        HttpAnswer health;
        QVERIFY(QTest::qWaitFor(
            [&] {
                health = httpRequest(
                    direct, "GET", draining.url().resolved(QUrl(QStringLiteral("/health"))));
                return health.status != 200;
            },
            5000));
        QCOMPARE(health.status, 503);
        QCOMPARE(health.object().value(QStringLiteral("reason")).toString(),
            QStringLiteral("shutting down"));

        BalancedServerState whenDown;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         whenDown = balancer.serverStates().value(QStringLiteral("draining"));
                         return whenDown.status.startsWith(QLatin1String("DOWN"));
                     },
                     10000),
            qPrintable(whenDown.status));
        const qint64 stayingWhenDown
            = balancer.serverStates().value(QStringLiteral("staying")).sessions;
        // It was taken out while it still served: it is still there to be asked.
        QCOMPARE(
            httpRequest(direct, "GET", draining.url().resolved(QUrl(QStringLiteral("/health"))))
                .status,
            503);

        QVERIFY(draining.waitForExit(30000));
        QVERIFY2(draining.exitStatus() == QProcess::NormalExit && draining.exitCode() == 0,
            draining.stdErr());
        QVERIFY2(draining.stdErr().contains("draining"), draining.stdErr());
        const int sentAtExit = load.sent();
        QVERIFY(QTest::qWaitFor([&] { return load.sent() >= sentAtExit + 100; }, 30000));
        QVERIFY(load.stop());

        // Not one request failed, before, during or after the drain.
        QVERIFY2(load.answers().refused.isEmpty() && load.answers().unanswered.isEmpty(),
            qPrintable(load.answers().describe()));
        QCOMPARE(load.answers().acknowledged.size(), load.sent());
        // Once down, HAProxy sent it nothing more; the other server took the rest.
        const QHash<QString, BalancedServerState> after = balancer.serverStates();
        QCOMPARE(after.value(QStringLiteral("draining")).sessions, whenDown.sessions);
        QVERIFY(after.value(QStringLiteral("staying")).sessions >= stayingWhenDown + 100);

        const std::optional<DatabaseUrl> url = DatabaseUrl::parse(office.url, &error);
        QVERIFY2(url, qPrintable(error));
        Database db(*url);
        QVERIFY(historySettles(db, 30000));
        const QStringList problems = historyProblems(db, load.answers().acknowledged, 0);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 10).join(QLatin1Char('\n'))));
        db.closeConnection();
    }

    void aLiveClientOnOneServerSeesEveryEventOfCommandsSentToTheOtherInOrder()
    {
        QString error;
        Office office;
        QVERIFY2(newOffice(&office, &error), qPrintable(error));
        ServerRun writer(serverArguments(0), office.env);
        ServerRun watched(serverArguments(0), office.env);
        QVERIFY2(writer.start(&error), qPrintable(error));
        QVERIFY2(watched.start(&error), qPrintable(error));

        QVector<QJsonObject> events;
        QWebSocket live;
        connect(&live, &QWebSocket::textMessageReceived, this, [&events](const QString &text) {
            const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            if (message.value(QStringLiteral("kind")).toString() == QLatin1String("event"))
                events.append(message.value(QStringLiteral("event")).toObject());
        });
        QUrl liveUrl = watched.url().resolved(QUrl(QStringLiteral("/live")));
        liveUrl.setScheme(QStringLiteral("ws"));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("token"), office.token);
        liveUrl.setQuery(query);
        live.open(liveUrl);
        QTRY_COMPARE_WITH_TIMEOUT(live.state(), QAbstractSocket::ConnectedState, 10000);

        // A new client gets what is written after its first read of the log: a marker command,
        // sent again until one of its events arrives, shows that the client is under way, and
        // from there on nothing may be missing.
        const QByteArray token = office.token.toUtf8();
        for (int i = 0; i < 10 && events.isEmpty(); ++i) {
            const BurstAnswers marker = postBurst(writer.url(), token,
                { { QStringLiteral("/shipments/marker%1/commands/submit").arg(i),
                    submitBody(QStringLiteral("acct-m"), 5) } });
            QCOMPARE(marker.acknowledged.size(), 1);
            (void)QTest::qWaitFor([&] { return !events.isEmpty(); }, 3000);
        }
        QVERIFY(!events.isEmpty());
        const qint64 first = qint64(events.first().value(QStringLiteral("position")).toDouble());

        // Then commands of every kind, in bursts, all to the other server.
        const std::optional<DatabaseUrl> url = DatabaseUrl::parse(office.url, &error);
        QVERIFY2(url, qPrintable(error));
        Database db(*url);
        QStringList acknowledged;
        constexpr int kShipments = 20;
        for (const char *step : { "submit", "assign", "ship", "deliver" }) {
            QVector<CommandPost> posts = lifecycleStep(QLatin1String(step), kShipments);
            if (qstrcmp(step, "submit") == 0) {
                for (int i = 0; i < 100; ++i)
                    posts.append({ QStringLiteral("/shipments/more%1/commands/submit").arg(i),
                        submitBody(QStringLiteral("acct-%1").arg(i % 3), 20 + i) });
            }
            const BurstAnswers answers = postBurst(writer.url(), token, posts);
            QVERIFY2(answers.acknowledged.size() == posts.size(), qPrintable(answers.describe()));
            acknowledged += answers.acknowledged;
            QVERIFY(historySettles(db, 30000));
        }
        const qint64 last = countOf(db, QStringLiteral("SELECT MAX(position) FROM events"));
        QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty()
                && qint64(events.last().value(QStringLiteral("position")).toDouble()) >= last,
            15000);

        // Every event of the log from the first on, in order, none missing, none twice, as the
        // log holds it.
        QStringList logged;
        {
            QSqlQuery q = runQuery(db.connection(),
                QStringLiteral("SELECT position, stream_id, version, type, command_id FROM events "
                               "WHERE position >= %1 ORDER BY position")
                    .arg(first));
            while (q.next())
                logged << QStringLiteral("%1 %2 v%3 %4 %5")
                              .arg(q.value(0).toLongLong())
                              .arg(q.value(1).toString())
                              .arg(q.value(2).toInt())
                              .arg(q.value(3).toString(), q.value(4).toString());
        }
        QStringList received;
        QSet<QString> commandsSeen;
        for (const QJsonObject &e : std::as_const(events)) {
            received << QStringLiteral("%1 %2 v%3 %4 %5")
                            .arg(qint64(e.value(QStringLiteral("position")).toDouble()))
                            .arg(e.value(QStringLiteral("streamId")).toString())
                            .arg(e.value(QStringLiteral("version")).toInt())
                            .arg(e.value(QStringLiteral("type")).toString(),
                                e.value(QStringLiteral("commandId")).toString());
            commandsSeen.insert(e.value(QStringLiteral("commandId")).toString());
        }
        QCOMPARE(received.size(), logged.size());
        for (int i = 0; i < received.size(); ++i)
            QCOMPARE(received.at(i), logged.at(i));
        for (const QString &id : std::as_const(acknowledged))
            QVERIFY2(commandsSeen.contains(id), qPrintable(id));
        // The invoices the deliveries made came through the feed too.
        QCOMPARE(countOf(db,
                     QStringLiteral("SELECT COUNT(*) FROM events WHERE type = 'invoiced' AND "
                                    "position >= %1")
                         .arg(first)),
            qint64(kShipments));
        live.close();
        db.closeConnection();
    }
};

QTEST_GUILESS_MAIN(TestServerCluster)
#include "tst_servercluster.moc"
