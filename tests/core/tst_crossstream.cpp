// Rules that cross streams, in the real engine on both databases: a bill-to account's hold and
// credit limit, a truck's service and capacity, decided under the writer lock on the other
// stream as it is then, also within one batch and between two engines racing on one PostgreSQL;
// corrections end to end; If-Match when the stream moved before the command ran.
#include "invariants.h"
#include "testcommands.h"
#include "testdatabases.h"

#include "domain/shipmentreducer.h"
#include "domain/standing.h"
#include "domain/truckreducer.h"
#include "domain/weight.h"
#include "engine/commandprocessor.h"
#include "store/commandstore.h"
#include "store/tokentable.h"

#include <QJsonDocument>
#include <QMap>
#include <QTest>

#include <QSemaphore>

#include <atomic>
#include <functional>
#include <thread>

using namespace waybill;
using namespace waybill::test;

namespace {

// A request for any command, its body validated as the API validates it.
AcceptRequest request(CommandType type, const QString &entityId, const QJsonObject &body = {},
    std::optional<int> expectedVersion = std::nullopt)
{
    AcceptRequest r;
    r.type = type;
    switch (streamKindOf(type)) {
    case StreamKind::Account:
        r.streamId = accountStreamId(entityId);
        break;
    case StreamKind::Truck:
        r.streamId = truckStreamId(entityId);
        break;
    default:
        r.streamId = shipmentStreamId(entityId);
        break;
    }
    const ValidationErrors errors = validateCommandBody(type, body, &r.data);
    if (!errors.isEmpty())
        qFatal("invalid test body for %s: %s", qPrintable(commandTypeName(type)),
            qPrintable(errors.first().message));
    r.user = QStringLiteral("clerk");
    r.expectedVersion = expectedVersion;
    return r;
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

QJsonObject openBody(const QString &name, std::optional<double> limit)
{
    QJsonObject body { { QStringLiteral("name"), name },
        { QStringLiteral("billingAddress"), addressJson(name) } };
    if (limit)
        body.insert(QStringLiteral("creditLimit"), *limit);
    return body;
}

// Accepts and waits for the outcome of one command.
CommandOutcome run(Engine &engine, AcceptRequest r)
{
    const AcceptResult accepted = acceptAndWait(engine, std::move(r));
    if (accepted.status != AcceptResult::Status::Accepted)
        qFatal("not accepted: %s", qPrintable(accepted.error));
    engine.waitIdle();
    return CommandStore::outcome(engine.database().connection(), accepted.commandId)
        .value_or(CommandOutcome {});
}

bool succeeded(Engine &engine, AcceptRequest r)
{
    const CommandOutcome o = run(engine, std::move(r));
    if (o.status != CommandStatus::Succeeded)
        qWarning("%s", qPrintable(o.message));
    return o.status == CommandStatus::Succeeded;
}

Cents exposureOf(Database &db, const QString &account)
{
    const auto state = ReadModels::loadAccount(db.connection(), account).value_or(AccountState {});
    return waybill::exposureOf(
        state, ReadModels::committedCents(db.connection(), { account }).value(account));
}

qint64 loadOf(Database &db, const QString &truck)
{
    return ReadModels::truckLoads(db.connection(), { truck }).value(truck);
}

// Positions of the events of a type on a stream, in log order.
QList<qint64> positions(Database &db, const QString &type, const QString &streamPrefix)
{
    QSqlQuery q = runQuery(db.connection(),
        QStringLiteral("SELECT position FROM events WHERE type = ? AND stream_id LIKE ? "
                       "ORDER BY position"),
        { type, streamPrefix + QLatin1Char('%') });
    QList<qint64> found;
    while (q.next())
        found << q.value(0).toLongLong();
    return found;
}

// A command recorded pending under the id "late", as the inbox records it.
Command recordLate(Database &db, const AcceptRequest &r)
{
    Command command;
    command.id = QStringLiteral("late");
    command.correlationId = command.id;
    command.type = r.type;
    command.streamId = r.streamId;
    command.data = r.data;
    command.user = r.user;
    command.acceptedAt = QDateTime::currentDateTimeUtc();
    WriteTransaction tx(db);
    CommandStore::insert(tx.db(), command, {});
    tx.commit();
    return command;
}

// What a processor made of one command, and how many batches it decided again under the lock.
struct LateRun
{
    QVector<CommandOutcome> outcomes;
    qint64 readAgain = -1;
};

// Another writer takes the lock; a processor plans the command against the database as it is
// and waits for the lock; the writer then makes its change (given the transaction and a time
// taken before the processor read its clock, so that only the change can make it decide again)
// and commits; the processor goes on.
LateRun processWhileAnotherWriterChanges(Database &db, const Command &command,
    const std::function<void(QSqlDatabase &, const QDateTime &)> &change)
{
    LateRun run;
    Database other(db.url());
    const QDateTime stamp = QDateTime::currentDateTimeUtc();
    {
        WriteTransaction tx(other);
        std::thread processing([&] {
            CommandProcessor processor(db, Rules {});
            run.outcomes = processor.process({ command });
            run.readAgain = processor.batchesReadAgain();
            db.closeConnection();
        });
        QTest::qWait(400);
        change(tx.db(), stamp);
        tx.commit();
        processing.join();
    }
    other.closeConnection();
    return run;
}

} // namespace

class TestCrossStream final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void creditLimitCountsWhatIsOwedAndWhatIsNotYetInvoiced_data()
    {
        TestDatabases::addBackendColumn();
    }
    void creditLimitCountsWhatIsOwedAndWhatIsNotYetInvoiced();
    void holdRefusesNewChargesUntilReleased_data() { TestDatabases::addBackendColumn(); }
    void holdRefusesNewChargesUntilReleased();
    void truckTakesLoadsUpToItsCapacityAndNoneOutOfService_data()
    {
        TestDatabases::addBackendColumn();
    }
    void truckTakesLoadsUpToItsCapacityAndNoneOutOfService();
    void oneBatchSeesItsOwnEarlierCommandsOnOtherStreams_data()
    {
        TestDatabases::addBackendColumn();
    }
    void oneBatchSeesItsOwnEarlierCommandsOnOtherStreams();
    void amendedCostIsWhatTheInvoiceBills_data() { TestDatabases::addBackendColumn(); }
    void amendedCostIsWhatTheInvoiceBills();
    void aPaymentReversedTwiceIsRefusedOnceAndBalancesStayExact_data()
    {
        TestDatabases::addBackendColumn();
    }
    void aPaymentReversedTwiceIsRefusedOnceAndBalancesStayExact();
    void ifMatchRejectsACommandWhoseStreamMovedBeforeItRan_data()
    {
        TestDatabases::addBackendColumn();
    }
    void ifMatchRejectsACommandWhoseStreamMovedBeforeItRan();
    void compatibilitySwitchesRefuseUnregisteredAccountsAndTrucks_data()
    {
        TestDatabases::addBackendColumn();
    }
    void compatibilitySwitchesRefuseUnregisteredAccountsAndTrucks();
    void rebuildGivesTheSameRecordsCommitmentsAndLoads_data() { TestDatabases::addBackendColumn(); }
    void anAmendIsDecidedAgainstTheTruckItsShipmentIsOn_data()
    {
        TestDatabases::addBackendColumn();
    }
    void anAmendIsDecidedAgainstTheTruckItsShipmentIsOn();
    void theStateReadsInOneGoAnswerAsEachReadAlone_data() { TestDatabases::addBackendColumn(); }
    void theStateReadsInOneGoAnswerAsEachReadAlone();
    void rebuildGivesTheSameRecordsCommitmentsAndLoads();
    void theOtherStreamIsReadAgainUnderTheWriterLock_data();
    void theOtherStreamIsReadAgainUnderTheWriterLock();
    void aSumNoDecisionLookedAtMayMoveWithoutDecidingAgain_data();
    void aSumNoDecisionLookedAtMayMoveWithoutDecidingAgain();
    void twoEnginesAssigningToOneTruckNeverPassItsCapacity();
    void submitsRacingAHoldNeverSlipPastIt();

private:
    TestDatabases m_databases;
};

