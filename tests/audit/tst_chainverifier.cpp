// The hash-chain verifier: intact histories (one server or two at once, SQLite and PostgreSQL)
// verify; every kind of tampering done straight in the database is named at its first bad
// position with its reason.
#include "audit/chainverifier.h"
#include "enginehistory.h"
#include "historywriter.h"
#include "store/eventhash.h"
#include "store/eventstore.h"
#include "store/sql.h"
#include "testdatabases.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

using namespace waybill;
using namespace waybill::test;

namespace {

const QString kColumns = QStringLiteral("position, stream_id, version, type, timestamp, "
                                        "command_id, user_name, correlation_id, data, hash");
enum Column {
    Position,
    StreamId,
    Version,
    Type,
    Timestamp,
    CommandId,
    User,
    CorrelationId,
    Data,
    Hash,
    ColumnCount
};

using Row = QVariantList;

QVector<Row> readRows(
    const QSqlDatabase &db, const QString &where = QString(), const QVariantList &binds = {})
{
    QSqlQuery q(db);
    if (!q.prepare(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM events ") + where
            + QStringLiteral(" ORDER BY position")))
        throwQueryError(q, QStringLiteral("cannot read events"));
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    if (!q.exec())
        throwQueryError(q, QStringLiteral("cannot read events"));
    QVector<Row> rows;
    while (q.next()) {
        Row row;
        for (int i = 0; i < ColumnCount; ++i)
            row << q.value(i);
        rows.append(row);
    }
    return rows;
}

Row rowAt(const QSqlDatabase &db, qint64 position)
{
    const QVector<Row> rows = readRows(db, QStringLiteral("WHERE position = ?"), { position });
    if (rows.size() != 1)
        throw StoreError(QStringLiteral("no event at position %1").arg(position));
    return rows.first();
}

void insertRow(const QSqlDatabase &db, const Row &row)
{
    QSqlQuery q(db);
    if (!q.prepare(QStringLiteral("INSERT INTO events (") + kColumns
            + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
        throwQueryError(q, QStringLiteral("cannot insert an event"));
    for (int i = 0; i < ColumnCount; ++i)
        q.bindValue(i, row.at(i));
    if (!q.exec())
        throwQueryError(q, QStringLiteral("cannot insert an event"));
}

// Overwrites every column of the event at position but the position itself.
void overwriteRow(const QSqlDatabase &db, qint64 position, const Row &row)
{
    runQuery(db,
        QStringLiteral(
            "UPDATE events SET stream_id = ?, version = ?, type = ?, timestamp = ?, command_id = ?,"
            " user_name = ?, correlation_id = ?, data = ?, hash = ? WHERE position = ?"),
        { row[StreamId], row[Version], row[Type], row[Timestamp], row[CommandId], row[User],
            row[CorrelationId], row[Data], row[Hash], position });
}

QString linkOf(const QString &previousHash, const Row &row)
{
    return chainHash(previousHash,
        { row[Position].toLongLong(), row[StreamId].toString(), row[Version].toInt(),
            row[Type].toString(), row[Timestamp].toString(), row[CommandId].toString(),
            row[User].toString(), row[CorrelationId].toString(), row[Data].toString() });
}

// Makes room at position + 1 by moving every later event one position up.
void openSlotAfter(const QSqlDatabase &db, qint64 position)
{
    // In two steps, through negative positions, so that no statement collides with itself.
    runQuery(db, QStringLiteral("UPDATE events SET position = -position WHERE position > ?"),
        { position });
    runQuery(db, QStringLiteral("UPDATE events SET position = 1 - position WHERE position < 0"));
}

// Recomputes every link from position on, as a forger who knows the hashing would.
void relinkFrom(const QSqlDatabase &db, qint64 position)
{
    const QVector<Row> before = readRows(db, QStringLiteral("WHERE position < ?"), { position });
    QString previous = before.isEmpty() ? genesisHash() : before.last()[Hash].toString();
    for (Row row : readRows(db, QStringLiteral("WHERE position >= ?"), { position })) {
        row[Hash] = linkOf(previous, row);
        overwriteRow(db, row[Position].toLongLong(), row);
        previous = row[Hash].toString();
    }
}

Row forgedEvent(qint64 position, const QString &commandId)
{
    return { position, QStringLiteral("account-forged"), 1, QStringLiteral("paymentReceived"),
        QStringLiteral("2026-11-27T10:00:00.000Z"), commandId, QStringLiteral("mallory"), commandId,
        QStringLiteral("{\"amount\":1000000,\"amountCents\":100000000}"),
        QString(64, QLatin1Char('a')) };
}

enum class Tamper {
    EditData,
    EditType,
    EditTimestamp,
    EditUser,
    EditStream,
    EditVersion,
    EditCommand,
    EditCorrelation,
    EditHash,
    EditDataAndRelink,
    DeleteMiddle,
    DeleteFirst,
    DeleteLast,
    DeleteMiddleAndRelinkRest,
    ReorderStreamAndRelink,
    SwapPair,
    SwapAdjacentPair,
    InsertMadeUpLink,
    InsertValidLink,
    InsertValidLinkUnderRealCommand,
    AppendValidLink,
};

// Where verify must point, relative to the history of n events and the position the tamper
// started from (the middle of the history unless the kind needs another).
enum class Expected { Tampered, AfterTampered, Second, Last, AfterLast };

// Tampers with the history as someone with write access to the database would; returns the
// position it started from.
qint64 tamper(Database &database, Tamper kind)
{
    WriteTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    const qint64 n = EventStore::lastPosition(db);
    const qint64 m = n / 2;
    qint64 anchor = m;
    const auto set = [&db, m](const char *column, const QVariant &value) {
        runQuery(db,
            QStringLiteral("UPDATE events SET %1 = ? WHERE position = ?")
                .arg(QLatin1String(column)),
            { value, m });
    };
    const auto swap = [&db](qint64 a, qint64 b) {
        const Row first = rowAt(db, a);
        const Row second = rowAt(db, b);
        // The (stream, version) pair is unique: park one row before moving the other in.
        runQuery(
            db, QStringLiteral("UPDATE events SET stream_id = 'parked' WHERE position = ?"), { b });
        overwriteRow(db, a, second);
        overwriteRow(db, b, first);
    };
    switch (kind) {
    case Tamper::EditData:
        set("data", QStringLiteral("{\"amount\":0.01,\"amountCents\":1}"));
        break;
    case Tamper::EditType:
        runQuery(db, QStringLiteral("UPDATE events SET type = type || 'Forged' WHERE position = ?"),
            { m });
        break;
    case Tamper::EditTimestamp:
        set("timestamp", QStringLiteral("2020-01-01T00:00:00.000Z"));
        break;
    case Tamper::EditUser:
        set("user_name", QStringLiteral("mallory"));
        break;
    case Tamper::EditStream:
        set("stream_id", QStringLiteral("shipment-elsewhere"));
        break;
    case Tamper::EditVersion:
        runQuery(db, QStringLiteral("UPDATE events SET version = version + 100 WHERE position = ?"),
            { m });
        break;
    case Tamper::EditCommand:
        set("command_id", QStringLiteral("forged-command"));
        break;
    case Tamper::EditCorrelation:
        set("correlation_id", QStringLiteral("forged-correlation"));
        break;
    case Tamper::EditHash:
        set("hash",
            QString::fromLatin1(
                QCryptographicHash::hash("forged", QCryptographicHash::Sha256).toHex()));
        break;
    case Tamper::EditDataAndRelink: {
        Row row = rowAt(db, m);
        row[Data] = QStringLiteral("{\"amount\":0.01,\"amountCents\":1}");
        row[Hash] = linkOf(rowAt(db, m - 1)[Hash].toString(), row);
        overwriteRow(db, m, row);
        break;
    }
    case Tamper::DeleteMiddle:
        runQuery(db, QStringLiteral("DELETE FROM events WHERE position = ?"), { m });
        break;
    case Tamper::DeleteFirst:
        runQuery(db, QStringLiteral("DELETE FROM events WHERE position = 1"));
        break;
    case Tamper::DeleteLast:
        runQuery(db, QStringLiteral("DELETE FROM events WHERE position = ?"), { n });
        break;
    case Tamper::DeleteMiddleAndRelinkRest: {
        // The strongest forger of the events table: removes an event and recomputes every link
        // after it, so the chain alone looks sound.
        runQuery(db, QStringLiteral("DELETE FROM events WHERE position = ?"), { m });
        relinkFrom(db, m);
        break;
    }
    case Tamper::ReorderStreamAndRelink: {
        // Two events of one stream exchange their versions, and every link is recomputed.
        QSqlQuery pair = runQuery(db,
            QStringLiteral("SELECT a.position, b.position FROM events a JOIN events b"
                           " ON b.stream_id = a.stream_id AND b.version = a.version + 1"
                           " WHERE a.position >= ? ORDER BY a.position LIMIT 1"),
            { m });
        if (!pair.next())
            throw StoreError(QStringLiteral("no stream with two events after the middle"));
        const qint64 first = pair.value(0).toLongLong();
        const qint64 second = pair.value(1).toLongLong();
        const QVariant firstVersion = rowAt(db, first)[Version];
        const QVariant secondVersion = rowAt(db, second)[Version];
        runQuery(
            db, QStringLiteral("UPDATE events SET version = -1 WHERE position = ?"), { second });
        runQuery(db, QStringLiteral("UPDATE events SET version = ? WHERE position = ?"),
            { secondVersion, first });
        runQuery(db, QStringLiteral("UPDATE events SET version = ? WHERE position = ?"),
            { firstVersion, second });
        relinkFrom(db, first);
        anchor = first;
        break;
    }
    case Tamper::SwapPair:
        swap(m, m + 3);
        break;
    case Tamper::SwapAdjacentPair:
        swap(m, m + 1);
        break;
    case Tamper::InsertMadeUpLink:
        openSlotAfter(db, m);
        insertRow(db, forgedEvent(m + 1, QStringLiteral("forged-command")));
        break;
    case Tamper::InsertValidLink: {
        openSlotAfter(db, m);
        Row row = forgedEvent(m + 1, QStringLiteral("forged-command"));
        row[Hash] = linkOf(rowAt(db, m)[Hash].toString(), row);
        insertRow(db, row);
        break;
    }
    case Tamper::InsertValidLinkUnderRealCommand: {
        const QString realCommand = rowAt(db, m)[CommandId].toString();
        openSlotAfter(db, m);
        Row row = forgedEvent(m + 1, realCommand);
        row[Hash] = linkOf(rowAt(db, m)[Hash].toString(), row);
        insertRow(db, row);
        break;
    }
    case Tamper::AppendValidLink: {
        Row row = forgedEvent(n + 1, QStringLiteral("forged-command"));
        row[Hash] = linkOf(rowAt(db, n)[Hash].toString(), row);
        insertRow(db, row);
        break;
    }
    }
    tx.commit();
    return anchor;
}

QString describe(const Audit::VerifyResult &r)
{
    return QString::fromUtf8(QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact));
}

const QStringList kAccounts { QStringLiteral("acme"), QStringLiteral("globex"),
    QStringLiteral("initech") };

} // namespace

Q_DECLARE_METATYPE(Tamper)
Q_DECLARE_METATYPE(Expected)

class TestChainVerifier final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void intactHistoryVerifies_data();
    void intactHistoryVerifies();
    void emptyLogVerifies_data();
    void emptyLogVerifies();
    void tamperIsNamedAtTheFirstBadPositionWithItsReason_data();
    void tamperIsNamedAtTheFirstBadPositionWithItsReason();
    void verifyDuringLoadFromTwoServersSeesAnIntactChain_data();
    void verifyDuringLoadFromTwoServersSeesAnIntactChain();
    void progressCountsEventsAndCanCancel_data();
    void progressCountsEventsAndCanCancel();
    void verifyReadsWithASmallPageCacheAndGivesTheLargeOneBack();

private:
    struct Fixture
    {
        std::unique_ptr<Database> database;
        QVector<Row> rows; // the history as built, restored after each tamper
        QString unavailable; // why there is no database
        bool maySkip = false; // for that reason
    };

