// The views' models against the real embedded server: QAbstractItemModelTester on each, paging,
// server-side filters, and live updates without a refresh.
#include "apptestsupport.h"
#include "client/apiclient.h"
#include "client/liveclient.h"
#include "engine/engine.h"
#include "models/accountfiltermodel.h"
#include "models/accounttablemodel.h"
#include "models/eventlogfiltermodel.h"
#include "models/eventlogmodel.h"
#include "models/shipmentfiltermodel.h"
#include "models/shipmenttablemodel.h"
#include "models/statementmodel.h"
#include "models/timelinemodel.h"
#include "models/truckfiltermodel.h"
#include "models/trucktablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace waybill;
using namespace waybill::app;

namespace {
constexpr int kShipments = 23;
const auto kFatal = QAbstractItemModelTester::FailureReportingMode::QtTest;

// A server with an administrator's client and a live feed. The functions that write get one of
// their own, so that the shared history stays as initTestCase made it and every count in the
// other functions holds in any order.
struct LiveServer
{
    test::TestServer server;
    std::unique_ptr<ApiClient> api;
    std::unique_ptr<LiveClient> live;

    bool start(QString *error)
    {
        if (!server.start(error))
            return false;
        api = std::make_unique<ApiClient>(server.url(), server.adminToken());
        live = std::make_unique<LiveClient>(api->liveUrl());
        live->start();
        if (!QTest::qWaitFor([this] { return live->isConnected(); }, 10000)) {
            *error = QStringLiteral("the live feed did not connect within 10 s");
            return false;
        }
        return true;
    }
};

#define START_OWN_SERVER(variable)                                                                 \
    LiveServer variable;                                                                           \
    {                                                                                              \
        QString error_;                                                                            \
        QVERIFY2(variable.start(&error_), qPrintable(error_));                                     \
    }
} // namespace

class TestModels final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void shipmentsAreReadPageByPageAsRowsAreAsked();
    void shipmentFiltersAreAppliedByTheServer_data();
    void shipmentFiltersAreAppliedByTheServer();
    void boardIsOrderedByTheServer_data();
    void boardIsOrderedByTheServer();
    void newShipmentAppearsFromTheLiveFeedWithoutRefresh();
    void accountsShowBalancesAndFilterOwing();
    void trucksAreAvailableOrOccupied();
    void statementRunsTheBalanceThroughInvoicesAndPayments();
    void timelineListsTheShipmentsHistory();
    void timelineAndTrucksFollowTheLiveFeed();
    void eventLogFetchesMoreWhenScrolledAndFilters();
    void eventLogGrowsFromTheLiveFeedOnceCaughtUp();

private:
    QTemporaryDir m_settings;
    // The shared history, read and never written by the test functions.
    std::unique_ptr<LiveServer> m_shared;
    ApiClient *m_api = nullptr;
};

void TestModels::initTestCase()
{
    test::isolateSettings(m_settings.path());
    m_shared = std::make_unique<LiveServer>();
    QString error;
    QVERIFY2(m_shared->start(&error), qPrintable(error));
    m_api = m_shared->api.get();

    // 23 shipments: M-00..M-22 for two accounts; the first six get trucks, three of them
    // deliver; M-00 and M-01 ship from "Fort Worth" to be found by address.
    QVector<CommandRequest> commands;
    for (int i = 0; i < kShipments; ++i) {
        CommandRequest s = test::submit(QStringLiteral("M-%1").arg(i, 2, 10, QLatin1Char('0')),
            i % 2 ? QStringLiteral("BETA") : QStringLiteral("ALPHA"), 10 + i);
        if (i < 2)
            s.body.insert(QStringLiteral("shipFrom"),
                test::address(QStringLiteral("Stockyards"), QStringLiteral("Fort Worth"),
                    QStringLiteral("76102")));
        commands << s;
    }
    // M-02 goes to T-3 first and is then moved to T-2: T-3 is known and carries nothing.
    commands << test::assign(QStringLiteral("M-02"), QStringLiteral("T-3"));
    for (int i = 0; i < 6; ++i)
        commands << test::assign(QStringLiteral("M-%1").arg(i, 2, 10, QLatin1Char('0')),
            QStringLiteral("T-%1").arg(i % 3));
    for (int i = 0; i < 3; ++i)
        commands << test::ship(QStringLiteral("M-%1").arg(i, 2, 10, QLatin1Char('0')))
                 << test::deliver(QStringLiteral("M-%1").arg(i, 2, 10, QLatin1Char('0')),
                        QStringLiteral("Pat"));
    commands << test::payment(QStringLiteral("ALPHA"), 5);
    QCOMPARE(test::runCommands(m_api, commands), QString());
    // The invoices are written by the invoicer after each delivery: wait until it caught up.
    QVERIFY(m_shared->server.engine()->waitSettled(10000));
}