void TestCrossStream::creditLimitCountsWhatIsOwedAndWhatIsNotYetInvoiced()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("limit"));
    Engine engine(*db);
    engine.start();
    // $10.00 of credit; each 10 lb shipment costs $2.80.
    QVERIFY(succeeded(engine,
        request(CommandType::Open, QStringLiteral("acme"), openBody(QStringLiteral("Acme"), 10))));
    for (int i = 1; i <= 3; ++i)
        QVERIFY(succeeded(engine,
            shipmentRequest(CommandType::Submit, QStringLiteral("s%1").arg(i),
                submitBody(QStringLiteral("acme"), 10))));
    QCOMPARE(exposureOf(*db, QStringLiteral("acme")), Cents(840));
    const CommandOutcome refused = run(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s4"), submitBody(QStringLiteral("acme"), 10)));
    QCOMPARE(refused.status, CommandStatus::Rejected);
    QVERIFY2(refused.message.contains(QLatin1String("$11.20, past its credit limit of $10.00")),
        qPrintable(refused.message));
    // A cancel frees its cost; delivered and invoiced, a cost is owed instead, until paid.
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Cancel, QStringLiteral("s3"), json(R"({"reason": "not needed"})"))));
    QCOMPARE(exposureOf(*db, QStringLiteral("acme")), Cents(560));
    QVERIFY(succeeded(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})"))));
    QVERIFY(succeeded(engine, shipmentRequest(CommandType::Ship, QStringLiteral("s1"))));
    QVERIFY(succeeded(engine, shipmentRequest(CommandType::Deliver, QStringLiteral("s1"))));
    QVERIFY(engine.waitSettled(60000));
    QCOMPARE(exposureOf(*db, QStringLiteral("acme")), Cents(560));
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s5"), submitBody(QStringLiteral("acme"), 10))));
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s6"), submitBody(QStringLiteral("acme"), 5))));
    QCOMPARE(exposureOf(*db, QStringLiteral("acme")), Cents(980));
    QCOMPARE(run(engine,
                 shipmentRequest(CommandType::Submit, QStringLiteral("s7"),
                     submitBody(QStringLiteral("acme"), 1)))
                 .status,
        CommandStatus::Rejected);
    QVERIFY(succeeded(engine, paymentRequest(QStringLiteral("acme"), 2.8)));
    QCOMPARE(exposureOf(*db, QStringLiteral("acme")), Cents(700));
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s7"), submitBody(QStringLiteral("acme"), 10))));
    // Raising the limit, or removing it, lets more through.
    QVERIFY(succeeded(engine,
        request(CommandType::Update, QStringLiteral("acme"), json(R"({"creditLimit": null})"))));
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s8"), submitBody(QStringLiteral("acme"), 80000))));
    const QStringList problems = invariantViolations(*db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestCrossStream::holdRefusesNewChargesUntilReleased()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("hold"));
    Engine engine(*db);
    engine.start();
    QVERIFY(succeeded(engine,
        request(CommandType::Open, QStringLiteral("acme"),
            openBody(QStringLiteral("Acme"), std::nullopt))));
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"), 10))));
    QVERIFY(succeeded(engine,
        request(
            CommandType::Hold, QStringLiteral("acme"), json(R"({"reason": "cheque bounced"})"))));
    CommandOutcome o = run(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s2"), submitBody(QStringLiteral("acme"), 10)));
    QCOMPARE(o.status, CommandStatus::Rejected);
    QVERIFY2(o.message.contains(QLatin1String("on hold (cheque bounced)")), qPrintable(o.message));
    o = run(engine,
        request(CommandType::Amend, QStringLiteral("s1"),
            json(R"({"weightInPounds": 11, "reason": "scale"})")));
    QCOMPARE(o.status, CommandStatus::Rejected);
    // What does not change the bill goes on: an address, work on the road, payments.
    QVERIFY(succeeded(engine,
        request(CommandType::Amend, QStringLiteral("s1"),
            QJsonObject { { QStringLiteral("shipTo"), addressJson(QStringLiteral("Dock 2")) },
                { QStringLiteral("reason"), QStringLiteral("moved") } })));
    QVERIFY(succeeded(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})"))));
    QVERIFY(succeeded(engine, paymentRequest(QStringLiteral("acme"), 1)));
    QVERIFY(succeeded(engine, request(CommandType::Release, QStringLiteral("acme"))));
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s2"), submitBody(QStringLiteral("acme"), 10))));
    const auto account = ReadModels::loadAccount(db->connection(), QStringLiteral("acme"));
    QVERIFY(account && !account->onHold);
    QCOMPARE(account->version, 4); // opened, held, paid, released
}

