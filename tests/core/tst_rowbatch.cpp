// The multi-row writes of the store (runForRows): on SQLite they bind straight to SQLite's own
// interface, on PostgreSQL they send one array per column. Either way a value must be stored
// exactly as QtSql stores it through a statement of its own: the same text (a null string as
// NULL, an empty one as empty), the same integers, the same types; a failure must be classified
// as QtSql's is and leave nothing of the statement; and the connection must close cleanly. The
// rows a statement returns are read back as written, the rows it changed are counted, and a
// reader that fails leaves the statement ready for the next write.
#include "testdatabases.h"

#include "store/database.h"
#include "store/rowbatch.h"
#include "store/sql.h"

#include <QFile>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>
#include <limits>

using namespace waybill;
using namespace waybill::test;

class TestRowBatch final : public QObject
{
    Q_OBJECT
private slots:
    void everyValueIsStoredAsQtSqlStoresIt_data();
    void everyValueIsStoredAsQtSqlStoresIt();
    void aDuplicateKeyIsAUniqueViolationAndLeavesNothingOfTheStatement_data();
    void aDuplicateKeyIsAUniqueViolationAndLeavesNothingOfTheStatement();
    void aSqliteConnectionThatWroteRowsClosesAndCheckpointsItsLog();
    void returnedRowsAreReadAsTheyWereWritten_data();
    void returnedRowsAreReadAsTheyWereWritten();
    void theRowsAStatementChangedAreCounted_data() { TestDatabases::addBackendColumn(); }
    void theRowsAStatementChangedAreCounted();
    void aRowReaderThatThrowsLeavesTheStatementReadyForTheNextWrite_data()
    {
        TestDatabases::addBackendColumn();
    }
    void aRowReaderThatThrowsLeavesTheStatementReadyForTheNextWrite();

private:
    TestDatabases m_databases;
};

namespace {

const QString kCreate = QStringLiteral(
    "CREATE TABLE scratch (k BIGINT PRIMARY KEY, t TEXT, n BIGINT, via TEXT NOT NULL)");

struct Row
{
    qint64 key;
    QVariant text; // QString or null
    QVariant number; // qint64 or null
};

// Values that a careless binding would change: empty against null, a null of a given type (as the
// read models write an unset window or truck), quotes and backslashes (an array literal's
// escapes), characters outside ASCII and outside the BMP, a long text, the extreme integers.
QVector<Row> trickyRows(int count)
{
    const QVector<QVariant> texts { QString(), QVariant(QMetaType::fromType<QString>()),
        QStringLiteral(""), QStringLiteral("plain"),
        QStringLiteral("quote \" backslash \\ comma , brace { } NULL"), QStringLiteral("NULL"),
        QStringLiteral("Zürich, Ñandú, 東京, truck \U0001F69A"), QString(70000, QLatin1Char('x')),
        QStringLiteral("line\nbreak\ttab") };
    const QVector<QVariant> numbers { QVariant(), QVariant(QMetaType::fromType<qint64>()),
        QVariant(QMetaType::fromType<int>()), qint64(0), qint64(-1),
        std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min(),
        qint64(1) << 53 | 1 };
    QVector<Row> rows;
    for (int i = 0; i < count; ++i)
        rows.append({ i, texts.at(i % texts.size()), numbers.at(i % numbers.size()) });
    return rows;
}

RowBatch batchOf(const QVector<Row> &rows)
{
    RowBatch batch { { QStringLiteral("k"), ColumnType::BigInt },
        { QStringLiteral("t"), ColumnType::Text }, { QStringLiteral("n"), ColumnType::BigInt } };
    for (const Row &r : rows)
        batch.add({ r.key, r.text, r.number });
    return batch;
}

// What is stored, as text that tells NULL, types and values apart.
QStringList stored(const QSqlDatabase &db, const QString &via)
{
    QStringList out;
    QSqlQuery q = runQuery(db,
        QStringLiteral(
            "SELECT k, t IS NULL, t, n IS NULL, n FROM scratch WHERE via = ? ORDER BY k"),
        { via });
    while (q.next()) {
        out << QStringLiteral("%1|%2|%3|%4|%5")
                   .arg(q.value(0).toLongLong() % 1000000)
                   .arg(q.value(1).toBool() ? QStringLiteral("null") : QStringLiteral("text"))
                   .arg(q.value(2).toString())
                   .arg(q.value(3).toBool() ? QStringLiteral("null") : QStringLiteral("int"))
                   .arg(q.value(4).toLongLong());
    }
    return out;
}

} // namespace

