// The auditors' CSV export: the contract's columns and quoting, text that tries to break it,
// filters, paging, bounded chunks, cancelling, the bytes of one snapshot from pages read in
// snapshots of their own, and no snapshot held while the reader is slow.
#include "audit/csvexport.h"
#include "audit/csvwriter.h"
#include "domain/timeformat.h"
#include "enginehistory.h"
#include "historywriter.h"
#include "store/eventstore.h"
#include "store/sql.h"
#include "strictcsvparser.h"
#include "testdatabases.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QStringDecoder>
#include <QTest>
#include <QThread>

using namespace waybill;
using namespace waybill::test;

namespace {

const QStringList kHeader { QStringLiteral("position"), QStringLiteral("timestamp"),
    QStringLiteral("stream_id"), QStringLiteral("version"), QStringLiteral("type"),
    QStringLiteral("command_id"), QStringLiteral("user"), QStringLiteral("data"),
    QStringLiteral("hash") };
enum Column { Position, Timestamp, StreamId, Version, Type, CommandId, User, Data, Hash };

// The contract's rule restated: a cell starting with =, +, -, @, tab or CR gains a leading '.
QString defused(const QString &value)
{
    static const QString triggers = QStringLiteral("=+-@\t\r");
    return !value.isEmpty() && triggers.contains(value.front()) ? QLatin1Char('\'') + value : value;
}

QByteArray exportAll(Database &database, const EventFilter &filter = {}, qint64 *written = nullptr)
{
    QByteArray csv;
    const qint64 n = Audit::exportCsv(database, filter, [&csv](const QByteArray &chunk) {
        csv += chunk;
        return true;
    });
    if (written)
        *written = n;
    return csv;
}

// The stored columns of every event, as text, in position order.
QVector<QStringList> storedRows(Database &database)
{
    QSqlQuery q = runQuery(database.connection(),
        QStringLiteral("SELECT position, timestamp, stream_id, version, type, command_id, "
                       "user_name, data, hash FROM events ORDER BY position"));
    QVector<QStringList> rows;
    while (q.next()) {
        QStringList row;
        for (int i = 0; i < 9; ++i)
            row << q.value(i).toString();
        rows.append(row);
    }
    return rows;
}

QString describe(const QStringList &record)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(record)).toJson(QJsonDocument::Compact));
}

QDateTime at(int minutes)
{
    return QDateTime(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC).addSecs(60 * minutes);
}

EventDraft draft(const QString &stream, int minutes, const QString &note = QStringLiteral("ok"))
{
    return { stream, EventType::PaymentReceived, { { QStringLiteral("note"), note } },
        QStringLiteral("finance"), at(minutes), {} };
}

} // namespace

class TestCsvExport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void strictParserReadsQuotedLineBreaksAndDoubledQuotes();
    void strictParserRefusesMalformedCsv_data();
    void strictParserRefusesMalformedCsv();

    void headerNamesTheContractColumnsInOrder();
    void emptyLogExportsTheHeaderAlone_data();
    void emptyLogExportsTheHeaderAlone();
    void awkwardTextSurvivesAStrictParser_data();
    void awkwardTextSurvivesAStrictParser();
    void engineHistoryExportsEveryEventAsStored_data();
    void engineHistoryExportsEveryEventAsStored();
    void filtersGiveExactlyTheMatchingEvents_data();
    void filtersGiveExactlyTheMatchingEvents();
    void exportPagesThroughTheWholeLogInPositionOrder_data();
    void exportPagesThroughTheWholeLogInPositionOrder();
    void hugeEventsComeInBoundedChunksThatSplitNoCharacter();
    void sinkReturningFalseStopsTheExportAtOnce_data();
    void sinkReturningFalseStopsTheExportAtOnce();
    void pagedExportGivesTheBytesOfOneSnapshotWhileEventsAreWritten_data();
    void pagedExportGivesTheBytesOfOneSnapshotWhileEventsAreWritten();
    void slowReaderHoldsNoSnapshotOfTheDatabase_data();
    void slowReaderHoldsNoSnapshotOfTheDatabase();
    void exportStopsWhenAPageMayNotBeRead();
    void exportReadsWithASmallPageCacheAndGivesTheLargeOneBack();