void TestCrossStream::truckTakesLoadsUpToItsCapacityAndNoneOutOfService()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("capacity"));
    Engine engine(*db);
    engine.start();
    QVERIFY(succeeded(engine,
        request(CommandType::Register, QStringLiteral("t1"),
            json(R"({"name": "Big Blue", "capacityPounds": 1000})"))));
    for (const auto &[id, weight] :
        { std::pair { "s1", 400.25 }, std::pair { "s2", 599.75 }, std::pair { "s3", 0 + 1.0 } })
        QVERIFY(succeeded(engine,
            shipmentRequest(CommandType::Submit, QString::fromLatin1(id),
                submitBody(QStringLiteral("a"), weight))));
    QVERIFY(succeeded(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})"))));
    QVERIFY(succeeded(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s2"), json(R"({"truckId": "t1"})"))));
    QCOMPARE(loadOf(*db, QStringLiteral("t1")), qint64(100000));
    CommandOutcome o = run(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s3"), json(R"({"truckId": "t1"})")));
    QCOMPARE(o.status, CommandStatus::Rejected);
    QVERIFY2(o.message.contains(QLatin1String("to 1001 lb, past its capacity of 1000 lb")),
        qPrintable(o.message));
    // Delivering unloads; shipping does not.
    QVERIFY(succeeded(engine, shipmentRequest(CommandType::Ship, QStringLiteral("s1"))));
    QCOMPARE(loadOf(*db, QStringLiteral("t1")), qint64(100000));
    QVERIFY(succeeded(engine, shipmentRequest(CommandType::Deliver, QStringLiteral("s1"))));
    QCOMPARE(loadOf(*db, QStringLiteral("t1")), qint64(59975));
    QVERIFY(succeeded(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s3"), json(R"({"truckId": "t1"})"))));
    // It breaks down with loads on it: they stay, and it takes no more until it is back.
    QVERIFY(succeeded(engine,
        request(
            CommandType::OutOfService, QStringLiteral("t1"), json(R"({"reason": "flat tire"})"))));
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s4"), submitBody(QStringLiteral("a"), 1))));
    o = run(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s4"), json(R"({"truckId": "t1"})")));
    QCOMPARE(o.status, CommandStatus::Rejected);
    QVERIFY2(
        o.message.contains(QLatin1String("out of service (flat tire)")), qPrintable(o.message));
    const auto view = ReadModels::loadTruckView(db->connection(), QStringLiteral("t1"));
    QVERIFY(view);
    QCOMPARE(view->status(), QStringLiteral("out-of-service"));
    QCOMPARE(view->shipments, QStringList({ QStringLiteral("s2"), QStringLiteral("s3") }));
    QCOMPARE(view->toJson().value(QStringLiteral("loadPounds")).toDouble(), 600.75);
    // A re-assignment moves the load to the other truck.
    QVERIFY(succeeded(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s2"), json(R"({"truckId": "t2"})"))));
    QCOMPARE(loadOf(*db, QStringLiteral("t1")), qint64(100));
    QCOMPARE(loadOf(*db, QStringLiteral("t2")), qint64(59975));
    QVERIFY(succeeded(engine, request(CommandType::ReturnToService, QStringLiteral("t1"))));
    QVERIFY(succeeded(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s4"), json(R"({"truckId": "t1"})"))));
    // s1's invoice is issued by the invoicer, on its own thread, after its delivery.
    QVERIFY(engine.waitSettled(60000));
    const QStringList problems = invariantViolations(*db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestCrossStream::oneBatchSeesItsOwnEarlierCommandsOnOtherStreams()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("batch"));
    {
        Engine setup(*db);
        setup.start();
        QVERIFY(succeeded(setup,
            request(
                CommandType::Register, QStringLiteral("t1"), json(R"({"capacityPounds": 100})"))));
        QVERIFY(succeeded(setup,
            request(
                CommandType::Open, QStringLiteral("acme"), openBody(QStringLiteral("Acme"), 10))));
        for (int i = 0; i < 6; ++i)
            QVERIFY(succeeded(setup,
                shipmentRequest(CommandType::Submit, QStringLiteral("w%1").arg(i),
                    submitBody(QStringLiteral("other"), 30))));
    }
    // One transaction: six loads of 30 lb for a 100 lb truck, then six $2.80 submits for $10.
    QVector<Command> batch;
    const auto add = [&batch](const AcceptRequest &r) {
        Command c;
        c.id = QStringLiteral("batch-%1").arg(batch.size());
        c.correlationId = c.id;
        c.type = r.type;
        c.streamId = r.streamId;
        c.data = r.data;
        c.user = r.user;
        c.acceptedAt = QDateTime::currentDateTimeUtc();
        batch << c;
    };
    for (int i = 0; i < 6; ++i)
        add(shipmentRequest(
            CommandType::Assign, QStringLiteral("w%1").arg(i), json(R"({"truckId": "t1"})")));
    for (int i = 0; i < 6; ++i)
        add(shipmentRequest(CommandType::Submit, QStringLiteral("n%1").arg(i),
            submitBody(QStringLiteral("acme"), 10)));
    {
        WriteTransaction tx(*db);
        for (Command &c : batch)
            CommandStore::insert(tx.db(), c, {});
        tx.commit();
    }
    CommandProcessor processor(*db, Rules {});
    const QVector<CommandOutcome> outcomes = processor.process(batch);
    QCOMPARE(outcomes.size(), 12);
    QStringList decided;
    for (const CommandOutcome &o : outcomes)
        decided << (o.status == CommandStatus::Succeeded ? QStringLiteral("ok")
                                                         : QStringLiteral("no"));
    QCOMPARE(decided.join(QLatin1Char(' ')), QStringLiteral("ok ok ok no no no ok ok ok no no no"));
    QCOMPARE(loadOf(*db, QStringLiteral("t1")), qint64(9000));
    QCOMPARE(exposureOf(*db, QStringLiteral("acme")), Cents(840));
}

void TestCrossStream::amendedCostIsWhatTheInvoiceBills()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("amend"));
    Engine engine(*db);
    engine.start();
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"), 10))));
    QVERIFY(succeeded(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})"))));
    const CommandOutcome amended = run(engine,
        request(CommandType::Amend, QStringLiteral("s1"),
            json(
                R"({"weightInPounds": 1234.56, "billToAccountId": "globex", "reason": "weighed at the dock; billed to the consignee"})")));
    QCOMPARE(amended.status, CommandStatus::Succeeded);
    QCOMPARE(amended.events.first().data.value(QStringLiteral("costCents")).toInteger(), 34568);
    QCOMPARE(exposureOf(*db, QStringLiteral("acme")), Cents(0));
    QCOMPARE(exposureOf(*db, QStringLiteral("globex")), Cents(34568));
    QCOMPARE(loadOf(*db, QStringLiteral("t1")), qint64(123456));
    QVERIFY(succeeded(engine, shipmentRequest(CommandType::Ship, QStringLiteral("s1"))));
    QVERIFY(succeeded(engine, shipmentRequest(CommandType::Deliver, QStringLiteral("s1"))));
    QVERIFY(engine.waitSettled(60000));
    const EventList invoices
        = EventStore::readStream(db->connection(), accountStreamId(QStringLiteral("globex")));
    QCOMPARE(invoices.size(), 1);
    QCOMPARE(invoices.first().type, EventType::Invoiced);
    QCOMPARE(invoices.first().data.value(QStringLiteral("amountCents")).toInteger(), 34568);
    QCOMPARE(invoices.first().data.value(QStringLiteral("amount")).toDouble(), 345.68);
    QVERIFY(EventStore::readStream(db->connection(), accountStreamId(QStringLiteral("acme")))
                .isEmpty());
    QCOMPARE(
        exposureOf(*db, QStringLiteral("globex")), Cents(34568)); // now owed, no longer on the road
    QCOMPARE(loadOf(*db, QStringLiteral("t1")), qint64(0));
}

void TestCrossStream::aPaymentReversedTwiceIsRefusedOnceAndBalancesStayExact()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("reversal"));
    Engine engine(*db);
    engine.start();
    const CommandOutcome payment
        = run(engine, paymentRequest(QStringLiteral("acme"), 1000)); // meant $100
    QCOMPARE(payment.status, CommandStatus::Succeeded);
    QVERIFY(succeeded(engine, paymentRequest(QStringLiteral("acme"), 100)));
    QVERIFY(succeeded(engine, paymentRequest(QStringLiteral("globex"), 0.3)));
    const QJsonObject reverse { { QStringLiteral("paymentCommandId"), payment.commandId },
        { QStringLiteral("reason"), QStringLiteral("keyed $1,000 for $100") } };
    // Twice at once: one succeeds, the other is refused.
    const AcceptResult first = acceptAndWait(
        engine, request(CommandType::ReversePayment, QStringLiteral("acme"), reverse));
    const AcceptResult second = acceptAndWait(
        engine, request(CommandType::ReversePayment, QStringLiteral("acme"), reverse));
    engine.waitIdle();
    QList<CommandStatus> statuses;
    for (const AcceptResult &r : { first, second })
        statuses << CommandStore::outcome(db->connection(), r.commandId)->status;
    QCOMPARE(statuses.count(CommandStatus::Succeeded), 1);
    QCOMPARE(statuses.count(CommandStatus::Rejected), 1);
    // Not on another account.
    const CommandOutcome elsewhere
        = run(engine, request(CommandType::ReversePayment, QStringLiteral("globex"), reverse));
    QCOMPARE(elsewhere.status, CommandStatus::Rejected);
    QVERIFY(succeeded(engine,
        request(CommandType::Credit, QStringLiteral("acme"),
            json(R"({"amount": 0.01, "reason": "rounding goodwill", "shipmentId": "s9"})"))));
    const auto acme = ReadModels::loadAccount(db->connection(), QStringLiteral("acme"));
    QCOMPARE(acme->balanceCents, Cents(100000 + 10000 - 100000 + 1));
    QCOMPARE(acme->toJson().value(QStringLiteral("balance")).toDouble(), 100.01);
    QCOMPARE(acme->reversedPayments, QStringList { payment.commandId });
    QCOMPARE(ReadModels::loadAccount(db->connection(), QStringLiteral("globex"))->balanceCents,
        Cents(30));
    // The history keeps both the mistake and its correction, with the reason.
    const EventList history
        = EventStore::readStream(db->connection(), accountStreamId(QStringLiteral("acme")));
    QCOMPARE(history.size(), 4);
    QCOMPARE(history.at(2).type, EventType::PaymentReversed);
    QCOMPARE(history.at(2).data.value(QStringLiteral("reason")).toString(),
        QStringLiteral("keyed $1,000 for $100"));
    QCOMPARE(history.at(2).data.value(QStringLiteral("amountCents")).toInteger(), 100000);
}

void TestCrossStream::ifMatchRejectsACommandWhoseStreamMovedBeforeItRan()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("ifmatch"));
    Engine engine(*db);
    engine.start();
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"), 10))));
    // Both were sent against version 1; whichever runs second finds version 2.
    QVector<Command> batch;
    for (const char *truck : { "t1", "t2" }) {
        const AcceptRequest r = request(CommandType::Assign, QStringLiteral("s1"),
            QJsonObject { { QStringLiteral("truckId"), QLatin1String(truck) } }, 1);
        Command c;
        c.id = QStringLiteral("assign-%1").arg(QLatin1String(truck));
        c.correlationId = c.id;
        c.type = r.type;
        c.streamId = r.streamId;
        c.data = r.data;
        c.user = r.user;
        c.acceptedAt = QDateTime::currentDateTimeUtc();
        c.expectedVersion = r.expectedVersion;
        batch << c;
    }
    {
        WriteTransaction tx(*db);
        for (Command &c : batch)
            CommandStore::insert(tx.db(), c, {});
        tx.commit();
    }
    // As recorded in the inbox, the expectation survives a restart.
    QCOMPARE(CommandStore::pending(db->connection(), 0, 10).value(1).expectedVersion,
        std::optional<int>(1));
    CommandProcessor processor(*db, Rules {});
    const QVector<CommandOutcome> outcomes
        = processor.process(CommandStore::pending(db->connection(), 0, 10));
    QCOMPARE(outcomes.size(), 2);
    QCOMPARE(outcomes.at(0).status, CommandStatus::Succeeded);
    QCOMPARE(outcomes.at(1).status, CommandStatus::Rejected);
    QVERIFY2(outcomes.at(1).message.contains(QLatin1String("Shipment s1 is at version 2, not 1")),
        qPrintable(outcomes.at(1).message));
    QCOMPARE(ReadModels::loadShipment(db->connection(), QStringLiteral("s1"))->assignedToTruck,
        QStringLiteral("t1"));
    // The pre-check answers the same, with the current version.
    Command late = batch.at(1);
    const PrecheckAnswer answer = engine.precheck(late);
    QCOMPARE(answer.currentVersion, std::optional<int>(2));
    late.expectedVersion = 2;
    QVERIFY(!engine.precheck(late).currentVersion);
}

void TestCrossStream::compatibilitySwitchesRefuseUnregisteredAccountsAndTrucks()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("switches"));
    EngineOptions strict;
    strict.requireRegisteredAccounts = true;
    strict.requireRegisteredTrucks = true;
    Engine engine(*db, strict);
    engine.start();
    CommandOutcome o = run(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acmee"), 10)));
    QCOMPARE(o.status, CommandStatus::Rejected);
    QVERIFY2(o.message.contains(QLatin1String("Account acmee is not registered")),
        qPrintable(o.message));
    o = run(engine, paymentRequest(QStringLiteral("acmee"), 10));
    QCOMPARE(o.status, CommandStatus::Rejected);
    QVERIFY(
        ReadModels::listAccounts(db->connection(), 10, 0, nullptr).isEmpty()); // no phantom account
    QVERIFY(succeeded(engine,
        request(CommandType::Open, QStringLiteral("acme"),
            openBody(QStringLiteral("Acme"), std::nullopt))));
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"), 10))));
    o = run(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t9"})")));
    QCOMPARE(o.status, CommandStatus::Rejected);
    QVERIFY2(
        o.message.contains(QLatin1String("Truck t9 is not registered")), qPrintable(o.message));
    QVERIFY(succeeded(engine, request(CommandType::Register, QStringLiteral("t9"))));
    QVERIFY(succeeded(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t9"})"))));
}