void TestRowBatch::everyValueIsStoredAsQtSqlStoresIt_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("count");
    for (const QString &backend : TestDatabases::all()) {
        // One row; every chunk size SQLite runs (64 + 16 + 4 + 1); more than an engine batch.
        for (int count : { 1, 85, 300 }) {
            QTest::addRow("%s, %d rows", qPrintable(backend), count) << backend << count;
        }
    }
}

void TestRowBatch::everyValueIsStoredAsQtSqlStoresIt()
{
    QFETCH(QString, backend);
    QFETCH(int, count);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QTest::currentDataTag());
    const QSqlDatabase db = database->connection();
    runStatement(db, kCreate);
    const QVector<Row> rows = trickyRows(count);

    {
        WriteTransaction tx(*database);
        runForRows(tx.db(),
            QStringLiteral("INSERT INTO scratch (k, t, n, via) SELECT k, t, n, 'rows' FROM "
                           "%ROWS% WHERE true"),
            batchOf(rows));
        // The same values, each row by a statement of QtSql's own.
        for (const Row &r : rows) {
            runQuery(tx.db(),
                QStringLiteral("INSERT INTO scratch (k, t, n, via) VALUES (?, ?, ?, 'qtsql')"),
                { r.key + 1000000, r.text, r.number });
        }
        tx.commit();
    }

    const QStringList viaRows = stored(db, QStringLiteral("rows"));
    QCOMPARE(viaRows.size(), count);
    QCOMPARE(viaRows, stored(db, QStringLiteral("qtsql")));
    // And what was given, read back: not only the same as QtSql, but right.
    for (int i = 0; i < count; ++i) {
        const QStringList parts = viaRows.at(i).split(QLatin1Char('|'));
        QCOMPARE(parts.at(1) == QLatin1String("null"), rows.at(i).text.toString().isNull());
        if (!rows.at(i).text.toString().isNull())
            QCOMPARE(
                parts.mid(2, parts.size() - 4).join(QLatin1Char('|')), rows.at(i).text.toString());
        QCOMPARE(parts.at(parts.size() - 2) == QLatin1String("null"), rows.at(i).number.isNull());
        QCOMPARE(parts.last().toLongLong(), rows.at(i).number.toLongLong());
    }
}

void TestRowBatch::aDuplicateKeyIsAUniqueViolationAndLeavesNothingOfTheStatement_data()
{
    TestDatabases::addBackendColumn();
}

void TestRowBatch::aDuplicateKeyIsAUniqueViolationAndLeavesNothingOfTheStatement()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QTest::currentDataTag());
    const QSqlDatabase db = database->connection();
    runStatement(db, kCreate);
    runQuery(db, QStringLiteral("INSERT INTO scratch (k, t, n, via) VALUES (70, 'there', 1, 'x')"));
    const QString insert = QStringLiteral(
        "INSERT INTO scratch (k, t, n, via) SELECT k, t, n, 'rows' FROM %ROWS% WHERE true");

    // Rows 0..99 in one transaction: the chunk of 64 holding key 70 fails.
    bool threw = false;
    try {
        WriteTransaction tx(*database);
        runForRows(tx.db(), insert, batchOf(trickyRows(100)));
        tx.commit();
    } catch (const StoreError &e) {
        threw = true;
        QCOMPARE(e.kind(), StoreError::Kind::UniqueViolation);
        QVERIFY2(
            e.message().contains(QLatin1String("INSERT INTO scratch")), qPrintable(e.message()));
    }
    QVERIFY(threw);
    QSqlQuery count = runQuery(db, QStringLiteral("SELECT count(*) FROM scratch"));
    QVERIFY(count.next());
    QCOMPARE(count.value(0).toInt(), 1);

    // The same statements serve the next write on this connection.
    {
        WriteTransaction tx(*database);
        QVector<Row> rows = trickyRows(100);
        rows.remove(70);
        runForRows(tx.db(), insert, batchOf(rows));
        tx.commit();
    }
    QCOMPARE(stored(db, QStringLiteral("rows")).size(), 99);
}

void TestRowBatch::aSqliteConnectionThatWroteRowsClosesAndCheckpointsItsLog()
{
    WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), url);
    {
        Database database(url);
        database.migrate();
        runStatement(database.connection(), kCreate);
        WriteTransaction tx(database);
        runForRows(tx.db(),
            QStringLiteral("INSERT INTO scratch (k, t, n, via) SELECT k, t, n, 'rows' FROM "
                           "%ROWS% WHERE true"),
            batchOf(trickyRows(300)));
        tx.commit();
        QVERIFY(QFile::exists(url.path + QStringLiteral("-wal")));
    }
    // SQLite closes no connection with statements left unfinalized: the last connection to close
    // checkpoints the log and removes it, only if it really closed.
    QVERIFY2(!QFile::exists(url.path + QStringLiteral("-wal")),
        "the connection did not close: a statement was left unfinalized");
}