private:
    // nullptr when there is none (m_databases.why() says why).
    Database *shared(const QString &backend, const QString &purpose);

    TestDatabases m_databases;
    std::map<QString, std::unique_ptr<Database>> m_shared; // one per backend and purpose
    QHash<QString, EventList> m_filterHistories;
};

Database *TestCsvExport::shared(const QString &backend, const QString &purpose)
{
    const QString key = backend + QLatin1Char('/') + purpose;
    auto it = m_shared.find(key);
    if (it == m_shared.end()) {
        std::unique_ptr<Database> database = m_databases.open(backend, purpose);
        if (!database)
            return nullptr;
        it = m_shared.emplace(key, std::move(database)).first;
    }
    return it->second.get();
}

#define WAYBILL_SHARED_DATABASE(variable, backend, purpose)                                        \
    Database *variable = shared((backend), (purpose));                                             \
    if (!variable)                                                                                 \
    WAYBILL_SKIP_OR_FAIL(m_databases)

void TestCsvExport::strictParserReadsQuotedLineBreaksAndDoubledQuotes()
{
    const CsvTable table
        = parseStrictCsv(QByteArrayLiteral("a,b\r\n\"x\r\ny\",\"say \"\"hi\"\"\"\r\n,\"\"\r\n"));
    QVERIFY2(table.ok(), qPrintable(table.error));
    const QVector<QStringList> expected { { QStringLiteral("a"), QStringLiteral("b") },
        { QStringLiteral("x\r\ny"), QStringLiteral("say \"hi\"") }, { QString(), QString() } };
    QCOMPARE(table.records, expected);
}

void TestCsvExport::strictParserRefusesMalformedCsv_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("LF line end") << QByteArrayLiteral("a,b\nc,d\n");
    QTest::newRow("CR alone in a plain field") << QByteArrayLiteral("a,b\rc\r\n");
    QTest::newRow("LF alone in a plain field") << QByteArrayLiteral("a,b\nc\r\n");
    QTest::newRow("quote in a plain field") << QByteArrayLiteral("a,b\"c\r\n");
    QTest::newRow("unclosed quote") << QByteArrayLiteral("a,\"b\r\n");
    QTest::newRow("text after a closing quote") << QByteArrayLiteral("a,\"b\"c\r\n");
    QTest::newRow("no CRLF after the last record") << QByteArrayLiteral("a,b\r\nc,d");
    QTest::newRow("ragged record") << QByteArrayLiteral("a,b\r\nc\r\n");
    QTest::newRow("invalid UTF-8") << QByteArrayLiteral("a,\xC3\x28\r\n");
    QTest::newRow("empty") << QByteArray();
}

void TestCsvExport::strictParserRefusesMalformedCsv()
{
    QFETCH(QByteArray, text);
    const CsvTable table = parseStrictCsv(text);
    QVERIFY2(!table.ok(),
        qPrintable(QStringLiteral("accepted as %1 records").arg(table.records.size())));
}

void TestCsvExport::headerNamesTheContractColumnsInOrder()
{
    QCOMPARE(Audit::csvHeader(),
        QByteArrayLiteral(
            "position,timestamp,stream_id,version,type,command_id,user,data,hash\r\n"));
}

void TestCsvExport::emptyLogExportsTheHeaderAlone_data()
{
    TestDatabases::addBackendColumn();
}

void TestCsvExport::emptyLogExportsTheHeaderAlone()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QStringLiteral("empty"));
    qint64 written = -1;
    QCOMPARE(exportAll(*database, {}, &written), Audit::csvHeader());
    QCOMPARE(written, 0);
}