    // Builds a history with `servers` engines on one database; while it is being written,
    // duringLoad runs again and again. Returns the number of events, or -1 with *error.
    static qint64 runDepot(Database &database, int servers, int shipmentsEach, QString *error,
        const std::function<bool()> &duringLoad = {});
    void addFixtureRows();
    Fixture *fixture(const QString &name);
    void restore(Fixture &f);

    TestDatabases m_databases;
    std::map<QString, Fixture> m_fixtures;
    QString m_tampered; // fixture to restore after the current row
};

qint64 TestChainVerifier::runDepot(Database &database, int servers, int shipmentsEach,
    QString *error, const std::function<bool()> &duringLoad)
{
    std::vector<std::unique_ptr<Database>> handles; // a second server has its own connections
    std::vector<std::unique_ptr<Engine>> engines;
    qint64 expected = 0;
    QVector<Workload> work;
    for (int s = 0; s < servers; ++s) {
        Database *db = &database;
        if (s > 0) {
            handles.push_back(std::make_unique<Database>(database.url()));
            db = handles.back().get();
        }
        EngineOptions options;
        options.workerThreads = 2;
        options.maxBatch = 16; // many small transactions: servers interleave finely
        engines.push_back(std::make_unique<Engine>(*db, options));
        engines.back()->start();
        work.append(depotDay(QStringLiteral("server%1-").arg(s), shipmentsEach, kAccounts,
            QStringLiteral("dispatch-%1").arg(s)));
        expected += work.back().expectedEvents;
    }
    // Every server takes its commands at the same time, from threads of its own.
    std::vector<std::unique_ptr<QThread>> clients;
    QVector<QString> errors(servers);
    for (int s = 0; s < servers; ++s) {
        clients.emplace_back(
            QThread::create([&, s] { acceptAll(*engines[s], work[s].requests, &errors[s]); }));
        clients.back()->start();
    }
    const QSqlDatabase db = database.connection();
    QElapsedTimer clock;
    clock.start();
    bool ok = true;
    while (EventStore::count(db) < expected && clock.elapsed() < 60000 && ok) {
        if (duringLoad)
            ok = duringLoad();
        else
            QThread::yieldCurrentThread();
    }
    for (auto &client : clients)
        client->wait();
    for (auto &engine : engines)
        engine->stop();
    for (const QString &e : std::as_const(errors)) {
        if (!e.isEmpty()) {
            *error = e;
            return -1;
        }
    }
    if (!ok) {
        *error = QStringLiteral("the check during the load failed");
        return -1;
    }
    const qint64 count = EventStore::count(db);
    if (count != expected) {
        *error = QStringLiteral("expected %1 events, found %2").arg(expected).arg(count);
        return -1;
    }
    if (servers > 1 && database.isPostgres()) {
        // "At once" must be true of the log: the servers' events interleave in it. (On SQLite
        // one writer tends to keep the file's lock while the other waits, so there it is not
        // required.)
        QSqlQuery q = runQuery(db,
            QStringLiteral("SELECT user_name FROM events WHERE user_name LIKE 'dispatch-%'"
                           " ORDER BY position"));
        int switches = 0;
        QString last;
        while (q.next()) {
            const QString user = q.value(0).toString();
            switches += !last.isEmpty() && user != last;
            last = user;
        }
        qInfo("the two servers' events interleave %d times", switches);
        if (switches < 2) {
            *error = QStringLiteral(
                "the servers did not write at once: their events interleave only %1 times")
                         .arg(switches);
            return -1;
        }
    }
    return count;
}

