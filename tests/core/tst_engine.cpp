// The engine on both databases: durable before acknowledged, serialized per shipment, never
// applied twice, invoiced exactly once, recovered on start, rebuildable read models.
#include "invariants.h"
#include "testcommands.h"
#include "testdatabases.h"

#include "engine/commandprocessor.h"
#include "engine/deliveryinvoicer.h"
#include "store/commandstore.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

using namespace waybill;
using namespace waybill::test;

namespace {

QString accepted(Engine &engine, AcceptRequest request)
{
    const AcceptResult r = acceptAndWait(engine, std::move(request));
    return r.status == AcceptResult::Status::Accepted ? r.commandId : QString();
}

CommandStatus statusOf(Database &db, const QString &commandId)
{
    return CommandStore::status(db.connection(), commandId).value_or(CommandStatus::Pending);
}

} // namespace

class TestEngine final : public QObject
{
    Q_OBJECT
private slots:
    void acknowledgedCommandIsAlreadyInTheInbox_data() { TestDatabases::addBackendColumn(); }
    void acknowledgedCommandIsAlreadyInTheInbox();
    void commandIdsCarryTheirAcceptanceTimeAndSortInItsOrder_data()
    {
        TestDatabases::addBackendColumn();
    }
    void commandIdsCarryTheirAcceptanceTimeAndSortInItsOrder();
    void deliveredShipmentIsInvoicedOnceToItsAccount_data() { TestDatabases::addBackendColumn(); }
    void deliveredShipmentIsInvoicedOnceToItsAccount();
    void illegalCommandIsRejectedWithItsReasonAndRecordsNothing_data()
    {
        TestDatabases::addBackendColumn();
    }
    void illegalCommandIsRejectedWithItsReasonAndRecordsNothing();
    void concurrentCommandsOnOneShipmentRunOneAtATime_data() { TestDatabases::addBackendColumn(); }
    void concurrentCommandsOnOneShipmentRunOneAtATime();
    void redeliveredCommandNeverProducesASecondEvent_data() { TestDatabases::addBackendColumn(); }
    void redeliveredCommandNeverProducesASecondEvent();
    void idempotencyKeyGivesTheSameCommandAndRefusesAnotherBody_data()
    {
        TestDatabases::addBackendColumn();
    }
    void idempotencyKeyGivesTheSameCommandAndRefusesAnotherBody();
    void commandsLeftPendingAreProcessedOnStart_data() { TestDatabases::addBackendColumn(); }
    void commandsLeftPendingAreProcessedOnStart();
    void postgresAcceptsKeylessCommandsWhileTheWriterLockIsHeld();
    void invoicerRunTwiceOverTheSameDeliveriesInvoicesOnce_data()
    {
        TestDatabases::addBackendColumn();
    }
    void invoicerRunTwiceOverTheSameDeliveriesInvoicesOnce();
    void rebuildFromEventsGivesIdenticalReadModels_data() { TestDatabases::addBackendColumn(); }
    void rebuildFromEventsGivesIdenticalReadModels();
    void trucksAreOccupiedWhileCarryingAndFreedByDeliveryReassignmentOrCancel();
    void shipmentListSortsByAColumnWithUnassignedTrucksLast();
    void commandFinishedIsSignalledWithTheEvents();
    void stopProcessesEverythingAlreadyAcknowledged();
    void waitIdleReturnsOnlyOnceEverySubmittedCommandIsProcessed();
    void twoEnginesSharingOnePostgresDatabaseStayConsistent();

private:
    TestDatabases m_databases;
};

void TestEngine::acknowledgedCommandIsAlreadyInTheInbox()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    Engine engine(db);
    engine.start();
    // A second, independent connection: what it sees is on the database, not in a cache.
    Database observer(url);
    std::atomic<int> missing { 0 };
    QSemaphore answered;
    for (int i = 0; i < 20; ++i) {
        engine.accept(shipmentRequest(CommandType::Submit, QStringLiteral("s%1").arg(i),
                          submitBody(QStringLiteral("a"))),
            [&](const AcceptResult &r) {
                if (r.status != AcceptResult::Status::Accepted
                    || !CommandStore::status(observer.connection(), r.commandId))
                    ++missing;
                answered.release();
            });
    }
    answered.acquire(20);
    observer.closeConnection(); // opened on the inbox thread, which lives on
    QCOMPARE(missing.load(), 0);
}

