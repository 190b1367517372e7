// The event store on both databases: positions, versions, the hash chain, migrations, and
// readers that never skip an event while writers commit concurrently.
#include "testdatabases.h"

#include "domain/invoicenumber.h"
#include "domain/timeformat.h"
#include "store/accountledger.h"
#include "store/eventhash.h"
#include "store/eventstore.h"
#include "store/readmodels.h"
#include "store/schema.h"
#include "store/sql.h"

#include <QAtomicInt>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <atomic>
#include <thread>
#include <vector>

using namespace waybill;

namespace {

EventMeta meta(const QString &commandId)
{
    return { commandId, QStringLiteral("tester"), commandId, QDateTime::currentDateTimeUtc() };
}

// Appends one event to a stream at its next version, in its own write transaction.
RecordedEvent appendNext(Database &db, const QString &stream, int delayBeforeCommitMs = 0)
{
    WriteTransaction tx(db);
    ChainHead head = EventStore::readHead(tx.db());
    QSqlQuery q = runQuery(tx.db(),
        QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM events WHERE stream_id = ?"),
        { stream });
    const int version = q.next() ? q.value(0).toInt() + 1 : 1;
    RecordedEvent e = EventStore::append(tx.db(), head, stream, version,
        NewEvent { QStringLiteral("noted"), { { QStringLiteral("n"), version } } },
        meta(QStringLiteral("c-%1-%2").arg(stream).arg(version)));
    if (delayBeforeCommitMs > 0)
        QThread::msleep(delayBeforeCommitMs);
    tx.commit();
    return e;
}

} // namespace

class TestEventStore final : public QObject
{
    Q_OBJECT
private slots:
    void appendGivesContiguousPositionsAndStreamVersions_data()
    {
        test::TestDatabases::addBackendColumn();
    }
    void appendGivesContiguousPositionsAndStreamVersions();
    void secondEventAtTheSameStreamVersionIsRefused_data()
    {
        test::TestDatabases::addBackendColumn();
    }
    void secondEventAtTheSameStreamVersionIsRefused();
    void eachEventIsChainedToThePreviousByItsHash_data()
    {
        test::TestDatabases::addBackendColumn();
    }
    void eachEventIsChainedToThePreviousByItsHash();
    void readerFollowingPositionsNeverSkipsAnEventWhileWritersRace_data()
    {
        test::TestDatabases::addBackendColumn();
    }
    void readerFollowingPositionsNeverSkipsAnEventWhileWritersRace();
    void concurrentMigrationsLeaveOneSchema_data() { test::TestDatabases::addBackendColumn(); }
    void concurrentMigrationsLeaveOneSchema();
    void versionOneDatabaseIsUpgradedWithItsShipmentsSearchable_data()
    {
        test::TestDatabases::addBackendColumn();
    }
    void versionOneDatabaseIsUpgradedWithItsShipmentsSearchable();
    void invoicesRecordedBeforeNumbersAreNumberedByTheirPlaceInTheLog_data()
    {
        test::TestDatabases::addBackendColumn();
    }
    void invoicesRecordedBeforeNumbersAreNumberedByTheirPlaceInTheLog();
    void zeroCommitmentGivesAnAccountNoRowButKeepsOne_data()
    {
        test::TestDatabases::addBackendColumn();
    }
    void zeroCommitmentGivesAnAccountNoRowButKeepsOne();
    void writerThatCannotHaveTheLockLeavesNoTransactionOpen_data()
    {
        test::TestDatabases::addBackendColumn();
    }
    void writerThatCannotHaveTheLockLeavesNoTransactionOpen();
    void failingStatementInsideTheLockReleasesIt_data() { test::TestDatabases::addBackendColumn(); }
    void failingStatementInsideTheLockReleasesIt();
    void connectionDroppedByTheServerIsOpenedAgainOnNextUse();
    void databaseFromANewerWaybillIsRefused();
    void sqliteRunsInWriteAheadLogMode();
    void sqliteReadsTheFileThroughThePageCacheNotAMemoryMap();
    void streamReadAsOfATimeStopsAtThatTime();

private:
    test::TestDatabases m_databases;
};

