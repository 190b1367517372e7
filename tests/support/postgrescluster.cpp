#include "postgrescluster.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStringList>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QThread>
#include <QVersionNumber>
#include <QtDebug>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <pwd.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

namespace waybill::test {

namespace {

constexpr int InitdbTimeoutMs = 60'000;
constexpr int StartTimeoutSecs = 60;
constexpr int StopTimeoutSecs = 30;
constexpr int CreatedbTimeoutMs = 30'000;
constexpr int MaxStartAttempts = 5;
constexpr int LogTailLines = 40;

const char SuperUser[] = "waybill";
const char DirPrefix[] = "waybill-pgtest-";
const char OwnerFileName[] = "owner";

// Runs in a detached shell, outside our process tree and session, so neither
// a crash, Ctrl-C nor ctest's timeout kill (which walks the process tree)
// takes it down with us. While the owning test process lives it only polls;
// once the owner is gone without having called stop(), it shuts the
// postmaster down and deletes the cluster directory. The /proc check makes
// sure a recycled PID in a stale postmaster.pid never gets signalled.
const char WatchdogScript[] = R"sh(
owner=$1 dir=$2
trap '' INT HUP QUIT PIPE
while kill -0 "$owner" 2>/dev/null; do sleep 1; done
pm=
if [ -r "$dir/data/postmaster.pid" ]; then read -r pm < "$dir/data/postmaster.pid"; fi
case "$pm" in ''|*[!0-9]*) pm= ;; esac
if [ -n "$pm" ] && grep -qF -- "$dir/data" "/proc/$pm/cmdline" 2>/dev/null; then
    kill -QUIT "$pm" 2>/dev/null
    i=0
    while kill -0 "$pm" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
    kill -KILL "$pm" 2>/dev/null
fi
rm -rf -- "$dir"
)sh";

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

struct ToolRun
{
    bool ok = false;
    QString output;
    QString failure; // command line, exit status and output, ready for an error message
};

// PG* variables (PGHOST, PGPORT, PGDATA, PGOPTIONS, ...) from the developer's
// shell would silently redirect the tools to some other server or data dir.
QProcessEnvironment toolEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList keys = environment.keys();
    for (const QString &key : keys) {
        if (key.startsWith(QLatin1String("PG")))
            environment.remove(key);
    }
    return environment;
}

// runuser is non-empty when we are root: the server tools then run as
// "postgres", because initdb and postgres refuse to run as root.
ToolRun runTool(const QString &runuser, const QString &program, const QStringList &arguments,
    const QString &workingDirectory, int timeoutMs)
{
    QString fullProgram = program;
    QStringList fullArguments = arguments;
    if (!runuser.isEmpty()) {
        fullProgram = runuser;
        fullArguments = QStringList {
            QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program
        } + arguments;
    }
    const QString commandLine
        = (QStringList { fullProgram } + fullArguments).join(QLatin1Char(' '));

    QProcess process;
    process.setProgram(fullProgram);
    process.setArguments(fullArguments);
    // Our own cwd may be e.g. /root, which "postgres" cannot enter; the tools
    // complain about that.
    process.setWorkingDirectory(workingDirectory);
    process.setProcessEnvironment(toolEnvironment());
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start();

    ToolRun run;
    if (!process.waitForStarted(10'000)) {
        run.failure
            = QStringLiteral("could not run %1: %2").arg(commandLine, process.errorString());
        return run;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5'000);
        run.output = QString::fromLocal8Bit(process.readAll()).trimmed();
        run.failure = QStringLiteral("%1 did not finish within %2 s\n%3")
                          .arg(commandLine)
                          .arg(timeoutMs / 1000)
                          .arg(run.output);
        return run;
    }
    run.output = QString::fromLocal8Bit(process.readAll()).trimmed();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        run.failure = QStringLiteral("%1 failed (%2)\n%3")
                          .arg(commandLine,
                              process.exitStatus() == QProcess::NormalExit
                                  ? QStringLiteral("exit code %1").arg(process.exitCode())
                                  : QStringLiteral("crashed"),
                              run.output);
        return run;
    }
    run.ok = true;
    return run;
}

struct Tools
{
    QString initdb;
    QString pgCtl;
    QString createdb;
};

