// Moving a history with the real waybill-server binary: copy from SQLite to PostgreSQL and back
// (everything kept, old tokens good, a server on the copy carries on), refused into a database
// that is not empty, an interrupted copy that leaves its target refused, and backup of a SQLite
// database while a server takes submits over HTTP.
#include "cliprocess.h"
#include "samplehistory.h"
#include "testdatabases.h"

#include "store/database.h"
#include "store/sql.h"
#include "store/tablecopy.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace waybill;
using namespace waybill::test;

namespace {

// The routes whose answers are the read models: the board, the accounts, the trucks, an
// account's invoices and the aging report (a fixed time, so that two runs agree).
const QStringList kReadModelRoutes { QStringLiteral("/shipments?limit=1000"),
    QStringLiteral("/accounts"), QStringLiteral("/trucks"),
    QStringLiteral("/accounts/acct-2/invoices"),
    QStringLiteral("/reports/aging?asOf=2040-01-01T00:00:00Z") };

} // namespace

class TestServerDataMove final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TestDatabases m_databases;
    QNetworkAccessManager m_network;

    QProcessEnvironment environment() const
    {
        return isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
    }

    CliResult cli(const QStringList &arguments, int timeoutMs = 60000)
    {
        return runCli(arguments, environment(), timeoutMs);
    }

    CliResult copy(const DatabaseUrl &from, const DatabaseUrl &to)
    {
        return cli({ QStringLiteral("copy"), QStringLiteral("--from"), from.toDisplayString(),
            QStringLiteral("--to"), to.toDisplayString() });
    }

    CliResult onDatabase(const DatabaseUrl &db, const QStringList &arguments)
    {
        return cli(QStringList { QStringLiteral("--db"), db.toDisplayString() } + arguments);
    }

    // Every row of every table a copy carries, in key order, as text (NULL apart from "").
    static QStringList tableRows(const DatabaseUrl &url)
    {
        Database database(url);
        QStringList rows;
        {
            const QSqlDatabase db = database.connection();
            for (const TableCopy::Table &table : TableCopy::tables(db)) {
                QSqlQuery q = runQuery(db,
                    QStringLiteral("SELECT * FROM %1 ORDER BY %2")
                        .arg(table.name, table.key.join(QStringLiteral(", "))));
                while (q.next()) {
                    QStringList cells { table.name };
                    for (int i = 0; i < q.record().count(); ++i)
                        cells << (q.value(i).isNull() ? QStringLiteral("<null>")
                                                      : q.value(i).toString());
                    rows << cells.join(QLatin1Char('|'));
                }
            }
        }
        database.closeConnection();
        return rows;
    }

    // A history worth moving: the sample (submits, assignments, deliveries and their
    // invoices, payments) and an admin token; returns the token.
    QString recordHistory(const DatabaseUrl &url)
    {
        QString error;
        if (!recordSampleHistory(url, 12, &error))
            qFatal("cannot record the sample history: %s", qPrintable(error));
        const QString token = createTokenWithCli(environment(), QStringLiteral("office"),
            QStringLiteral("admin"), &error, url.toDisplayString());
        if (token.isEmpty())
            qFatal("cannot create a token: %s", qPrintable(error));
        return token;
    }

    // The read-model routes' answers from a server on db, asked with token.
    QStringList readModelAnswers(const DatabaseUrl &db, const QString &token, QString *error)
    {
        ServerRun server({ QStringLiteral("--db"), db.toDisplayString(), QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        if (!server.start(error))
            return {};
        QStringList answers;
        for (const QString &route : kReadModelRoutes) {
            const HttpAnswer answer
                = httpRequest(m_network, "GET", server.url().resolved(QUrl(route)), token);
            answers << QStringLiteral("%1 %2 %3")
                           .arg(route)
                           .arg(answer.status)
                           .arg(QString::fromUtf8(answer.body));
        }
        server.sendSignal(SIGTERM);
        server.waitForExit();
        return answers;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(serverBinaryIsBuilt(&error), qPrintable(error));
    }

    void copyToPostgresAndBackKeepsEveryRowTheChainAndTheTokens()
    {
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), source);
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::postgres(), middle);
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), back);
        const QString token = recordHistory(source);

        const CliResult there = copy(source, middle);
        QVERIFY2(there.finished && there.exitCode == 0, there.describe());
        QVERIFY2(there.out.contains("The hash chain at the target is intact"), there.describe());
        QVERIFY2(there.err.contains("copying events"), there.describe()); // progress on stderr
        const CliResult andBack = copy(middle, back);
        QVERIFY2(andBack.finished && andBack.exitCode == 0, andBack.describe());

        // Every table, row for row: events with their positions and hashes, commands and their
        // outcomes, tokens, checkpoints, invoice numbers, schema versions, read models.
        const QStringList rows = tableRows(source);
        QVERIFY2(rows.size() > 100, qPrintable(QStringLiteral("%1 rows").arg(rows.size())));
        QCOMPARE(tableRows(middle), rows);
        QCOMPARE(tableRows(back), rows);

        // The audit export byte for byte, and the same end of the chain.
        const CliResult exported = onDatabase(source, { QStringLiteral("export") });
        QVERIFY2(exported.finished && exported.exitCode == 0, exported.describe());
        QVERIFY(exported.out.count('\n') > 30);
        const CliResult verified = onDatabase(source, { QStringLiteral("verify") });
        QVERIFY2(verified.exitCode == 0, verified.describe());
        for (const DatabaseUrl &copyUrl : { middle, back }) {
            const CliResult e = onDatabase(copyUrl, { QStringLiteral("export") });
            QVERIFY2(e.finished && e.exitCode == 0, e.describe());
            QVERIFY(e.out == exported.out);
            const CliResult v = onDatabase(copyUrl, { QStringLiteral("verify") });
            QVERIFY2(v.finished && v.exitCode == 0, v.describe());
            QCOMPARE(v.out, verified.out);
        }

        // Servers on the copies answer as one on the source, to the source's token.
        QString error;
        const QStringList expected = readModelAnswers(source, token, &error);
        QVERIFY2(!expected.isEmpty(), qPrintable(error));
        for (const QString &answer : expected)
            QVERIFY2(answer.contains(QLatin1String(" 200 ")), qPrintable(answer));
        QCOMPARE(readModelAnswers(middle, token, &error), expected);
        QCOMPARE(readModelAnswers(back, token, &error), expected);
    }

    void serverOnACopyTakesNewCommandsAfterTheCopiedOnes()
    {
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), source);
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::postgres(), target);
        const QString token = recordHistory(source);
        const CliResult copied = copy(source, target);
        QVERIFY2(copied.finished && copied.exitCode == 0, copied.describe());

        ServerRun server({ QStringLiteral("--db"), target.toDisplayString(),
                             QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") },
            environment());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QUrl submit
            = server.url().resolved(QUrl(QStringLiteral("/shipments/after-move/commands/submit")));
        const HttpAnswer accepted = httpRequest(
            m_network, "POST", submit, token, submitBody(QStringLiteral("acct-1"), 5));
        QVERIFY2(accepted.status == 202, accepted.describe());
        const QString commandId = accepted.object().value(QStringLiteral("commandId")).toString();
        QVERIFY(!commandId.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            httpRequest(m_network, "GET",
                server.url().resolved(QUrl(QStringLiteral("/commands/") + commandId)), token)
                    .object()
                    .value(QStringLiteral("status"))
                    .toString()
                == QLatin1String("succeeded"),
            20000);
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
        QCOMPARE(server.exitCode(), 0);

        // The new command follows the copied ones in the inbox and its event the copied chain.
        Database database(target);
        {
            QSqlQuery q = runQuery(database.connection(),
                QStringLiteral("SELECT id FROM commands ORDER BY seq DESC LIMIT 1"));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), commandId);
        }
        database.closeConnection();
        const CliResult verified = onDatabase(target, { QStringLiteral("verify") });
        QVERIFY2(verified.finished && verified.exitCode == 0, verified.describe());
    }

    void copyRefusesATargetThatIsNotEmpty_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<bool>("withHistory"); // else a token only
        QTest::newRow("postgres-with-a-history") << TestDatabases::postgres() << true;
        QTest::newRow("postgres-with-a-token-only") << TestDatabases::postgres() << false;
        QTest::newRow("sqlite-with-a-history") << TestDatabases::sqlite() << true;
    }

    void copyRefusesATargetThatIsNotEmpty()
    {
        QFETCH(QString, backend);
        QFETCH(bool, withHistory);
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), source);
        WAYBILL_FRESH_DATABASE(m_databases, backend, target);
        QString error;
        QVERIFY2(recordSampleHistory(source, 3, &error), qPrintable(error));
        if (withHistory)
            QVERIFY2(recordSampleHistory(target, 2, &error), qPrintable(error));
        else
            QVERIFY2(!createTokenWithCli(environment(), QStringLiteral("first"),
                         QStringLiteral("admin"), &error, target.toDisplayString())
                          .isEmpty(),
                qPrintable(error));
        const QStringList before = tableRows(target);

        const CliResult refused = copy(source, target);
        QVERIFY2(refused.finished && refused.exitCode == 1, refused.describe());
        QVERIFY2(refused.err.contains("will not copy into") && refused.err.contains("not empty"),
            refused.describe());
        QVERIFY2(refused.out.isEmpty(), refused.describe());
        QCOMPARE(tableRows(target), before);
        Database database(target);
        const bool marked = TableCopy::hasMarker(database.connection());
        database.closeConnection();
        QVERIFY(!marked);
    }

    // The copy is stopped dead (kill -9) while it waits to write the events, after the commands
    // went in: the target holds part of a history, and everything that would open it says so.
    void interruptedCopyLeavesTheTargetRefusedWithTheReason()
    {
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), source);
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::postgres(), target);
        recordHistory(source);

        // A migrated database with no history is empty: the copy takes it. A lock on its events
        // (reads pass, writes wait) holds the copy at its first write there.
        Database holder(target);
        holder.migrate();
        runStatement(holder.connection(), QStringLiteral("BEGIN"));
        runStatement(holder.connection(), QStringLiteral("LOCK TABLE events IN EXCLUSIVE MODE"));

        QProcess copying;
        copying.setProcessEnvironment(environment());
        QString error;
        copying.start(serverBinary(&error),
            { QStringLiteral("copy"), QStringLiteral("--from"), source.toDisplayString(),
                QStringLiteral("--to"), target.toDisplayString() });
        QVERIFY2(copying.waitForStarted(), qPrintable(copying.errorString()));
        QByteArray progress;
        QTRY_VERIFY_WITH_TIMEOUT(
            (progress += copying.readAllStandardError()).contains("copying events"), 30000);
        QVERIFY2(progress.contains("copied"), progress.constData()); // the commands went in
        QTest::qWait(300); // to its DELETE, where the lock holds it
        QCOMPARE(copying.state(), QProcess::Running);
        QVERIFY(copying.processId() > 0); // kill(0) would hit the whole process group
        ::kill(static_cast<pid_t>(copying.processId()), SIGKILL);
        QVERIFY(copying.waitForFinished(10000));
        runStatement(holder.connection(), QStringLiteral("ROLLBACK"));
        holder.closeConnection();

        {
            Database database(target);
            const qint64 commands
                = TableCopy::rowCount(database.connection(), QStringLiteral("commands"));
            const qint64 events
                = TableCopy::rowCount(database.connection(), QStringLiteral("events"));
            database.closeConnection();
            QVERIFY(commands > 0);
            QCOMPARE(events, 0);
        }
        const CliResult verify = onDatabase(target, { QStringLiteral("verify") });
        QVERIFY2(verify.finished && verify.exitCode == 1, verify.describe());
        QVERIFY2(
            verify.err.contains("did not finish") && verify.err.contains("into the empty database"),
            verify.describe());
        const CliResult serve
            = onDatabase(target, { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") });
        QVERIFY2(serve.finished && serve.exitCode == 1, serve.describe());
        QVERIFY2(serve.err.contains("will not serve") && serve.err.contains("did not finish"),
            serve.describe());
        const CliResult again = copy(source, target);
        QVERIFY2(again.finished && again.exitCode == 1, again.describe());
        QVERIFY2(again.err.contains("did not finish"), again.describe());
    }

    void backupDuringWriteLoadHoldsEveryCommandAcknowledgedBeforeIt()
    {
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), db);
        QString error;
        const QString token = createTokenWithCli(environment(), QStringLiteral("load"),
            QStringLiteral("admin"), &error, db.toDisplayString());
        QVERIFY2(!token.isEmpty(), qPrintable(error));
        ServerRun server({ QStringLiteral("--db"), db.toDisplayString(), QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        QVERIFY2(server.start(&error), qPrintable(error));

        // Submits, eight at a time, for as long as the test runs.
        QSet<QString> acknowledged; // shipment ids answered 202
        int sent = 0;
        bool loading = true;
        QStringList failures;
        std::function<void()> sendOne = [&] {
            const QString id = QStringLiteral("load-%1").arg(++sent);
            QNetworkRequest request(server.url().resolved(
                QUrl(QStringLiteral("/shipments/%1/commands/submit").arg(id))));
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
            request.setHeader(
                QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            QNetworkReply *reply = m_network.post(request, submitBody(QStringLiteral("acct-9"), 7));
            connect(reply, &QNetworkReply::finished, this, [&, reply, id] {
                reply->deleteLater();
                const int status
                    = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status == 202)
                    acknowledged.insert(id);
                else
                    failures << QStringLiteral("%1: %2").arg(id).arg(status);
                if (loading)
                    sendOne();
            });
        };
        for (int i = 0; i < 8; ++i)
            sendOne();
        QTRY_VERIFY_WITH_TIMEOUT(acknowledged.size() >= 200, 30000);

        const QSet<QString> before = acknowledged;
        const QString file = m_dir.filePath(QStringLiteral("backup-under-load.db"));
        QProcess backup;
        backup.setProcessEnvironment(environment());
        backup.start(serverBinary(&error),
            { QStringLiteral("--db"), db.toDisplayString(), QStringLiteral("backup"),
                QStringLiteral("--out"), file });
        QTRY_VERIFY_WITH_TIMEOUT(backup.state() == QProcess::NotRunning, 60000);
        const int answeredDuring = acknowledged.size() - before.size();
        loading = false;
        QTRY_VERIFY_WITH_TIMEOUT(acknowledged.size() + failures.size() == sent, 30000);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char(','))));
        const QByteArray out = backup.readAllStandardOutput();
        QVERIFY2(backup.exitCode() == 0 && out.contains("The hash chain is intact"),
            (out + backup.readAllStandardError()).constData());
        QVERIFY2(answeredDuring > 0, "the load went on while the backup ran");
        QCOMPARE(QFile(file).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
            QFileDevice::Permissions());

        // The backup opens, verifies, and holds every command answered before it began.
        const DatabaseUrl copyUrl = DatabaseUrl::sqlite(file);
        const CliResult verified = onDatabase(copyUrl, { QStringLiteral("verify") });
        QVERIFY2(verified.finished && verified.exitCode == 0, verified.describe());
        QSet<QString> held;
        {
            Database database(copyUrl);
            {
                QSqlQuery q = runQuery(database.connection(),
                    QStringLiteral("SELECT stream_id FROM commands WHERE type = 'submit'"));
                while (q.next())
                    held.insert(q.value(0).toString().mid(QStringLiteral("shipment-").size()));
            }
            database.closeConnection();
        }
        for (const QString &id : before)
            QVERIFY2(held.contains(id), qPrintable(id));

        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
    }

    void backupRefusesAFileThatExists()
    {
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), db);
        QString error;
        QVERIFY2(recordSampleHistory(db, 2, &error), qPrintable(error));
        const QString file = m_dir.filePath(QStringLiteral("taken.db"));
        {
            QFile taken(file);
            QVERIFY(taken.open(QIODevice::WriteOnly));
            taken.write("keep me");
        }
        const CliResult refused
            = onDatabase(db, { QStringLiteral("backup"), QStringLiteral("--out"), file });
        QVERIFY2(refused.finished && refused.exitCode == 1, refused.describe());
        QVERIFY2(refused.err.contains("exists already"), refused.describe());
        QFile taken(file);
        QVERIFY(taken.open(QIODevice::ReadOnly));
        QCOMPARE(taken.readAll(), QByteArray("keep me"));
    }

    void backupOfPostgresPointsToPgDump()
    {
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::postgres(), db);
        QString error;
        QVERIFY2(!createTokenWithCli(environment(), QStringLiteral("pg"), QStringLiteral("admin"),
                     &error, db.toDisplayString())
                      .isEmpty(),
            qPrintable(error));
        const QString file = m_dir.filePath(QStringLiteral("pg-backup.db"));
        const CliResult refused
            = onDatabase(db, { QStringLiteral("backup"), QStringLiteral("--out"), file });
        QVERIFY2(refused.finished && refused.exitCode == 1, refused.describe());
        QVERIFY2(refused.err.contains("pg_dump"), refused.describe());
        QVERIFY(!QFile::exists(file));
    }

    void copyAndBackupUsageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("copy-without-to")
            << QStringList { "copy", "--from", "sqlite:/tmp/a.db" } << "copy needs --from URL";
        QTest::newRow("copy-bad-url") << QStringList { "copy", "--from", "sqlite:/tmp/a.db", "--to",
            "mysql://x/y" } << "--to:";
        QTest::newRow("copy-onto-itself") << QStringList { "copy", "--from", "sqlite:/tmp/a.db",
            "--to", "sqlite:/tmp/a.db" } << "the same database";
        QTest::newRow("copy-with-db") << QStringList { "--db", "sqlite:/tmp/a.db", "copy", "--from",
            "sqlite:/tmp/a.db", "--to", "sqlite:/tmp/b.db" }
                                      << "not --db";
        QTest::newRow("backup-without-out") << QStringList { "backup" } << "backup needs --out";
        const QString outOwners = "--out goes with the export, document and backup commands only";
        QTest::newRow("out-with-verify") << QStringList { "verify", "--out", "x" } << outOwners;
        const QString fromOwners = "--from goes with the export, document and copy commands only";
        QTest::newRow("from-with-backup")
            << QStringList { "backup", "--out", "x", "--from", "sqlite:/tmp/a.db" } << fromOwners;
    }

    void copyAndBackupUsageErrorsExitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const CliResult result = cli(arguments);
        QVERIFY2(result.finished && result.exitCode == 2, result.describe());
        QVERIFY2(result.err.contains(message.toUtf8()), result.describe());
    }
};

QTEST_GUILESS_MAIN(TestServerDataMove)
#include "tst_serverdatamove.moc"
