// waybill-server's admin commands on real SQLite files: tokens, the CSV export, the hash-chain
// check (and its alarm after tampering), and rebuilding the read models.
#include "cliprocess.h"
#include "samplehistory.h"

#include "store/database.h"
#include "store/eventstore.h"
#include "store/readmodels.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace waybill;
using namespace waybill::test;

class TestServerAdmin final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_historyPath; // a sample history, copied by tests that change it

    QProcessEnvironment environment() const
    {
        return isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
    }

    CliResult cli(const QString &dbPath, const QStringList &arguments)
    {
        return runCli(
            QStringList { QStringLiteral("--db"), QStringLiteral("sqlite:") + dbPath } + arguments,
            environment());
    }

    // A private copy of the sample history.
    QString copyOfHistory(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        if (!QFile::copy(m_historyPath, path))
            qFatal("cannot copy the sample history to %s", qPrintable(path));
        return path;
    }

    static qint64 eventCount(const QString &path)
    {
        Database database(DatabaseUrl::sqlite(path));
        const qint64 count = EventStore::count(database.connection());
        database.closeConnection();
        return count;
    }

    static QStringList csvLines(const QByteArray &csv)
    {
        QStringList lines = QString::fromUtf8(csv).split(QStringLiteral("\r\n"));
        if (!lines.isEmpty() && lines.constLast().isEmpty())
            lines.removeLast();
        return lines;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(serverBinaryIsBuilt(&error), qPrintable(error));
        m_historyPath = m_dir.filePath(QStringLiteral("history.db"));
        QVERIFY2(
            recordSampleHistory(DatabaseUrl::sqlite(m_historyPath), 12, &error), qPrintable(error));
        QVERIFY(eventCount(m_historyPath) > 30);
    }

    void tokenListShowsNamesRolesAndDatesButNoSecretOrHash()
    {
        const QString db = m_dir.filePath(QStringLiteral("list.db"));
        QStringList secrets;
        for (const auto &[name, role] :
            { std::pair { "ana", "auditor" }, std::pair { "bo", "customer-service" } }) {
            const CliResult created = cli(db,
                { QStringLiteral("token"), QStringLiteral("create"), QStringLiteral("--name"),
                    QLatin1String(name), QStringLiteral("--role"), QLatin1String(role) });
            QVERIFY2(created.finished && created.exitCode == 0, created.describe());
            secrets << created.outLines().constLast();
        }
        const CliResult listed = cli(db, { QStringLiteral("token"), QStringLiteral("list") });
        QVERIFY2(listed.finished && listed.exitCode == 0, listed.describe());
        const QStringList lines = listed.outLines();
        QCOMPARE(lines.size(), 3); // header and two tokens
        QVERIFY2(lines.at(1).contains(QLatin1String("ana"))
                && lines.at(1).contains(QLatin1String("auditor")),
            listed.out);
        QVERIFY2(lines.at(2).contains(QLatin1String("bo"))
                && lines.at(2).contains(QLatin1String("customer-service")),
            listed.out);
        static const QRegularExpression utcTime(
            QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z"));
        QVERIFY2(utcTime.match(lines.at(1)).hasMatch(), listed.out);

        // Nothing secret: neither the tokens nor what is stored of them.
        QStringList stored;
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(
                QStringLiteral("QSQLITE"), QStringLiteral("list-check"));
            raw.setDatabaseName(db);
            QVERIFY(raw.open());
            QSqlQuery query(raw);
            QVERIFY(query.exec(QStringLiteral("SELECT salt, hash FROM tokens")));
            while (query.next())
                stored << query.value(0).toString() << query.value(1).toString();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("list-check"));
        QCOMPARE(stored.size(), 4);
        for (const QString &secret : secrets + stored) {
            QVERIFY(!secret.isEmpty());
            QVERIFY2(!QString::fromUtf8(listed.out + listed.err).contains(secret),
                qPrintable(QStringLiteral("token list shows a secret or hash: ") + secret));
        }
    }

    void tokenCreateWithATakenNameFails()
    {
        const QString db = m_dir.filePath(QStringLiteral("taken.db"));
        const QStringList create { QStringLiteral("token"), QStringLiteral("create"),
            QStringLiteral("--name"), QStringLiteral("ops"), QStringLiteral("--role"),
            QStringLiteral("admin") };
        const CliResult first = cli(db, create);
        QVERIFY2(first.finished && first.exitCode == 0, first.describe());
        const CliResult second = cli(db, create);
        QVERIFY2(second.finished && second.exitCode == 1, second.describe());
        QVERIFY2(second.errLines().size() == 1
                && second.errLines().constFirst().contains(QLatin1String("\"ops\"")),
            second.describe());
        QVERIFY2(second.out.isEmpty(), second.describe());
    }

    void tokenRevokeOfAnUnknownNameFails()
    {
        const QString db = m_dir.filePath(QStringLiteral("revoke.db"));
        const CliResult created = cli(db,
            { QStringLiteral("token"), QStringLiteral("create"), QStringLiteral("--name"),
                QStringLiteral("real"), QStringLiteral("--role"), QStringLiteral("admin") });
        QVERIFY2(created.finished && created.exitCode == 0, created.describe());
        const CliResult revoked = cli(
            db, { QStringLiteral("token"), QStringLiteral("revoke"), QStringLiteral("ghost") });
        QVERIFY2(revoked.finished && revoked.exitCode == 1, revoked.describe());
        QCOMPARE(revoked.errLines().size(), 1);
        QVERIFY2(
            revoked.errLines().constFirst().contains(QLatin1String("no token named \"ghost\"")),
            revoked.describe());
        const CliResult again = cli(
            db, { QStringLiteral("token"), QStringLiteral("revoke"), QStringLiteral("real") });
        QVERIFY2(again.finished && again.exitCode == 0, again.describe());
        const CliResult twice = cli(
            db, { QStringLiteral("token"), QStringLiteral("revoke"), QStringLiteral("real") });
        QVERIFY2(twice.finished && twice.exitCode == 1, twice.describe());
    }

    void exportToFileEqualsExportToStdout()
    {
        const CliResult toStdout = cli(m_historyPath, { QStringLiteral("export") });
        QVERIFY2(toStdout.finished && toStdout.exitCode == 0, toStdout.describe());
        QVERIFY2(toStdout.err.isEmpty(), toStdout.describe());
        const QString file = m_dir.filePath(QStringLiteral("export.csv"));
        const CliResult toFile
            = cli(m_historyPath, { QStringLiteral("export"), QStringLiteral("--out"), file });
        QVERIFY2(toFile.finished && toFile.exitCode == 0, toFile.describe());
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray fromFile = written.readAll();
        QCOMPARE(fromFile, toStdout.out);

        const QStringList lines = csvLines(fromFile);
        QCOMPARE(lines.constFirst(),
            QStringLiteral("position,timestamp,stream_id,version,type,command_id,user,data,hash"));
        const qint64 events = eventCount(m_historyPath);
        QCOMPARE(qint64(lines.size() - 1), events);
        QVERIFY2(toFile.out.contains(QByteArray::number(events)), toFile.describe());
    }

    void exportKeepsOnlyTheChosenStreamAndTimes()
    {
        const CliResult stream = cli(m_historyPath,
            { QStringLiteral("export"), QStringLiteral("--stream"),
                QStringLiteral("shipment-s-2") });
        QVERIFY2(stream.finished && stream.exitCode == 0, stream.describe());
        const QStringList rows = csvLines(stream.out).mid(1);
        QCOMPARE(rows.size(), 4); // submitted, assigned, shipped, delivered
        for (const QString &row : rows)
            QVERIFY2(row.section(QLatin1Char(','), 2, 2) == QLatin1String("shipment-s-2"),
                qPrintable(row));

        // Everything is recorded now: a window entirely in the future is empty, one from the past
        // is all.
        const CliResult future = cli(m_historyPath,
            { QStringLiteral("export"), QStringLiteral("--from"),
                QStringLiteral("2999-01-01T00:00:00Z") });
        QVERIFY2(future.finished && future.exitCode == 0, future.describe());
        QCOMPARE(csvLines(future.out).size(), 1);
        const CliResult past = cli(m_historyPath,
            { QStringLiteral("export"), QStringLiteral("--from"),
                QStringLiteral("2000-01-01T00:00:00Z"), QStringLiteral("--to"),
                QStringLiteral("2999-01-01T00:00:00Z") });
        QVERIFY2(past.finished && past.exitCode == 0, past.describe());
        QCOMPARE(qint64(csvLines(past.out).size() - 1), eventCount(m_historyPath));
    }

    void verifyPassesOnIntactHistoryAndFailsAfterTampering_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("value");
        QTest::newRow("edited data") << "data"
                                     << "{\"amount\":1000000,\"amountCents\":100000000}";
        QTest::newRow("edited user") << "user_name"
                                     << "mallory";
        QTest::newRow("edited time") << "timestamp"
                                     << "2020-01-01T00:00:00.000Z";
    }
    void verifyPassesOnIntactHistoryAndFailsAfterTampering()
    {
        QFETCH(QString, column);
        QFETCH(QString, value);
        const QString path = copyOfHistory(QStringLiteral("verify-%1.db").arg(column));
        const qint64 events = eventCount(path);
        const CliResult intact = cli(path, { QStringLiteral("verify") });
        QVERIFY2(intact.finished && intact.exitCode == 0, intact.describe());
        QVERIFY2(intact.out.contains(": " + QByteArray::number(events) + "\n"), intact.describe());

        const qint64 tampered = events / 2;
        {
            QSqlDatabase raw
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper"));
            raw.setDatabaseName(path);
            QVERIFY(raw.open());
            QSqlQuery query(raw);
            QVERIFY(query.prepare(
                QStringLiteral("UPDATE events SET %1 = ? WHERE position = ?").arg(column)));
            query.addBindValue(value);
            query.addBindValue(tampered);
            QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
            QCOMPARE(query.numRowsAffected(), 1);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tamper"));

        const CliResult broken = cli(path, { QStringLiteral("verify") });
        QVERIFY2(broken.finished && broken.exitCode == 1, broken.describe());
        QVERIFY2(broken.out.contains("position " + QByteArray::number(tampered) + ":"),
            qPrintable(QStringLiteral("expected position %1 to be named; ").arg(tampered)
                + broken.describe()));
    }

    // The proof a printed document carries: a position and its hash. verify --position P --hash H
    // passes only while the chain up to P is intact and still ends on H there.
    void verifyOfAPositionAndHashPassesOnlyForTheLogTheyCameFrom_data()
    {
        QTest::addColumn<QString>("change"); // what is done to the history, then verified
        QTest::addColumn<int>("exitCode");
        QTest::newRow("intact") << "none" << 0;
        QTest::newRow("hash in capitals") << "upper" << 0;
        QTest::newRow("an event after P edited: not in question") << "after" << 0;
        QTest::newRow("another hash at P") << "otherhash" << 1;
        QTest::newRow("an event before P edited") << "before" << 1;
        QTest::newRow("the event at P edited") << "at" << 1;
        QTest::newRow("the event at P deleted") << "delete" << 1;
        QTest::newRow("P past the end of the log") << "past" << 1;
    }
    void verifyOfAPositionAndHashPassesOnlyForTheLogTheyCameFrom()
    {
        QFETCH(QString, change);
        QFETCH(int, exitCode);
        const QString path = copyOfHistory(QStringLiteral("proof-%1.db").arg(change));
        const qint64 events = eventCount(path);
        qint64 position = events / 2;
        QString hash;
        {
            Database database(DatabaseUrl::sqlite(path));
            hash = EventStore::readAfter(database.connection(), position - 1, 1).first().hash;
            database.closeConnection();
        }
        QCOMPARE(hash.size(), 64);
        const auto tamper = [&](const QString &sql, qint64 at) {
            QSqlDatabase raw
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper"));
            raw.setDatabaseName(path);
            QVERIFY(raw.open());
            QSqlQuery query(raw);
            QVERIFY(query.prepare(sql));
            query.addBindValue(at);
            QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
            QCOMPARE(query.numRowsAffected(), 1);
            query.finish();
            raw.close();
        };
        const QString edit = QStringLiteral("UPDATE events SET user_name = 'mallory' WHERE "
                                            "position = ?");
        if (change == QLatin1String("upper"))
            hash = hash.toUpper();
        else if (change == QLatin1String("after"))
            tamper(edit, position + 1);
        else if (change == QLatin1String("otherhash"))
            hash = QString(64, QLatin1Char('a'));
        else if (change == QLatin1String("before"))
            tamper(edit, position - 1);
        else if (change == QLatin1String("at"))
            tamper(edit, position);
        else if (change == QLatin1String("delete"))
            tamper(QStringLiteral("DELETE FROM events WHERE position = ?"), position);
        else if (change == QLatin1String("past"))
            position = events + 1;
        QSqlDatabase::removeDatabase(QStringLiteral("tamper"));

        const CliResult result = cli(path,
            { QStringLiteral("verify"), QStringLiteral("--position"), QString::number(position),
                QStringLiteral("--hash"), hash });
        QVERIFY2(result.finished && result.exitCode == exitCode, result.describe());
        if (exitCode == 0)
            QVERIFY2(result.out.contains(hash.toLower().toUtf8()), result.describe());
    }

    void verifyOfAPositionRefusesAMalformedProof_data()
    {
        QTest::addColumn<QStringList>("arguments");
        const QString hash(64, QLatin1Char('0'));
        QTest::newRow("position without hash") << QStringList { "--position", "3" };
        QTest::newRow("hash without position") << QStringList { "--hash", hash };
        QTest::newRow("position zero") << QStringList { "--position", "0", "--hash", hash };
        QTest::newRow("position not a number")
            << QStringList { "--position", "three", "--hash", hash };
        QTest::newRow("hash too short") << QStringList { "--position", "3", "--hash", "abc" };
        QTest::newRow("hash not hex")
            << QStringList { "--position", "3", "--hash", QString(64, QLatin1Char('g')) };
    }
    void verifyOfAPositionRefusesAMalformedProof()
    {
        QFETCH(QStringList, arguments);
        const CliResult result
            = cli(m_historyPath, QStringList { QStringLiteral("verify") } + arguments);
        QVERIFY2(result.finished && result.exitCode == 2, result.describe());
        QVERIFY2(result.err.trimmed().count('\n') == 0, result.describe()); // one clear line
    }

    void rebuildProjectionsRestoresTheReadModels()
    {
        const QString path = copyOfHistory(QStringLiteral("rebuild.db"));
        QJsonArray before;
        {
            Database database(DatabaseUrl::sqlite(path));
            before = ReadModels::dump(database.connection());
            // Damage the read models, as a bug or a botched restore could.
            QSqlQuery query(database.connection());
            QVERIFY(query.exec(QStringLiteral("DELETE FROM shipments WHERE id = 's-3'")));
            QVERIFY(query.exec(QStringLiteral("UPDATE accounts SET balance_cents = 999")));
            QVERIFY(query.exec(QStringLiteral("DELETE FROM trucks")));
            QVERIFY(ReadModels::dump(database.connection()) != before);
            database.closeConnection();
        }
        QVERIFY(before.size() > 12);

        const CliResult rebuilt = cli(path, { QStringLiteral("rebuild-projections") });
        QVERIFY2(rebuilt.finished && rebuilt.exitCode == 0, rebuilt.describe());
        Database database(DatabaseUrl::sqlite(path));
        const QJsonArray after = ReadModels::dump(database.connection());
        database.closeConnection();
        QCOMPARE(after, before);
    }

    void readingCommandsRefuseAMissingSqliteFile_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("verify") << QStringList { "verify" };
        QTest::newRow("export") << QStringList { "export" };
        QTest::newRow("token list") << QStringList { "token", "list" };
        QTest::newRow("token revoke") << QStringList { "token", "revoke", "x" };
        QTest::newRow("rebuild-projections") << QStringList { "rebuild-projections" };
    }
    void readingCommandsRefuseAMissingSqliteFile()
    {
        QFETCH(QStringList, arguments);
        const QString path = m_dir.filePath(QStringLiteral("absent.db"));
        const CliResult result = cli(path, arguments);
        QVERIFY2(result.finished && result.exitCode == 1, result.describe());
        QCOMPARE(result.errLines().size(), 1);
        QVERIFY2(result.errLines().constFirst().contains(path), result.describe());
        QVERIFY2(
            !QFileInfo::exists(path), "the command created the database it should have refused");
    }
};

QTEST_GUILESS_MAIN(TestServerAdmin)
#include "tst_serveradmin.moc"
