// A child process for the crash tests: drives the engine and prints each acknowledged command
// as "ACK <id>", so that the parent knows what was promised before the process was killed.
//   waybill-engine-harness URL load N   accepts submit/assign/ship/deliver for N shipments
//   waybill-engine-harness URL deliver N  the same with no invoicer: deliveries wait for their
//                                         invoices
//   waybill-engine-harness URL recover  starts, finishes what is pending, stops
//   waybill-engine-harness URL migrate T  waits until T (ms since the epoch, UTC), then opens
//                                         and migrates the database and exits: several started
//                                         with the same T race to open one fresh database
//   waybill-engine-harness URL first-open N  N threads open their first connections at the same
//                                         moment (nothing of QtSql used before), then the
//                                         process exits
#include "engine/deliveryinvoicer.h"
#include "engine/engine.h"
#include "store/commandstore.h"
#include "store/eventstore.h"
#include "store/sql.h"
#include "testcommands.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QThread>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

using namespace waybill;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        std::fprintf(stderr,
            "usage: %s URL load N | URL deliver N | URL recover | URL migrate T | URL first-open "
            "N\n",
            argv[0]);
        return 2;
    }
    QString error;
    const auto url = DatabaseUrl::parse(args.at(1), &error);
    if (!url) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }
    try {
        if (args.at(2) == QLatin1String("first-open")) {
            const int n = qMax(2, args.value(3).toInt());
            std::atomic<int> ready { 0 };
            std::atomic<int> failed { 0 };
            std::vector<std::thread> openers;
            for (int i = 0; i < n; ++i) {
                openers.emplace_back([&] {
                    Database db(*url);
                    ++ready;
                    while (ready.load() < n) { }
                    try {
                        db.connection();
                    } catch (const StoreError &e) {
                        std::fprintf(stderr, "%s\n", qPrintable(e.message()));
                        ++failed;
                    }
                });
            }
            for (auto &t : openers)
                t.join();
            return failed.load() == 0 ? 0 : 1;
        }
        if (args.at(2) == QLatin1String("migrate")) {
            // The driver plugin is loaded before the wait, so that its loading time does not
            // spread the processes' first statements apart.
            QSqlDatabase::addDatabase(url->kind == DatabaseUrl::Kind::Sqlite
                    ? QStringLiteral("QSQLITE")
                    : QStringLiteral("QPSQL"),
                QStringLiteral("driver-warm-up"));
            QSqlDatabase::removeDatabase(QStringLiteral("driver-warm-up"));
            const qint64 startAt = args.value(3).toLongLong();
            const qint64 wait = startAt - QDateTime::currentMSecsSinceEpoch();
            if (wait > 2)
                QThread::msleep(static_cast<unsigned long>(wait - 2));
            while (QDateTime::currentMSecsSinceEpoch() < startAt) { }
            Database db(*url);
            db.migrate();
            return 0;
        }
        Database db(*url);
        const bool deliverOnly = args.at(2) == QLatin1String("deliver");
        EngineOptions options;
        options.invoicer = !deliverOnly;
        Engine engine(db, options);
        engine.start();
        if (args.at(2) == QLatin1String("load") || deliverOnly) {
            const int n = args.value(3).toInt();
            QSemaphore answered;
            QMutex out;
            int sent = 0;
            auto send = [&](AcceptRequest r) {
                ++sent;
                engine.accept(std::move(r), [&](const AcceptResult &result) {
                    if (result.status == AcceptResult::Status::Accepted) {
                        QMutexLocker lock(&out);
                        std::printf("ACK %s\n", qPrintable(result.commandId));
                        std::fflush(stdout);
                    }
                    answered.release();
                });
            };
            for (int i = 0; i < n; ++i) {
                // Waves of two shipments, so that the inbox commits several batches.
                if (i % 2 == 0) {
                    answered.acquire(sent);
                    sent = 0;
                }
                const QString s = QStringLiteral("s%1").arg(i);
                send(test::shipmentRequest(
                    CommandType::Submit, s, test::submitBody(QStringLiteral("acct%1").arg(i % 3))));
                send(test::shipmentRequest(CommandType::Assign, s,
                    { { QStringLiteral("truckId"), QStringLiteral("t%1").arg(i) } }));
                send(test::shipmentRequest(CommandType::Ship, s));
                send(test::shipmentRequest(CommandType::Deliver, s));
            }
            answered.acquire(sent);
        }
        if (deliverOnly) {
            engine.waitIdle();
            const bool done = CommandStore::pendingCount(db.connection()) == 0;
            engine.stop();
            return done ? 0 : 3;
        }
        const bool settled = engine.waitSettled(60000);
        engine.stop();
        return settled ? 0 : 3;
    } catch (const StoreError &e) {
        std::fprintf(stderr, "store error: %s\n", qPrintable(e.message()));
        return 4;
    }
}