// A command's id is a version 7 UUID whose first 48 bits are the millisecond it was accepted,
// so that ids accepted later sort later as text and the indexes on them grow at their end.
void TestEngine::commandIdsCarryTheirAcceptanceTimeAndSortInItsOrder()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    Engine engine(db);
    engine.start();
    constexpr int kCommands = 40;
    for (int i = 0; i < kCommands; ++i) {
        QVERIFY(!accepted(engine,
            shipmentRequest(CommandType::Submit, QStringLiteral("ordered-%1").arg(i),
                submitBody(QStringLiteral("a"))))
                     .isEmpty());
        if (i % 10 == 9)
            QThread::msleep(3); // so that the ids span several milliseconds
    }
    QSqlQuery query(db.connection());
    QVERIFY(query.exec(QStringLiteral("SELECT id, accepted_at FROM commands ORDER BY seq")));
    QStringList times; // each id's time part as text, in acceptance order
    while (query.next()) {
        const QString id = query.value(0).toString();
        const QUuid uuid(id);
        QVERIFY2(!uuid.isNull(), qPrintable(id));
        const QByteArray bytes = uuid.toRfc4122();
        QCOMPARE(quint8(bytes.at(6)) >> 4, 7); // the version (Qt 6.4 knows up to 5)
        QCOMPARE(quint8(bytes.at(8)) & 0xc0, 0x80); // RFC 9562's variant
        qint64 ms = 0;
        for (int b = 0; b < 6; ++b)
            ms = (ms << 8) | quint8(bytes.at(b));
        const QDateTime acceptedAt
            = QDateTime::fromString(query.value(1).toString(), Qt::ISODateWithMs);
        QVERIFY2(acceptedAt.isValid(), qPrintable(query.value(1).toString()));
        QCOMPARE(ms, acceptedAt.toMSecsSinceEpoch());
        times << id.left(13); // "xxxxxxxx-xxxx": the 48 bits of time
    }
    query.finish();
    db.closeConnection();
    QCOMPARE(times.size(), kCommands);
    for (int i = 1; i < times.size(); ++i)
        QVERIFY2(times.at(i) >= times.at(i - 1), qPrintable(times.at(i)));
    QVERIFY(times.first() < times.last());
}

void TestEngine::deliveredShipmentIsInvoicedOnceToItsAccount()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    Engine engine(db);
    engine.start();
    const QString s = QStringLiteral("s-1");
    QVERIFY(!accepted(
        engine, shipmentRequest(CommandType::Submit, s, submitBody(QStringLiteral("acme"), 12.5)))
                 .isEmpty());
    QVERIFY(!accepted(engine,
        shipmentRequest(
            CommandType::Assign, s, { { QStringLiteral("truckId"), QStringLiteral("t1") } }))
                 .isEmpty());
    QVERIFY(!accepted(engine, shipmentRequest(CommandType::Ship, s)).isEmpty());
    QVERIFY(!accepted(engine,
        shipmentRequest(
            CommandType::Deliver, s, { { QStringLiteral("signedBy"), QStringLiteral("Ann") } }))
                 .isEmpty());
    QVERIFY(!accepted(engine, paymentRequest(QStringLiteral("acme"), 1.5)).isEmpty());
    QVERIFY(engine.waitSettled(60000));

    const auto shipment = ReadModels::loadShipment(db.connection(), s);
    QVERIFY(shipment);
    QCOMPARE(shipment->status, ShipmentStatus::Delivered);
    QCOMPARE(shipment->costCents, Cents(350)); // 12.5 lb at 28 cents
    QCOMPARE(shipment->signedBy, QStringLiteral("Ann"));
    const auto account = ReadModels::loadAccount(db.connection(), QStringLiteral("acme"));
    QVERIFY(account);
    QCOMPARE(account->balanceCents, Cents(150 - 350));
    const EventList accountEvents
        = EventStore::readStream(db.connection(), accountStreamId(QStringLiteral("acme")));
    int invoices = 0;
    for (const RecordedEvent &e : accountEvents) {
        if (e.type == EventType::Invoiced) {
            ++invoices;
            QCOMPARE(e.data.value(QStringLiteral("shipmentId")).toString(), s);
            QCOMPARE(e.data.value(QStringLiteral("amountCents")).toInteger(), 350);
            QCOMPARE(e.user, DeliveryInvoicer::user());
        }
    }
    QCOMPARE(invoices, 1);
    const QStringList problems = invariantViolations(db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestEngine::illegalCommandIsRejectedWithItsReasonAndRecordsNothing()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    Engine engine(db);
    engine.start();
    accepted(engine,
        shipmentRequest(CommandType::Submit, QStringLiteral("s"), submitBody(QStringLiteral("a"))));
    const QString ship = accepted(engine, shipmentRequest(CommandType::Ship, QStringLiteral("s")));
    engine.waitIdle();
    const auto outcome = CommandStore::outcome(db.connection(), ship);
    QVERIFY(outcome);
    QCOMPARE(outcome->status, CommandStatus::Rejected);
    QVERIFY2(outcome->message.contains(QStringLiteral("only an Assigned shipment can be shipped")),
        qPrintable(outcome->message));
    QCOMPARE(EventStore::count(db.connection()), qint64(1));
    QCOMPARE(ReadModels::loadShipment(db.connection(), QStringLiteral("s"))->status,
        ShipmentStatus::Submitted);
}

