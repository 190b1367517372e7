// Commands that the database refuses every time they are tried (text with a NUL, which
// PostgreSQL's driver cannot send; data that a constraint of the database refuses): each is set
// aside as rejected, on its own, while every other command flows; also when it was left pending
// by an earlier run, and also when the refusal comes as the inbox records it.
#include "invariants.h"
#include "testcommands.h"
#include "testdatabases.h"

#include "engine/engine.h"
#include "store/commandstore.h"

#include <QSemaphore>
#include <QTest>
#include <QUuid>

using namespace waybill;
using namespace waybill::test;

namespace {

constexpr int kShipments = 40;
constexpr int kPoisonIndex = 17;

// What makes the command poisonous: a text the database cannot store, or a refusal by a trigger
// (as a constraint an administrator added would refuse it): a real failure of the database
// either way, the same each time.
enum class Poison { Nul, RefusedByTrigger };

QString shipmentId(int i)
{
    return QStringLiteral("s%1").arg(i);
}

QString poisonousName(Poison poison)
{
    return poison == Poison::Nul ? QStringLiteral("Nul") + QChar(0) + QStringLiteral("Ltd")
                                 : QStringLiteral("poison Ltd");
}

// A submit built without the HTTP validation, as if a client had got past it.
AcceptRequest submit(int i, const QString &shipFromName = QStringLiteral("Acme"))
{
    QJsonObject body = submitBody(QStringLiteral("acct%1").arg(i % 4));
    QJsonObject from = body.value(QStringLiteral("shipFrom")).toObject();
    from.insert(QStringLiteral("name"), shipFromName);
    body.insert(QStringLiteral("shipFrom"), from);
    AcceptRequest r;
    r.type = CommandType::Submit;
    r.streamId = shipmentStreamId(shipmentId(i));
    r.data = body;
    r.user = QStringLiteral("clerk");
    return r;
}

AcceptRequest assign(int i)
{
    AcceptRequest r;
    r.type = CommandType::Assign;
    r.streamId = shipmentStreamId(shipmentId(i));
    r.data = { { QStringLiteral("truckId"), QStringLiteral("t%1").arg(i) } };
    r.user = QStringLiteral("dispatcher");
    return r;
}

// When the database refuses: as the row is written, or only at COMMIT (PostgreSQL's deferred
// constraint triggers), when the writer cannot tell at once whether the commit was made.
enum class StoreRefusal { AsWritten, AtCommit };

// Makes the database refuse every row of `table` whose `column` mentions "poison".
void refuseRowsMentioningPoison(Database &database, const QString &table, const QString &column,
    StoreRefusal when = StoreRefusal::AsWritten)
{
    const QSqlDatabase db = database.connection();
    if (database.isPostgres() && when == StoreRefusal::AtCommit) {
        runStatement(db,
            QStringLiteral("CREATE FUNCTION refuse_poison_%1() RETURNS trigger AS $$ BEGIN "
                           "IF NEW.%2 LIKE '%poison%' THEN RAISE EXCEPTION 'refused by the "
                           "test trigger at commit'; END IF; RETURN NULL; END $$ LANGUAGE plpgsql")
                .arg(table, column));
        runStatement(db,
            QStringLiteral("CREATE CONSTRAINT TRIGGER refuse_poison AFTER INSERT ON %1 "
                           "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                           "EXECUTE FUNCTION refuse_poison_%1()")
                .arg(table));
        return;
    }
    if (database.isPostgres()) {
        runStatement(db,
            QStringLiteral("CREATE FUNCTION refuse_poison_%1() RETURNS trigger AS $$ BEGIN "
                           "IF NEW.%2 LIKE '%poison%' THEN RAISE EXCEPTION 'refused by the "
                           "test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
                .arg(table, column));
        runStatement(db,
            QStringLiteral("CREATE TRIGGER refuse_poison BEFORE INSERT ON %1 FOR EACH ROW "
                           "EXECUTE FUNCTION refuse_poison_%1()")
                .arg(table));
    } else {
        runStatement(db,
            QStringLiteral("CREATE TRIGGER refuse_poison BEFORE INSERT ON %1 WHEN NEW.%2 LIKE "
                           "'%poison%' BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); "
                           "END")
                .arg(table, column));
    }
}

// Writes a command into the inbox as an earlier run that died before processing it would have.
QString recordPending(Database &database, const AcceptRequest &r)
{
    Command c = commandFor(r, QDateTime::currentDateTimeUtc());
    WriteTransaction tx(database);
    CommandStore::insert(tx.db(), c, {});
    tx.commit();
    return c.id;
}

} // namespace

Q_DECLARE_METATYPE(Poison)
Q_DECLARE_METATYPE(StoreRefusal)

class TestPoisonCommands final : public QObject
{
    Q_OBJECT
private slots:
    void poisonLeftPendingIsSetAsideAtStartAndTheOthersAreProcessed_data() { poisons(); }
    void poisonLeftPendingIsSetAsideAtStartAndTheOthersAreProcessed();
    void poisonAcceptedWhileRunningIsSetAsideAndTheOthersFlow_data() { poisons(); }
    void poisonAcceptedWhileRunningIsSetAsideAndTheOthersFlow();
    void requestTheInboxCannotRecordIsRefusedAloneInPlainWords_data();
    void requestTheInboxCannotRecordIsRefusedAloneInPlainWords();

private:
    static void poisons();
    std::unique_ptr<Database> openPoisonable(const QString &backend, Poison poison);
    // The submits of kShipments shipments, one of them poisonous, and an assign for it and for
    // one other: what each became, checked.
    void verifyOutcomes(Database &database, const QStringList &submits, const QString &assignPoison,
        const QString &assignOther);
    TestDatabases m_databases;
};

void TestPoisonCommands::poisons()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<Poison>("poison");
    QTest::newRow("sqlite, refused by a trigger")
        << TestDatabases::sqlite() << Poison::RefusedByTrigger;
    QTest::newRow("postgres, refused by a trigger")
        << TestDatabases::postgres() << Poison::RefusedByTrigger;
    // SQLite stores a NUL; PostgreSQL's driver cuts the statement at it.
    QTest::newRow("postgres, text with NUL") << TestDatabases::postgres() << Poison::Nul;
}

std::unique_ptr<Database> TestPoisonCommands::openPoisonable(const QString &backend, Poison poison)
{
    std::unique_ptr<Database> database = m_databases.open(backend, QTest::currentDataTag());
    if (database && poison == Poison::RefusedByTrigger)
        refuseRowsMentioningPoison(*database, QStringLiteral("events"), QStringLiteral("data"));
    return database;
}

void TestPoisonCommands::verifyOutcomes(Database &database, const QStringList &submits,
    const QString &assignPoison, const QString &assignOther)
{
    const QSqlDatabase db = database.connection();
    for (int i = 0; i < submits.size(); ++i) {
        const std::optional<CommandOutcome> outcome = CommandStore::outcome(db, submits[i]);
        QVERIFY2(outcome, qPrintable(QStringLiteral("submit %1 is missing").arg(i)));
        if (i == kPoisonIndex) {
            QVERIFY2(outcome->status == CommandStatus::Rejected,
                qPrintable(QStringLiteral("the poisonous submit is %1")
                               .arg(commandStatusName(outcome->status))));
            QCOMPARE(outcome->message, Engine::setAsideMessage());
        } else {
            QVERIFY2(outcome->status == CommandStatus::Succeeded,
                qPrintable(QStringLiteral("submit %1 is %2: %3")
                               .arg(i)
                               .arg(commandStatusName(outcome->status), outcome->message)));
        }
    }
    // The poisonous shipment was never created: what followed it is refused by the rules.
    const std::optional<CommandOutcome> afterPoison = CommandStore::outcome(db, assignPoison);
    QVERIFY(afterPoison);
    QCOMPARE(afterPoison->status, CommandStatus::Rejected);
    QVERIFY(afterPoison->message != Engine::setAsideMessage());
    QVERIFY(EventStore::readStream(db, shipmentStreamId(shipmentId(kPoisonIndex))).isEmpty());
    const std::optional<CommandOutcome> other = CommandStore::outcome(db, assignOther);
    QVERIFY(other);
    QCOMPARE(other->status, CommandStatus::Succeeded);
    QCOMPARE(CommandStore::pendingCount(db), qint64(0));
    const QStringList problems = invariantViolations(database);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestPoisonCommands::poisonLeftPendingIsSetAsideAtStartAndTheOthersAreProcessed()
{
    QFETCH(QString, backend);
    QFETCH(Poison, poison);
    std::unique_ptr<Database> database = openPoisonable(backend, poison);
    if (!database)
        WAYBILL_SKIP_OR_FAIL(m_databases);
    QStringList submits;
    for (int i = 0; i < kShipments; ++i) {
        submits << recordPending(
            *database, i == kPoisonIndex ? submit(i, poisonousName(poison)) : submit(i));
    }
    const QString assignPoison = recordPending(*database, assign(kPoisonIndex));
    const QString assignOther = recordPending(*database, assign(3));

    // Recovery hands all of them to the lanes at once: the poison shares its batch with others.
    Engine engine(*database);
    engine.start();
    QVERIFY2(engine.waitSettled(60000), "the engine did not get past the poisonous command");
    engine.stop();
    QCOMPARE(engine.stats().rejected, qint64(2));
    verifyOutcomes(*database, submits, assignPoison, assignOther);
}

void TestPoisonCommands::poisonAcceptedWhileRunningIsSetAsideAndTheOthersFlow()
{
    QFETCH(QString, backend);
    QFETCH(Poison, poison);
    std::unique_ptr<Database> database = openPoisonable(backend, poison);
    if (!database)
        WAYBILL_SKIP_OR_FAIL(m_databases);
    Engine engine(*database);
    engine.start();
    // All at once, without waiting for each answer, so that the inbox and the lanes batch them.
    QStringList submits;
    for (int i = 0; i < kShipments; ++i)
        submits << QString();
    QString assignPoison;
    QString assignOther;
    QMutex mutex;
    QSemaphore answered;
    const auto accept = [&](AcceptRequest r, QString *id) {
        engine.accept(std::move(r), [&, id](const AcceptResult &result) {
            QMutexLocker lock(&mutex);
            if (result.status == AcceptResult::Status::Accepted)
                *id = result.commandId;
            answered.release();
        });
    };
    for (int i = 0; i < kShipments; ++i)
        accept(i == kPoisonIndex ? submit(i, poisonousName(poison)) : submit(i), &submits[i]);
    accept(assign(kPoisonIndex), &assignPoison);
    accept(assign(3), &assignOther);
    answered.acquire(kShipments + 2);
    {
        QMutexLocker lock(&mutex);
        QVERIFY2(!submits.contains(QString()) && !assignPoison.isEmpty() && !assignOther.isEmpty(),
            "every command should have been recorded: the inbox stores text as escaped JSON");
    }
    QVERIFY2(engine.waitSettled(60000), "the engine did not get past the poisonous command");
    // And it takes more work afterwards.
    const AcceptResult later = acceptAndWait(engine, submit(kShipments));
    QCOMPARE(later.status, AcceptResult::Status::Accepted);
    QVERIFY(engine.waitSettled(60000));
    QCOMPARE(CommandStore::status(database->connection(), later.commandId),
        std::optional<CommandStatus>(CommandStatus::Succeeded));
    engine.stop();
    verifyOutcomes(*database, submits, assignPoison, assignOther);
}

void TestPoisonCommands::requestTheInboxCannotRecordIsRefusedAloneInPlainWords_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<StoreRefusal>("refusal");
    QTest::newRow("sqlite, as it is written") << TestDatabases::sqlite() << StoreRefusal::AsWritten;
    QTest::newRow("postgres, as it is written")
        << TestDatabases::postgres() << StoreRefusal::AsWritten;
    // The COMMIT fails: the inbox asks the database what was made before it answers.
    QTest::newRow("postgres, at commit") << TestDatabases::postgres() << StoreRefusal::AtCommit;
}

void TestPoisonCommands::requestTheInboxCannotRecordIsRefusedAloneInPlainWords()
{
    QFETCH(QString, backend);
    QFETCH(StoreRefusal, refusal);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QTest::currentDataTag());
    refuseRowsMentioningPoison(
        *database, QStringLiteral("commands"), QStringLiteral("data"), refusal);
    Engine engine(*database);
    engine.start();
    constexpr int kRequests = 30;
    QVector<AcceptResult> results(kRequests);
    QSemaphore answered;
    for (int i = 0; i < kRequests; ++i) {
        engine.accept(i == kPoisonIndex ? submit(i, QStringLiteral("poison Ltd")) : submit(i),
            [&results, &answered, i](const AcceptResult &result) {
                results[i] = result;
                answered.release();
            });
    }
    answered.acquire(kRequests);
    QVERIFY(engine.waitSettled(60000));
    engine.stop();
    const QSqlDatabase db = database->connection();
    for (int i = 0; i < kRequests; ++i) {
        if (i == kPoisonIndex) {
            QCOMPARE(results[i].status, AcceptResult::Status::Failed);
            // Said to the client as the reason of a 503: no SQL, no database message.
            QCOMPARE(results[i].error, QStringLiteral("the database refused to record it"));
            continue;
        }
        QVERIFY2(results[i].status == AcceptResult::Status::Accepted,
            qPrintable(QStringLiteral("request %1 was refused: %2").arg(i).arg(results[i].error)));
        QCOMPARE(CommandStore::status(db, results[i].commandId),
            std::optional<CommandStatus>(CommandStatus::Succeeded));
    }
    // Nothing of the refused request is in the database.
    QSqlQuery refused
        = runQuery(db, QStringLiteral("SELECT COUNT(*) FROM commands WHERE stream_id = ?"),
            { shipmentStreamId(shipmentId(kPoisonIndex)) });
    QVERIFY(refused.next());
    QCOMPARE(refused.value(0).toInt(), 0);
}

QTEST_GUILESS_MAIN(TestPoisonCommands)
#include "tst_poisoncommands.moc"