void TestCsvExport::awkwardTextSurvivesAStrictParser_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    struct Value
    {
        const char *name;
        QString text;
        bool aboutTheFirstCharacter; // whether a formula guard applies: not for data
    };
    const QList<Value> values {
        { "comma", QStringLiteral("Smith, Jones & Co"), false },
        { "quotes", QStringLiteral("the \"big\" one"), false },
        { "lone quote", QStringLiteral("6\" pipe"), false },
        { "LF inside", QStringLiteral("dock 4\nbay 2"), false },
        { "CR inside", QStringLiteral("dock 4\rbay 2"), false },
        { "CRLF inside", QStringLiteral("dock 4\r\nbay 2"), false },
        { "CRLF at the end", QStringLiteral("bay 2\r\n"), false },
        { "Japanese", QStringLiteral("東京都千代田区丸の内"), false },
        { "Arabic", QStringLiteral("شحنة إلى دبي"), false },
        { "Cyrillic", QStringLiteral("Грузовик №7"), false },
        { "Greek and a combining accent", QStringLiteral("Ελληνικά e\u0301"), false },
        { "emoji beyond the BMP", QStringLiteral("📦 → 🚚"), false },
        { "formula =", QStringLiteral("=HYPERLINK(\"http://x.test\",\"y\")"), true },
        { "formula +", QStringLiteral("+1+2"), true },
        { "formula -", QStringLiteral("-2+3"), true },
        { "formula @", QStringLiteral("@SUM(A1:A2)"), true },
        { "formula tab", QStringLiteral("\t=1"), true },
        { "formula CR", QStringLiteral("\r=1"), true },
        { "apostrophe first stays", QStringLiteral("'quoted"), true },
        { "equals later stays", QStringLiteral("a=b"), true },
        { "spaces only", QStringLiteral("   "), true },
        { "empty", QStringLiteral(""), true },
    };
    // Stream ids are letters, digits, '-', '_' and '.' by contract; the export is held to the
    // wider test too, since it must not depend on who wrote the row. The data cell always starts
    // with '{', so what a cell starts with is tried on the cells that can start with anything.
    const QStringList fields { QStringLiteral("data"), QStringLiteral("user"),
        QStringLiteral("streamId"), QStringLiteral("type"), QStringLiteral("commandId") };
    for (const QString &backend : TestDatabases::all()) {
        for (const QString &field : fields) {
            for (const Value &value : values) {
                if (value.aboutTheFirstCharacter && field == QLatin1String("data"))
                    continue;
                QTest::addRow("%s/%s/%s", qPrintable(backend), qPrintable(field), value.name)
                    << backend << field << value.text;
            }
        }
        QTest::addRow("%s/streamId/contract id", qPrintable(backend))
            << backend << QStringLiteral("streamId") << QStringLiteral("shipment-A.b_c-9");
    }
}