void TestCrossStream::rebuildGivesTheSameRecordsCommitmentsAndLoads()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("rebuild"));
    {
        Engine engine(*db);
        engine.start();
        QVERIFY(succeeded(engine,
            shipmentRequest(CommandType::Submit, QStringLiteral("early"),
                submitBody(QStringLiteral("acme"), 5))));
        QVERIFY(succeeded(engine,
            shipmentRequest(
                CommandType::Assign, QStringLiteral("early"), json(R"({"truckId": "t1"})"))));
        QVERIFY(succeeded(engine,
            request(
                CommandType::Register, QStringLiteral("t1"), json(R"({"capacityPounds": 5000})"))));
        QVERIFY(succeeded(engine,
            request(CommandType::Register, QStringLiteral("t2"), json(R"({"name": "Spare"})"))));
        QVERIFY(succeeded(engine,
            request(CommandType::Open, QStringLiteral("acme"),
                openBody(QStringLiteral("Acme"), 5000))));
        for (int i = 0; i < 8; ++i) {
            const QString s = QStringLiteral("s%1").arg(i);
            QVERIFY(succeeded(engine,
                shipmentRequest(CommandType::Submit, s,
                    submitBody(
                        i % 2 ? QStringLiteral("acme") : QStringLiteral("globex"), 100 + i))));
            if (i % 4 == 3)
                continue;
            QVERIFY(succeeded(engine,
                shipmentRequest(CommandType::Assign, s,
                    QJsonObject { { QStringLiteral("truckId"),
                        i % 3 ? QStringLiteral("t1") : QStringLiteral("t2") } })));
            if (i % 4 == 0)
                QVERIFY(succeeded(
                    engine, shipmentRequest(CommandType::Cancel, s, json(R"({"reason": "x"})"))));
            else if (i % 4 == 1)
                QVERIFY(succeeded(engine,
                    request(CommandType::Amend, s,
                        json(R"({"weightInPounds": 200.5, "reason": "scale"})"))));
            else {
                QVERIFY(succeeded(engine, shipmentRequest(CommandType::Ship, s)));
                QVERIFY(succeeded(engine, shipmentRequest(CommandType::Deliver, s)));
            }
        }
        QVERIFY(succeeded(engine,
            request(
                CommandType::OutOfService, QStringLiteral("t1"), json(R"({"reason": "brakes"})"))));
        QVERIFY(succeeded(engine,
            request(CommandType::Hold, QStringLiteral("acme"), json(R"({"reason": "audit"})"))));
        QVERIFY(engine.waitSettled(60000));
    }
    const QJsonArray before = ReadModels::dump(db->connection());
    ReadModels::rebuild(*db);
    const QJsonArray after = ReadModels::dump(db->connection());
    for (int i = 0; i < qMax(before.size(), after.size()); ++i)
        QVERIFY2(before.at(i) == after.at(i),
            qPrintable(
                QStringLiteral("row %1: %2 became %3")
                    .arg(i)
                    .arg(QString::fromUtf8(
                             QJsonDocument(before.at(i).toArray()).toJson(QJsonDocument::Compact)),
                        QString::fromUtf8(
                            QJsonDocument(after.at(i).toArray()).toJson(QJsonDocument::Compact)))));
    const QStringList problems = invariantViolations(*db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

// The amend names no truck: the engine finds it in the shipment's stored state (a second read of
// the snapshot, after the states of the batch's own streams).
void TestCrossStream::anAmendIsDecidedAgainstTheTruckItsShipmentIsOn()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("amend-truck"));
    Engine engine(*db);
    engine.start();
    QVERIFY(succeeded(engine,
        request(CommandType::Register, QStringLiteral("t1"), json(R"({"capacityPounds": 1000})"))));
    QVERIFY(succeeded(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("a"), 400))));
    QVERIFY(succeeded(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})"))));
    const CommandOutcome o = run(engine,
        request(CommandType::Amend, QStringLiteral("s1"),
            json(R"({"weightInPounds": 1000.5, "reason": "scale"})")));
    QCOMPARE(o.status, CommandStatus::Rejected);
    QVERIFY2(
        o.message.contains(QLatin1String("past its capacity of 1000 lb")), qPrintable(o.message));
    QVERIFY(succeeded(engine,
        request(CommandType::Amend, QStringLiteral("s1"),
            json(R"({"weightInPounds": 1000, "reason": "scale"})"))));
    QCOMPARE(loadOf(*db, QStringLiteral("t1")), qint64(100000));
}

