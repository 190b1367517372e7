// GET /events.csv read by a slow client: while the client does not read, the server holds no
// snapshot of the database (SQLite can checkpoint and empty its WAL; PostgreSQL shows no old
// transaction), the export still ends complete once the client reads again, and revoking the
// client's token stops an export in progress.
#include "historywriter.h"
#include "strictcsvparser.h"
#include "testdatabases.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

namespace {

// Enough CSV (12 MB) that the server must wait for the client, past every buffer (its own
// queue of 1 MiB, the kernel's on both sides), in few rows, which are quick to write.
constexpr int kEvents = 2000;
constexpr int kNoteLength = 6000;

EventDraft draft(qint64 i)
{
    return { QStringLiteral("account-%1").arg(i % 13), EventType::PaymentReceived,
        { { QStringLiteral("note"), QString(kNoteLength, QLatin1Char('x')) } },
        QStringLiteral("finance"), QDateTime(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC).addSecs(i),
        {} };
}

// A client that asks for the export and then reads only when told to.
class SlowReader final
{
public:
    SlowReader(quint16 port, const QString &token)
    {
        m_socket.setReadBufferSize(4096);
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        QTRY_VERIFY_WITH_TIMEOUT(m_socket.state() == QAbstractSocket::ConnectedState, 5000);
        // Small enough to fill soon, large enough to read fast once the client reads again.
        m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 64 * 1024);
        m_socket.write("GET /events.csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + token.toLatin1() + "\r\n\r\n");
    }

    // Reads until the answer's head and some of its body came, then stops reading.
    bool readSome()
    {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 20000 && m_data.size() < 64 * 1024) {
            m_data += m_socket.readAll();
            QTest::qWait(5);
        }
        return m_data.size() >= 64 * 1024;
    }
    // Reads until the server closes or the chunked answer ends; false on timeout.
    bool readToTheEnd(int timeoutMs)
    {
        m_socket.setReadBufferSize(0);
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs) {
            m_data += m_socket.readAll();
            if (m_data.endsWith("\r\n0\r\n\r\n")
                || m_socket.state() == QAbstractSocket::UnconnectedState)
                return true;
            QTest::qWait(5);
        }
        return false;
    }
    bool endedWhole() const { return m_data.endsWith("\r\n0\r\n\r\n"); }
    QByteArray head() const { return m_data.left(m_data.indexOf("\r\n\r\n")); }
    // The body with its chunked framing taken off (as far as it came).
    QByteArray body() const
    {
        QByteArray out;
        qsizetype at = m_data.indexOf("\r\n\r\n") + 4;
        while (at < m_data.size()) {
            const qsizetype lineEnd = m_data.indexOf("\r\n", at);
            if (lineEnd < 0)
                break;
            const qsizetype size = m_data.mid(at, lineEnd - at).toLongLong(nullptr, 16);
            if (size == 0 || lineEnd + 2 + size > m_data.size())
                break;
            out += m_data.mid(lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return out;
    }
    qsizetype received() const { return m_data.size(); }

private:
    QTcpSocket m_socket;
    QByteArray m_data;
};

} // namespace

class TestExportReader final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void slowReaderHoldsNoSnapshotAndStillGetsTheWholeExport_data();
    void slowReaderHoldsNoSnapshotAndStillGetsTheWholeExport();
    void revokingTheTokenStopsAnExportInProgress_data();
    void revokingTheTokenStopsAnExportInProgress();

private:
    TestDatabases m_databases;
};

void TestExportReader::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("waybill.http.request.info=false\n"
                                                    "waybill.http.connection.info=false"));
}

// `server`, with kEvents events of history, on a fresh database of backend.
#define START_SERVER(backend)                                                                      \
    std::unique_ptr<TestServer> server;                                                            \
    WAYBILL_START_SERVER(server, m_databases, backend);                                            \
    HistoryWriter(server->database()).appendMany(kEvents, kEvents, &draft)

void TestExportReader::slowReaderHoldsNoSnapshotAndStillGetsTheWholeExport_data()
{
    TestDatabases::addBackendColumn();
}

void TestExportReader::slowReaderHoldsNoSnapshotAndStillGetsTheWholeExport()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    SlowReader reader(server->port(), server->token(Role::Auditor));
    QVERIFY(reader.readSome());
    QVERIFY2(reader.head().startsWith("HTTP/1.1 200"), reader.head().constData());
    // The reader stops; the server fills every buffer and waits. Meanwhile others write.
    QTest::qWait(1500);
    HistoryWriter(server->database()).appendMany(500, 500, &draft);
    Database other(server->database().url());
    if (backend == TestDatabases::sqlite()) {
        const TruncatedLog log = truncateWriteAheadLog(other.connection());
        QVERIFY2(log.busy == 0,
            qPrintable(QStringLiteral("the checkpoint was blocked (log %1, done %2)")
                           .arg(log.log)
                           .arg(log.done)));
        QCOMPARE(QFileInfo(server->database().url().path + QStringLiteral("-wal")).size(), 0);
    } else {
        QSqlQuery q = runQuery(other.connection(),
            QStringLiteral("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND pid <> pg_backend_pid() AND xact_start < now() "
                           "- interval '1 second'"));
        QVERIFY(q.next());
        QVERIFY2(q.value(0).toInt() == 0,
            qPrintable(
                QStringLiteral("%1 transactions older than a second").arg(q.value(0).toInt())));
    }
    QVERIFY2(reader.received() < 256 * 1024, "the client read everything: it was not slow");

    // Once it reads again, it gets the log as it was when the export began, whole.
    QVERIFY(reader.readToTheEnd(60000));
    QVERIFY(reader.endedWhole());
    const CsvTable table = parseStrictCsv(reader.body());
    QVERIFY2(table.ok(), qPrintable(table.error));
    QCOMPARE(table.records.size(), kEvents + 1);
    QCOMPARE(table.records.last().first(), QString::number(kEvents));
}

void TestExportReader::revokingTheTokenStopsAnExportInProgress_data()
{
    TestDatabases::addBackendColumn();
}

void TestExportReader::revokingTheTokenStopsAnExportInProgress()
{
    QFETCH(QString, backend);
    START_SERVER(backend);
    // Far more than every buffer and page in flight can hold (the server's queue, the page it
    // holds, the one it reads, the kernel's on both sides: about 13 MB at most), so that the
    // export cannot have read its last page before the revocation, however the machine is loaded.
    constexpr int kMoreEvents = 6000;
    HistoryWriter(server->database()).appendMany(kMoreEvents, kMoreEvents, [](qint64 i) {
        return draft(kEvents + i);
    });
    SlowReader reader(server->port(), server->token(Role::Auditor));
    QVERIFY(reader.readSome());
    QVERIFY2(reader.head().startsWith("HTTP/1.1 200"), reader.head().constData());
    QVERIFY(TokenStore(server->database()).revoke(roleName(Role::Auditor)));
    QVERIFY(reader.readToTheEnd(60000));
    // The answer is cut short, not ended as if it were whole.
    QVERIFY(!reader.endedWhole());
    const QByteArray body = reader.body();
    const qsizetype records = body.count("\r\n") - 1;
    QVERIFY2(records < kEvents + kMoreEvents,
        qPrintable(QStringLiteral("%1 of %2 events after the revocation")
                       .arg(records)
                       .arg(kEvents + kMoreEvents)));
    // And the token opens no new export.
    const HttpResponse again = server->get(QStringLiteral("/events.csv"), Role::Auditor);
    QVERIFY2(again.status == 401, again.describe());
}

QTEST_GUILESS_MAIN(TestExportReader)
#include "tst_exportreader.moc"