void TestModels::cleanupTestCase()
{
    m_api = nullptr;
    m_shared.reset();
}

void TestModels::shipmentsAreReadPageByPageAsRowsAreAsked()
{
    ShipmentTableModel model(m_api);
    model.setPageSize(5);
    ShipmentFilterModel proxy(&model);
    QAbstractItemModelTester tester(&proxy, kFatal);
    QSignalSpy pages(&model, &ShipmentTableModel::pageLoaded);
    model.setQuery({});
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kShipments, 10000);
    QCOMPARE(pages.count(), 1); // one page answered the count
    QVERIFY2(!model.isLoaded(20, 22), "the last page is read only when asked for");

    QCOMPARE(
        proxy.index(22, ShipmentTableModel::IdColumn).data(ShipmentTableModel::LoadedRole).toBool(),
        false);
    QTRY_COMPARE_WITH_TIMEOUT(proxy.index(22, ShipmentTableModel::IdColumn).data().toString(),
        QStringLiteral("M-22"), 10000);
    QCOMPARE(pages.count(), 2);
    QVERIFY2(!model.isLoaded(5, 19), "the pages in between stay unread");
    const std::optional<ShipmentState> last = model.shipmentAt(22);
    QVERIFY(last.has_value());
    QCOMPARE(last->billToAccountId, QStringLiteral("ALPHA"));
    QCOMPARE(model.rowOf(QStringLiteral("M-22")), 22);
}

void TestModels::shipmentFiltersAreAppliedByTheServer_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("truck");
    QTest::addColumn<QString>("account");
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("status-delivered") << "Delivered"
                                      << ""
                                      << ""
                                      << "" << QStringList { "M-00", "M-01", "M-02" };
    QTest::newRow("status-assigned") << "Assigned"
                                     << ""
                                     << ""
                                     << "" << QStringList { "M-03", "M-04", "M-05" };
    QTest::newRow("truck") << ""
                           << "T-1"
                           << ""
                           << "" << QStringList { "M-01", "M-04" };
    QTest::newRow("account-and-status") << "Delivered"
                                        << ""
                                        << "BETA"
                                        << "" << QStringList { "M-01" };
    QTest::newRow("search-by-id") << ""
                                  << ""
                                  << ""
                                  << "M-1"
                                  << QStringList { "M-10", "M-11", "M-12", "M-13", "M-14", "M-15",
                                         "M-16", "M-17", "M-18", "M-19" };
    QTest::newRow("search-by-address") << ""
                                       << ""
                                       << ""
                                       << "fort worth" << QStringList { "M-00", "M-01" };
    QTest::newRow("nothing-matches") << "Cancelled"
                                     << ""
                                     << ""
                                     << "" << QStringList {};
}

void TestModels::shipmentFiltersAreAppliedByTheServer()
{
    QFETCH(QString, status);
    QFETCH(QString, truck);
    QFETCH(QString, account);
    QFETCH(QString, search);
    QFETCH(QStringList, expected);
    ShipmentTableModel model(m_api);
    ShipmentFilterModel proxy(&model);
    QAbstractItemModelTester tester(&proxy, kFatal);
    QSignalSpy pages(&model, &ShipmentTableModel::pageLoaded);
    model.setQuery({});
    QVERIFY(pages.wait(10000));
    proxy.setStatusFilter(status);
    proxy.setTruckFilter(truck);
    proxy.setAccountFilter(account);
    proxy.setSearchText(search);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 10000);
    QStringList ids;
    for (int row = 0; row < proxy.rowCount(); ++row)
        ids << proxy.index(row, 0).data(ShipmentTableModel::IdRole).toString();
    QCOMPARE(ids, expected);
}