void TestRowBatch::returnedRowsAreReadAsTheyWereWritten_data()
{
    everyValueIsStoredAsQtSqlStoresIt_data();
}

void TestRowBatch::returnedRowsAreReadAsTheyWereWritten()
{
    QFETCH(QString, backend);
    QFETCH(int, count);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QTest::currentDataTag());
    runStatement(database->connection(), kCreate);
    const QVector<Row> rows = trickyRows(count);
    QHash<qint64, std::pair<QString, qint64>> returned;
    WriteTransaction tx(*database);
    const qint64 inserted = runForRowsReturning(tx.db(),
        QStringLiteral("INSERT INTO scratch (k, t, n, via) SELECT k, t, n, 'rows' FROM %ROWS% "
                       "WHERE true RETURNING k, t, n"),
        batchOf(rows), [&](const ResultRow &r) {
            QVERIFY(!returned.contains(r.integer(0)));
            returned.insert(r.integer(0), { r.text(1), r.integer(2) });
        });
    tx.commit();
    QCOMPARE(inserted, qint64(count));
    QCOMPARE(returned.size(), count);
    for (const Row &r : rows) {
        QVERIFY(returned.contains(r.key));
        const auto &[text, number] = returned.value(r.key);
        QCOMPARE(text.isNull(), r.text.toString().isNull());
        QCOMPARE(text, r.text.toString());
        QCOMPARE(number, r.number.toLongLong());
    }
}

void TestRowBatch::theRowsAStatementChangedAreCounted()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QTest::currentDataTag());
    runStatement(database->connection(), kCreate);
    const QVector<Row> rows = trickyRows(100);
    WriteTransaction tx(*database);
    QCOMPARE(runForRows(tx.db(),
                 QStringLiteral("INSERT INTO scratch (k, t, n, via) SELECT k, t, n, 'rows' FROM "
                                "%ROWS% WHERE true"),
                 batchOf(rows)),
        qint64(100));
    // Only the rows whose number is not null: the count is the rows taken, not the rows given.
    const qint64 withNumber
        = std::count_if(rows.begin(), rows.end(), [](const Row &r) { return !r.number.isNull(); });
    QVERIFY(withNumber > 0 && withNumber < 100);
    QCOMPARE(runForRows(tx.db(),
                 QStringLiteral("UPDATE scratch SET via = 'taken' FROM %ROWS% "
                                "WHERE scratch.k = batch.k AND scratch.n IS NOT NULL"),
                 batchOf(rows)),
        withNumber);
    // Taken already: none the second time.
    QCOMPARE(runForRows(tx.db(),
                 QStringLiteral("UPDATE scratch SET via = 'again' FROM %ROWS% "
                                "WHERE scratch.k = batch.k AND scratch.via = 'rows' "
                                "AND scratch.n IS NOT NULL"),
                 batchOf(rows)),
        qint64(0));
    tx.commit();
}

void TestRowBatch::aRowReaderThatThrowsLeavesTheStatementReadyForTheNextWrite()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QTest::currentDataTag());
    runStatement(database->connection(), kCreate);
    const QString insert = QStringLiteral("INSERT INTO scratch (k, t, n, via) SELECT k, t, n, "
                                          "'rows' FROM %ROWS% WHERE true RETURNING k");
    QVector<Row> rows = trickyRows(85);
    try {
        WriteTransaction tx(*database);
        int read = 0;
        runForRowsReturning(tx.db(), insert, batchOf(rows), [&read](const ResultRow &) {
            if (++read == 3)
                throw StoreError(QStringLiteral("the reader gives up"));
        });
        QFAIL("the reader's error was not thrown on");
    } catch (const StoreError &e) {
        QCOMPARE(e.message(), QStringLiteral("the reader gives up"));
    }
    // Rolled back; the same statements run again on this connection, every row returned.
    int read = 0;
    WriteTransaction tx(*database);
    QCOMPARE(
        runForRowsReturning(tx.db(), insert, batchOf(rows), [&read](const ResultRow &) { ++read; }),
        qint64(85));
    tx.commit();
    QCOMPARE(read, 85);
    QCOMPARE(stored(database->connection(), QStringLiteral("rows")).size(), 85);
}

QTEST_GUILESS_MAIN(TestRowBatch)
#include "tst_rowbatch.moc"
