// The command processor on both databases, handed batches the dispatcher can make: a command
// that is still pending but appears twice in one batch (a redelivery that caught up with the
// first delivery) is applied once, and its outcome is the first run's; a command another writer
// already settled is neither run again nor given a second outcome; a batch large enough to have
// its texts written on two threads writes each event's and each state's own.
#include "testcommands.h"
#include "testdatabases.h"

#include "engine/commandprocessor.h"
#include "store/commandstore.h"
#include "store/eventstore.h"
#include "store/readmodels.h"
#include "store/sql.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

namespace {

// Records a command as the inbox does, pending, without any engine to process it.
Command recordPending(Database &db, const AcceptRequest &r, const QString &id)
{
    Command c = commandFor(r, QDateTime::currentDateTimeUtc(), id);
    WriteTransaction tx(db);
    CommandStore::insert(tx.db(), c, {});
    tx.commit();
    return c;
}

} // namespace

class TestCommandProcessor final : public QObject
{
    Q_OBJECT
private slots:
    void pendingPaymentTwiceInOneBatchIsAppliedOnce_data() { TestDatabases::addBackendColumn(); }
    void pendingPaymentTwiceInOneBatchIsAppliedOnce();
    void pendingSubmitTwiceInOneBatchKeepsItsSuccess_data() { TestDatabases::addBackendColumn(); }
    void pendingSubmitTwiceInOneBatchKeepsItsSuccess();
    void aClockBehindTheLogStampsTheBatchAtTheLogsLastTime_data()
    {
        TestDatabases::addBackendColumn();
    }
    void aClockBehindTheLogStampsTheBatchAtTheLogsLastTime();
    void aCommandSettledElsewhereIsNeitherRunAgainNorGivenASecondOutcome_data()
    {
        TestDatabases::addBackendColumn();
    }
    void aCommandSettledElsewhereIsNeitherRunAgainNorGivenASecondOutcome();
    void aLargeBatchWritesEachEventsAndEachStatesOwnText_data()
    {
        TestDatabases::addBackendColumn();
    }
    void aLargeBatchWritesEachEventsAndEachStatesOwnText();

private:
    TestDatabases m_databases;
};

void TestCommandProcessor::pendingPaymentTwiceInOneBatchIsAppliedOnce()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("repeat-payment"));
    const Command payment
        = recordPending(*db, paymentRequest(QStringLiteral("acme"), 12.5), QStringLiteral("pay-1"));

    CommandProcessor processor(*db, Rules {});
    const QVector<CommandOutcome> outcomes = processor.process({ payment, payment });

    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.first().status, CommandStatus::Succeeded);
    const EventList events
        = EventStore::readStream(db->connection(), accountStreamId(QStringLiteral("acme")));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().commandId, QStringLiteral("pay-1"));
    const auto account = ReadModels::loadAccount(db->connection(), QStringLiteral("acme"));
    QVERIFY(account);
    QCOMPARE(account->balanceCents, Cents(1250));
    QCOMPARE(account->version, 1);
}

// Were the repeat run, it would be refused (the shipment exists by then) and that refusal would
// overwrite the outcome the client is told about.
void TestCommandProcessor::pendingSubmitTwiceInOneBatchKeepsItsSuccess()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("repeat-submit"));
    const Command submit = recordPending(*db,
        shipmentRequest(CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("a"))),
        QStringLiteral("submit-1"));

    CommandProcessor processor(*db, Rules {});
    const QVector<CommandOutcome> outcomes = processor.process({ submit, submit });

    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.first().status, CommandStatus::Succeeded);
    QCOMPARE(CommandStore::status(db->connection(), QStringLiteral("submit-1")),
        std::optional<CommandStatus>(CommandStatus::Succeeded));
    QCOMPARE(EventStore::count(db->connection()), qint64(1));
}

// Another server whose clock runs an hour ahead wrote the log's last event. A batch planned here
// is stamped at that time, never earlier, in its events and in the state it leads to; nothing it
// was decided against moved, so it is restamped on its own snapshot, not read again.
void TestCommandProcessor::aClockBehindTheLogStampsTheBatchAtTheLogsLastTime()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("clock-behind"));
    const Command submit = recordPending(*db,
        shipmentRequest(
            CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("acme"))),
        QStringLiteral("submit-1"));
    const QDateTime ahead = QDateTime::fromMSecsSinceEpoch(
        QDateTime::currentMSecsSinceEpoch() + 3600 * 1000, Qt::UTC);
    {
        WriteTransaction tx(*db);
        ChainHead head = EventStore::readHead(tx.db());
        EventStore::append(tx.db(), head, truckStreamId(QStringLiteral("t9")), 1,
            NewEvent { EventType::Registered, {} },
            { QStringLiteral("elsewhere"), QStringLiteral("dispatch"), QStringLiteral("elsewhere"),
                ahead });
        tx.commit();
    }

    CommandProcessor processor(*db, Rules {});
    const QVector<CommandOutcome> outcomes = processor.process({ submit });
    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.first().status, CommandStatus::Succeeded);
    QCOMPARE(outcomes.first().events.size(), 1);
    QCOMPARE(outcomes.first().events.first().timestamp, ahead);
    const EventList stored = EventStore::readAfter(db->connection(), 1, 10, {});
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().timestamp, ahead);
    const std::optional<ShipmentState> shipment
        = ReadModels::loadShipment(db->connection(), QStringLiteral("s1"));
    QVERIFY(shipment);
    QCOMPARE(shipment->createdTimestamp, ahead);
    QCOMPARE(processor.batchesReadAgain(), qint64(0));
    QCOMPARE(processor.batchesRestamped(), qint64(1));
}

