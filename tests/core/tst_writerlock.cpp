// The writer lock between processes: several Database objects on one database (as several
// servers, or a server and `rebuild-projections`, would have) write at the same time. Each
// write transaction must wait for the lock at its start and then succeed: none may fail because
// another committed first, and the log stays one chain of contiguous positions.
#include "testdatabases.h"

#include "domain/timeformat.h"
#include "store/eventhash.h"
#include "store/eventstore.h"
#include "store/sql.h"

#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>
#include <mutex>
#include <thread>

using namespace waybill;
using namespace waybill::test;

class TestWriterLock final : public QObject
{
    Q_OBJECT
private slots:
    void writersOnSeparateConnectionsTakeTurnsAndAllSucceed_data()
    {
        TestDatabases::addBackendColumn();
    }
    void writersOnSeparateConnectionsTakeTurnsAndAllSucceed();

private:
    TestDatabases m_databases;
};

// Each writer reads the head, holds its transaction open a moment (so that another writer would
// come in between if the lock let it), then appends at the head it read and commits.
void TestWriterLock::writersOnSeparateConnectionsTakeTurnsAndAllSucceed()
{
    QFETCH(QString, backend);
    WAYBILL_FRESH_DATABASE(m_databases, backend, url);
    constexpr int kWriters = 4;
    constexpr int kPerWriter = 15;
    {
        Database setup(url);
        setup.migrate();
        setup.closeConnection();
    }
    std::mutex failuresMutex;
    QStringList failures;
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            Database own(url); // its own lock turn and connection, as another process has
            const QString stream = QStringLiteral("account-w%1").arg(w);
            for (int i = 1; i <= kPerWriter; ++i) {
                try {
                    WriteTransaction tx(own);
                    ChainHead head = EventStore::readHead(tx.db());
                    QThread::usleep(QRandomGenerator::global()->bounded(3000));
                    EventStore::append(tx.db(), head, stream, i,
                        NewEvent { QStringLiteral("noted"), { { QStringLiteral("n"), i } } },
                        { QStringLiteral("c-%1-%2").arg(w).arg(i), QStringLiteral("tester"),
                            QStringLiteral("c-%1-%2").arg(w).arg(i),
                            QDateTime::currentDateTimeUtc() });
                    tx.commit();
                } catch (const StoreError &e) {
                    const std::lock_guard lock(failuresMutex);
                    failures
                        << QStringLiteral("writer %1, event %2: %3").arg(w).arg(i).arg(e.message());
                }
            }
            own.closeConnection();
        });
    }
    for (auto &t : writers)
        t.join();
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));

    Database reader(url);
    const EventList events = EventStore::readAfter(reader.connection(), 0, 1000);
    QCOMPARE(events.size(), kWriters * kPerWriter);
    QString previous = genesisHash();
    QSqlQuery texts = runQuery(
        reader.connection(), QStringLiteral("SELECT data FROM events ORDER BY position"));
    for (int k = 0; k < events.size(); ++k) {
        const RecordedEvent &e = events.at(k);
        QCOMPARE(e.position, qint64(k + 1));
        QVERIFY(texts.next());
        const QString expected = chainHash(previous,
            { e.position, e.streamId, e.version, e.type, toIsoUtc(e.timestamp), e.commandId, e.user,
                e.correlationId, texts.value(0).toString() });
        QVERIFY2(e.hash == expected, qPrintable(QStringLiteral("chain broken at %1").arg(k + 1)));
        previous = e.hash;
    }
    texts.finish();
    reader.closeConnection();
}

QTEST_GUILESS_MAIN(TestWriterLock)
#include "tst_writerlock.moc"