void TestEngine::concurrentCommandsOnOneShipmentRunOneAtATime()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    Engine engine(db);
    engine.start();
    accepted(engine,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("hot"), submitBody(QStringLiteral("a"))));
    constexpr int kThreads = 8;
    constexpr int kEach = 25;
    std::vector<std::thread> senders;
    std::atomic<int> acknowledged { 0 };
    for (int t = 0; t < kThreads; ++t) {
        senders.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                const QString truck = QStringLiteral("t%1-%2").arg(t).arg(i);
                if (!accepted(engine,
                        shipmentRequest(CommandType::Assign, QStringLiteral("hot"),
                            { { QStringLiteral("truckId"), truck } }))
                         .isEmpty())
                    ++acknowledged;
            }
        });
    }
    for (auto &t : senders)
        t.join();
    engine.waitIdle();
    QCOMPARE(acknowledged.load(), kThreads * kEach);
    const EventList events
        = EventStore::readStream(db.connection(), shipmentStreamId(QStringLiteral("hot")));
    QCOMPARE(events.size(), 1 + kThreads * kEach); // every assignment names a new truck: all legal
    for (int i = 0; i < events.size(); ++i)
        QCOMPARE(events[i].version, i + 1);
    // Each re-assignment names the truck of the one before it: they ran one at a time.
    for (int i = 2; i < events.size(); ++i)
        QCOMPARE(events[i].data.value(QStringLiteral("previousTruckId")).toString(),
            events[i - 1].data.value(QStringLiteral("truckId")).toString());
    QCOMPARE(
        ReadModels::loadShipment(db.connection(), QStringLiteral("hot"))->version, events.size());
}

void TestEngine::redeliveredCommandNeverProducesASecondEvent()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    Engine engine(db);
    engine.start();
    const QString id = accepted(engine,
        shipmentRequest(CommandType::Submit, QStringLiteral("s"), submitBody(QStringLiteral("a"))));
    engine.waitIdle();
    // The same command handed to a processor again, twice in one batch and once alone.
    Command again = CommandStore::pending(db.connection(), 0, 10).value(0);
    QVERIFY2(again.id.isEmpty(), "nothing is pending once processed");
    QSqlQuery q = runQuery(db.connection(),
        QStringLiteral("SELECT id, stream_id, type, data FROM commands WHERE id = ?"), { id });
    QVERIFY(q.next());
    again.id = id;
    again.streamId = q.value(1).toString();
    again.type = CommandType::Submit;
    again.data = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
    CommandProcessor processor(db, Rules {});
    QVERIFY(processor.process({ again, again }).isEmpty());
    QVERIFY(processor.process({ again }).isEmpty());
    QCOMPARE(EventStore::count(db.connection()), qint64(1));
    QCOMPARE(statusOf(db, id), CommandStatus::Succeeded);
}