void TestCsvExport::awkwardTextSurvivesAStrictParser()
{
    QFETCH(QString, backend);
    QFETCH(QString, field);
    QFETCH(QString, value);
    WAYBILL_SHARED_DATABASE(database, backend, QStringLiteral("awkward"));

    EventDraft d = draft(QStringLiteral("account-plain"), 0);
    d.data = { { QStringLiteral("note"), QStringLiteral("plain") } };
    QString expectedCell;
    int column = Data;
    if (field == QLatin1String("data")) {
        d.data = { { QStringLiteral("note"), value }, { QStringLiteral("amountCents"), 1 } };
    } else if (field == QLatin1String("user")) {
        d.user = value;
        column = User;
    } else if (field == QLatin1String("streamId")) {
        d.streamId = value;
        column = StreamId;
    } else if (field == QLatin1String("type")) {
        d.type = value;
        column = Type;
    } else {
        d.commandId = value + QStringLiteral("#") + QString::fromLatin1(QTest::currentDataTag());
        value = d.commandId; // must stay unique
        column = CommandId;
    }
    const RecordedEvent event = HistoryWriter(*database).append({ d }).first();

    qint64 written = 0;
    const QByteArray csv = exportAll(*database, {}, &written);
    const CsvTable table = parseStrictCsv(csv);
    QVERIFY2(table.ok(), qPrintable(table.error));
    const QVector<QStringList> stored = storedRows(*database);
    QCOMPARE(written, stored.size());
    QCOMPARE(table.records.size(), stored.size() + 1);
    QCOMPARE(table.records.first(), kHeader);

    const QStringList record = table.records.last();
    QCOMPARE(record.size(), kHeader.size());
    QCOMPARE(record.at(Position), QString::number(event.position));
    QCOMPARE(record.at(Timestamp), toIsoUtc(event.timestamp));
    QCOMPARE(record.at(Version), QString::number(event.version));
    QCOMPARE(record.at(Hash), event.hash);
    if (column == Data) {
        // The data cell is the stored compact JSON, and reads back as the very same object.
        QCOMPARE(record.at(Data), stored.last().at(Data));
        QVERIFY2(record.at(Data).startsWith(QLatin1Char('{')), qPrintable(record.at(Data)));
        QJsonParseError error;
        const QJsonDocument json = QJsonDocument::fromJson(record.at(Data).toUtf8(), &error);
        QVERIFY2(json.isObject(), qPrintable(error.errorString()));
        QCOMPARE(json.object().value(QStringLiteral("note")).toString(), value);
    } else {
        QCOMPARE(record.at(column), defused(value));
        QCOMPARE(
            stored.last().at(column), value); // stored as given: defusing is the export's alone
    }
}

void TestCsvExport::engineHistoryExportsEveryEventAsStored_data()
{
    TestDatabases::addBackendColumn();
}

void TestCsvExport::engineHistoryExportsEveryEventAsStored()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QStringLiteral("engine"));
    const Workload work = depotDay(QStringLiteral("s"), 8,
        { QStringLiteral("acme"), QStringLiteral("globex") }, QStringLiteral("-dispatch"));
    {
        EngineOptions options;
        options.workerThreads = 2;
        Engine engine(*database, options);
        engine.start();
        QString error;
        QVERIFY2(acceptAll(engine, work.requests, &error), qPrintable(error));
        engine.waitIdle();
        QTRY_COMPARE_WITH_TIMEOUT(
            EventStore::count(database->connection()), work.expectedEvents, 20000);
        engine.stop();
    }

    qint64 written = 0;
    const CsvTable table = parseStrictCsv(exportAll(*database, {}, &written));
    QVERIFY2(table.ok(), qPrintable(table.error));
    const QVector<QStringList> stored = storedRows(*database);
    QCOMPARE(stored.size(), work.expectedEvents);
    QCOMPARE(written, work.expectedEvents);
    QCOMPARE(table.records.size(), stored.size() + 1);
    for (int i = 0; i < stored.size(); ++i) {
        QStringList expected = stored.at(i);
        for (QString &cell : expected)
            cell = defused(cell); // the user "-dispatch" is formula-like
        QVERIFY2(table.records.at(i + 1) == expected,
            qPrintable(QStringLiteral("record %1: expected %2, came %3")
                           .arg(i + 1)
                           .arg(describe(expected), describe(table.records.at(i + 1)))));
    }
}

void TestCsvExport::filtersGiveExactlyTheMatchingEvents_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("fromMinute"); // -1: no bound
    QTest::addColumn<int>("toMinute");
    QTest::addColumn<QString>("streamId");
    QTest::addColumn<QString>("type");
    for (const QString &backend : TestDatabases::all()) {
        const auto row = [&backend](const char *name) -> QTestData & {
            return QTest::addRow("%s/%s", qPrintable(backend), name) << backend;
        };
        row("no filter") << -1 << -1 << QString() << QString();
        row("from is inclusive") << 30 << -1 << QString() << QString();
        row("to is exclusive") << -1 << 30 << QString() << QString();
        row("from and to") << 20 << 50 << QString() << QString();
        row("from between events") << 25 << -1 << QString() << QString();
        row("from equal to to gives nothing") << 30 << 30 << QString() << QString();
        row("to before from gives nothing") << 50 << 20 << QString() << QString();
        row("from after the last event gives nothing") << 1000 << -1 << QString() << QString();
        row("stream") << -1 << -1 << QStringLiteral("shipment-b") << QString();
        row("stream and time range") << 10 << 60 << QStringLiteral("shipment-a") << QString();
        row("unknown stream gives nothing")
            << -1 << -1 << QStringLiteral("shipment-zzz") << QString();
        row("type") << -1 << -1 << QString() << EventType::Assigned;
        row("stream, type and range")
            << 0 << 70 << QStringLiteral("shipment-a") << EventType::Assigned;
    }
}