void TestEventStore::appendGivesContiguousPositionsAndStreamVersions()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    db.migrate();
    for (int i = 0; i < 3; ++i) {
        appendNext(db, QStringLiteral("shipment-a"));
        appendNext(db, QStringLiteral("shipment-b"));
    }
    const EventList all = EventStore::readAfter(db.connection(), 0, 100);
    QCOMPARE(all.size(), 6);
    for (int i = 0; i < all.size(); ++i)
        QCOMPARE(all[i].position, qint64(i + 1));
    const EventList a = EventStore::readStream(db.connection(), QStringLiteral("shipment-a"));
    QCOMPARE(a.size(), 3);
    for (int i = 0; i < a.size(); ++i)
        QCOMPARE(a[i].version, i + 1);
    QCOMPARE(EventStore::lastPosition(db.connection()), qint64(6));
}

void TestEventStore::secondEventAtTheSameStreamVersionIsRefused()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    db.migrate();
    appendNext(db, QStringLiteral("shipment-a"));
    WriteTransaction tx(db);
    ChainHead head = EventStore::readHead(tx.db());
    bool refused = false;
    try {
        EventStore::append(tx.db(), head, QStringLiteral("shipment-a"), 1,
            NewEvent { QStringLiteral("x"), {} }, meta(QStringLiteral("dup")));
    } catch (const StoreError &e) {
        refused = e.kind() == StoreError::Kind::UniqueViolation;
    }
    QVERIFY2(refused, "appending at an existing (stream, version) must fail as a unique violation");
}

void TestEventStore::eachEventIsChainedToThePreviousByItsHash()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    db.migrate();
    for (int i = 0; i < 5; ++i)
        appendNext(db, QStringLiteral("account-%1").arg(i % 2));
    QSqlQuery q = runQuery(db.connection(),
        QStringLiteral("SELECT ") + EventStore::selectColumns()
            + QStringLiteral(" FROM events ORDER BY position"));
    QString previous = genesisHash();
    int n = 0;
    while (q.next()) {
        QString dataText;
        const RecordedEvent e = EventStore::fromRow(q, &dataText);
        const QString expected = chainHash(previous,
            { e.position, e.streamId, e.version, e.type, q.value(4).toString(), e.commandId, e.user,
                e.correlationId, dataText });
        QCOMPARE(e.hash, expected);
        previous = e.hash;
        ++n;
    }
    QCOMPARE(n, 5);
}

// The classic bug of SQL event stores: two transactions take positions 1 and 2, the second commits
// first, a reader sees 2, moves its checkpoint past 1, and never sees 1. Here writers hold their
// transaction open for a random while after appending, so commits would interleave if anything
// let them; the reader polls all the time and must see every position, in order, exactly once.
void TestEventStore::readerFollowingPositionsNeverSkipsAnEventWhileWritersRace()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    db.migrate();
    constexpr int kWriters = 4;
    constexpr int kPerWriter = 25;
    std::atomic<int> writersDone { 0 };
    std::atomic<bool> failed { false };
    QString failure;

    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            try {
                for (int i = 0; i < kPerWriter; ++i)
                    appendNext(db, QStringLiteral("shipment-w%1").arg(w),
                        QRandomGenerator::global()->bounded(3));
            } catch (const StoreError &e) {
                failed = true;
                failure = e.message();
            }
            db.closeConnection();
            ++writersDone;
        });
    }
    QVector<qint64> seen;
    qint64 checkpoint = 0;
    bool skipped = false;
    for (;;) {
        const bool lastRound = writersDone.load() == kWriters;
        const EventList page = EventStore::readAfter(db.connection(), checkpoint, 1000);
        for (const RecordedEvent &e : page) {
            skipped = skipped || e.position != checkpoint + 1;
            seen.append(e.position);
            checkpoint = e.position;
        }
        if (lastRound)
            break;
    }
    for (auto &t : writers)
        t.join();
    QVERIFY2(!failed, qPrintable(failure));
    QVERIFY2(!skipped, "the reader saw a position before a lower one had committed");
    QCOMPARE(seen.size(), kWriters * kPerWriter);
    for (int i = 0; i < seen.size(); ++i)
        QCOMPARE(seen[i], qint64(i + 1));
}