namespace {

template<typename State> QMap<QString, QString> bodies(const QHash<QString, State> &states)
{
    QMap<QString, QString> found;
    for (auto it = states.begin(); it != states.end(); ++it)
        found.insert(it.key(), ReadModels::bodyOf(it.value()));
    return found;
}

} // namespace

// loadStateRows is one statement on PostgreSQL, whatever lists it is given: each of the 63
// choices of lists answers as the six reads alone, missing ids missing, a truck known only from
// an assignment (no record: a NULL body) a bare truck, a token's rows as TokenTable gives them.
void TestCrossStream::theStateReadsInOneGoAnswerAsEachReadAlone()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("state-reads"));
    {
        Engine engine(*db);
        engine.start();
        QVERIFY(succeeded(engine,
            request(CommandType::Register, QStringLiteral("t1"),
                json(R"({"name": "Big Blue", "capacityPounds": 1000})"))));
        QVERIFY(succeeded(engine,
            request(CommandType::Open, QStringLiteral("acme"),
                openBody(QStringLiteral("Acme"), 5000))));
        QVERIFY(succeeded(engine,
            shipmentRequest(CommandType::Submit, QStringLiteral("s1"),
                submitBody(QStringLiteral("acme"), 400.25))));
        QVERIFY(succeeded(engine,
            shipmentRequest(CommandType::Submit, QStringLiteral("s2"),
                submitBody(QStringLiteral("globex"), 10))));
        QVERIFY(succeeded(engine,
            shipmentRequest(
                CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})"))));
        QVERIFY(succeeded(engine,
            shipmentRequest(
                CommandType::Assign, QStringLiteral("s2"), json(R"({"truckId": "t9"})"))));
        QVERIFY(engine.waitSettled(60000));
    }
    const QSqlDatabase c = db->connection();
    const QString nope = QStringLiteral("nope");
    const QStringList shipments { QStringLiteral("s1"), QStringLiteral("s2"), nope };
    const QStringList accounts { QStringLiteral("acme"), QStringLiteral("globex"), nope };
    const QStringList trucks { QStringLiteral("t1"), QStringLiteral("t9"), nope };
    const auto aloneShipments = bodies(ReadModels::loadShipments(c, shipments));
    const auto aloneAccounts = bodies(ReadModels::loadAccounts(c, accounts));
    const auto aloneTrucks = bodies(ReadModels::loadTrucks(c, trucks));
    const auto aloneCommitted = ReadModels::committedCents(c, accounts);
    const auto aloneLoads = ReadModels::truckLoads(c, trucks);
    // What the reads alone find, so that the comparison below compares something.
    QCOMPARE(aloneShipments.keys(), QStringList({ QStringLiteral("s1"), QStringLiteral("s2") }));
    QCOMPARE(aloneAccounts.keys(), QStringList({ QStringLiteral("acme") }));
    QCOMPARE(aloneTrucks.keys(), QStringList({ QStringLiteral("t1"), QStringLiteral("t9") }));
    QCOMPARE(ReadModels::loadTrucks(c, trucks).value(QStringLiteral("t9")).version, 0);
    QCOMPARE(aloneCommitted.size(), 2);
    QVERIFY(aloneCommitted.value(QStringLiteral("acme")) > 0);
    QVERIFY(aloneCommitted.value(QStringLiteral("globex")) > 0);
    QCOMPARE(aloneLoads.value(QStringLiteral("t1")), qint64(40025));
    QCOMPARE(aloneLoads.value(QStringLiteral("t9")), qint64(1000));
    const QString salt = QStringLiteral("0123456789abcdef");
    {
        WriteTransaction tx(*db);
        TokenTable::insert(tx.db(),
            { QStringLiteral("clerk"), QStringLiteral("dispatch"), salt, QStringLiteral("ab12"),
                QStringLiteral("2026-12-03T07:00:00.000Z") });
        tx.commit();
    }
    const auto tokenText = [](const QVector<TokenTable::TokenRow> &rows) {
        QStringList text;
        for (const TokenTable::TokenRow &row : rows)
            text << QStringList { row.name, row.role, row.salt, row.hash, row.createdAt }.join(
                QLatin1Char(' '));
        return text;
    };
    const QStringList aloneTokens = tokenText(TokenTable::withSalt(c, salt));
    QCOMPARE(aloneTokens,
        QStringList {
            QStringLiteral("clerk dispatch 0123456789abcdef ab12 2026-12-03T07:00:00.000Z") });

    for (int choice = 1; choice < 64; ++choice) {
        ReadModels::StateReads reads;
        if (choice & 1)
            reads.shipments = shipments;
        if (choice & 2)
            reads.accounts = accounts;
        if (choice & 4)
            reads.trucks = trucks;
        if (choice & 8)
            reads.committedOf = accounts;
        if (choice & 16)
            reads.loadsOf = trucks;
        if (choice & 32)
            reads.tokenSalt = salt;
        const ReadModels::StateRows rows = ReadModels::loadStateRows(c, reads);
        const QByteArray what = QByteArray("lists chosen: ") + QByteArray::number(choice);
        QVERIFY2(
            bodies(rows.shipments) == (choice & 1 ? aloneShipments : decltype(aloneShipments) {}),
            what.constData());
        QVERIFY2(bodies(rows.accounts) == (choice & 2 ? aloneAccounts : decltype(aloneAccounts) {}),
            what.constData());
        QVERIFY2(bodies(rows.trucks) == (choice & 4 ? aloneTrucks : decltype(aloneTrucks) {}),
            what.constData());
        QVERIFY2(rows.committed == (choice & 8 ? aloneCommitted : decltype(aloneCommitted) {}),
            what.constData());
        QVERIFY2(
            rows.loads == (choice & 16 ? aloneLoads : decltype(aloneLoads) {}), what.constData());
        QVERIFY2(tokenText(rows.tokens) == (choice & 32 ? aloneTokens : QStringList {}),
            what.constData());
    }
    QVERIFY(ReadModels::loadStateRows(c, {}).shipments.isEmpty());
}