void TestCsvExport::filtersGiveExactlyTheMatchingEvents()
{
    QFETCH(QString, backend);
    QFETCH(int, fromMinute);
    QFETCH(int, toMinute);
    QFETCH(QString, streamId);
    QFETCH(QString, type);
    WAYBILL_SHARED_DATABASE(database, backend, QStringLiteral("filters"));

    // Three streams; events every ten minutes, two of them at each time, so that every bound
    // falls exactly on events; and, last in the log, two events whose times lie in the middle of
    // it (times need not rise with positions in a log written by other hands).
    QVector<EventDraft> drafts;
    const QStringList streams { QStringLiteral("shipment-a"), QStringLiteral("shipment-b"),
        QStringLiteral("account-c") };
    for (int i = 0; i < 18; ++i) {
        EventDraft d = draft(streams.at(i % 3), i < 16 ? 10 * (i / 2) : 15 + 15 * (i - 16));
        d.type = i % 4 == 1 ? EventType::Assigned : EventType::Shipped;
        drafts.append(d);
    }
    if (!m_filterHistories.contains(backend)) // written once per backend
        m_filterHistories.insert(backend, HistoryWriter(*database).append(drafts));
    const EventList history = m_filterHistories.value(backend);

    EventFilter filter;
    if (fromMinute >= 0)
        filter.from = at(fromMinute);
    if (toMinute >= 0)
        filter.to = at(toMinute);
    filter.streamId = streamId;
    filter.type = type;

    QStringList expected;
    for (const RecordedEvent &e : history) {
        if ((!filter.from || e.timestamp >= *filter.from)
            && (!filter.to || e.timestamp < *filter.to)
            && (streamId.isEmpty() || e.streamId == streamId)
            && (type.isEmpty() || e.type == type)) {
            expected << QString::number(e.position);
        }
    }

    qint64 written = 0;
    const CsvTable table = parseStrictCsv(exportAll(*database, filter, &written));
    QVERIFY2(table.ok(), qPrintable(table.error));
    QStringList positions;
    for (int i = 1; i < table.records.size(); ++i)
        positions << table.records.at(i).at(Position);
    QCOMPARE(positions, expected);
    QCOMPARE(written, expected.size());
}

void TestCsvExport::exportPagesThroughTheWholeLogInPositionOrder_data()
{
    TestDatabases::addBackendColumn();
}

void TestCsvExport::exportPagesThroughTheWholeLogInPositionOrder()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QStringLiteral("pages"));
    const int total = 2345; // two full pages and part of a third
    HistoryWriter(*database).appendMany(total, total,
        [](qint64 i) { return draft(QStringLiteral("account-%1").arg(i % 7), int(i)); });

    qint64 written = 0;
    const CsvTable table = parseStrictCsv(exportAll(*database, {}, &written));
    QVERIFY2(table.ok(), qPrintable(table.error));
    QCOMPARE(written, total);
    QCOMPARE(table.records.size(), total + 1);
    for (int i = 1; i <= total; ++i) {
        if (table.records.at(i).at(Position) != QString::number(i))
            QFAIL(qPrintable(QStringLiteral("record %1 has position %2")
                                 .arg(i)
                                 .arg(table.records.at(i).at(Position))));
    }
}