void TestEventStore::concurrentMigrationsLeaveOneSchema()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    std::vector<std::thread> starters;
    std::atomic<int> errors { 0 };
    for (int i = 0; i < 3; ++i) {
        starters.emplace_back([&] {
            Database db(url);
            try {
                db.migrate();
            } catch (const StoreError &) {
                ++errors;
            }
        });
    }
    for (auto &t : starters)
        t.join();
    QCOMPARE(errors.load(), 0);
    Database db(url);
    QCOMPARE(schemaVersion(db.connection()), kSchemaVersion);
    QSqlQuery q
        = runQuery(db.connection(), QStringLiteral("SELECT COUNT(*) FROM schema_migrations"));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), kSchemaVersion);
}

void TestEventStore::versionOneDatabaseIsUpgradedWithItsShipmentsSearchable()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    db.migrate();
    // Back to what version 1 wrote: no search column, none of its indexes, shipment rows without
    // it.
    constexpr int kShipments = 2500; // more than one page of the backfill
    {
        WriteTransaction tx(db);
        runStatement(tx.db(), QStringLiteral("DROP INDEX tokens_by_salt"));
        runStatement(tx.db(), QStringLiteral("DROP INDEX shipments_by_created"));
        runStatement(tx.db(), QStringLiteral("ALTER TABLE shipments DROP COLUMN search_text"));
        runStatement(tx.db(), QStringLiteral("DELETE FROM schema_migrations WHERE version = 2"));
        // What version 5 added.
        runStatement(tx.db(), QStringLiteral("DROP INDEX commands_pending_by_server"));
        runStatement(tx.db(), QStringLiteral("ALTER TABLE commands DROP COLUMN accepted_by"));
        runStatement(tx.db(), QStringLiteral("DROP TABLE server_leases"));
        runStatement(tx.db(), QStringLiteral("DELETE FROM schema_migrations WHERE version = 5"));
        // And what version 3 added.
        runStatement(tx.db(), QStringLiteral("ALTER TABLE commands DROP COLUMN expected_version"));
        runStatement(tx.db(), QStringLiteral("ALTER TABLE trucks DROP COLUMN version"));
        runStatement(tx.db(), QStringLiteral("ALTER TABLE trucks DROP COLUMN body"));
        runStatement(tx.db(), QStringLiteral("ALTER TABLE trucks DROP COLUMN load_hundredths"));
        runStatement(tx.db(), QStringLiteral("DROP TABLE account_commitments"));
        runStatement(tx.db(), QStringLiteral("DELETE FROM schema_migrations WHERE version = 3"));
        // And what version 4 added.
        for (const char *index : { "shipments_by_pickup_window", "shipments_by_delivery_window",
                 "shipments_by_status_pickup_end", "shipments_by_status_delivery_end" })
            runStatement(tx.db(), QStringLiteral("DROP INDEX ") + QLatin1String(index));
        for (const char *column : { "pickup_from", "pickup_to", "delivery_from", "delivery_to" })
            runStatement(tx.db(),
                QStringLiteral("ALTER TABLE shipments DROP COLUMN ") + QLatin1String(column));
        runStatement(tx.db(), QStringLiteral("DROP TABLE window_lengths"));
        runStatement(tx.db(), QStringLiteral("DELETE FROM schema_migrations WHERE version = 4"));
        // And what version 6 added.
        runStatement(tx.db(), QStringLiteral("DROP TABLE invoices"));
        runStatement(tx.db(), QStringLiteral("DELETE FROM schema_migrations WHERE version = 6"));
        for (int i = 0; i < kShipments; ++i) {
            ShipmentState s;
            s.id = QStringLiteral("S-%1").arg(i, 5, 10, QLatin1Char('0'));
            s.status = ShipmentStatus::Submitted;
            s.shipFrom = { QStringLiteral("Shipper %1").arg(i), QStringLiteral("%1 Main St").arg(i),
                {}, QStringLiteral("Ames"), QStringLiteral("IA"), QStringLiteral("50010") };
            s.shipTo = { QStringLiteral("Receiver"), QStringLiteral("1 Elm St"),
                QStringLiteral("Dock %1").arg(i), QStringLiteral("Omaha"), QStringLiteral("NE"),
                QStringLiteral("68102") };
            s.billToAccountId = QStringLiteral("acct");
            s.createdTimestamp = s.lastCommandTimestamp = QDateTime::currentDateTimeUtc();
            s.version = 1;
            // Every hundredth with windows (stored by a release whose events had them): picked
            // up i / 100 days after 1 December, delivered by the next day's end.
            if (i % 100 == 0) {
                const QDateTime day(QDate(2026, 12, 1).addDays(i / 100), QTime(8, 0), Qt::UTC);
                s.pickupWindow = TimeWindow { day, day.addSecs(4 * 3600) };
                const QDateTime nextDaysEnd
                    = QDateTime(day.date().addDays(2), QTime(0, 0), Qt::UTC).addMSecs(-1);
                s.deliveryWindow = TimeWindow { day, nextDaysEnd };
            }
            runQuery(tx.db(),
                QStringLiteral("INSERT INTO shipments (id, status, truck_id, account_id, "
                               "created_at, version, body) "
                               "VALUES (?, 'Submitted', NULL, 'acct', ?, 1, ?)"),
                { s.id, toIsoUtc(s.createdTimestamp), s.toJsonText() });
        }
        tx.commit();
    }
    QCOMPARE(schemaVersion(db.connection()), 1);

    db.migrate();
    QCOMPARE(schemaVersion(db.connection()), kSchemaVersion);
    QSqlQuery rows = runQuery(
        db.connection(), QStringLiteral("SELECT body, search_text FROM shipments ORDER BY id"));
    int checked = 0;
    while (rows.next()) {
        const ShipmentState s = ShipmentState::fromJson(
            QJsonDocument::fromJson(rows.value(0).toString().toUtf8()).object());
        QCOMPARE(rows.value(1).toString(), s.searchText());
        ++checked;
    }
    QCOMPARE(checked, kShipments);
    ShipmentQuery query;
    query.search = QStringLiteral("DOCK 1234");
    qint64 total = 0;
    const QVector<ShipmentState> found = ReadModels::listShipments(db.connection(), query, &total);
    QCOMPARE(total, qint64(1));
    QCOMPARE(found.value(0).id, QStringLiteral("S-01234"));
    // The windows were brought along: 3 December holds the pickup of S-00200 and the deliveries
    // of S-00100 and S-00200.
    ShipmentQuery windows;
    windows.windowFrom = QDateTime(QDate(2026, 12, 3), QTime(0, 0), Qt::UTC);
    windows.windowTo = windows.windowFrom->addDays(1);
    const QVector<ShipmentState> planned
        = ReadModels::listShipments(db.connection(), windows, &total);
    QCOMPARE(total, qint64(2));
    QCOMPARE(planned.value(0).id, QStringLiteral("S-00100"));
    QCOMPARE(planned.value(1).id, QStringLiteral("S-00200"));
    const QString indexQuery = url.kind == DatabaseUrl::Kind::Postgres
        ? QStringLiteral("SELECT COUNT(*) FROM pg_indexes WHERE indexname = ?")
        : QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?");
    for (const QString &name :
        { QStringLiteral("tokens_by_salt"), QStringLiteral("shipments_by_created"),
            QStringLiteral("shipments_by_pickup_window") }) {
        QSqlQuery index = runQuery(db.connection(), indexQuery, { name });
        QVERIFY(index.next());
        QCOMPARE(index.value(0).toInt(), 1);
    }
}