void TestModels::boardIsOrderedByTheServer_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<QStringList>("firstIds");
    // Account ALPHA: M-00, M-02 ... M-22; M-00 and M-02 delivered, M-04 assigned.
    QTest::newRow("id-descending") << int(ShipmentTableModel::IdColumn) << int(Qt::DescendingOrder)
                                   << QStringList { "M-22", "M-20", "M-18" };
    QTest::newRow("status-ascending")
        << int(ShipmentTableModel::StatusColumn) << int(Qt::AscendingOrder)
        << QStringList { "M-04", "M-00", "M-02" };
    QTest::newRow("truck-descending")
        << int(ShipmentTableModel::TruckColumn) << int(Qt::DescendingOrder)
        << QStringList { "M-02", "M-04", "M-00" };
}

void TestModels::boardIsOrderedByTheServer()
{
    QFETCH(int, column);
    QFETCH(int, order);
    QFETCH(QStringList, firstIds);
    ShipmentTableModel model(m_api);
    model.setPageSize(3);
    ShipmentFilterModel proxy(&model);
    QAbstractItemModelTester tester(&proxy, kFatal);
    proxy.setAccountFilter(QStringLiteral("ALPHA"));
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.rowCount() == 12, 10000);
    // The whole list is in the new order, not only the page that was read.
    proxy.sort(column, Qt::SortOrder(order));
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 10000);
    QStringList ids;
    for (int row = 0; row < 3; ++row)
        ids << proxy.index(row, 0).data(ShipmentTableModel::IdRole).toString();
    QCOMPARE(ids, firstIds);
    QVERIFY2(!model.isLoaded(3, 11), "sorting read one page, not the list");
}

void TestModels::newShipmentAppearsFromTheLiveFeedWithoutRefresh()
{
    START_OWN_SERVER(own);
    ShipmentTableModel model(own.api.get());
    ShipmentFilterModel proxy(&model);
    QAbstractItemModelTester tester(&proxy, kFatal);
    model.followLive(own.live.get());
    model.setQuery(
        { QString(), QString(), QStringLiteral("GAMMA"), QString(), QString(), false, QString() });
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 10000);
    QCOMPARE(model.rowCount(), 0);
    // Another clerk submits; this model is told by the live feed, nobody presses refresh.
    QCOMPARE(test::runCommands(own.api.get(),
                 { test::submit(QStringLiteral("LIVE-G1"), QStringLiteral("GAMMA")) }),
        QString());
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(proxy.index(0, ShipmentTableModel::IdColumn).data().toString(),
        QStringLiteral("LIVE-G1"), 10000);
    QCOMPARE(proxy.index(0, ShipmentTableModel::StatusColumn)
                 .data(ShipmentTableModel::StatusRole)
                 .toString(),
        QStringLiteral("Submitted"));
    // ...and a change of state too.
    QCOMPARE(test::runCommands(
                 own.api.get(), { test::assign(QStringLiteral("LIVE-G1"), QStringLiteral("T-9")) }),
        QString());
    QTRY_COMPARE_WITH_TIMEOUT(proxy.index(0, ShipmentTableModel::TruckColumn).data().toString(),
        QStringLiteral("T-9"), 10000);
}

void TestModels::accountsShowBalancesAndFilterOwing()
{
    AccountTableModel model(m_api);
    AccountFilterModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, kFatal);
    model.reload();
    QTRY_VERIFY_WITH_TIMEOUT(model.hasLoaded(), 10000);
    const int alpha = model.rowOfKey(QStringLiteral("ALPHA"));
    QVERIFY(alpha >= 0);
    // ALPHA: invoices for M-00 (10 lb) and M-02 (12 lb) at 28 cents, and a $5 payment.
    const qint64 expected = 500 - 280 - 336;
    QCOMPARE(
        model.index(alpha, 0).data(AccountTableModel::BalanceCentsRole).toLongLong(), expected);
    QCOMPARE(model.index(alpha, AccountTableModel::BalanceColumn).data().toString(),
        QStringLiteral("-$1.16"));
    // Both accounts owe: BETA the 308 cents of M-01 (11 lb), ALPHA 116. Sorted by balance, the
    // larger debt comes first.
    proxy.setOwingOnly(true);
    proxy.sort(AccountTableModel::BalanceColumn, Qt::AscendingOrder);
    QStringList owing;
    QList<qint64> balances;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        owing << proxy.index(row, 0).data(AccountTableModel::IdRole).toString();
        balances << proxy.index(row, 0).data(AccountTableModel::BalanceCentsRole).toLongLong();
    }
    QCOMPARE(owing, QStringList({ QStringLiteral("BETA"), QStringLiteral("ALPHA") }));
    QCOMPARE(balances, QList<qint64>({ -308, -116 }));
    proxy.sort(AccountTableModel::BalanceColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, 0).data(AccountTableModel::IdRole).toString(), QStringLiteral("ALPHA"));
    proxy.setSearchText(QStringLiteral("alp"));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(AccountTableModel::IdRole).toString(), QStringLiteral("ALPHA"));
}