void TestEngine::idempotencyKeyGivesTheSameCommandAndRefusesAnotherBody()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    Engine engine(db);
    engine.start();
    AcceptRequest first = shipmentRequest(
        CommandType::Submit, QStringLiteral("s"), submitBody(QStringLiteral("a")));
    first.idempotencyKey = QStringLiteral("key-1");
    first.requestHash = QStringLiteral("hash-A");
    // Concurrent repeats of one request: one command, whichever batch they land in.
    QSemaphore done;
    QMutex mutex;
    QSet<QString> ids;
    int accepted = 0;
    for (int i = 0; i < 10; ++i) {
        engine.accept(first, [&](const AcceptResult &r) {
            QMutexLocker lock(&mutex);
            ids.insert(r.commandId);
            accepted += r.status == AcceptResult::Status::Accepted ? 1 : 0;
            done.release();
        });
    }
    done.acquire(10);
    QCOMPARE(ids.size(), 1);
    QCOMPARE(accepted, 1);
    AcceptRequest other = first;
    other.requestHash = QStringLiteral("hash-B");
    const AcceptResult reused = acceptAndWait(engine, other);
    QCOMPARE(reused.status, AcceptResult::Status::KeyReused);
    AcceptRequest otherUser = first;
    otherUser.user = QStringLiteral("someone-else");
    QCOMPARE(acceptAndWait(engine, otherUser).status, AcceptResult::Status::Accepted);
    engine.waitIdle();
    QCOMPARE(EventStore::count(db.connection()),
        qint64(1)); // the other user's submit is rejected: exists
}

// On PostgreSQL the inbox records commands without an idempotency key outside the writer lock,
// so that accepting overlaps with processing. A command with a key still waits for the lock:
// whether its key was taken is decided against every server's inbox. Both are processed once
// the lock is free.
void TestEngine::postgresAcceptsKeylessCommandsWhileTheWriterLockIsHeld()
{
    WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::postgres(), url);
    Database db(url);
    Engine engine(db);
    engine.start();
    Database other(url); // another server's connection and lock turn
    std::optional<WriteTransaction> held;
    held.emplace(other);

    QSemaphore keylessDone, keyedDone;
    AcceptResult keyless, keyed;
    engine.accept(shipmentRequest(
                      CommandType::Submit, QStringLiteral("free"), submitBody(QStringLiteral("a"))),
        [&](const AcceptResult &r) {
            keyless = r;
            keylessDone.release();
        });
    QVERIFY2(keylessDone.tryAcquire(1, 10000), "a keyless command waited for the writer lock");
    QCOMPARE(keyless.status, AcceptResult::Status::Accepted);
    QCOMPARE(CommandStore::status(other.connection(), keyless.commandId), CommandStatus::Pending);

    AcceptRequest withKey = shipmentRequest(
        CommandType::Submit, QStringLiteral("keyed"), submitBody(QStringLiteral("a")));
    withKey.idempotencyKey = QStringLiteral("key-held");
    withKey.requestHash = QStringLiteral("hash-held");
    engine.accept(withKey, [&](const AcceptResult &r) {
        keyed = r;
        keyedDone.release();
    });
    QVERIFY2(!keyedDone.tryAcquire(1, 500), "a command with a key did not wait for the lock");

    held->rollback();
    held.reset();
    QVERIFY2(keyedDone.tryAcquire(1, 10000), "the keyed command was not recorded after the lock");
    QCOMPARE(keyed.status, AcceptResult::Status::Accepted);
    engine.waitIdle();
    QCOMPARE(statusOf(db, keyless.commandId), CommandStatus::Succeeded);
    QCOMPARE(statusOf(db, keyed.commandId), CommandStatus::Succeeded);
    QCOMPARE(EventStore::count(db.connection()), qint64(2));
}

void TestEngine::commandsLeftPendingAreProcessedOnStart()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    db.migrate();
    QStringList ids;
    {
        WriteTransaction tx(db);
        for (int i = 0; i < 30; ++i) {
            const AcceptRequest r = shipmentRequest(
                CommandType::Submit, QStringLiteral("p%1").arg(i), submitBody(QStringLiteral("a")));
            Command c = commandFor(
                r, QDateTime::currentDateTimeUtc(), QStringLiteral("pending-%1").arg(i));
            CommandStore::insert(tx.db(), c, {});
            ids << c.id;
        }
        tx.commit();
    }
    Engine engine(db);
    engine.start();
    engine.waitIdle();
    for (const QString &id : ids)
        QCOMPARE(statusOf(db, id), CommandStatus::Succeeded);
    QCOMPARE(EventStore::count(db.connection()), qint64(30));
}