namespace {

// Holds the writer lock from a thread of its own, through a Database of its own, as another
// program would, until released.
class LockHolder final
{
public:
    explicit LockHolder(const DatabaseUrl &url)
        : m_thread([this, url] {
            try {
                Database other(url);
                WriteTransaction tx(other);
                m_held = true;
                while (!m_release)
                    QThread::msleep(2);
                tx.rollback();
            } catch (const StoreError &e) {
                m_error = e.message();
                m_held = true;
            }
        })
    {
        while (!m_held)
            QThread::msleep(1);
    }
    ~LockHolder() { release(); }
    void release()
    {
        m_release = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    QString error() const { return m_held ? m_error : QString(); }

private:
    std::atomic<bool> m_held { false };
    std::atomic<bool> m_release { false };
    QString m_error;
    std::thread m_thread;
};

// Connections of the current database inside a transaction, seen from the server's side.
int sessionsInTransaction(const QSqlDatabase &db)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"));
    return q.next() ? q.value(0).toInt() : -1;
}

// The numbers of an account's invoices as finance reads them, by their events' positions.
QHash<qint64, qint64> ledgerNumbers(Database &db, const QString &account)
{
    QHash<qint64, qint64> numbers;
    const auto items = AccountLedger::openItems(db, account, std::nullopt);
    for (const OpenInvoice &i : items ? items->invoices() : QVector<OpenInvoice> {})
        numbers.insert(i.position, i.number);
    return numbers;
}

} // namespace