void TestChainVerifier::initTestCase()
{
    // Four histories: one server and two at once, on each backend.
    for (const QString &backend : TestDatabases::all()) {
        for (int servers : { 1, 2 }) {
            const QString name = servers == 1 ? backend : backend + QStringLiteral(", two servers");
            Fixture f;
            f.database = m_databases.open(backend, name);
            f.unavailable = m_databases.why();
            f.maySkip = m_databases.maySkip();
            if (f.database) {
                QString error;
                if (runDepot(*f.database, servers, servers == 1 ? 12 : 40, &error) < 0)
                    QFAIL(qPrintable(QStringLiteral("%1: %2").arg(name, error)));
                f.rows = readRows(f.database->connection());
            }
            m_fixtures.emplace(name, std::move(f));
        }
    }
}

TestChainVerifier::Fixture *TestChainVerifier::fixture(const QString &name)
{
    const auto it = m_fixtures.find(name);
    return it == m_fixtures.end() ? nullptr : &it->second;
}

void TestChainVerifier::restore(Fixture &f)
{
    WriteTransaction tx(*f.database);
    runQuery(tx.db(), QStringLiteral("DELETE FROM events"));
    for (const Row &row : std::as_const(f.rows))
        insertRow(tx.db(), row);
    tx.commit();
}