void TestEngine::invoicerRunTwiceOverTheSameDeliveriesInvoicesOnce()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    EngineOptions noInvoicer;
    noInvoicer.invoicer = false;
    {
        Engine engine(db, noInvoicer);
        engine.start();
        for (const QString &s : { QStringLiteral("a"), QStringLiteral("b") }) {
            accepted(engine,
                shipmentRequest(CommandType::Submit, s, submitBody(QStringLiteral("acct"))));
            accepted(engine,
                shipmentRequest(CommandType::Assign, s,
                    { { QStringLiteral("truckId"), QStringLiteral("t") } }));
            accepted(engine, shipmentRequest(CommandType::Ship, s));
            accepted(engine, shipmentRequest(CommandType::Deliver, s));
        }
        engine.waitIdle();
    }
    QVector<Command> issued;
    DeliveryInvoicer invoicer(
        db, QStringLiteral("test"), [&](const QVector<Command> &c) { issued += c; });
    QCOMPARE(invoicer.step().size(), 2);
    // As if the checkpoint were lost: the deliveries are read again, and nothing new is issued.
    runQuery(db.connection(), QStringLiteral("UPDATE checkpoints SET position = 0"));
    QCOMPARE(invoicer.step().size(), 0);
    Engine engine(db);
    engine.start();
    QVERIFY(engine.waitSettled(60000));
    const auto account = ReadModels::loadAccount(db.connection(), QStringLiteral("acct"));
    QVERIFY(account);
    QCOMPARE(account->invoiceCount, 2);
    QCOMPARE(account->balanceCents, Cents(-560));
    const QStringList problems = invariantViolations(db);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestEngine::rebuildFromEventsGivesIdenticalReadModels()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    Engine engine(db);
    engine.start();
    for (int i = 0; i < 20; ++i) {
        const QString s = QStringLiteral("r%1").arg(i);
        accepted(engine,
            shipmentRequest(
                CommandType::Submit, s, submitBody(QStringLiteral("acct%1").arg(i % 3), 5 + i)));
        if (i % 2 == 0)
            accepted(engine,
                shipmentRequest(CommandType::Assign, s,
                    { { QStringLiteral("truckId"), QStringLiteral("t%1").arg(i % 4) } }));
        if (i % 4 == 0)
            accepted(engine, shipmentRequest(CommandType::Ship, s));
        if (i % 8 == 0)
            accepted(engine, shipmentRequest(CommandType::Deliver, s));
        if (i % 5 == 1)
            accepted(engine,
                shipmentRequest(CommandType::Cancel, s,
                    { { QStringLiteral("reason"), QStringLiteral("no") } }));
    }
    accepted(engine, paymentRequest(QStringLiteral("acct1"), 99.99));
    QVERIFY(engine.waitSettled(60000));
    engine.stop();
    const QJsonArray before = ReadModels::dump(db.connection());
    QVERIFY(before.size() > 20);
    ReadModels::rebuild(db);
    QCOMPARE(ReadModels::dump(db.connection()), before);
}