void TestEventStore::zeroCommitmentGivesAnAccountNoRowButKeepsOne()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    db.migrate();
    const QStringList accounts { QStringLiteral("never"), QStringLiteral("once") };
    {
        WriteTransaction tx(db);
        ReadModels::addCommitted(
            tx.db(), { { QStringLiteral("never"), 0 }, { QStringLiteral("once"), 2800 } });
        ReadModels::addCommitted(
            tx.db(), { { QStringLiteral("never"), 0 }, { QStringLiteral("once"), -2800 } });
        tx.commit();
    }
    // An account that never committed anything has no row; one back at zero keeps its row.
    QCOMPARE(ReadModels::committedCents(db.connection(), accounts),
        (QHash<QString, Cents> { { QStringLiteral("once"), 0 } }));
}

void TestEventStore::invoicesRecordedBeforeNumbersAreNumberedByTheirPlaceInTheLog()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    db.migrate();
    // A database of schema 5: invoiced events without numbers, among other events.
    {
        WriteTransaction tx(db);
        runStatement(tx.db(), QStringLiteral("DROP TABLE invoices"));
        runStatement(tx.db(), QStringLiteral("DELETE FROM schema_migrations WHERE version = 6"));
        ChainHead head = EventStore::readHead(tx.db());
        const QStringList accounts { QStringLiteral("b"), QStringLiteral("a"),
            QStringLiteral("b") };
        QHash<QString, int> versions;
        for (int i = 0; i < accounts.size(); ++i) {
            const QString stream = QStringLiteral("account-") + accounts.at(i);
            EventStore::append(tx.db(), head, QStringLiteral("account-c"), i + 1,
                NewEvent { EventType::PaymentReceived,
                    { { QStringLiteral("amount"), 1 }, { QStringLiteral("amountCents"), 100 } } },
                meta(QStringLiteral("p%1").arg(i)));
            EventStore::append(tx.db(), head, stream, ++versions[stream],
                NewEvent { EventType::Invoiced,
                    { { QStringLiteral("shipmentId"), QStringLiteral("x%1").arg(i) },
                        { QStringLiteral("amount"), 2.8 },
                        { QStringLiteral("amountCents"), 280 } } },
                meta(QStringLiteral("i%1").arg(i)));
        }
        tx.commit();
    }
    db.migrate();
    QCOMPARE(ReadModels::lastInvoiceNumber(db.connection()), qint64(3));
    // Positions 2, 4, 6 are the invoices, of b, a, b; finance reads their numbers.
    QCOMPARE(
        ledgerNumbers(db, QStringLiteral("b")), (QHash<qint64, qint64> { { 2, 1 }, { 6, 3 } }));
    QCOMPARE(ledgerNumbers(db, QStringLiteral("a")), (QHash<qint64, qint64> { { 4, 2 } }));
    // Numbered invoices follow; a rebuild numbers the old ones the same and keeps the new ones'.
    {
        WriteTransaction tx(db);
        ChainHead head = EventStore::readHead(tx.db());
        for (int i = 0; i < 2; ++i) {
            const RecordedEvent e = EventStore::append(tx.db(), head, QStringLiteral("account-a"),
                2 + i,
                NewEvent { EventType::Invoiced,
                    { { QStringLiteral("shipmentId"), QStringLiteral("y%1").arg(i) },
                        { QStringLiteral("amount"), 2.8 }, { QStringLiteral("amountCents"), 280 },
                        { QStringLiteral("invoiceNumber"), invoiceNumberText(4 + i) } } },
                meta(QStringLiteral("n%1").arg(i)));
            ReadModels::noteEvent(tx.db(), e);
        }
        tx.commit();
    }
    const QHash<qint64, qint64> a { { 4, 2 }, { 7, 4 }, { 8, 5 } };
    QCOMPARE(ledgerNumbers(db, QStringLiteral("a")), a);
    ReadModels::rebuild(db);
    QCOMPARE(ledgerNumbers(db, QStringLiteral("a")), a);
    QCOMPARE(
        ledgerNumbers(db, QStringLiteral("b")), (QHash<qint64, qint64> { { 2, 1 }, { 6, 3 } }));
    QCOMPARE(ReadModels::lastInvoiceNumber(db.connection()), qint64(5));
}