// Another server set a command aside (rejected, without an event) after this one's inbox handed it
// over. The batch is planned as if every command were pending, so the submit would succeed; the
// outcome's update finds the command settled, the transaction is rolled back, and the batch is
// read and planned again: the other command of the batch is processed, the settled one keeps its
// outcome and gets no event.
void TestCommandProcessor::aCommandSettledElsewhereIsNeitherRunAgainNorGivenASecondOutcome()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("settled-elsewhere"));
    const Command settled = recordPending(*db,
        shipmentRequest(CommandType::Submit, QStringLiteral("s1"), submitBody(QStringLiteral("a"))),
        QStringLiteral("submit-1"));
    const Command fresh = recordPending(*db,
        shipmentRequest(CommandType::Submit, QStringLiteral("s2"), submitBody(QStringLiteral("a"))),
        QStringLiteral("submit-2"));
    const QString reason = QStringLiteral("set aside by another server");
    {
        WriteTransaction tx(*db);
        CommandStore::markRejected(tx.db(), settled.id, reason, QDateTime::currentDateTimeUtc());
        tx.commit();
    }

    CommandProcessor processor(*db, Rules {});
    const QVector<CommandOutcome> outcomes = processor.process({ settled, fresh });

    QCOMPARE(outcomes.size(), 1);
    QCOMPARE(outcomes.first().commandId, fresh.id);
    QCOMPARE(outcomes.first().status, CommandStatus::Succeeded);
    QCOMPARE(processor.batchesReadAgain(), qint64(1));
    QCOMPARE(processor.batchesRestamped(), qint64(0));
    QCOMPARE(EventStore::count(db->connection()), qint64(1));
    QVERIFY(
        EventStore::readStream(db->connection(), shipmentStreamId(QStringLiteral("s1"))).isEmpty());
    QVERIFY(!ReadModels::loadShipment(db->connection(), QStringLiteral("s1")));
    QSqlQuery q = runQuery(db->connection(),
        QStringLiteral("SELECT status, message, first_position FROM commands WHERE id = ?"),
        { settled.id });
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("rejected"));
    QCOMPARE(q.value(1).toString(), reason);
    QVERIFY(q.value(2).isNull());
    QCOMPARE(CommandStore::status(db->connection(), fresh.id),
        std::optional<CommandStatus>(CommandStatus::Succeeded));
}

// A batch of 60 submits and 4 payments: its events' data and its states' bodies are serialized
// half on another thread. Each row holds its own command's text (a weight, an account, an id, a
// balance that no other command of the batch has), in Qt's compact JSON.
void TestCommandProcessor::aLargeBatchWritesEachEventsAndEachStatesOwnText()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(db, m_databases, backend, QStringLiteral("large-batch"));
    QVector<Command> batch;
    const int shipments = 60;
    for (int i = 0; i < shipments; ++i) {
        batch << recordPending(*db,
            shipmentRequest(CommandType::Submit, QStringLiteral("s%1").arg(i),
                submitBody(QStringLiteral("acct-%1").arg(i), 100 + i)),
            QStringLiteral("submit-%1").arg(i));
        if (i % 15 == 7) {
            batch << recordPending(*db, paymentRequest(QStringLiteral("payer-%1").arg(i), 1 + i),
                QStringLiteral("pay-%1").arg(i));
        }
    }
    QCOMPARE(batch.size(), shipments + 4);

    CommandProcessor processor(*db, Rules {});
    const QVector<CommandOutcome> outcomes = processor.process(batch);
    QCOMPARE(outcomes.size(), batch.size());

    const auto compact = [](const QString &text) {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        return std::make_pair(
            o, QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) == text);
    };
    QSqlQuery events
        = runQuery(db->connection(), QStringLiteral("SELECT command_id, type, data FROM events"));
    int seen = 0;
    while (events.next()) {
        ++seen;
        const QString command = events.value(0).toString();
        const auto [data, isCompact] = compact(events.value(2).toString());
        QVERIFY2(isCompact, qPrintable(command));
        const int n = command.section(QLatin1Char('-'), 1).toInt();
        if (command.startsWith(QLatin1String("submit-"))) {
            QCOMPARE(events.value(1).toString(), QStringLiteral("submitted"));
            QCOMPARE(data.value(QStringLiteral("weightInPounds")).toInt(), 100 + n);
            QCOMPARE(data.value(QStringLiteral("billToAccountId")).toString(),
                QStringLiteral("acct-%1").arg(n));
        } else {
            QCOMPARE(events.value(1).toString(), QStringLiteral("paymentReceived"));
            QCOMPARE(data.value(QStringLiteral("amountCents")).toInt(), (1 + n) * 100);
        }
    }
    QCOMPARE(seen, batch.size());
    QSqlQuery states = runQuery(db->connection(), QStringLiteral("SELECT id, body FROM shipments"));
    seen = 0;
    while (states.next()) {
        ++seen;
        const QString id = states.value(0).toString();
        const auto [body, isCompact] = compact(states.value(1).toString());
        QVERIFY2(isCompact, qPrintable(id));
        QCOMPARE(body.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(body.value(QStringLiteral("weightInPounds")).toInt(), 100 + id.mid(1).toInt());
    }
    QCOMPARE(seen, shipments);
    for (int i = 7; i < shipments; i += 15) {
        const auto account
            = ReadModels::loadAccount(db->connection(), QStringLiteral("payer-%1").arg(i));
        QVERIFY(account);
        QCOMPARE(account->balanceCents, Cents((1 + i) * 100));
    }
}

QTEST_GUILESS_MAIN(TestCommandProcessor)
#include "tst_commandprocessor.moc"