bool toolsIn(const QString &directory, Tools *tools)
{
    const QDir dir(directory);
    Tools found { dir.filePath(QStringLiteral("initdb")), dir.filePath(QStringLiteral("pg_ctl")),
        dir.filePath(QStringLiteral("createdb")) };
    for (const QString &path : { found.initdb, found.pgCtl, found.createdb }) {
        if (!QFileInfo(path).isExecutable())
            return false;
    }
    *tools = found;
    return true;
}

bool findTools(Tools *tools, QString *error)
{
    // An explicit choice that does not work is an error, not a reason to
    // quietly test against some other PostgreSQL version.
    const QString configured = qEnvironmentVariable("WAYBILL_PG_BINDIR");
    if (!configured.isEmpty()) {
        if (toolsIn(configured, tools))
            return true;
        return fail(error,
            QStringLiteral("WAYBILL_PG_BINDIR=%1 does not contain executable "
                           "initdb, pg_ctl and createdb")
                .arg(configured));
    }

    // Debian/Ubuntu keep the server tools out of PATH, one directory per
    // major version; prefer the newest.
    const QDir versions(QStringLiteral("/usr/lib/postgresql"));
    QStringList entries = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(entries.begin(), entries.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) > QVersionNumber::fromString(b);
    });
    for (const QString &version : std::as_const(entries)) {
        if (toolsIn(versions.filePath(version + QStringLiteral("/bin")), tools))
            return true;
    }

    Tools found { QStandardPaths::findExecutable(QStringLiteral("initdb")),
        QStandardPaths::findExecutable(QStringLiteral("pg_ctl")),
        QStandardPaths::findExecutable(QStringLiteral("createdb")) };
    if (!found.initdb.isEmpty() && !found.pgCtl.isEmpty() && !found.createdb.isEmpty()) {
        *tools = found;
        return true;
    }
    return fail(error,
        QStringLiteral("PostgreSQL server tools (initdb, pg_ctl, createdb) not found "
                       "in $WAYBILL_PG_BINDIR, /usr/lib/postgresql/*/bin or PATH"));
}

// The server's Unix socket lives in the cluster directory, and its path must
// fit into sun_path (~107 bytes); as root, "postgres" must also be able to
// reach the directory. /tmp satisfies both when $TMPDIR does not.
QString temporaryBase(bool asRoot)
{
    const QString base = QDir::tempPath();
    bool usable = base.size() <= 64;
    if (usable && asRoot) {
        QDir dir(base);
        do {
            if (!QFileInfo(dir.absolutePath()).permission(QFileDevice::ExeOther))
                usable = false;
        } while (usable && dir.cdUp());
    }
    return usable ? base : QStringLiteral("/tmp");
}

// Identifies our PID namespace, so a cluster directory left in a /tmp shared
// with another container is not mistaken for one whose owner has died.
QByteArray pidNamespace()
{
    char buffer[128];
    const ssize_t length = ::readlink("/proc/self/ns/pid", buffer, sizeof buffer);
    return length > 0 ? QByteArray(buffer, int(length)) : QByteArray();
}

qint64 startWatchdog(qint64 ownerPid, const QString &clusterDirectory)
{
    QProcess watchdog;
    watchdog.setProgram(QStringLiteral("/bin/sh"));
    watchdog.setArguments({ QStringLiteral("-c"), QString::fromLatin1(WatchdogScript),
        QStringLiteral("waybill-pg-watchdog"), QString::number(ownerPid), clusterDirectory });
    // Holding on to our stdout/stderr would make ctest wait for the watchdog.
    watchdog.setStandardInputFile(QProcess::nullDevice());
    watchdog.setStandardOutputFile(QProcess::nullDevice());
    watchdog.setStandardErrorFile(QProcess::nullDevice());
    watchdog.setWorkingDirectory(QStringLiteral("/"));
    qint64 pid = 0;
    return watchdog.startDetached(&pid) ? pid : 0;
}

