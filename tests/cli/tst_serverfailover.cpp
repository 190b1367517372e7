// Two waybill-server processes on one PostgreSQL: one is killed (-9) right after it acknowledged
// a burst and never comes back; the other takes over its pending commands when its lease expires
// and processes every acknowledged command, once.
#include "cliprocess.h"
#include "postgrescluster.h"
#include "samplehistory.h"

#include "store/database.h"
#include "store/sql.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <functional>
#include <memory>

using namespace waybill;
using namespace waybill::test;

class TestServerFailover final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PostgresCluster m_cluster;
    // Several, each with its own connections, pipelined: a burst arrives faster than it is
    // processed, as under real load.
    QNetworkAccessManager m_networks[8];

    QProcessEnvironment environment() const
    {
        return isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
    }

    struct Post
    {
        QString path;
        QByteArray body;
    };

    // Posts every request at once; calls whenAllAnswered the moment the last answer is read;
    // returns the acknowledged commands' ids, failing the test on any answer other than 202.
    QStringList postAll(const QUrl &server, const QByteArray &token, const QVector<Post> &posts,
        const std::function<void()> &whenAllAnswered = {})
    {
        QStringList acknowledged;
        QStringList failures;
        int answered = 0;
        std::vector<std::unique_ptr<QNetworkReply>> replies;
        int next = 0;
        for (const Post &post : posts) {
            QNetworkRequest request(server.resolved(QUrl(post.path)));
            request.setRawHeader("Authorization", "Bearer " + token);
            request.setHeader(
                QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            request.setAttribute(QNetworkRequest::HttpPipeliningAllowedAttribute, true);
            QNetworkReply *reply
                = m_networks[next++ % std::size(m_networks)].post(request, post.body);
            connect(reply, &QNetworkReply::finished, this, [&, reply] {
                const int status
                    = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                const QByteArray body = reply->readAll();
                if (status == 202) {
                    acknowledged << QJsonDocument::fromJson(body)
                                        .object()
                                        .value(QStringLiteral("commandId"))
                                        .toString();
                } else {
                    failures << QStringLiteral("%1: %2 %3")
                                    .arg(reply->url().path())
                                    .arg(status)
                                    .arg(QString::fromUtf8(body));
                }
                if (++answered == posts.size() && whenAllAnswered)
                    whenAllAnswered();
            });
            replies.emplace_back(reply);
        }
        if (!QTest::qWaitFor([&] { return answered == posts.size(); }, 60000))
            failures << QStringLiteral("only %1 of %2 answered").arg(answered).arg(posts.size());
        if (!failures.isEmpty())
            qWarning().noquote() << failures.mid(0, 5).join(QLatin1Char('\n'));
        return failures.isEmpty() ? acknowledged : QStringList();
    }

    static qint64 count(Database &db, const QString &sql)
    {
        QSqlQuery q = runQuery(db.connection(), sql);
        return q.next() ? q.value(0).toLongLong() : -1;
    }

    // Waits (reading the database) until nothing is pending and every delivery has its invoice.
    static bool settles(Database &db, int timeoutMs)
    {
        return QTest::qWaitFor(
            [&] {
                return count(db,
                           QStringLiteral("SELECT COUNT(*) FROM commands "
                                          "WHERE status = 'pending'"))
                    == 0
                    && count(db,
                           QStringLiteral("SELECT COUNT(*) FROM events WHERE type = "
                                          "'invoiced'"))
                    == count(db,
                        QStringLiteral("SELECT COUNT(*) FROM events WHERE type = "
                                       "'delivered'"));
            },
            timeoutMs);
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

    void commandsOfAServerKilledForGoodAreProcessedOnceByTheOtherWithin30Seconds()
    {
        QString error;
        const QString dbText = m_cluster.createDatabase(QStringLiteral("failover"), &error);
        QVERIFY2(!dbText.isEmpty(), qPrintable(error));
        const std::optional<DatabaseUrl> url = DatabaseUrl::parse(dbText, &error);
        QVERIFY2(url, qPrintable(error));
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("WAYBILL_DB"), dbText);
        const QByteArray token
            = createTokenWithCli(env, QStringLiteral("desk"), QStringLiteral("admin"), &error)
                  .toUtf8();
        QVERIFY2(!token.isEmpty(), qPrintable(error));

        const QStringList listen { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") };
        ServerRun survivor(listen, env);
        QVERIFY2(survivor.start(&error), qPrintable(error));
        Database db(*url);

        // Shipments on their way, so that the burst holds deliveries (hence invoices) as well.
        constexpr int kDelivered = 30;
        constexpr int kSubmitted = 300;
        QVector<Post> submits, assigns, ships, delivers;
        for (int i = 0; i < kDelivered; ++i) {
            const QString shipment = QStringLiteral("/shipments/d%1/commands/").arg(i);
            submits.append({ shipment + QStringLiteral("submit"),
                submitBody(QStringLiteral("acct-%1").arg(i % 5), 100 + i) });
            assigns.append({ shipment + QStringLiteral("assign"),
                QStringLiteral("{\"truckId\": \"t%1\"}").arg(i).toUtf8() });
            ships.append({ shipment + QStringLiteral("ship"), QByteArray("{}") });
            delivers.append({ shipment + QStringLiteral("deliver"), QByteArray("{}") });
        }
        QStringList acknowledged;
        for (const QVector<Post> &step : { submits, assigns, ships }) {
            const QStringList done = postAll(survivor.url(), token, step);
            QCOMPARE(done.size(), step.size());
            acknowledged += done;
            QVERIFY(settles(db, 30000));
        }

        // The kill comes the moment the last answer is read; should the server have processed
        // the whole burst by then (nothing then proves the takeover), a new one gets another.
        qint64 orphaned = 0;
        int submitted = 0;
        QElapsedTimer sinceKill;
        // A quiet machine may keep up with a small burst: each attempt sends a larger one.
        for (int attempt = 0; attempt < 6 && orphaned == 0; ++attempt) {
            ServerRun doomed(listen, env);
            QVERIFY2(doomed.start(&error), qPrintable(error));
            QVector<Post> burst = attempt == 0 ? delivers : QVector<Post>();
            for (int i = 0; i < kSubmitted * (attempt + 1); ++i, ++submitted) {
                burst.append({ QStringLiteral("/shipments/s%1/commands/submit").arg(submitted),
                    submitBody(QStringLiteral("acct-%1").arg(i % 5), 10 + i % 90) });
            }
            const qint64 pid = doomed.process().processId();
            const QStringList burstAcknowledged = postAll(
                doomed.url(), token, burst, [pid] { ::kill(static_cast<pid_t>(pid), SIGKILL); });
            QCOMPARE(burstAcknowledged.size(), burst.size());
            acknowledged += burstAcknowledged;
            QVERIFY(doomed.waitForExit(10000));
            sinceKill.start();
            orphaned = count(
                db, QStringLiteral("SELECT COUNT(*) FROM commands WHERE status = 'pending'"));
        }
        QVERIFY2(orphaned > 0,
            "the killed server had processed its whole burst every time: nothing was left to "
            "take over");

        QVERIFY2(settles(db, 30000),
            qPrintable(
                QStringLiteral("still pending after 30 s: %1 of the %2 left by the killed "
                               "server")
                    .arg(count(db,
                        QStringLiteral("SELECT COUNT(*) FROM commands WHERE status = 'pending'")))
                    .arg(orphaned)));
        qInfo("%lld commands left pending by the killed server were processed %.1f s after the "
              "kill",
            orphaned, sinceKill.elapsed() / 1000.0);
        QVERIFY(sinceKill.elapsed() < 30000);

        // Every acknowledged command succeeded, with exactly one event of its own.
        QHash<QString, QString> statusOf;
        QHash<QString, int> eventsOf;
        {
            QSqlQuery q
                = runQuery(db.connection(), QStringLiteral("SELECT id, status FROM commands"));
            while (q.next())
                statusOf.insert(q.value(0).toString(), q.value(1).toString());
            QSqlQuery e = runQuery(db.connection(),
                QStringLiteral("SELECT command_id, COUNT(*) FROM events GROUP BY command_id"));
            while (e.next())
                eventsOf.insert(e.value(0).toString(), e.value(1).toInt());
        }
        for (const QString &id : std::as_const(acknowledged)) {
            QVERIFY2(statusOf.value(id) == QLatin1String("succeeded"),
                qPrintable(id + QStringLiteral(": ") + statusOf.value(id)));
            QVERIFY2(eventsOf.value(id) == 1,
                qPrintable(id + QStringLiteral(" has %1 events").arg(eventsOf.value(id))));
        }
        QCOMPARE(count(db, QStringLiteral("SELECT COUNT(*) FROM events WHERE type = 'submitted'")),
            qint64(kDelivered + submitted));
        // Versions contiguous from 1 in every stream.
        QCOMPARE(count(db,
                     QStringLiteral("SELECT COUNT(*) FROM (SELECT stream_id FROM events GROUP BY "
                                    "stream_id HAVING MIN(version) <> 1 "
                                    "OR MAX(version) <> COUNT(*)) AS gaps")),
            qint64(0));
        // One invoice per delivery.
        QSet<QString> invoiced;
        int invoices = 0;
        {
            QSqlQuery q = runQuery(
                db.connection(), QStringLiteral("SELECT data FROM events WHERE type = 'invoiced'"));
            while (q.next()) {
                ++invoices;
                invoiced.insert(QJsonDocument::fromJson(q.value(0).toString().toUtf8())
                                    .object()
                                    .value(QStringLiteral("shipmentId"))
                                    .toString());
            }
        }
        QCOMPARE(invoices, kDelivered);
        QCOMPARE(invoiced.size(), kDelivered);
        db.closeConnection();

        survivor.sendSignal(SIGTERM);
        QVERIFY(survivor.waitForExit());
        QVERIFY2(survivor.exitCode() == 0, survivor.stdErr());
        QVERIFY2(survivor.stdErr().contains("taking over"), survivor.stdErr());
        const CliResult verified = runCli({ QStringLiteral("verify") }, env);
        QVERIFY2(verified.finished && verified.exitCode == 0, verified.describe());
    }
};

QTEST_GUILESS_MAIN(TestServerFailover)
#include "tst_serverfailover.moc"