void TestChainVerifier::cleanup()
{
    if (m_tampered.isEmpty())
        return;
    Fixture *f = fixture(std::exchange(m_tampered, QString()));
    restore(*f);
    const Audit::VerifyResult again = Audit::verifyChain(*f->database);
    QVERIFY2(again.ok,
        qPrintable(QStringLiteral("restored history does not verify: ") + describe(again)));
}

void TestChainVerifier::addFixtureRows()
{
    QTest::addColumn<QString>("history");
    for (const auto &[name, f] : m_fixtures)
        QTest::newRow(qPrintable(name)) << name;
}

#define WAYBILL_FIXTURE(variable, name)                                                            \
    Fixture *variable = fixture(name);                                                             \
    QVERIFY(variable);                                                                             \
    if (!variable->database) {                                                                     \
        if (variable->maySkip)                                                                     \
            QSKIP(qPrintable(variable->unavailable));                                              \
        QFAIL(qPrintable(variable->unavailable));                                                  \
    }

void TestChainVerifier::intactHistoryVerifies_data()
{
    addFixtureRows();
}

void TestChainVerifier::intactHistoryVerifies()
{
    QFETCH(QString, history);
    WAYBILL_FIXTURE(f, history);
    const Audit::VerifyResult result = Audit::verifyChain(*f->database);
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.events, f->rows.size());
    QCOMPARE(result.firstBadPosition, 0);
    // The last position and its link: what an auditor keeps to catch a later rewrite.
    const Row &last = f->rows.constLast();
    const QJsonObject expected { { QStringLiteral("ok"), true },
        { QStringLiteral("events"), static_cast<double>(f->rows.size()) },
        { QStringLiteral("lastPosition"), last.at(Position).toDouble() },
        { QStringLiteral("lastHash"), last.at(Hash).toString() } };
    QCOMPARE(result.toJson(), expected);
}