void TestEngine::trucksAreOccupiedWhileCarryingAndFreedByDeliveryReassignmentOrCancel()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    Database db(url);
    Engine engine(db);
    engine.start();
    auto truck = [](const QString &id) {
        return QJsonObject { { QStringLiteral("truckId"), id } };
    };
    for (const QString &s : { QStringLiteral("s1"), QStringLiteral("s2"), QStringLiteral("s3") })
        accepted(engine, shipmentRequest(CommandType::Submit, s, submitBody(QStringLiteral("a"))));
    accepted(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s1"), truck(QStringLiteral("t1"))));
    accepted(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s2"), truck(QStringLiteral("t2"))));
    accepted(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s3"), truck(QStringLiteral("t4"))));
    engine.waitIdle();
    auto statusOfTrucks = [&] {
        QStringList out;
        for (const TruckView &t : ReadModels::listTrucks(db.connection()))
            out << t.state.id + QLatin1Char('=')
                    + (t.status() == QLatin1String("occupied")
                            ? QStringLiteral("occupied:") + t.shipments.join(QLatin1Char(','))
                            : t.status());
        return out.join(QLatin1Char(' '));
    };
    QCOMPARE(statusOfTrucks(), QStringLiteral("t1=occupied:s1 t2=occupied:s2 t4=occupied:s3"));
    accepted(engine, shipmentRequest(CommandType::Ship, QStringLiteral("s1")));
    QCOMPARE((engine.waitIdle(), statusOfTrucks()),
        QStringLiteral("t1=occupied:s1 t2=occupied:s2 t4=occupied:s3"));
    accepted(engine, shipmentRequest(CommandType::Deliver, QStringLiteral("s1")));
    accepted(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("s2"),
            truck(QStringLiteral("t3")))); // t2 broke down
    accepted(engine,
        shipmentRequest(CommandType::Cancel, QStringLiteral("s3"),
            { { QStringLiteral("reason"), QStringLiteral("x") } }));
    engine.waitIdle();
    QCOMPARE(
        statusOfTrucks(), QStringLiteral("t1=available t2=available t3=occupied:s2 t4=available"));
    TruckView occupied;
    occupied.state.id = QStringLiteral("t3");
    occupied.shipments = QStringList { QStringLiteral("s2") };
    QCOMPARE(
        occupied.toJson().value(QStringLiteral("status")).toString(), QStringLiteral("occupied"));
}

void TestEngine::shipmentListSortsByAColumnWithUnassignedTrucksLast()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    Database db(url);
    Engine engine(db);
    engine.start();
    const QStringList ids { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
        QStringLiteral("d") };
    for (const QString &s : ids)
        accepted(
            engine, shipmentRequest(CommandType::Submit, s, submitBody(QStringLiteral("acct"))));
    accepted(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("a"),
            { { QStringLiteral("truckId"), QStringLiteral("t2") } }));
    accepted(engine,
        shipmentRequest(CommandType::Assign, QStringLiteral("c"),
            { { QStringLiteral("truckId"), QStringLiteral("t1") } }));
    engine.waitIdle();
    auto order = [&](const QString &sort, bool descending) {
        ShipmentQuery q;
        q.sort = sort;
        q.descending = descending;
        QStringList out;
        for (const ShipmentState &s : ReadModels::listShipments(db.connection(), q, nullptr))
            out << s.id;
        return out.join(QLatin1Char(','));
    };
    QCOMPARE(order(QStringLiteral("assignedToTruck"), false), QStringLiteral("c,a,b,d"));
    QCOMPARE(order(QStringLiteral("assignedToTruck"), true), QStringLiteral("a,c,d,b"));
    QCOMPARE(order(QStringLiteral("id"), true), QStringLiteral("d,c,b,a"));
    QCOMPARE(order(QStringLiteral("status"), false), QStringLiteral("a,c,b,d"));
    QVERIFY(ReadModels::isShipmentSortKey(QStringLiteral("createdTimestamp")));
    QVERIFY(!ReadModels::isShipmentSortKey(QStringLiteral("body")));
}

void TestEngine::commandFinishedIsSignalledWithTheEvents()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    Database db(url);
    Engine engine(db);
    engine.start();
    QSignalSpy spy(&engine, &Engine::commandFinished);
    const QString id = accepted(engine,
        shipmentRequest(CommandType::Submit, QStringLiteral("s"), submitBody(QStringLiteral("a"))));
    QTRY_COMPARE(spy.size(), 1);
    const auto outcome = spy.first().first().value<CommandOutcome>();
    QCOMPARE(outcome.commandId, id);
    QCOMPARE(outcome.status, CommandStatus::Succeeded);
    QCOMPARE(outcome.events.size(), 1);
    QCOMPARE(outcome.events.first().type, EventType::Submitted);
}