void TestCrossStream::theOtherStreamIsReadAgainUnderTheWriterLock_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("truck"); // the truck goes out of service; else the account on hold
    for (const QString &backend : TestDatabases::all()) {
        QTest::addRow("%s: assign while the truck goes out of service", qPrintable(backend))
            << backend << true;
        QTest::addRow("%s: submit while the account goes on hold", qPrintable(backend))
            << backend << false;
    }
}

void TestCrossStream::theOtherStreamIsReadAgainUnderTheWriterLock()
{
    QFETCH(QString, backend);
    QFETCH(bool, truck);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("under_lock"));
    {
        Engine setup(*db);
        setup.start();
        QVERIFY(succeeded(setup, request(CommandType::Register, QStringLiteral("t1"))));
        QVERIFY(succeeded(setup,
            request(CommandType::Open, QStringLiteral("acme"),
                openBody(QStringLiteral("Acme"), std::nullopt))));
        QVERIFY(succeeded(setup,
            shipmentRequest(CommandType::Submit, QStringLiteral("s1"),
                submitBody(QStringLiteral("acme"), 10))));
    }
    const Command command = recordLate(*db,
        truck ? shipmentRequest(
            CommandType::Assign, QStringLiteral("s1"), json(R"({"truckId": "t1"})"))
              : shipmentRequest(CommandType::Submit, QStringLiteral("s2"),
                  submitBody(QStringLiteral("acme"), 10)));

    // The processor plans against the truck in service (or the account in good standing) and
    // waits; the other writer then records the change.
    const LateRun run = processWhileAnotherWriterChanges(
        *db, command, [truck](QSqlDatabase &tx, const QDateTime &stamp) {
            ChainHead head = EventStore::readHead(tx);
            const EventMeta meta { QStringLiteral("other-writer"), QStringLiteral("dispatch"),
                QStringLiteral("other-writer"), stamp };
            if (truck) {
                TruckState t = *ReadModels::loadTruck(tx, QStringLiteral("t1"));
                const RecordedEvent e = EventStore::append(tx, head,
                    truckStreamId(QStringLiteral("t1")), t.version + 1,
                    NewEvent { EventType::OutOfService, json(R"({"reason": "engine fire"})") },
                    meta);
                ReadModels::saveTruck(tx, applyTruck(t, e));
            } else {
                AccountState a = *ReadModels::loadAccount(tx, QStringLiteral("acme"));
                const RecordedEvent e = EventStore::append(tx, head,
                    accountStreamId(QStringLiteral("acme")), a.version + 1,
                    NewEvent { EventType::PlacedOnHold, json(R"({"reason": "engine fire"})") },
                    meta);
                ReadModels::saveAccount(tx, applyAccount(a, e));
            }
        });
    const QVector<CommandOutcome> &outcomes = run.outcomes;
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.first().status, CommandStatus::Rejected);
    QVERIFY2(outcomes.first().message.contains(QLatin1String("(engine fire)")),
        qPrintable(outcomes.first().message));
    const QStringList problems = invariantViolations(*db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestCrossStream::aSumNoDecisionLookedAtMayMoveWithoutDecidingAgain_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("limit"); // the account has a credit limit
    for (const QString &backend : TestDatabases::all()) {
        QTest::addRow("%s: account with a credit limit", qPrintable(backend)) << backend << true;
        QTest::addRow("%s: account without a limit", qPrintable(backend)) << backend << false;
    }
}