void TestCsvExport::hugeEventsComeInBoundedChunksThatSplitNoCharacter()
{
    WAYBILL_OPEN_DATABASE(database, m_databases, TestDatabases::sqlite(), QStringLiteral("huge"));
    // Each event is larger than a chunk: 300 000 two-byte characters and a run of quotes.
    const QString note = QString(300000, QChar(0x00E9)) + QString(1000, QLatin1Char('"'));
    QVector<EventDraft> drafts;
    for (int i = 0; i < 3; ++i)
        drafts.append(draft(QStringLiteral("shipment-huge"), i, note));
    HistoryWriter(*database).append(drafts);

    const qsizetype limit = 256 * 1024; // "chunks of at most a few hundred KiB"
    QVector<QByteArray> chunks;
    const qint64 written = Audit::exportCsv(*database, {}, [&chunks](const QByteArray &chunk) {
        chunks.append(chunk);
        return true;
    });
    QCOMPARE(written, 3);
    QVERIFY2(chunks.size() > 3, qPrintable(QStringLiteral("only %1 chunks").arg(chunks.size())));
    QByteArray all;
    for (const QByteArray &chunk : std::as_const(chunks)) {
        QVERIFY2(chunk.size() <= limit,
            qPrintable(QStringLiteral("a chunk of %1 bytes").arg(chunk.size())));
        QVERIFY(!chunk.isEmpty());
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        (void)decoder.decode(chunk);
        QVERIFY2(!decoder.hasError(), "a chunk ends or starts inside a UTF-8 sequence");
        all += chunk;
    }
    const CsvTable table = parseStrictCsv(all);
    QVERIFY2(table.ok(), qPrintable(table.error));
    QCOMPARE(table.records.size(), 4);
    for (int i = 1; i < 4; ++i)
        QCOMPARE(QJsonDocument::fromJson(table.records.at(i).at(Data).toUtf8())
                     .object()
                     .value(QStringLiteral("note"))
                     .toString(),
            note);
}

void TestCsvExport::sinkReturningFalseStopsTheExportAtOnce_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("refuseAtCall");
    for (const QString &backend : TestDatabases::all()) {
        QTest::addRow("%s/first chunk", qPrintable(backend)) << backend << 1;
        QTest::addRow("%s/third chunk", qPrintable(backend)) << backend << 3;
    }
}

void TestCsvExport::sinkReturningFalseStopsTheExportAtOnce()
{
    QFETCH(QString, backend);
    QFETCH(int, refuseAtCall);
    WAYBILL_SHARED_DATABASE(database, backend, QStringLiteral("cancel"));
    const int total = 4000; // about a megabyte of CSV: many chunks
    if (EventStore::count(database->connection()) == 0) {
        HistoryWriter(*database).appendMany(total, total, [](qint64 i) {
            return draft(
                QStringLiteral("shipment-%1").arg(i % 11), int(i), QString(150, QLatin1Char('x')));
        });
    }

    int calls = 0;
    QByteArray accepted;
    const qint64 written = Audit::exportCsv(*database, {}, [&](const QByteArray &chunk) {
        if (++calls == refuseAtCall)
            return false;
        accepted += chunk;
        return true;
    });
    QCOMPARE(calls, refuseAtCall);
    // What was written is exactly the records the sink took whole (the header aside).
    const qint64 wholeRecords = accepted.count("\r\n") - (accepted.isEmpty() ? 0 : 1);
    QCOMPARE(written, wholeRecords);
    QVERIFY2(written < total,
        qPrintable(QStringLiteral("%1 of %2 written after a cancel").arg(written).arg(total)));
}

void TestCsvExport::pagedExportGivesTheBytesOfOneSnapshotWhileEventsAreWritten_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("filter");
    for (const QString &backend : TestDatabases::all()) {
        for (const char *filter : { "none", "stream", "time" })
            QTest::addRow("%s/%s", qPrintable(backend), filter)
                << backend << QString::fromLatin1(filter);
    }
}