void TestModels::trucksAreAvailableOrOccupied()
{
    TruckTableModel model(m_api);
    TruckFilterModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, kFatal);
    model.reload();
    QTRY_VERIFY_WITH_TIMEOUT(model.hasLoaded(), 10000);
    // T-0 carried M-00 and M-03: M-00 is delivered, M-03 is still on it.
    const int t0 = model.rowOfKey(QStringLiteral("T-0"));
    QVERIFY(t0 >= 0);
    QCOMPARE(
        model.index(t0, TruckTableModel::StatusColumn).data(TruckTableModel::OccupiedRole).toBool(),
        true);
    QCOMPARE(model.index(t0, TruckTableModel::ShipmentsColumn).data().toString(),
        QStringLiteral("M-03"));
    // T-3 took M-02 first, which was then moved to T-2: it carries nothing now.
    proxy.setShow(TruckFilterModel::Show::Available);
    QStringList available;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        available << proxy.index(row, 0).data(TruckTableModel::IdRole).toString();
        QVERIFY(!proxy.index(row, 0).data(TruckTableModel::OccupiedRole).toBool());
    }
    QCOMPARE(available, QStringList({ QStringLiteral("T-3") }));
    QCOMPARE(model.availableTrucks(), QStringList({ QStringLiteral("T-3") }));
}

void TestModels::statementRunsTheBalanceThroughInvoicesAndPayments()
{
    StatementModel model(m_api);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, kFatal);
    QSignalSpy loaded(&model, &StatementModel::loaded);
    model.setAccount(QStringLiteral("ALPHA"));
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.rowCount(), 3);
    QStringList entries;
    QList<qint64> amounts;
    for (int row = 0; row < model.rowCount(); ++row) {
        entries << model.index(row, StatementModel::EntryColumn).data().toString();
        amounts << model.index(row, 0).data(StatementModel::AmountCentsRole).toLongLong();
    }
    QVERIFY2(entries.contains(QStringLiteral("Invoice for shipment M-00")),
        qPrintable(entries.join(QLatin1String("; "))));
    QVERIFY(entries.contains(QStringLiteral("Payment received")));
    QCOMPARE(std::accumulate(amounts.begin(), amounts.end(), qint64(0)), qint64(500 - 280 - 336));
    QCOMPARE(
        model.index(2, StatementModel::BalanceColumn).data().toString(), QStringLiteral("-$1.16"));
}

void TestModels::timelineListsTheShipmentsHistory()
{
    TimelineModel model(m_api);
    QAbstractItemModelTester tester(&model, kFatal);
    QSignalSpy loaded(&model, &TimelineModel::loaded);
    model.setShipment(QStringLiteral("M-01"));
    QVERIFY(loaded.wait(10000));
    QStringList what;
    for (int row = 0; row < model.rowCount(); ++row)
        what << model.index(row, TimelineModel::WhatColumn).data().toString();
    QCOMPARE(what.size(), 4);
    QVERIFY2(what.at(0).startsWith(QLatin1String("Submitted: 11 lb from Fort Worth, TX")),
        qPrintable(what.at(0)));
    QCOMPARE(what.at(1), QStringLiteral("Assigned to truck T-1"));
    QCOMPARE(what.at(3), QStringLiteral("Delivered, signed by Pat"));
    QCOMPARE(
        model.index(0, TimelineModel::WhoColumn).data().toString(), QStringLiteral("office-admin"));
    QVERIFY(!model.index(3, 0).data(TimelineModel::TimestampRole).toString().isEmpty());
}