// While a submit waits for the writer lock, another writer bills two more shipments to the same
// account. With a credit limit the submit's decision depended on what the account had committed:
// it is decided again under the lock and refused. Without one the sum decided nothing: the plan
// stands, and what the submit adds is added to the sum as it is by then.
void TestCrossStream::aSumNoDecisionLookedAtMayMoveWithoutDecidingAgain()
{
    QFETCH(QString, backend);
    QFETCH(bool, limit);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("sum_moves"));
    {
        Engine setup(*db);
        setup.start();
        // $10.00 of credit (or none); each 10 lb shipment costs $2.80.
        QVERIFY(succeeded(setup,
            request(CommandType::Open, QStringLiteral("acme"),
                openBody(
                    QStringLiteral("Acme"), limit ? std::optional<double>(10) : std::nullopt))));
        QVERIFY(succeeded(setup,
            shipmentRequest(CommandType::Submit, QStringLiteral("s1"),
                submitBody(QStringLiteral("acme"), 10))));
    }
    const Command command = recordLate(*db,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s2"), submitBody(QStringLiteral("acme"), 10)));

    Cents billed = 0;
    const LateRun run = processWhileAnotherWriterChanges(
        *db, command, [&billed](QSqlDatabase &tx, const QDateTime &stamp) {
            ChainHead head = EventStore::readHead(tx);
            for (const QString &id : { QStringLiteral("o1"), QStringLiteral("o2") }) {
                const AcceptRequest o = shipmentRequest(
                    CommandType::Submit, id, submitBody(QStringLiteral("acme"), 10));
                const EventMeta meta { QStringLiteral("other-writer-") + id,
                    QStringLiteral("clerk"), QStringLiteral("other-writer-") + id, stamp };
                Command c;
                c.id = meta.commandId;
                c.type = o.type;
                c.streamId = o.streamId;
                c.data = o.data;
                c.user = o.user;
                ShipmentState state;
                for (const NewEvent &event : decideShipment(ShipmentState {}, c, Rules {}).events)
                    state = applyShipment(state,
                        EventStore::append(tx, head, c.streamId, state.version + 1, event, meta));
                ReadModels::saveShipment(tx, state);
                billed += commitmentOf(state).committedCents;
            }
            ReadModels::addCommitted(tx, { { QStringLiteral("acme"), billed } });
        });
    QCOMPARE(billed, Cents(560));
    const QVector<CommandOutcome> &outcomes = run.outcomes;
    const qint64 readAgain = run.readAgain;
    QCOMPARE(outcomes.size(), 1);
    if (limit) {
        QCOMPARE(readAgain, qint64(1));
        QCOMPARE(outcomes.first().status, CommandStatus::Rejected);
        QVERIFY2(outcomes.first().message.contains(QLatin1String("past its credit limit")),
            qPrintable(outcomes.first().message));
        QCOMPARE(exposureOf(*db, QStringLiteral("acme")), Cents(840));
    } else {
        QCOMPARE(readAgain, qint64(0));
        QCOMPARE(outcomes.first().status, CommandStatus::Succeeded);
        QCOMPARE(exposureOf(*db, QStringLiteral("acme")), Cents(1120));
    }
    const QStringList problems = invariantViolations(*db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestCrossStream::twoEnginesAssigningToOneTruckNeverPassItsCapacity()
{
    WAYBILL_OPEN_DATABASE(
        dbA, m_databases, QStringLiteral("postgres"), QStringLiteral("truck_race"));
    Database dbB(dbA->url());
    Engine a(*dbA);
    Engine b(dbB);
    a.start();
    b.start();
    // 40 loads of 100 lb for a truck that takes 1,000 lb: exactly ten may go on it.
    QVERIFY(succeeded(a,
        request(CommandType::Register, QStringLiteral("t1"), json(R"({"capacityPounds": 1000})"))));
    constexpr int kLoads = 40;
    for (int i = 0; i < kLoads; ++i)
        QVERIFY(succeeded(i % 2 ? a : b,
            shipmentRequest(CommandType::Submit, QStringLiteral("l%1").arg(i),
                submitBody(QStringLiteral("acme"), 100))));
    // Each engine takes its half at once, so that both plan their batches against the same
    // empty truck; only the check under the writer lock keeps the second from overloading it.
    std::atomic<int> acknowledged { 0 };
    QSemaphore answered;
    for (int i = 0; i < kLoads; ++i) {
        (i % 2 ? a : b)
            .accept(shipmentRequest(CommandType::Assign, QStringLiteral("l%1").arg(i),
                        json(R"({"truckId": "t1"})")),
                [&](const AcceptResult &r) {
                    if (r.status == AcceptResult::Status::Accepted)
                        ++acknowledged;
                    answered.release();
                });
    }
    answered.acquire(kLoads);
    QCOMPARE(acknowledged.load(), kLoads);
    QVERIFY(a.waitSettled(60000));
    QVERIFY(b.waitSettled(60000));
    QCOMPARE(positions(*dbA, EventType::Assigned, QStringLiteral("shipment-")).size(), 10);
    QCOMPARE(loadOf(*dbA, QStringLiteral("t1")), qint64(100000));
    const auto view = ReadModels::loadTruckView(dbA->connection(), QStringLiteral("t1"));
    QCOMPARE(view->shipments.size(), 10);
    const QStringList problems = invariantViolations(*dbA);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    dbB.closeConnection();
}

void TestCrossStream::submitsRacingAHoldNeverSlipPastIt()
{
    WAYBILL_OPEN_DATABASE(
        dbA, m_databases, QStringLiteral("postgres"), QStringLiteral("hold_race"));
    Database dbB(dbA->url());
    Engine a(*dbA);
    Engine b(dbB);
    a.start();
    b.start();
    QVERIFY(succeeded(a,
        request(CommandType::Open, QStringLiteral("acme"),
            openBody(QStringLiteral("Acme"), std::nullopt))));
    constexpr int kSubmits = 60;
    QSemaphore answered;
    const auto submit = [&](int i) {
        (i % 2 ? a : b)
            .accept(shipmentRequest(CommandType::Submit, QStringLiteral("r%1").arg(i),
                        submitBody(QStringLiteral("acme"), 10)),
                [&](const AcceptResult &) { answered.release(); });
    };
    // Submits on both engines before and after the hold, in flight with it.
    for (int i = 0; i < kSubmits / 2; ++i)
        submit(i);
    const AcceptResult hold = acceptAndWait(a,
        request(CommandType::Hold, QStringLiteral("acme"), json(R"({"reason": "fraud check"})")));
    for (int i = kSubmits / 2; i < kSubmits; ++i)
        submit(i);
    answered.acquire(kSubmits);
    QCOMPARE(hold.status, AcceptResult::Status::Accepted);
    QVERIFY(a.waitSettled(60000));
    QVERIFY(b.waitSettled(60000));
    const QList<qint64> held
        = positions(*dbA, EventType::PlacedOnHold, QStringLiteral("account-acme"));
    QCOMPARE(held.size(), 1);
    const QList<qint64> submitted
        = positions(*dbA, EventType::Submitted, QStringLiteral("shipment-r"));
    QVERIFY2(!submitted.isEmpty() && submitted.last() < held.first(),
        qPrintable(QStringLiteral("a submit at position %1 came after the hold at %2")
                       .arg(submitted.value(submitted.size() - 1))
                       .arg(held.first())));
    QSqlQuery refused = runQuery(dbA->connection(),
        QStringLiteral(
            "SELECT COUNT(*) FROM commands WHERE type = 'submit' AND status = 'rejected' "
            "AND message LIKE '%on hold (fraud check)%'"));
    QVERIFY(refused.next());
    QCOMPARE(refused.value(0).toInt() + submitted.size(), kSubmits);
    qInfo("%lld submits before the hold, %d refused after it", qlonglong(submitted.size()),
        refused.value(0).toInt());
    dbB.closeConnection();
}

QTEST_GUILESS_MAIN(TestCrossStream)
#include "tst_crossstream.moc"
