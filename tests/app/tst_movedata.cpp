// File > Move this computer's data to a server…, offscreen: the dialog copies a real SQLite
// history into a real PostgreSQL database with its progress bar reaching the end, and refuses a
// server database that is not empty, saying why and changing nothing.
#include "apptestsupport.h"
#include "historywriter.h"
#include "testdatabases.h"
#include "views/movedatadialog.h"

#include "store/eventstore.h"
#include "store/sql.h"
#include "store/tablecopy.h"

#include <QJsonObject>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace waybill;
using namespace waybill::app;
using waybill::test::HistoryWriter;
using waybill::test::TestDatabases;

class TestMoveData final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { waybill::app::test::isolateSettings(m_settings.path()); }

    void moveCopiesTheHistoryAndTheProgressReachesTheEnd()
    {
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), source);
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::postgres(), target);
        const qint64 events = writeHistory(source, 60, 600);

        MoveDataDialog dialog(source.path);
        dialog.show();
        QList<int> seen;
        connect(dialog.progressBar(), &QProgressBar::valueChanged, this,
            [&seen](int value) { seen << value; });
        QSignalSpy finished(&dialog, &MoveDataDialog::moveFinished);
        dialog.addressField()->setText(target.toDisplayString());
        QTest::mouseClick(dialog.moveButton(), Qt::LeftButton);
        QVERIFY(!dialog.moveButton()->isEnabled()); // while it copies
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(dialog.statusText()));

        QCOMPARE(dialog.progressBar()->value(), 100);
        QVERIFY(seen.size() >= 2); // it moved on the way, not only at the end
        QVERIFY(std::is_sorted(seen.cbegin(), seen.cend()));
        QVERIFY2(dialog.statusText().contains(QStringLiteral("Moved %1 events").arg(events)),
            qPrintable(dialog.statusText()));
        QVERIFY(dialog.connectButton()->isVisible());
        QSignalSpy connectAsked(&dialog, &MoveDataDialog::connectToServerRequested);
        QTest::mouseClick(dialog.connectButton(), Qt::LeftButton);
        QCOMPARE(connectAsked.size(), 1);

        Database moved(target);
        QCOMPARE(EventStore::count(moved.connection()), events);
        QVERIFY(!TableCopy::hasMarker(moved.connection()));
        moved.closeConnection();
    }

    // The real case: the embedded server keeps serving while its file is moved (the copy reads
    // one snapshot), and its own admin token is among what arrives.
    void moveWhileTheEmbeddedServerServesCopiesWhatItRecorded()
    {
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::postgres(), target);
        waybill::app::test::TestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        ApiClient api(server.url(), server.adminToken());
        QCOMPARE(waybill::app::test::runCommands(&api,
                     { waybill::app::test::submit(QStringLiteral("mv-1"), QStringLiteral("acct-m")),
                         waybill::app::test::assign(QStringLiteral("mv-1"), QStringLiteral("T-1")),
                         waybill::app::test::payment(QStringLiteral("acct-m"), 12.5) }),
            QString());

        MoveDataDialog dialog(server.config().databaseFile);
        dialog.show();
        QSignalSpy finished(&dialog, &MoveDataDialog::moveFinished);
        dialog.addressField()->setText(target.toDisplayString());
        QTest::mouseClick(dialog.moveButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(dialog.statusText()));
        QCOMPARE(dialog.progressBar()->value(), 100);

        Database moved(target);
        qint64 tokens = 0;
        {
            QSqlQuery q = runQuery(moved.connection(),
                QStringLiteral("SELECT COUNT(*) FROM tokens WHERE name = ?"),
                { server.config().tokenName });
            q.next();
            tokens = q.value(0).toLongLong();
        }
        const qint64 events = EventStore::count(moved.connection());
        moved.closeConnection();
        QCOMPARE(tokens, 1);
        QVERIFY(events >= 3);
        QVERIFY2(dialog.statusText().contains(QStringLiteral("Moved %1 events").arg(events)),
            qPrintable(dialog.statusText()));
    }

    void moveIntoAServerDatabaseThatIsNotEmptyIsRefusedWithTheReason()
    {
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), source);
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::postgres(), target);
        writeHistory(source, 10, 50);
        const qint64 there = writeHistory(target, 5, 20);

        MoveDataDialog dialog(source.path);
        dialog.show();
        QSignalSpy finished(&dialog, &MoveDataDialog::moveFinished);
        dialog.addressField()->setText(target.toDisplayString());
        QTest::mouseClick(dialog.moveButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY2(dialog.statusText().contains(QLatin1String("Nothing was moved"))
                && dialog.statusText().contains(QLatin1String("not empty")),
            qPrintable(dialog.statusText()));
        QVERIFY(!dialog.connectButton()->isVisible());
        QVERIFY(dialog.moveButton()->isEnabled()); // another address may be tried

        Database unchanged(target);
        QCOMPARE(EventStore::count(unchanged.connection()), there);
        QVERIFY(!TableCopy::hasMarker(unchanged.connection()));
        unchanged.closeConnection();
    }

    void anAddressThatIsNotAPostgresDatabaseIsRefusedBeforeAnyCopy()
    {
        WAYBILL_FRESH_DATABASE(m_databases, TestDatabases::sqlite(), source);
        MoveDataDialog dialog(source.path);
        dialog.show();
        QSignalSpy finished(&dialog, &MoveDataDialog::moveFinished);
        dialog.addressField()->setText(QStringLiteral("https://waybill.example.com:8080"));
        QTest::mouseClick(dialog.moveButton(), Qt::LeftButton);
        QVERIFY2(dialog.statusText().contains(QLatin1String("postgresql://")),
            qPrintable(dialog.statusText()));
        QVERIFY(dialog.moveButton()->isEnabled());
        QCOMPARE(finished.size(), 0);
    }

private:
    // events chained events over `streams` accounts, each recorded by a command of its own;
    // returns how many there are.
    static qint64 writeHistory(const DatabaseUrl &url, int streams, qint64 events)
    {
        Database database(url);
        database.migrate();
        HistoryWriter writer(database);
        const QDateTime start = QDateTime::currentDateTimeUtc();
        writer.appendMany(events, 100, [&](qint64 i) {
            return waybill::test::EventDraft { QStringLiteral("account-a%1").arg(i % streams),
                QStringLiteral("paymentReceived"),
                QJsonObject { { QStringLiteral("amountCents"), 100 + i } },
                QStringLiteral("office"), start.addMSecs(i), QString() };
        });
        database.closeConnection();
        return events;
    }

    QTemporaryDir m_settings;
    TestDatabases m_databases;
};

QTEST_MAIN(TestMoveData)
#include "tst_movedata.moc"