// Fresh directories already keep runs apart; this only frees the memory and
// disk of clusters whose test process crashed and whose watchdog did not get
// to clean up (e.g. it was SIGKILLed along with a whole container).
void reapAbandonedClusters(const QString &base)
{
    const QByteArray ourNamespace = pidNamespace();
    const QFileInfoList candidates
        = QDir(base).entryInfoList({ QLatin1String(DirPrefix) + QLatin1Char('*') },
            QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QFileInfo &candidate : candidates) {
        QFile ownerFile(QDir(candidate.absoluteFilePath()).filePath(QLatin1String(OwnerFileName)));
        // Unreadable: another user's cluster. Missing: still being set up.
        if (!ownerFile.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> fields = ownerFile.readAll().split('\n');
        bool ok = false;
        const qint64 owner = fields.value(0).toLongLong(&ok);
        if (!ok || owner <= 0 || fields.value(1) != ourNamespace)
            continue;
        if (::kill(pid_t(owner), 0) == 0 || errno != ESRCH)
            continue;
        // With its owner already gone the watchdog reaps immediately.
        startWatchdog(owner, candidate.absoluteFilePath());
    }
}

bool isPostmasterOf(qint64 pid, const QString &dataDirectory)
{
    QFile commandLine(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!commandLine.open(QIODevice::ReadOnly))
        return false;
    return commandLine.readAll().split('\0').contains(QFile::encodeName(dataDirectory));
}

// Last resort when pg_ctl could not stop the server.
void killPostmaster(const QString &dataDirectory)
{
    QFile pidFile(QDir(dataDirectory).filePath(QStringLiteral("postmaster.pid")));
    if (!pidFile.open(QIODevice::ReadOnly))
        return;
    bool ok = false;
    const qint64 pid = pidFile.readLine().trimmed().toLongLong(&ok);
    if (!ok || pid <= 0 || !isPostmasterOf(pid, dataDirectory))
        return;
    ::kill(pid_t(pid), SIGQUIT); // immediate shutdown, takes the backends along
    for (int i = 0; i < 50 && ::kill(pid_t(pid), 0) == 0; ++i)
        QThread::msleep(100);
    ::kill(pid_t(pid), SIGKILL);
}

int pickFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// pg_ctl hands -o to /bin/sh.
QString shellQuote(QString text)
{
    text.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

QString logTail(const QString &path)
{
    QFile log(path);
    if (!log.open(QIODevice::ReadOnly))
        return QStringLiteral("(no server log)");
    QStringList lines = QString::fromLocal8Bit(log.readAll()).split(QLatin1Char('\n'));
    if (lines.size() > LogTailLines)
        lines = lines.mid(lines.size() - LogTailLines);
    return lines.join(QLatin1Char('\n')).trimmed();
}

} // namespace

PostgresCluster::PostgresCluster() = default;

PostgresCluster::~PostgresCluster()
{
    stop();
}

bool PostgresCluster::start(QString *error)
{
    if (m_running)
        return true;
    stop(); // leftovers of an earlier failed start

    Tools tools;
    if (!findTools(&tools, error))
        return false;
    m_initdb = tools.initdb;
    m_pgCtl = tools.pgCtl;
    m_createdb = tools.createdb;

    const bool asRoot = ::geteuid() == 0;
    uid_t serverUid = 0;
    gid_t serverGid = 0;
    m_runuser.clear();
    if (asRoot) {
        const passwd *serverUser = ::getpwnam("postgres");
        if (!serverUser)
            return fail(error,
                QStringLiteral("running as root, but there is no \"postgres\" user "
                               "to run the server as (PostgreSQL refuses root)"));
        serverUid = serverUser->pw_uid;
        serverGid = serverUser->pw_gid;
        m_runuser = QStandardPaths::findExecutable(QStringLiteral("runuser"));
        if (m_runuser.isEmpty())
            m_runuser = QStandardPaths::findExecutable(QStringLiteral("runuser"),
                { QStringLiteral("/usr/sbin"), QStringLiteral("/sbin") });
        if (m_runuser.isEmpty())
            return fail(error,
                QStringLiteral("running as root, but runuser (util-linux) is not "
                               "available to run the server as \"postgres\""));
    }

    const QString base = temporaryBase(asRoot);
    reapAbandonedClusters(base);

    m_dir = std::make_unique<QTemporaryDir>(
        QDir(base).filePath(QLatin1String(DirPrefix) + QStringLiteral("XXXXXX")));
    if (!m_dir->isValid()) {
        const QString reason = m_dir->errorString();
        m_dir.reset();
        return fail(error,
            QStringLiteral("could not create a temporary directory in %1: %2").arg(base, reason));
    }
    const QString clusterDirectory = m_dir->path();

    // Registers this cluster as ours, so a later run can tell that it was
    // abandoned once we are gone.
    {
        QFile ownerFile(QDir(clusterDirectory).filePath(QLatin1String(OwnerFileName)));
        if (!ownerFile.open(QIODevice::WriteOnly)
            || ownerFile.write(
                   QByteArray::number(qint64(::getpid())) + '\n' + pidNamespace() + '\n')
                < 0) {
            const QString reason = ownerFile.errorString();
            stop();
            return fail(
                error, QStringLiteral("could not write %1: %2").arg(ownerFile.fileName(), reason));
        }
    }
    // Started before anything heavy happens, so even a crash during initdb
    // leaves nothing behind.
    m_watchdogPid = startWatchdog(::getpid(), clusterDirectory);

    if (asRoot
        && ::chown(QFile::encodeName(clusterDirectory).constData(), serverUid, serverGid) != 0) {
        const QString reason = QString::fromLocal8Bit(::strerror(errno));
        stop();
        return fail(error,
            QStringLiteral("could not hand %1 to user postgres: %2").arg(clusterDirectory, reason));
    }

    // C.UTF-8 sorts by code point (deterministic on every machine) while
    // upper()/lower()/ILIKE still understand non-ASCII letters; plain C is
    // the fallback for systems that lack that locale.
    QString initdbFailures;
    bool initialised = false;
    for (const QString &locale : { QStringLiteral("C.UTF-8"), QStringLiteral("C") }) {
        const ToolRun run = runTool(m_runuser, m_initdb,
            { QStringLiteral("-D"), dataDirectory(), QStringLiteral("-U"), QLatin1String(SuperUser),
                QStringLiteral("--auth=trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                QStringLiteral("--locale=") + locale, QStringLiteral("--no-sync") },
            clusterDirectory, InitdbTimeoutMs);
        if (run.ok) {
            initialised = true;
            break;
        }
        initdbFailures += run.failure + QLatin1Char('\n');
        if (!run.output.contains(QLatin1String("locale"), Qt::CaseInsensitive))
            break;
        QDir(dataDirectory()).removeRecursively();
    }
    if (!initialised) {
        stop();
        return fail(error,
            QStringLiteral("could not create a PostgreSQL cluster: ") + initdbFailures.trimmed());
    }

    if (!startServer(error)) {
        stop();
        return false;
    }

    QString createdbError;
    if (!createDatabaseOnServer(QLatin1String(SuperUser), &createdbError)) {
        stop();
        return fail(error,
            QStringLiteral("PostgreSQL started, but creating database \"%1\" "
                           "failed: %2")
                .arg(QLatin1String(SuperUser), createdbError));
    }
    m_running = true;
    return true;
}

QString PostgresCluster::serverOptions(int port) const
{
    return QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 "
                          "-c fsync=on -c max_connections=200")
        .arg(port)
        .arg(shellQuote(m_dir->path()));
}

bool PostgresCluster::startServer(QString *error)
{
    const QString log = QDir(m_dir->path()).filePath(QStringLiteral("log"));
    for (int attempt = 1;; ++attempt) {
        const int port = pickFreePort();
        if (port == 0)
            return fail(error, QStringLiteral("could not find a free TCP port on 127.0.0.1"));
        // So that the log tail in an error message belongs to this attempt.
        QFile::remove(log);
        const QString options = serverOptions(port);
        const ToolRun run = runTool(m_runuser, m_pgCtl,
            { QStringLiteral("-D"), dataDirectory(), QStringLiteral("-o"), options,
                QStringLiteral("-l"), log, QStringLiteral("-w"), QStringLiteral("-t"),
                QString::number(StartTimeoutSecs), QStringLiteral("start") },
            m_dir->path(), (StartTimeoutSecs + 10) * 1000);
        if (run.ok) {
            m_port = port;
            return true;
        }
        const QString tail = logTail(log);
        // Between our probe and the server's bind() a parallel test may
        // have taken the port; another port will do.
        if (attempt < MaxStartAttempts && tail.contains(QLatin1String("Address already in use")))
            continue;
        return fail(error,
            QStringLiteral("could not start PostgreSQL: %1\n--- tail of server log ---\n%2")
                .arg(run.failure, tail));
    }
}

bool PostgresCluster::createDatabaseOnServer(const QString &name, QString *error)
{
    // createdb connects over TCP with trust authentication, so it needs no
    // particular OS user.
    const ToolRun run = runTool({}, m_createdb,
        { QStringLiteral("--no-password"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
            QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
            QLatin1String(SuperUser), QStringLiteral("-O"), QLatin1String(SuperUser), name },
        m_dir->path(), CreatedbTimeoutMs);
    if (!run.ok)
        return fail(error, run.failure);
    return true;
}

void PostgresCluster::stop()
{
    if (m_dir) {
        const QString data = dataDirectory();
        if (QFile::exists(QDir(data).filePath(QStringLiteral("postmaster.pid")))) {
            // Immediate mode skips the shutdown checkpoint: nothing here is
            // worth keeping.
            const ToolRun run = runTool(m_runuser, m_pgCtl,
                { QStringLiteral("-D"), data, QStringLiteral("-m"), QStringLiteral("immediate"),
                    QStringLiteral("-w"), QStringLiteral("-t"), QString::number(StopTimeoutSecs),
                    QStringLiteral("stop") },
                m_dir->path(), (StopTimeoutSecs + 10) * 1000);
            if (!run.ok) {
                qWarning().noquote() << "PostgresCluster:" << run.failure;
                killPostmaster(data);
            }
        }
        m_dir.reset(); // deletes the whole tree; root may delete the postgres-owned files
    }
    // Only now: had we crashed above, the watchdog would have finished the job.
    if (m_watchdogPid > 0) {
        ::kill(pid_t(m_watchdogPid), SIGTERM);
        m_watchdogPid = 0;
    }
    m_port = 0;
    m_running = false;
}

QString PostgresCluster::url() const
{
    return m_running ? urlFor(QLatin1String(SuperUser)) : QString();
}

QString PostgresCluster::createDatabase(const QString &name, QString *error)
{
    // Names that need no quoting in SQL-ish contexts nor escaping in a URL.
    static const QRegularExpression validName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,62}$"));
    if (!m_running) {
        fail(error,
            QStringLiteral("cannot create database \"%1\": the cluster is not running").arg(name));
        return {};
    }
    if (!validName.match(name).hasMatch()) {
        fail(error,
            QStringLiteral("invalid database name \"%1\": use at most 63 letters, digits "
                           "and underscores, not starting with a digit")
                .arg(name));
        return {};
    }
    if (!createDatabaseOnServer(name, error))
        return {};
    return urlFor(name);
}

bool PostgresCluster::restorePlainDump(
    const QString &database, const QString &dumpFile, QString *error)
{
    if (!m_running)
        return fail(
            error, QStringLiteral("cannot restore %1: the cluster is not running").arg(dumpFile));
    QFile in(dumpFile);
    if (!in.open(QIODevice::ReadOnly))
        return fail(error, QStringLiteral("cannot read %1: %2").arg(dumpFile, in.errorString()));
    QByteArray script;
    while (!in.atEnd()) {
        const QByteArray line = in.readLine();
        if (!line.startsWith("\\restrict ") && !line.startsWith("\\unrestrict "))
            script += line;
    }
    QTemporaryFile filtered(QDir(m_dir->path()).filePath(QStringLiteral("restore-XXXXXX.sql")));
    if (!filtered.open() || filtered.write(script) != script.size() || !filtered.flush())
        return fail(error, QStringLiteral("cannot write a copy of %1").arg(dumpFile));
    const QString psql = QFileInfo(m_createdb).dir().filePath(QStringLiteral("psql"));
    const ToolRun run = runTool({}, psql,
        { QStringLiteral("--no-password"), QStringLiteral("--quiet"), QStringLiteral("-h"),
            QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
            QStringLiteral("-U"), QLatin1String(SuperUser), QStringLiteral("-v"),
            QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-f"), filtered.fileName(),
            database },
        m_dir->path(), CreatedbTimeoutMs);
    if (!run.ok)
        return fail(error, run.failure);
    return true;
}

bool PostgresCluster::recycleWalSegments(int segments, QString *error)
{
    if (!m_running)
        return fail(error, QStringLiteral("cannot recycle WAL: the cluster is not running"));
    // A write, then a switch to the next segment: each switch makes PostgreSQL create the next
    // segment as a new cluster does. The checkpoint after them keeps those segments for reuse
    // (as many as its estimate of a cycle's writes asks, up to max_wal_size).
    QStringList arguments { QStringLiteral("--no-password"), QStringLiteral("--quiet"),
        QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
        QString::number(m_port), QStringLiteral("-U"), QLatin1String(SuperUser),
        QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"),
        QStringLiteral("CREATE TABLE waybill_wal_recycling (n integer)") };
    for (int i = 0; i < segments; ++i)
        arguments << QStringLiteral("-c")
                  << QStringLiteral("INSERT INTO waybill_wal_recycling VALUES (%1)").arg(i)
                  << QStringLiteral("-c") << QStringLiteral("SELECT pg_switch_wal()");
    arguments << QStringLiteral("-c") << QStringLiteral("DROP TABLE waybill_wal_recycling")
              << QStringLiteral("-c") << QStringLiteral("CHECKPOINT") << QLatin1String(SuperUser);
    const QString psql = QFileInfo(m_createdb).dir().filePath(QStringLiteral("psql"));
    const ToolRun run
        = runTool({}, psql, arguments, m_dir->path(), CreatedbTimeoutMs + segments * 1000);
    return run.ok || fail(error, run.failure);
}

int PostgresCluster::walSegmentFiles() const
{
    if (!m_running)
        return -1;
    const QDir wal(QDir(dataDirectory()).filePath(QStringLiteral("pg_wal")));
    if (!wal.exists())
        return -1;
    // Segment files are named by 24 hexadecimal digits; pg_wal also holds archive_status.
    static const QRegularExpression segmentName(QStringLiteral("^[0-9A-F]{24}$"));
    const QStringList names = wal.entryList(QDir::Files);
    return int(std::count_if(names.cbegin(), names.cend(),
        [](const QString &name) { return segmentName.match(name).hasMatch(); }));
}

bool PostgresCluster::interrupt(QString *error)
{
    if (!m_running)
        return fail(error, QStringLiteral("cannot interrupt: the cluster is not running"));
    const ToolRun run = runTool(m_runuser, m_pgCtl,
        { QStringLiteral("-D"), dataDirectory(), QStringLiteral("-m"), QStringLiteral("fast"),
            QStringLiteral("-w"), QStringLiteral("-t"), QString::number(StopTimeoutSecs),
            QStringLiteral("stop") },
        m_dir->path(), (StopTimeoutSecs + 10) * 1000);
    return run.ok || fail(error, run.failure);
}

bool PostgresCluster::resume(QString *error)
{
    if (!m_running)
        return fail(error, QStringLiteral("cannot resume: the cluster was never started"));
    const QString log = QDir(m_dir->path()).filePath(QStringLiteral("log"));
    const ToolRun run = runTool(m_runuser, m_pgCtl,
        { QStringLiteral("-D"), dataDirectory(), QStringLiteral("-o"), serverOptions(m_port),
            QStringLiteral("-l"), log, QStringLiteral("-w"), QStringLiteral("-t"),
            QString::number(StartTimeoutSecs), QStringLiteral("start") },
        m_dir->path(), (StartTimeoutSecs + 10) * 1000);
    return run.ok || fail(error, run.failure + QStringLiteral("\n") + logTail(log));
}

int PostgresCluster::port() const
{
    return m_running ? m_port : 0;
}

QString PostgresCluster::socketDirectory() const
{
    return m_running ? m_dir->path() : QString();
}

bool PostgresCluster::isRunning() const
{
    return m_running;
}

bool PostgresCluster::requirePostgres()
{
    const QByteArray value = qgetenv("WAYBILL_REQUIRE_POSTGRES").trimmed();
    return !value.isEmpty() && value != "0";
}

QString PostgresCluster::dataDirectory() const
{
    return m_dir ? QDir(m_dir->path()).filePath(QStringLiteral("data")) : QString();
}

QString PostgresCluster::urlFor(const QString &database) const
{
    return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3")
        .arg(QLatin1String(SuperUser))
        .arg(m_port)
        .arg(database);
}

} // namespace waybill::test