void TestEventStore::writerThatCannotHaveTheLockLeavesNoTransactionOpen()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    db.migrate();
    db.setLockTimeout(200);
    db.closeConnection(); // the next one is opened with the short lock timeout
    Database observer(url);
    {
        LockHolder holder(url);
        QVERIFY2(holder.error().isEmpty(), qPrintable(holder.error()));
        bool busy = false;
        try {
            WriteTransaction tx(db);
        } catch (const StoreError &e) {
            busy = e.kind() == StoreError::Kind::Busy;
        }
        QVERIFY2(busy, "a writer that cannot have the lock must fail as Busy");
        if (db.isPostgres()) {
            // The holder is idle in its transaction; the failed writer must not be.
            QCOMPARE(sessionsInTransaction(observer.connection()), 1);
        }
        // The failed writer's connection reads as usual (not an aborted transaction's errors).
        QSqlQuery read = runQuery(db.connection(), QStringLiteral("SELECT COUNT(*) FROM events"));
        QVERIFY(read.next());
    }
    // Once the lock is free, the same connection writes, and what it writes is committed.
    appendNext(db, QStringLiteral("shipment-a"));
    QCOMPARE(EventStore::lastPosition(observer.connection()), qint64(1));
    if (db.isPostgres())
        QCOMPARE(sessionsInTransaction(observer.connection()), 0);
}

void TestEventStore::failingStatementInsideTheLockReleasesIt()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    Database db(url);
    db.migrate();
    appendNext(db, QStringLiteral("shipment-a"));
    bool refused = false;
    try {
        WriteTransaction tx(db);
        ChainHead head = EventStore::readHead(tx.db());
        EventStore::append(tx.db(), head, QStringLiteral("shipment-a"), 1,
            NewEvent { QStringLiteral("x"), {} }, meta(QStringLiteral("dup")));
        tx.commit();
    } catch (const StoreError &) {
        refused = true;
    }
    QVERIFY(refused);
    // Another program gets the lock at once, and this connection writes again.
    Database other(url);
    other.setLockTimeout(1000);
    QString otherError;
    std::thread writer([&] {
        try {
            appendNext(other, QStringLiteral("shipment-b"));
        } catch (const StoreError &e) {
            otherError = e.message();
        }
    });
    writer.join();
    QVERIFY2(otherError.isEmpty(), qPrintable(otherError));
    appendNext(db, QStringLiteral("shipment-a"));
    QCOMPARE(EventStore::lastPosition(db.connection()), qint64(3));
}