void TestChainVerifier::emptyLogVerifies_data()
{
    TestDatabases::addBackendColumn();
}

void TestChainVerifier::emptyLogVerifies()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QStringLiteral("empty"));
    const Audit::VerifyResult result = Audit::verifyChain(*database);
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(result.events, 0);
    QCOMPARE(result.lastPosition, 0);
    QCOMPARE(result.lastHash, genesisHash());
}

void TestChainVerifier::tamperIsNamedAtTheFirstBadPositionWithItsReason_data()
{
    QTest::addColumn<QString>("history");
    QTest::addColumn<Tamper>("kind");
    QTest::addColumn<Expected>("expectedAt");
    QTest::addColumn<QString>("reasonSays");
    struct Kind
    {
        const char *name;
        Tamper kind;
        Expected at;
        const char *reasonSays;
    };
    const QVector<Kind> kinds {
        { "edited data", Tamper::EditData, Expected::Tampered, "was edited" },
        { "edited type", Tamper::EditType, Expected::Tampered, "was edited" },
        { "edited timestamp", Tamper::EditTimestamp, Expected::Tampered, "was edited" },
        { "edited user", Tamper::EditUser, Expected::Tampered, "was edited" },
        { "edited stream", Tamper::EditStream, Expected::Tampered, "was edited" },
        { "edited version", Tamper::EditVersion, Expected::Tampered, "was edited" },
        { "edited command id", Tamper::EditCommand, Expected::Tampered, "was edited" },
        { "edited correlation id", Tamper::EditCorrelation, Expected::Tampered, "was edited" },
        { "edited hash", Tamper::EditHash, Expected::Tampered, "was edited" },
        // With its own link recomputed, an edit shows at the next link, which no longer follows.
        { "edited data with its link recomputed", Tamper::EditDataAndRelink,
            Expected::AfterTampered, "the one before it was rewritten" },
        { "deleted event", Tamper::DeleteMiddle, Expected::AfterTampered, "events were removed" },
        { "deleted first event", Tamper::DeleteFirst, Expected::Second, "events were removed" },
        { "deleted last event", Tamper::DeleteLast, Expected::Last,
            "the last events were removed" },
        { "deleted event with the rest relinked", Tamper::DeleteMiddleAndRelinkRest,
            Expected::AfterTampered, "removed and the chain relinked" },
        { "stream reordered with the chain relinked", Tamper::ReorderStreamAndRelink,
            Expected::Tampered, "out of order" },
        { "swapped pair", Tamper::SwapPair, Expected::Tampered, "was edited" },
        { "swapped adjacent pair", Tamper::SwapAdjacentPair, Expected::Tampered, "was edited" },
        { "inserted event", Tamper::InsertMadeUpLink, Expected::AfterTampered, "inserted" },
        { "inserted event with a valid link", Tamper::InsertValidLink, Expected::AfterTampered,
            "no command recorded this event" },
        { "inserted event with a valid link under a real command",
            Tamper::InsertValidLinkUnderRealCommand, Expected::AfterTampered, "not this one" },
        { "appended event with a valid link", Tamper::AppendValidLink, Expected::AfterLast,
            "no command recorded this event" },
    };
    for (const auto &[name, f] : m_fixtures) {
        for (const Kind &k : kinds) {
            QTest::addRow("%s/%s", qPrintable(name), k.name)
                << name << k.kind << k.at << QString::fromLatin1(k.reasonSays);
        }
    }
}

