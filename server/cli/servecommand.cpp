#include "servecommand.h"

#include "console.h"
#include "databaseaccess.h"
#include "exitcodes.h"
#include "http/guardedtcpserver.h"
#include "httpapiserver.h"
#include "logformat.h"
#include "signalwatcher.h"
#include "store/schema.h"
#include "store/sql.h"
#include "store/tablecopy.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <memory>

#include <pwd.h>
#include <sys/resource.h>
#include <unistd.h>

namespace waybill::cli {

namespace {

QString currentUserName()
{
    if (const passwd *entry = ::getpwuid(::geteuid()))
        return QString::fromLocal8Bit(entry->pw_name);
    return QString::number(::geteuid());
}

// Descriptors the process needs besides its connections: the database's files and connections,
// each thread's event dispatcher, exports and documents being written.
constexpr quint64 kDescriptorsBesideConnections = 256;

// Each connection takes a file descriptor, and with none left Qt 6.4 stops accepting (or the
// process ends, when a thread starts then). The soft limit is often 1,024 where no service
// manager raised it, as many as the connections allowed by default; it is raised to the hard
// limit, and a hard limit too low for max-connections is said at start.
void raiseOpenFileLimit(const ServerOptions &options)
{
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t ceiling = limit.rlim_max == RLIM_INFINITY ? rlim_t(1) << 20 : limit.rlim_max;
    if (limit.rlim_cur < ceiling) {
        rlimit raised = limit;
        raised.rlim_cur = ceiling;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    const quint64 needed = quint64(options.maxConnections) + http::GuardedTcpServer::kLingering
        + http::GuardedTcpServer::kAcceptsPerTurn + kDescriptorsBesideConnections;
    if (quint64(limit.rlim_cur) < needed) {
        qCWarning(lcServerCli,
            "this process may open at most %llu files, fewer than the %llu that max-connections "
            "%d needs: raise the limit (LimitNOFILE= in the service, ulimit -n) or lower "
            "max-connections",
            static_cast<unsigned long long>(limit.rlim_cur),
            static_cast<unsigned long long>(needed), options.maxConnections);
    }
}

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

// SIGHUP: what changed in the config file is taken when it can be without dropping a
// connection (the TLS files, for new connections; the trusted proxies); the rest is named in
// the log as waiting for a restart. A config that no longer passes changes nothing.
void reloadConfig(HttpApiServer &server, const ConfigInputs &inputs, ServerConfig &running)
{
    QString why;
    const std::optional<ServerConfig> reloaded = resolveServerConfig(inputs, &why);
    if (!reloaded) {
        qCWarning(lcServerCli).noquote()
            << "SIGHUP: the config was not reloaded, the running settings stay:" << why;
        return;
    }
    if (!server.reload(reloaded->server, &why)) {
        qCWarning(lcServerCli).noquote()
            << "SIGHUP: the config was not reloaded, the running settings stay:" << why;
        return;
    }
    const QStringList waiting = settingsNeedingRestart(running, *reloaded);
    running.server.tlsCertificateFile = reloaded->server.tlsCertificateFile;
    running.server.tlsKeyFile = reloaded->server.tlsKeyFile;
    running.server.tlsConfiguration = reloaded->server.tlsConfiguration;
    running.server.trustedProxies = reloaded->server.trustedProxies;
    running.server.drainDelayMs = reloaded->server.drainDelayMs; // read when stopping
    qCInfo(lcServerCli).noquote() << (running.server.tlsCertificateFile.isEmpty()
            ? QStringLiteral("SIGHUP: config reloaded")
            : QStringLiteral("SIGHUP: config reloaded; new connections use the "
                             "certificate %1")
                  .arg(running.server.tlsCertificateFile));
    if (!waiting.isEmpty())
        qCWarning(lcServerCli).noquote() << "SIGHUP: these changes take effect at the next restart:"
                                         << waiting.join(QLatin1String(", "));
}

} // namespace

QStringList settingsNeedingRestart(const ServerConfig &running, const ServerConfig &reloaded)
{
    QStringList changed;
    const auto check = [&changed](bool differs, const char *key) {
        if (differs)
            changed.append(QLatin1String(key));
    };
    const ServerOptions &a = running.server;
    const ServerOptions &b = reloaded.server;
    check(running.database.toDisplayString() != reloaded.database.toDisplayString()
            || running.database.password != reloaded.database.password,
        "db");
    check(a.address != b.address || a.port != b.port, "listen");
    check(running.engine.workerThreads != reloaded.engine.workerThreads, "engine-threads");
    check(a.workerThreads != b.workerThreads, "reader-threads");
    check(a.maxBodyBytes != b.maxBodyBytes, "max-body-bytes");
    check(a.idleTimeoutMs != b.idleTimeoutMs, "idle-timeout-seconds");
    check(a.maxConnections != b.maxConnections, "max-connections");
    check(a.liveClientBufferBytes != b.liveClientBufferBytes, "live-client-buffer-bytes");
    check(running.engine.rates != reloaded.engine.rates, "rates");
    return changed;
}

int serve(const ServerConfig &config, const ConfigInputs &inputs)
{
    SignalWatcher signalWatcher;
    QString error;
    if (!signalWatcher.install(&error)) {
        printError(error);
        return ExitFailure;
    }
    int stopSignal = 0;
    QEventLoop *drainWait = nullptr; // while draining: a second signal cuts the wait short
    std::unique_ptr<HttpApiServer> server;
    ServerConfig running = config;
    QObject::connect(&signalWatcher, &SignalWatcher::received, [&](int signalNumber) {
        if (signalNumber == SIGHUP) {
            if (stopSignal == 0 && server)
                reloadConfig(*server, inputs, running);
            else
                qCInfo(
                    lcServerCli, "signal %d: not serving yet, or stopping; ignored", signalNumber);
            return;
        }
        if (stopSignal == 0) {
            stopSignal = signalNumber;
            QCoreApplication::quit();
        } else if (drainWait) {
            qCInfo(lcServerCli, "signal %d: closing now, before the drain delay is over",
                signalNumber);
            drainWait->quit();
        } else {
            qCInfo(lcServerCli, "signal %d: already stopping", signalNumber);
        }
    });

    raiseOpenFileLimit(config.server);
    if (!prepareDatabaseLocation(config, &error)) {
        printError(error);
        return ExitFailure;
    }
    Database database(config.database);
    Engine engine(database, config.engine);
    // The engine migrates the schema and writes this server's lease before anything else: a
    // database this user may read but not write (a file of another user, a read-only role, a
    // standby) stops the start here rather than serving reads and "ok" on /health while every
    // command fails.
    try {
        engine.start();
    } catch (const SchemaTooNewError &e) {
        printError(QCoreApplication::translate("ServeCommand", "cannot open the database %1: %2")
                       .arg(config.database.toDisplayString(), e.message()));
        return ExitDatabaseTooNew;
    } catch (const UnfinishedCopyError &e) {
        printError(QCoreApplication::translate("ServeCommand", "will not serve %1: %2")
                       .arg(config.database.toDisplayString(), e.message()));
        return ExitFailure;
    } catch (const StoreError &e) {
        printError(
            QCoreApplication::translate("ServeCommand", "cannot use the database %1 as user %2: %3")
                .arg(config.database.toDisplayString(), currentUserName(), e.message()));
        return ExitFailure;
    } catch (const std::exception &e) {
        printError(QCoreApplication::translate("ServeCommand", "cannot start: %1")
                       .arg(QString::fromUtf8(e.what())));
        return ExitFailure;
    }
    qCInfo(lcServerCli).noquote() << "database" << config.database.toDisplayString() << "ready";

    server = std::make_unique<HttpApiServer>(engine, config.server);
    if (!server->listen(&error)) {
        printError(
            QCoreApplication::translate("ServeCommand", "cannot serve on %1:%2: %3")
                .arg(config.server.address.toString(), QString::number(config.server.port), error));
        server.reset(); // it names the engine, which goes first otherwise
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

    // Behind a load balancer: /health says 503 while everything else still serves, until the
    // balancer's checks have seen it and it sends nothing new here; only then are connections
    // refused, so that no request a balancer sent meanwhile fails.
    if (running.server.drainDelayMs > 0) {
        qCInfo(lcServerCli, "signal %d: draining, /health answers 503; serving %d ms more",
            stopSignal, running.server.drainDelayMs);
        server->startDraining();
        QEventLoop wait;
        drainWait = &wait;
        QTimer::singleShot(running.server.drainDelayMs, &wait, &QEventLoop::quit);
        wait.exec();
        drainWait = nullptr;
    }
    qCInfo(
        lcServerCli, "signal %d: no new connections; finishing the commands in flight", stopSignal);
    server->close();
    stopEngineWhileServing(engine);
    // Answers still queued are written before their connections go.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    server.reset();
    const EngineStats stats = engine.stats();
    // The transactions tell how well commands were batched (several servers share one writer lock).
    qCInfo(lcServerCli,
        "stopped: %lld commands accepted, %lld succeeded, %lld rejected; %lld inbox and %lld "
        "processing transactions (%lld decided again under the writer lock, %lld restamped)",
        qlonglong(stats.accepted), qlonglong(stats.succeeded), qlonglong(stats.rejected),
        qlonglong(stats.inboxTransactions), qlonglong(stats.processingTransactions),
        qlonglong(stats.batchesReadAgain), qlonglong(stats.batchesRestamped));
    return ExitSuccess;
}

} // namespace waybill::cli