void TestModels::timelineAndTrucksFollowTheLiveFeed()
{
    START_OWN_SERVER(own);
    QCOMPARE(test::runCommands(own.api.get(),
                 { test::submit(QStringLiteral("LIVE-T1"), QStringLiteral("GAMMA")) }),
        QString());
    TimelineModel timeline(own.api.get());
    TruckTableModel trucks(own.api.get());
    timeline.followLive(own.live.get());
    trucks.followLive(own.live.get());
    timeline.setShipment(QStringLiteral("LIVE-T1"));
    trucks.reload();
    QTRY_VERIFY_WITH_TIMEOUT(timeline.hasLoaded() && trucks.hasLoaded(), 10000);
    QCOMPARE(timeline.rowCount(), 1);
    QCOMPARE(trucks.rowOfKey(QStringLiteral("T-LIVE")), -1);
    // The shipment goes on a truck elsewhere; both lists are read again without being asked.
    QCOMPARE(test::runCommands(own.api.get(),
                 { test::assign(QStringLiteral("LIVE-T1"), QStringLiteral("T-LIVE")) }),
        QString());
    QTRY_COMPARE_WITH_TIMEOUT(timeline.rowCount(), 2, 10000);
    QCOMPARE(timeline.index(1, TimelineModel::WhatColumn).data().toString(),
        QStringLiteral("Assigned to truck T-LIVE"));
    QTRY_VERIFY_WITH_TIMEOUT(trucks.rowOfKey(QStringLiteral("T-LIVE")) >= 0, 10000);
    QCOMPARE(
        trucks.index(trucks.rowOfKey(QStringLiteral("T-LIVE")), TruckTableModel::ShipmentsColumn)
            .data()
            .toString(),
        QStringLiteral("LIVE-T1"));
}

void TestModels::eventLogFetchesMoreWhenScrolledAndFilters()
{
    EventLogModel model(m_api);
    model.setPageSize(10);
    EventLogFilterModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, kFatal);
    model.reload();
    // A page at a time (the model tester asks for more pages as well).
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() >= 10, 10000);
    while (proxy.canFetchMore({}) || model.isFetching()) {
        if (proxy.canFetchMore({}))
            proxy.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(!model.isFetching(), 10000);
    }
    const int all = model.rowCount();
    // Submitted, assigned (one re-assignment), shipped and delivered, a payment, invoiced.
    QCOMPARE(all, kShipments + 7 + 3 + 3 + 1 + 3);
    for (int row = 1; row < all; ++row)
        QVERIFY(model.index(row, 0).data(EventLogModel::PositionRole).toLongLong()
            > model.index(row - 1, 0).data(EventLogModel::PositionRole).toLongLong());

    model.setQuery({ QStringLiteral("invoiced"), QString() });
    QTRY_VERIFY_WITH_TIMEOUT(model.atEnd(), 10000);
    QCOMPARE(model.rowCount(), 3);
    proxy.setTextFilter(QStringLiteral("M-02"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setTextFilter({});
    proxy.setUserFilter(QStringLiteral("nobody"));
    QCOMPARE(proxy.rowCount(), 0);
}

void TestModels::eventLogGrowsFromTheLiveFeedOnceCaughtUp()
{
    START_OWN_SERVER(own);
    EventLogModel model(own.api.get());
    model.followLive(own.live.get());
    QAbstractItemModelTester tester(&model, kFatal);
    model.setQuery({ QString(), QStringLiteral("shipment-LOG-1") });
    QTRY_VERIFY_WITH_TIMEOUT(model.atEnd(), 10000);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(test::runCommands(own.api.get(),
                 { test::submit(QStringLiteral("LOG-1"), QStringLiteral("ALPHA")),
                     test::submit(QStringLiteral("LOG-2"), QStringLiteral("ALPHA")) }),
        QString());
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 10000);
    QCOMPARE(model.index(0, EventLogModel::StreamColumn).data().toString(),
        QStringLiteral("shipment-LOG-1"));
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