void TestEventStore::connectionDroppedByTheServerIsOpenedAgainOnNextUse()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("postgres"), url);
    Database db(url);
    db.migrate();
    int backend = 0;
    {
        QSqlQuery pid = runQuery(db.connection(), QStringLiteral("SELECT pg_backend_pid()"));
        QVERIFY(pid.next());
        backend = pid.value(0).toInt();
    }
    // The server ends the session, as a restart or a failover would.
    Database admin(url);
    QSqlQuery ended = runQuery(
        admin.connection(), QStringLiteral("SELECT pg_terminate_backend(?)"), { backend });
    QVERIFY(ended.next() && ended.value(0).toBool());
    // The first statement on the dead connection fails; the next use opens a new one.
    bool failed = false;
    try {
        runQuery(db.connection(), QStringLiteral("SELECT 1"));
    } catch (const StoreError &e) {
        failed = e.kind() == StoreError::Kind::Unavailable;
    }
    QVERIFY2(failed, "a statement on a connection the server ended fails as Unavailable");
    appendNext(db, QStringLiteral("shipment-a"));
    QCOMPARE(EventStore::lastPosition(db.connection()), qint64(1));
}

void TestEventStore::databaseFromANewerWaybillIsRefused()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    Database db(url);
    db.migrate();
    runQuery(db.connection(),
        QStringLiteral("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 'x')"),
        { kSchemaVersion + 1 });
    bool refused = false;
    try {
        db.migrate();
    } catch (const StoreError &e) {
        refused = e.message().contains(QStringLiteral("newer"));
    }
    QVERIFY2(refused, "a schema newer than this build must be refused, not downgraded");
}

void TestEventStore::sqliteRunsInWriteAheadLogMode()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    Database db(url);
    QSqlQuery q = runQuery(db.connection(), QStringLiteral("PRAGMA journal_mode"));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
    QSqlQuery s = runQuery(db.connection(), QStringLiteral("PRAGMA synchronous"));
    QVERIFY(s.next());
    QCOMPARE(s.value(0).toInt(), 2); // FULL: an acknowledged write survives power loss
}

void TestEventStore::sqliteReadsTheFileThroughThePageCacheNotAMemoryMap()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    Database db(url);
    db.migrate();
    // Pages in the file itself (not only in the log), then a read of them.
    runQuery(db.connection(), QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    QVERIFY(QFileInfo(url.path).size() > 0);
    QSqlQuery q = runQuery(db.connection(), QStringLiteral("SELECT count(*) FROM events"));
    QVERIFY(q.next());
    QFile maps(QStringLiteral("/proc/self/maps"));
    QVERIFY(maps.open(QIODevice::ReadOnly));
    const QString file = QFileInfo(url.path).canonicalFilePath();
    const QStringList mapped = QString::fromUtf8(maps.readAll()).split(QLatin1Char('\n'));
    for (const QString &line : mapped)
        QVERIFY2(!line.endsWith(file), qPrintable(QStringLiteral("mapped: ") + line));
}

void TestEventStore::streamReadAsOfATimeStopsAtThatTime()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    Database db(url);
    db.migrate();
    const QDateTime t0(QDate(2026, 1, 1), QTime(9, 0), QTimeZone::utc());
    {
        WriteTransaction tx(db);
        ChainHead head = EventStore::readHead(tx.db());
        for (int i = 0; i < 3; ++i)
            EventStore::append(tx.db(), head, QStringLiteral("shipment-x"), i + 1,
                NewEvent { QStringLiteral("e"), {} },
                { QStringLiteral("c%1").arg(i), QStringLiteral("u"), QStringLiteral("c"),
                    t0.addSecs(60 * i) });
        tx.commit();
    }
    QCOMPARE(EventStore::readStream(db.connection(), QStringLiteral("shipment-x"), t0.addSecs(60))
                 .size(),
        2);
    QCOMPARE(EventStore::readStream(db.connection(), QStringLiteral("shipment-x"), t0.addSecs(59))
                 .size(),
        1);
    QCOMPARE(EventStore::readStream(db.connection(), QStringLiteral("shipment-x"), t0.addSecs(-1))
                 .size(),
        0);
}

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_eventstore.moc"