void TestCsvExport::pagedExportGivesTheBytesOfOneSnapshotWhileEventsAreWritten()
{
    QFETCH(QString, backend);
    QFETCH(QString, filter);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QStringLiteral("pages"));
    const int before = 2500; // three pages
    HistoryWriter writer(*database);
    writer.appendMany(before, before,
        [](qint64 i) { return draft(QStringLiteral("shipment-%1").arg(i % 5), int(i)); });
    EventFilter eventFilter;
    if (filter == QLatin1String("stream"))
        eventFilter.streamId = QStringLiteral("shipment-3");
    if (filter == QLatin1String("time")) {
        eventFilter.from = at(100);
        eventFilter.to = at(2400);
    }

    // What one snapshot shows, written here with nothing but the CSV writer: every stored row
    // up to the log's end, in one read transaction.
    QByteArray oneSnapshot = Audit::csvHeader();
    {
        Audit::CsvWriter csv(oneSnapshot);
        ReadTransaction tx(*database);
        QSqlQuery q = runQuery(tx.db(),
            QStringLiteral("SELECT position, timestamp, stream_id, version, type, command_id, "
                           "user_name, data, hash FROM events ORDER BY position"));
        while (q.next()) {
            if (!eventFilter.streamId.isEmpty() && q.value(2).toString() != eventFilter.streamId)
                continue;
            const QString time = q.value(1).toString();
            if (eventFilter.from
                && (time < toIsoUtc(*eventFilter.from) || time >= toIsoUtc(*eventFilter.to)))
                continue;
            csv.addCell(q.value(0).toLongLong());
            for (int column = 1; column < 9; ++column) {
                if (column == 3)
                    csv.addCell(q.value(column).toLongLong());
                else
                    csv.addCell(q.value(column).toString());
            }
            csv.endRecord();
        }
    }

    // Between the pages (at every chunk), another thread appends events and commits.
    int appended = 0;
    QString appendError;
    QByteArray paged;
    const Audit::ExportResult result = Audit::exportCsv(*database, eventFilter,
        [&](const QByteArray &chunk) {
            paged += chunk;
            QThread *other = QThread::create([&] {
                try {
                    writer.appendMany(100, 100, [](qint64 i) {
                        return draft(QStringLiteral("shipment-3"), 2300 + int(i % 50));
                    });
                } catch (const StoreError &e) {
                    appendError = e.message();
                }
                database->closeConnection();
            });
            other->start();
            other->wait();
            delete other;
            appended += 100;
            return true;
        },
        {});
    QVERIFY2(appendError.isEmpty(), qPrintable(appendError));
    QVERIFY(appended >= 100);
    QVERIFY(result.completed);
    QCOMPARE(result.upToPosition, qint64(before));
    QCOMPARE(EventStore::count(database->connection()), qint64(before + appended));
    QCOMPARE(paged.size(), oneSnapshot.size());
    QVERIFY2(paged == oneSnapshot, "the pages differ from one snapshot of the same log");
    const CsvTable table = parseStrictCsv(paged);
    QVERIFY2(table.ok(), qPrintable(table.error));
    QCOMPARE(result.events, qint64(table.records.size() - 1));
}

void TestCsvExport::slowReaderHoldsNoSnapshotOfTheDatabase_data()
{
    TestDatabases::addBackendColumn();
}