void TestChainVerifier::tamperIsNamedAtTheFirstBadPositionWithItsReason()
{
    QFETCH(QString, history);
    QFETCH(Tamper, kind);
    QFETCH(Expected, expectedAt);
    QFETCH(QString, reasonSays);
    WAYBILL_FIXTURE(f, history);

    const qint64 n = f->rows.size();
    m_tampered = history;
    const qint64 m = tamper(*f->database, kind);
    qint64 expected = 0;
    switch (expectedAt) {
    case Expected::Tampered:
        expected = m;
        break;
    case Expected::AfterTampered:
        expected = m + 1;
        break;
    case Expected::Second:
        expected = 2;
        break;
    case Expected::Last:
        expected = n;
        break;
    case Expected::AfterLast:
        expected = n + 1;
        break;
    }

    const Audit::VerifyResult result = Audit::verifyChain(*f->database);
    QVERIFY2(
        !result.ok, qPrintable(QStringLiteral("tampering went unnoticed: ") + describe(result)));
    QVERIFY2(result.firstBadPosition == expected,
        qPrintable(QStringLiteral("expected first bad position %1, came %2")
                       .arg(expected)
                       .arg(describe(result))));
    QVERIFY2(result.reason.contains(reasonSays),
        qPrintable(QStringLiteral("expected a reason saying \"%1\", came \"%2\"")
                       .arg(reasonSays, result.reason)));
    const QJsonObject json = result.toJson();
    QCOMPARE(json.value(QStringLiteral("ok")), QJsonValue(false));
    QCOMPARE(json.value(QStringLiteral("firstBadPosition")).toInteger(), expected);
    QCOMPARE(json.value(QStringLiteral("reason")).toString(), result.reason);
    QVERIFY(json.contains(QStringLiteral("events")));
}

void TestChainVerifier::verifyDuringLoadFromTwoServersSeesAnIntactChain_data()
{
    TestDatabases::addBackendColumn();
}

