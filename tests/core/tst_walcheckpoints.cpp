// SQLite's write-ahead log is copied back into the database file by the checkpointer's own
// thread, not by the writer whose commit took the log past its threshold: no commit waits for
// a checkpoint (WalCheckpointer). A writer checkpoints itself only when the log outgrows the
// backstop, and a checkpoint that a reader held back is done once the reader is gone.
#include "testdatabases.h"

#include "store/database.h"
#include "store/sql.h"

#include <QFileInfo>
#include <QSqlQuery>
#include <QTest>

#include <thread>
#include <vector>

using namespace waybill;
using namespace waybill::test;

namespace {

constexpr int kPageBytes = 4096; // SQLite's default page size, as Waybill's files use it

qint64 pagesInFile(const DatabaseUrl &url)
{
    return QFileInfo(url.path).size() / kPageBytes;
}

} // namespace

class TestWalCheckpoints final : public QObject
{
    Q_OBJECT
private slots:
    void theLogIsCopiedIntoTheFileOffTheWritersThread();
    void aWriterCheckpointsItselfOnlyPastTheBackstopAndTheThreadCatchesUpAfterTheReader();
    void underWritersThatNeverPauseTheLogStillStartsOver();

private:
    std::unique_ptr<Database> openWithBallast(const DatabaseUrl &url)
    {
        auto db = std::make_unique<Database>(url);
        db->migrate();
        writeBallastPages(*db, 1);
        return db;
    }

    TestDatabases m_databases;
};

void TestWalCheckpoints::theLogIsCopiedIntoTheFileOffTheWritersThread()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    const std::unique_ptr<Database> db = openWithBallast(url);
    const qint64 before = pagesInFile(url);
    writeBallastPages(*db, 3 * WalCheckpointer::kCheckpointPages);
    // The commits past the threshold asked the checkpointer; it copies the log into the file.
    QTRY_VERIFY_WITH_TIMEOUT(db->checkpointStats().background >= 1, 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(pagesInFile(url) - before >= 2 * WalCheckpointer::kCheckpointPages,
        qPrintable(QStringLiteral("the file grew by %1 pages").arg(pagesInFile(url) - before)),
        10000);
    QCOMPARE(db->checkpointStats().onWriters, 0);
}

void TestWalCheckpoints::
    aWriterCheckpointsItselfOnlyPastTheBackstopAndTheThreadCatchesUpAfterTheReader()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    const std::unique_ptr<Database> db = openWithBallast(url);
    const qint64 before = pagesInFile(url);
    {
        // A reader whose snapshot is older than every page written below: no checkpoint may
        // copy them while it reads, so the log grows past the backstop.
        Database other(url);
        ReadTransaction reading(other);
        QSqlQuery q = runQuery(reading.db(), QStringLiteral("SELECT COUNT(*) FROM ballast"));
        QVERIFY(q.next());
        writeBallastPages(
            *db, WalCheckpointer::kBackstopPages - 2 * WalCheckpointer::kCheckpointPages);
        QCOMPARE(db->checkpointStats().onWriters, 0);
        writeBallastPages(*db, 3 * WalCheckpointer::kCheckpointPages);
        QVERIFY(db->checkpointStats().onWriters >= 1);
        QVERIFY2(pagesInFile(url) - before < WalCheckpointer::kCheckpointPages,
            "a checkpoint copied pages a reader still needed");
    }
    // The reader is gone: the next commit's checkpoint copies the whole log.
    writeBallastPages(*db, 100);
    QTRY_VERIFY2_WITH_TIMEOUT(pagesInFile(url) - before >= WalCheckpointer::kBackstopPages,
        qPrintable(QStringLiteral("the file grew by %1 pages").arg(pagesInFile(url) - before)),
        20000);
}

// Two writers that take turns without a pause (as the inbox and a processing lane do under load):
// the next write always begins while a checkpoint runs, so the log could only start over if the
// checkpointer takes a turn between them. It must, long before the backstop.
void TestWalCheckpoints::underWritersThatNeverPauseTheLogStillStartsOver()
{
    WAYBILL_FRESH_DATABASE(m_databases, QStringLiteral("sqlite"), url);
    const std::unique_ptr<Database> db = openWithBallast(url);
    std::vector<std::thread> writers;
    for (int w = 0; w < 2; ++w) {
        writers.emplace_back([&db] {
            writeBallastPages(*db, WalCheckpointer::kBackstopPages);
            db->closeConnection();
        });
    }
    for (auto &t : writers)
        t.join();
    // The log file keeps the longest the log ever was. Without the writers' copy of a pass's
    // last pages it reaches the backstop (10,085 pages, where a writer checkpoints); with it the
    // log starts over every 1,000 to 2,500 pages on a quiet machine, and a loaded one (the
    // checkpointer's thread waiting for a core) has seen 5,035: the bound is the backstop.
    const qint64 logPages = QFileInfo(url.path + QStringLiteral("-wal")).size() / kPageBytes;
    QVERIFY2(logPages < WalCheckpointer::kBackstopPages,
        qPrintable(QStringLiteral("the log grew to %1 pages").arg(logPages)));
    QCOMPARE(db->checkpointStats().onWriters, 0);
    QVERIFY(db->checkpointStats().background >= 2);
    QVERIFY(db->checkpointStats().tails >= 1);
}

QTEST_GUILESS_MAIN(TestWalCheckpoints)
#include "tst_walcheckpoints.moc"
