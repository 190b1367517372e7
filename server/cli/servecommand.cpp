#include "servecommand.h"

#include "console.h"
#include "databaseaccess.h"
#include "exitcodes.h"
#include "httpapiserver.h"
#include "logformat.h"
#include "signalwatcher.h"
#include "store/sql.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QThread>

#include <memory>

namespace waybill::cli {

namespace {

// Engine::stop() blocks until every accepted command is recorded and processed. It runs on its
// own thread so that the event loop goes on writing the answers that become ready meanwhile
// (their sockets live on this thread).
void stopEngineWhileServing(Engine &engine)
{
    QEventLoop loop;
    std::unique_ptr<QThread> stopper(QThread::create([&engine] { engine.stop(); }));
    QObject::connect(stopper.get(), &QThread::finished, &loop, &QEventLoop::quit);
    stopper->start();
    loop.exec();
    stopper->wait();
}

} // namespace

int serve(const ServerConfig &config)
{
    SignalWatcher signalWatcher;
    QString error;
    if (!signalWatcher.install(&error)) {
        printError(error);
        return ExitFailure;
    }
    int stopSignal = 0;
    QObject::connect(&signalWatcher, &SignalWatcher::received, [&stopSignal](int signalNumber) {
        if (stopSignal == 0) {
            stopSignal = signalNumber;
            QCoreApplication::quit();
        } else {
            qCInfo(lcServerCli, "signal %d: already stopping", signalNumber);
        }
    });

    if (!prepareDatabaseLocation(config, &error)) {
        printError(error);
        return ExitFailure;
    }
    Database database(config.database);
    Engine engine(database, config.engine);
    try {
        engine.start();
    } catch (const StoreError &e) {
        printError(QCoreApplication::translate("ServeCommand", "cannot open the database %1: %2")
                       .arg(config.database.toDisplayString(), e.message()));
        return ExitFailure;
    } catch (const std::exception &e) {
        printError(QCoreApplication::translate("ServeCommand", "cannot start: %1")
                       .arg(QString::fromUtf8(e.what())));
        return ExitFailure;
    }
    qCInfo(lcServerCli).noquote() << "database" << config.database.toDisplayString() << "ready";

    auto server = std::make_unique<HttpApiServer>(engine, config.server);
    if (!server->listen(&error)) {
        printError(
            QCoreApplication::translate("ServeCommand", "cannot serve on %1:%2: %3")
                .arg(config.server.address.toString(), QString::number(config.server.port), error));
        engine.stop();
        return ExitFailure;
    }
    const QString url = server->url().toString();
    qCInfo(lcServerCli).noquote() << "listening on" << url;
    // The one line on stdout that scripts wait for; the rest goes to the log on stderr.
    printLine(
        QCoreApplication::translate("ServeCommand", "Waybill server listening on %1").arg(url));

    // A signal that came during start-up is waiting in the pipe and ends this at once.
    QCoreApplication::exec();

    qCInfo(
        lcServerCli, "signal %d: no new connections; finishing the commands in flight", stopSignal);
    server->close();
    stopEngineWhileServing(engine);
    // Answers still queued are written before their connections go.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    server.reset();
    const EngineStats stats = engine.stats();
    qCInfo(lcServerCli, "stopped: %lld commands accepted, %lld succeeded, %lld rejected",
        qlonglong(stats.accepted), qlonglong(stats.succeeded), qlonglong(stats.rejected));
    return ExitSuccess;
}

} // namespace waybill::cli