void TestChainVerifier::verifyDuringLoadFromTwoServersSeesAnIntactChain()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QStringLiteral("load"));
    // Every snapshot taken while two servers write must verify, events and commands alike.
    int verifications = 0;
    qint64 lastSeen = 0;
    QString failure;
    QString error;
    const qint64 events = runDepot(*database, 2, 40, &error, [&] {
        const Audit::VerifyResult r = Audit::verifyChain(*database);
        ++verifications;
        if (!r.ok || r.events < lastSeen) {
            failure = QStringLiteral("after %1 events: %2").arg(lastSeen).arg(describe(r));
            return false;
        }
        lastSeen = r.events;
        return true;
    });
    QVERIFY2(failure.isEmpty(),
        qPrintable(QStringLiteral("a snapshot during the load did not verify: ") + failure));
    QVERIFY2(events > 0, qPrintable(error));
    const Audit::VerifyResult final = Audit::verifyChain(*database);
    QVERIFY2(final.ok, qPrintable(describe(final)));
    QCOMPARE(final.events, events);
    qInfo("%d verifications ran during the load", verifications);
}

void TestChainVerifier::progressCountsEventsAndCanCancel_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("cancelAtCall"); // 0: never
    for (const QString &backend : TestDatabases::all()) {
        QTest::addRow("%s/to the end", qPrintable(backend)) << backend << 0;
        QTest::addRow("%s/cancelled at the second report", qPrintable(backend)) << backend << 2;
    }
}

void TestChainVerifier::progressCountsEventsAndCanCancel()
{
    QFETCH(QString, backend);
    QFETCH(int, cancelAtCall);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QStringLiteral("progress"));
    const int total = 2500;
    HistoryWriter(*database).appendMany(total, total, [](qint64 i) {
        return EventDraft { QStringLiteral("account-%1").arg(i % 9),
            QStringLiteral("paymentReceived"), { { QStringLiteral("amountCents"), int(i) } },
            QStringLiteral("finance"),
            QDateTime(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC).addSecs(i), {} };
    });

    QVector<qint64> reports;
    const Audit::VerifyResult result = Audit::verifyChain(*database, [&](qint64 checked) {
        reports.append(checked);
        return reports.size() != cancelAtCall;
    });
    if (cancelAtCall == 0) {
        QVERIFY2(result.ok, qPrintable(describe(result)));
        QCOMPARE(result.events, total);
        QCOMPARE(reports, (QVector<qint64> { 1000, 2000, total }));
    } else {
        QVERIFY2(!result.ok, qPrintable(describe(result)));
        QCOMPARE(reports, (QVector<qint64> { 1000, 2000 }));
        QCOMPARE(result.events, 2000);
        QCOMPARE(result.firstBadPosition, 0);
        QVERIFY2(result.reason.contains(QStringLiteral("cancelled")), qPrintable(result.reason));
        QVERIFY(!result.toJson().contains(QStringLiteral("firstBadPosition")));
    }
}

// A walk over the whole history reads each page once: a 64 MiB cache would only make its memory
// grow with the history (bench_audit_export measures it).
void TestChainVerifier::verifyReadsWithASmallPageCacheAndGivesTheLargeOneBack()
{
    WAYBILL_OPEN_DATABASE(
        database, m_databases, TestDatabases::sqlite(), QStringLiteral("walkcache"));
    QCOMPARE(sqlitePageCacheSetting(database->connection()), -65536);
    HistoryWriter(*database).appendMany(1500, 1500, [](qint64 i) {
        return EventDraft { QStringLiteral("account-%1").arg(i % 9),
            QStringLiteral("paymentReceived"), { { QStringLiteral("amountCents"), int(i) } },
            QStringLiteral("finance"),
            QDateTime(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC).addSecs(i), {} };
    });
    QVector<int> during;
    const Audit::VerifyResult result = Audit::verifyChain(*database, [&](qint64) {
        during.append(sqlitePageCacheSetting(database->connection()));
        return true;
    });
    QVERIFY2(result.ok, qPrintable(describe(result)));
    QCOMPARE(during, (QVector<int> { -2048, -2048 }));
    QCOMPARE(sqlitePageCacheSetting(database->connection()), -65536);
}

QTEST_GUILESS_MAIN(TestChainVerifier)
#include "tst_chainverifier.moc"
