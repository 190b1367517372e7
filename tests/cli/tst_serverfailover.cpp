// Two waybill-server processes on one PostgreSQL: one acknowledges a burst and is killed (-9)
// before it has processed any of it, and never comes back; the other takes over its pending
// commands when its lease expires and processes every acknowledged command, once, within 30 s.
//
// "Before it has processed any of it" is made certain rather than left to timing: the doomed
// server connects with its own application_name, and a trigger refuses that connection's event
// inserts with a serialization failure, which the engine takes for a passing conflict and
// retries (its batch rolls back, nothing of it is applied, the writer lock is free for the
// inbox), so the doomed server goes on acknowledging while every command it took stays pending.
#include "cliprocess.h"
#include "commandburst.h"
#include "historychecks.h"
#include "postgrescluster.h"
#include "samplehistory.h"

#include "store/database.h"
#include "store/sql.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace waybill;
using namespace waybill::test;

class TestServerFailover final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PostgresCluster m_cluster;

    QProcessEnvironment environment() const
    {
        return isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
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
        QVector<CommandPost> submits, assigns, ships, burst;
        for (int i = 0; i < kDelivered; ++i) {
            const QString shipment = QStringLiteral("/shipments/d%1/commands/").arg(i);
            submits.append({ shipment + QStringLiteral("submit"),
                submitBody(QStringLiteral("acct-%1").arg(i % 5), 100 + i) });
            assigns.append({ shipment + QStringLiteral("assign"),
                QStringLiteral("{\"truckId\": \"t%1\"}").arg(i).toUtf8() });
            ships.append({ shipment + QStringLiteral("ship"), QByteArray("{}") });
            burst.append({ shipment + QStringLiteral("deliver"), QByteArray("{}") });
        }
        for (int i = 0; i < kSubmitted; ++i) {
            burst.append({ QStringLiteral("/shipments/s%1/commands/submit").arg(i),
                submitBody(QStringLiteral("acct-%1").arg(i % 5), 10 + i % 90) });
        }
        QStringList acknowledged;
        for (const QVector<CommandPost> &step : { submits, assigns, ships }) {
            const BurstAnswers answers = postBurst(survivor.url(), token, step);
            QVERIFY2(answers.acknowledged.size() == step.size(), qPrintable(answers.describe()));
            acknowledged += answers.acknowledged;
            QVERIFY(historySettles(db, 30000));
        }

        // Not prepared: a PostgreSQL statement with a function body cannot be.
        const auto execute = [&db](const QString &sql) {
            QSqlQuery q(db.connection());
            return q.exec(sql) ? QString() : q.lastError().text();
        };
        QCOMPARE(
            execute(QStringLiteral("CREATE FUNCTION hold_back_doomed_events() RETURNS trigger "
                                   "LANGUAGE plpgsql AS $$ BEGIN "
                                   "IF current_setting('application_name') = 'waybill-doomed' THEN "
                                   "RAISE EXCEPTION 'held back by the failover test' "
                                   "USING ERRCODE = 'serialization_failure'; END IF; "
                                   "RETURN NEW; END $$")),
            QString());
        QCOMPARE(execute(QStringLiteral("CREATE TRIGGER hold_back_doomed BEFORE INSERT ON events "
                                        "FOR EACH ROW EXECUTE FUNCTION hold_back_doomed_events()")),
            QString());

        ServerRun doomed(listen
                + QStringList { QStringLiteral("--db"),
                    dbText + QStringLiteral("?application_name=waybill-doomed") },
            env);
        QVERIFY2(doomed.start(&error), qPrintable(error));
        // Killed once three quarters of the burst are acknowledged, with the rest in flight:
        // requests it never answered are no promise, and the client must live with them.
        const qint64 pid = doomed.process().processId();
        QVERIFY(pid > 0); // kill(0) would hit the whole process group
        const int killAt = int(burst.size()) * 3 / 4;
        QElapsedTimer sinceKill;
        const BurstAnswers answers
            = postBurst(doomed.url(), token, burst, 60000, [&](int acknowledgedSoFar) {
                  if (acknowledgedSoFar == killAt) {
                      ::kill(static_cast<pid_t>(pid), SIGKILL);
                      sinceKill.start();
                  }
              });
        QVERIFY2(answers.refused.isEmpty(), qPrintable(answers.describe()));
        QVERIFY2(answers.acknowledged.size() >= killAt, qPrintable(answers.describe()));
        QVERIFY(doomed.waitForExit(10000));
        QCOMPARE(doomed.exitStatus(), QProcess::CrashExit);
        acknowledged += answers.acknowledged;

        // Nothing of what it took was processed: all of it waits for the takeover.
        const qint64 orphaned
            = countOf(db, QStringLiteral("SELECT COUNT(*) FROM commands WHERE status = 'pending'"));
        QVERIFY2(orphaned >= answers.acknowledged.size(),
            qPrintable(QStringLiteral("%1 pending, %2 acknowledged")
                           .arg(orphaned)
                           .arg(answers.acknowledged.size())));

        QVERIFY2(historySettles(db, 30000 - int(sinceKill.elapsed())),
            qPrintable(
                QStringLiteral("still pending 30 s after the kill: %1 of the %2 left by "
                               "the killed server")
                    .arg(countOf(db,
                        QStringLiteral("SELECT COUNT(*) FROM commands WHERE status = 'pending'")))
                    .arg(orphaned)));
        qInfo("%lld commands left pending by the killed server were processed %.1f s after the "
              "kill",
            orphaned, sinceKill.elapsed() / 1000.0);

        // Every acknowledged command succeeded, once; every recorded command (acknowledged or
        // not) at most once; versions contiguous; one invoice per delivery.
        const QStringList problems = historyProblems(db, acknowledged, kDelivered);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 10).join(QLatin1Char('\n'))));
        QCOMPARE(countOf(db,
                     QStringLiteral("SELECT COUNT(*) FROM commands WHERE status <> "
                                    "'succeeded'")),
            qint64(0));
        QCOMPARE(execute(QStringLiteral("DROP TRIGGER hold_back_doomed ON events")), QString());
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