void TestEngine::stopProcessesEverythingAlreadyAcknowledged()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    Database db(url);
    QStringList ids;
    QMutex mutex;
    {
        Engine engine(db);
        engine.start();
        QSemaphore answered;
        for (int i = 0; i < 200; ++i) {
            engine.accept(shipmentRequest(CommandType::Submit, QStringLiteral("s%1").arg(i),
                              submitBody(QStringLiteral("a"))),
                [&](const AcceptResult &r) {
                    QMutexLocker lock(&mutex);
                    if (r.status == AcceptResult::Status::Accepted)
                        ids << r.commandId;
                    answered.release();
                });
        }
        engine.stop();
        answered.acquire(200);
    }
    QVERIFY(!ids.isEmpty());
    for (const QString &id : std::as_const(ids))
        QCOMPARE(statusOf(db, id), CommandStatus::Succeeded);
}

// waitIdle right after a submission, before any answer: the command may be queued, being
// recorded or being processed, and waitIdle must outlast all three. (It once returned while the
// inbox was recording a batch it had already taken off its queue.)
void TestEngine::waitIdleReturnsOnlyOnceEverySubmittedCommandIsProcessed()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    Database db(url);
    Engine engine(db);
    engine.start();
    QSemaphore answered;
    int early = 0; // rounds in which waitIdle returned before the command was processed
    for (int round = 0; round < 200; ++round) {
        engine.accept(shipmentRequest(CommandType::Submit, QStringLiteral("s%1").arg(round),
                          submitBody(QStringLiteral("a"))),
            [&](const AcceptResult &) { answered.release(); });
        engine.waitIdle();
        const EngineStats stats = engine.stats();
        if (stats.succeeded + stats.rejected != round + 1)
            ++early;
        answered.acquire();
        engine.waitIdle();
    }
    QCOMPARE(early, 0);
}

// Two servers of one office on one PostgreSQL database, each with its own engine, sending
// overlapping commands at once: no duplicate version, no lost event, one chain, one invoice.
void TestEngine::twoEnginesSharingOnePostgresDatabaseStayConsistent()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("postgres"), url);
    Database dbA(url);
    Database dbB(url);
    Engine a(dbA);
    Engine b(dbB);
    a.start();
    b.start();
    constexpr int kShipments = 40;
    std::atomic<int> acknowledged { 0 };
    auto drive = [&](Engine &engine, int offset) {
        for (int i = 0; i < kShipments; ++i) {
            // Both engines work on every shipment; each step is tried by both.
            const QString s = QStringLiteral("shared-%1").arg((i + offset) % kShipments);
            for (const AcceptRequest &r : { shipmentRequest(CommandType::Submit, s,
                                                submitBody(QStringLiteral("acct-%1").arg(i % 5))),
                     shipmentRequest(CommandType::Assign, s,
                         { { QStringLiteral("truckId"), QStringLiteral("t%1").arg(offset) } }),
                     shipmentRequest(CommandType::Ship, s),
                     shipmentRequest(CommandType::Deliver, s) }) {
                if (!accepted(engine, r).isEmpty())
                    ++acknowledged;
            }
        }
    };
    std::thread ta([&] { drive(a, 0); });
    std::thread tb([&] { drive(b, 7); });
    ta.join();
    tb.join();
    QCOMPARE(acknowledged.load(), 2 * kShipments * 4);
    QVERIFY(a.waitSettled(60000));
    QVERIFY(b.waitSettled(60000));
    const QSqlDatabase db = dbA.connection();
    QCOMPARE(CommandStore::pendingCount(db), qint64(0));
    QSqlQuery delivered
        = runQuery(db, QStringLiteral("SELECT COUNT(*) FROM events WHERE type = 'delivered'"));
    QVERIFY(delivered.next());
    QCOMPARE(delivered.value(0).toInt(), kShipments); // each shipment delivered once, whoever won
    const QStringList problems = invariantViolations(dbA);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    // Both servers' invoicers ran: one invoice per delivery, numbered 1..N with no repeat (the
    // invariants also check each number against its place in the log).
    QSqlQuery numbers = runQuery(db,
        QStringLiteral("SELECT COUNT(DISTINCT number), MIN(number), MAX(number) FROM invoices"));
    QVERIFY(numbers.next());
    QCOMPARE(numbers.value(0).toInt(), kShipments);
    QCOMPARE(numbers.value(1).toInt(), 1);
    QCOMPARE(numbers.value(2).toInt(), kShipments);
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