void TestCsvExport::slowReaderHoldsNoSnapshotOfTheDatabase()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QStringLiteral("slow"));
    const int total = 3000;
    HistoryWriter writer(*database);
    writer.appendMany(total, total,
        [](qint64 i) { return draft(QStringLiteral("shipment-%1").arg(i % 5), int(i)); });
    // Another process, as far as the export can tell: connections of its own.
    Database other(database->url());
    const bool sqlite = !database->isPostgres();
    const QString wal = database->url().path + QStringLiteral("-wal");

    // The reader is slow: at its first chunk it stops for a while, during which others write.
    int calls = 0;
    QString failure;
    const auto check = [&] {
        QThread *writing = QThread::create([&] {
            try {
                writer.appendMany(500, 500,
                    [](qint64 i) { return draft(QStringLiteral("account-late"), int(i)); });
            } catch (const StoreError &e) {
                failure = e.message();
            }
            database->closeConnection();
        });
        writing->start();
        writing->wait();
        delete writing;
        if (sqlite) {
            // A checkpoint can complete (and empty the WAL) only if no reader holds a snapshot
            // older than the last write.
            const TruncatedLog log = truncateWriteAheadLog(other.connection());
            if (log.busy != 0)
                failure = QStringLiteral("the checkpoint was blocked (busy %1, log %2, done %3)")
                              .arg(log.busy)
                              .arg(log.log)
                              .arg(log.done);
            else if (QFileInfo(wal).size() != 0)
                failure = QStringLiteral("the WAL still holds %1 bytes").arg(QFileInfo(wal).size());
        } else {
            QThread::msleep(1500);
            QSqlQuery q = runQuery(other.connection(),
                QStringLiteral(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND xact_start < now() - interval '1 second'"));
            if (!q.next() || q.value(0).toInt() != 0)
                failure
                    = QStringLiteral("%1 transactions older than a second").arg(q.value(0).toInt());
        }
    };
    QByteArray csv;
    const Audit::ExportResult result = Audit::exportCsv(*database, {},
        [&](const QByteArray &chunk) {
            csv += chunk;
            if (++calls == 1)
                check();
            return true;
        },
        {});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    QVERIFY(result.completed);
    QCOMPARE(result.events, qint64(total));
    QCOMPARE(parseStrictCsv(csv).records.size(), total + 1);
}

void TestCsvExport::exportStopsWhenAPageMayNotBeRead()
{
    WAYBILL_OPEN_DATABASE(database, m_databases, TestDatabases::sqlite(), QStringLiteral("stop"));
    const int total = 2500;
    HistoryWriter(*database).appendMany(total, total,
        [](qint64 i) { return draft(QStringLiteral("shipment-%1").arg(i % 5), int(i)); });
    int pages = 0;
    Audit::ExportOptions options;
    options.mayContinue = [&pages](const QSqlDatabase &) { return ++pages < 2; };
    QByteArray csv;
    const Audit::ExportResult result = Audit::exportCsv(
        *database, {},
        [&](const QByteArray &chunk) {
            csv += chunk;
            return true;
        },
        options);
    QVERIFY(!result.completed);
    QCOMPARE(pages, 2);
    QCOMPARE(result.events, qint64(1000)); // the first page, whole
    QCOMPARE(csv.count("\r\n"), 1001);
}

// An export reads each page once: a 64 MiB cache would only make its memory grow with the
// history (bench_audit_export measures it).
void TestCsvExport::exportReadsWithASmallPageCacheAndGivesTheLargeOneBack()
{
    WAYBILL_OPEN_DATABASE(database, m_databases, TestDatabases::sqlite(), QStringLiteral("cache"));
    QCOMPARE(sqlitePageCacheSetting(database->connection()), -65536);
    HistoryWriter(*database).appendMany(1500, 1500,
        [](qint64 i) { return draft(QStringLiteral("shipment-%1").arg(i % 5), int(i)); });
    QVector<int> during;
    Audit::ExportOptions options;
    options.mayContinue = [&](const QSqlDatabase &db) {
        during.append(sqlitePageCacheSetting(db));
        return true;
    };
    const Audit::ExportResult result = Audit::exportCsv(
        *database, {}, [](const QByteArray &) { return true; }, options);
    QVERIFY(result.completed);
    QCOMPARE(result.events, qint64(1500));
    QCOMPARE(during, (QVector<int> { -2048, -2048 }));
    QCOMPARE(sqlitePageCacheSetting(database->connection()), -65536);
}

QTEST_GUILESS_MAIN(TestCsvExport)
#include "tst_csvexport.moc"
