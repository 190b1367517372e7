// waybill-server as an admin meets it on day one, through the real binary: what it refuses at
// start (a TLS key of another certificate, a database it cannot write, a database of a newer
// release), the permissions of what it creates, SIGHUP, the monitoring role's /metrics, error
// bodies, X-Forwarded-For from trusted proxies only, and verify's last position and hash.
#include "cliprocess.h"
#include "samplehistory.h"
#include "testcertificate.h"

#include "store/databaseurl.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace waybill;
using namespace waybill::test;

namespace {

// Runs a statement on a SQLite file with a connection of its own.
bool runSql(const QString &path, const QString &statement, QString *error)
{
    const QString name = QStringLiteral("operations-%1").arg(quintptr(&statement));
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            ok = query.exec(statement);
            if (!ok)
                *error = query.lastError().text();
        } else {
            *error = db.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

class TestServerOperations final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;

    QProcessEnvironment environment() const
    {
        return isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
    }
    QString dbPath(const QString &name) const { return m_dir.filePath(name); }
    QString dbUrl(const QString &name) const { return QStringLiteral("sqlite:") + dbPath(name); }

    HttpAnswer request(const QUrl &url, const QString &token = QString(),
        const HttpHeaders &headers = {}, const QByteArray &method = "GET",
        const QByteArray &body = {})
    {
        return httpRequest(m_network, method, url, token, body, headers);
    }

    QString createToken(const QString &db, const QString &name, const QString &role, QString *error)
    {
        return createTokenWithCli(environment(), name, role, error, db);
    }

    // The certificate a new TLS connection to the server is shown.
    static QSslCertificate servedCertificate(const QUrl &url, QString *error)
    {
        QSslSocket socket;
        socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket.connectToHostEncrypted(url.host(), quint16(url.port()));
        if (!socket.waitForEncrypted(15000)) {
            *error = socket.errorString();
            return QSslCertificate();
        }
        return socket.peerCertificate();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(serverBinaryIsBuilt(&error), qPrintable(error));
    }

    void tlsKeyOfAnotherCertificateIsAUsageErrorAtStart()
    {
        const QString first = m_dir.filePath(QStringLiteral("tls-first"));
        const QString second = m_dir.filePath(QStringLiteral("tls-second"));
        QVERIFY(QDir().mkpath(first) && QDir().mkpath(second));
        WAYBILL_TEST_CERTIFICATE(one, first);
        WAYBILL_TEST_CERTIFICATE(other, second);

        const CliResult result
            = runCli({ QStringLiteral("--db"), dbUrl(QStringLiteral("tls-mismatch.db")),
                         QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                         QStringLiteral("--tls-cert"), one.certificate, QStringLiteral("--tls-key"),
                         other.key },
                environment(), 20000);
        QVERIFY2(result.finished, result.describe());
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.out.isEmpty(), result.describe()); // never said it serves
        const QString err = QString::fromUtf8(result.err);
        QVERIFY2(err.contains(QStringLiteral("does not belong")) && err.contains(one.certificate)
                && err.contains(other.key),
            result.describe());
    }

    // The service's user may read the file but not write it: the server must not start (and
    // then answer "ok" on /health while every command fails).
    void databaseItCannotWriteStopsTheStart()
    {
        QTemporaryDir shared;
        QVERIFY(shared.isValid());
        const QString path = shared.filePath(QStringLiteral("readonly.db"));
        QString error;
        QVERIFY2(recordSampleHistory(DatabaseUrl::sqlite(path), 1, &error), qPrintable(error));
        // Readable by all, writable by nobody but root, in a folder only root may write.
        QVERIFY(QFile::setPermissions(shared.path(),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                | QFileDevice::ReadOther | QFileDevice::ExeOther | QFileDevice::ReadGroup
                | QFileDevice::ExeGroup));
        for (const QString &file : QDir(shared.path()).entryList(QDir::Files))
            QVERIFY(QFile::setPermissions(shared.filePath(file),
                QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));

        QProcess process;
        process.setProcessEnvironment(environment());
        // As root the permissions would not hold: run as "nobody", as a service user would be.
        if (::geteuid() == 0) {
            QVERIFY(QFile::setPermissions(
                m_dir.path(), QFile::permissions(m_dir.path()) | QFileDevice::ExeOther));
            process.setChildProcessModifier([] {
                ::setgroups(0, nullptr);
                if (::setgid(65534) != 0 || ::setuid(65534) != 0)
                    ::_exit(99);
            });
        }
        process.start(serverBinary(nullptr),
            { QStringLiteral("--db"), QStringLiteral("sqlite:") + path, QStringLiteral("--listen"),
                QStringLiteral("127.0.0.1:0") });
        QVERIFY(process.waitForStarted());
        if (!process.waitForFinished(30000)) {
            process.kill();
            process.waitForFinished();
            QFAIL("the server started on a database it cannot write");
        }
        const QByteArray out = process.readAllStandardOutput();
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(process.exitCode() != 99, "could not become nobody");
        QVERIFY2(process.exitCode() == 1, out + err);
        QVERIFY2(out.isEmpty(), out + err);
        QVERIFY2(err.contains(path.toUtf8()), err);
        // The user it ran as, since that is what the admin must change.
        const passwd *user = ::getpwuid(::geteuid() == 0 ? 65534 : ::geteuid());
        QVERIFY(user);
        QVERIFY2(err.contains(QByteArray("as user ") + user->pw_name), err);
    }

    void createdFoldersAndDatabaseAreTheUsersAlone()
    {
        const QString folder = m_dir.filePath(QStringLiteral("fresh/data/deeper"));
        const QString path = folder + QStringLiteral("/waybill.db");
        QString error;
        QVERIFY2(!createToken(QStringLiteral("sqlite:") + path, QStringLiteral("first"),
                     QStringLiteral("admin"), &error)
                      .isEmpty(),
            qPrintable(error));
        const QFileDevice::Permissions ownerOnlyFolder
            = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
        const QFileDevice::Permissions all = ownerOnlyFolder | QFileDevice::ReadGroup
            | QFileDevice::WriteGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
            | QFileDevice::WriteOther | QFileDevice::ExeOther;
        for (const QString &made : { m_dir.filePath(QStringLiteral("fresh")),
                 m_dir.filePath(QStringLiteral("fresh/data")), folder }) {
            QVERIFY2((QFile::permissions(made) & all) == ownerOnlyFolder, qPrintable(made));
        }
        // The database itself among the files checked, so that the loop cannot pass on none.
        const QStringList files = QDir(folder).entryList(QDir::Files);
        QVERIFY2(files.contains(QStringLiteral("waybill.db")),
            qPrintable(folder + QStringLiteral(" holds: ") + files.join(u' ')));
        for (const QString &file : files) {
            const QFileDevice::Permissions permissions = QFile::permissions(folder + '/' + file);
            QVERIFY2((permissions & all & ~ownerOnlyFolder) == 0, qPrintable(file));
        }
    }

    // Restarting cannot mend it, and the unit knows the code.
    void databaseOfANewerReleaseExitsWithACodeTheUnitDoesNotRestartOn()
    {
        const QString db = dbUrl(QStringLiteral("newer.db"));
        QString error;
        QVERIFY2(
            !createToken(db, QStringLiteral("first"), QStringLiteral("admin"), &error).isEmpty(),
            qPrintable(error));
        QVERIFY2(runSql(dbPath(QStringLiteral("newer.db")),
                     QStringLiteral("INSERT INTO schema_migrations (version, applied_at) "
                                    "VALUES (999, '2030-01-01T00:00:00Z')"),
                     &error),
            qPrintable(error));

        const CliResult served = runCli({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                                            QStringLiteral("127.0.0.1:0") },
            environment());
        QVERIFY2(served.finished && served.exitCode == 3, served.describe());
        QVERIFY2(served.err.contains("newer"), served.describe());
        const CliResult verified
            = runCli({ QStringLiteral("--db"), db, QStringLiteral("verify") }, environment());
        QVERIFY2(verified.finished && verified.exitCode == 3, verified.describe());

        QFile unit(QStringLiteral(WAYBILL_SOURCE_DIR "/resources/waybill-server.service"));
        QVERIFY(unit.open(QIODevice::ReadOnly));
        static const QRegularExpression prevent(
            QStringLiteral("^RestartPreventExitStatus=(.*)$"), QRegularExpression::MultilineOption);
        const QRegularExpressionMatch match = prevent.match(QString::fromUtf8(unit.readAll()));
        QVERIFY(match.hasMatch());
        QVERIFY2(match.captured(1).split(QLatin1Char(' ')).contains(QStringLiteral("3")),
            qPrintable(match.captured(0)));
    }

    // SIGHUP: new connections get the certificate now on disk, open ones and the service go on;
    // files that do not pass change nothing.
    void sighupTakesNewCertificatesAndKeepsServing()
    {
        const QString live = m_dir.filePath(QStringLiteral("tls-live"));
        const QString firstDir = m_dir.filePath(QStringLiteral("tls-a"));
        const QString secondDir = m_dir.filePath(QStringLiteral("tls-b"));
        QVERIFY(QDir().mkpath(live) && QDir().mkpath(firstDir) && QDir().mkpath(secondDir));
        WAYBILL_TEST_CERTIFICATE(first, firstDir);
        WAYBILL_TEST_CERTIFICATE(second, secondDir);
        const QString cert = live + QStringLiteral("/server.crt");
        const QString key = live + QStringLiteral("/server.key");
        const auto install = [&](const QString &certFrom, const QString &keyFrom) {
            QFile::remove(cert);
            QFile::remove(key);
            return QFile::copy(certFrom, cert) && QFile::copy(keyFrom, key);
        };
        QVERIFY(install(first.certificate, first.key));

        ServerRun server({ QStringLiteral("--db"), dbUrl(QStringLiteral("sighup.db")),
                             QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key },
            environment());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QSslCertificate firstServed = servedCertificate(server.url(), &error);
        QVERIFY2(!firstServed.isNull(), qPrintable(error));
        QCOMPARE(firstServed, QSslCertificate::fromPath(first.certificate).value(0));

        QVERIFY(install(second.certificate, second.key));
        server.sendSignal(SIGHUP);
        QTRY_COMPARE_WITH_TIMEOUT(servedCertificate(server.url(), &error),
            QSslCertificate::fromPath(second.certificate).value(0), 10000);

        // A key of another pair: refused, the running certificate stays.
        QVERIFY(install(first.certificate, second.key));
        server.sendSignal(SIGHUP);
        QTRY_VERIFY_WITH_TIMEOUT(server.stdErr().contains("not reloaded"), 10000);
        QCOMPARE(servedCertificate(server.url(), &error),
            QSslCertificate::fromPath(second.certificate).value(0));

        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
        QVERIFY2(
            server.exitStatus() == QProcess::NormalExit && server.exitCode() == 0, server.stdErr());
    }

    void monitoringTokenReadsMetricsAndNoBusinessData()
    {
        const QString db = dbUrl(QStringLiteral("monitoring.db"));
        QString error;
        const QString token
            = createToken(db, QStringLiteral("prometheus"), QStringLiteral("monitoring"), &error);
        QVERIFY2(!token.isEmpty(), qPrintable(error));
        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        QVERIFY2(server.start(&error), qPrintable(error));
        const auto url = [&](const char *path) {
            return server.url().resolved(QUrl(QString::fromLatin1(path)));
        };

        QCOMPARE(request(url("/health"), token).status, 200);
        const HttpAnswer denied = request(url("/shipments"), token);
        QVERIFY2(denied.status == 403, denied.describe());
        QVERIFY2(request(url("/events"), token).status == 403, "monitoring read the events");

        const HttpAnswer metrics = request(url("/metrics"), token);
        QVERIFY2(metrics.status == 200, metrics.describe());
        for (const QByteArray &expected : { QByteArray("\nprocess_cpu_seconds_total "),
                 QByteArray("\nprocess_resident_memory_bytes "),
                 QByteArray("\nprocess_start_time_seconds "), QByteArray("\nprocess_open_fds "),
                 QByteArray("\nwaybill_build_info{version=\"" WAYBILL_VERSION "\""),
                 QByteArray("\nwaybill_http_requests_total{method=\"GET\",route=\"/health\","
                            "status=\"200\"} 1\n"),
                 QByteArray("\nwaybill_http_requests_total{method=\"GET\",route=\"/shipments\","
                            "status=\"403\"} 1\n") }) {
            QVERIFY2(metrics.body.contains(expected), expected + "\nnot in:\n" + metrics.body);
        }
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
    }

    // Started with the soft limit on open files at 512, below the 1,024 connections it allows
    // by default: it raises the limit to the hard limit, as /metrics shows, and does not warn.
    void serverRaisesItsOpenFileLimitForTheConnectionsItAllows()
    {
        const QString db = dbUrl(QStringLiteral("files.db"));
        QString error;
        const QString token
            = createToken(db, QStringLiteral("prometheus"), QStringLiteral("monitoring"), &error);
        QVERIFY2(!token.isEmpty(), qPrintable(error));
        rlimit saved {};
        QVERIFY(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
        if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 4096)
            QSKIP("the hard limit on open files is below what the default connections need");
        rlimit low = saved;
        low.rlim_cur = 512;
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &low) == 0);
        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        const bool started = server.start(&error); // the server inherits the limit
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &saved) == 0);
        QVERIFY2(started, qPrintable(error));

        const HttpAnswer metrics
            = request(server.url().resolved(QUrl(QStringLiteral("/metrics"))), token);
        QVERIFY2(metrics.status == 200, metrics.describe());
        const QRegularExpressionMatch limit
            = QRegularExpression(QStringLiteral("\\nprocess_max_fds (\\d+)\\n"))
                  .match(QString::fromUtf8(metrics.body));
        QVERIFY2(limit.hasMatch(), metrics.body);
        const quint64 expected
            = saved.rlim_max == RLIM_INFINITY ? quint64(1) << 20 : quint64(saved.rlim_max);
        QCOMPARE(limit.captured(1).toULongLong(), expected);
        QVERIFY2(!server.stdErr().contains("may open at most"), qPrintable(server.stdErr()));
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
    }

    void everyErrorBodyNamesItsErrorAndAMessage()
    {
        const QString db = dbUrl(QStringLiteral("errors.db"));
        QString error;
        const QString admin
            = createToken(db, QStringLiteral("admin"), QStringLiteral("admin"), &error);
        QVERIFY2(!admin.isEmpty(), qPrintable(error));
        const QString monitoring
            = createToken(db, QStringLiteral("prom"), QStringLiteral("monitoring"), &error);
        QVERIFY2(!monitoring.isEmpty(), qPrintable(error));
        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        QVERIFY2(server.start(&error), qPrintable(error));

        struct Case
        {
            const char *what;
            QByteArray method;
            const char *path;
            QString token;
            QByteArray body;
            int status;
        };
        const QList<Case> cases {
            { "no token", "GET", "/shipments", {}, {}, 401 },
            { "unknown token", "GET", "/shipments", QStringLiteral("wrong"), {}, 401 },
            { "role not allowed", "GET", "/shipments", monitoring, {}, 403 },
            { "no such route", "GET", "/nowhere", admin, {}, 404 },
            { "no such shipment", "GET", "/shipments/none-such", admin, {}, 404 },
            { "method not allowed", "DELETE", "/shipments", admin, {}, 405 },
            { "malformed JSON", "POST", "/shipments/s-1/commands/submit", admin, "{not json", 400 },
        };
        for (const Case &c : cases) {
            const HttpAnswer answer
                = request(server.url().resolved(QUrl(QString::fromLatin1(c.path))), c.token, {},
                    c.method, c.body);
            QVERIFY2(answer.status == c.status,
                qPrintable(QString::fromLatin1(c.what) + QStringLiteral(": ")
                    + QString::fromUtf8(answer.describe())));
            const QJsonObject body = answer.object();
            QVERIFY2(!body.value(QStringLiteral("error")).toString().isEmpty()
                    && !body.value(QStringLiteral("message")).toString().isEmpty(),
                qPrintable(QString::fromLatin1(c.what) + QStringLiteral(": ")
                    + QString::fromUtf8(answer.body)));
        }
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
    }

    void forwardedForNamesTheClientOnlyFromTrustedProxies_data()
    {
        QTest::addColumn<QString>("trusted");
        QTest::addColumn<QByteArray>("forwardedFor");
        QTest::addColumn<QString>("loggedPeer");
        QTest::newRow("no proxy trusted: the header is ignored")
            << QString() << QByteArray("203.0.113.9") << QStringLiteral("127.0.0.1");
        QTest::newRow("another proxy trusted: the header is ignored") << QStringLiteral(
            "10.0.0.0/8") << QByteArray("203.0.113.9") << QStringLiteral("127.0.0.1");
        QTest::newRow("trusted proxy: its client")
            << QStringLiteral("127.0.0.1") << QByteArray("203.0.113.9")
            << QStringLiteral("203.0.113.9");
        QTest::newRow("trusted proxy: the entry it appended, not what the client wrote")
            << QStringLiteral("127.0.0.0/8") << QByteArray("198.51.100.66, 203.0.113.9")
            << QStringLiteral("203.0.113.9");
        QTest::newRow("a chain of trusted proxies is skipped")
            << QStringLiteral("127.0.0.1, 10.1.2.0/24") << QByteArray("203.0.113.9, 10.1.2.3")
            << QStringLiteral("203.0.113.9");
        QTest::newRow("garbage leaves the proxy")
            << QStringLiteral("127.0.0.1") << QByteArray("not-an-address")
            << QStringLiteral("127.0.0.1");
    }
    void forwardedForNamesTheClientOnlyFromTrustedProxies()
    {
        QFETCH(QString, trusted);
        QFETCH(QByteArray, forwardedFor);
        QFETCH(QString, loggedPeer);
        const QString config = m_dir.filePath(QStringLiteral("proxies.ini"));
        {
            QFile file(config);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write("[server]\nlisten = 127.0.0.1:0\n");
            if (!trusted.isEmpty())
                file.write("trusted-proxies = " + trusted.toUtf8() + "\n");
        }
        ServerRun server({ QStringLiteral("--config"), config, QStringLiteral("--db"),
                             dbUrl(QStringLiteral("proxies.db")) },
            environment());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const HttpAnswer health = request(server.url().resolved(QUrl(QStringLiteral("/health"))),
            {}, { { "X-Forwarded-For", forwardedFor } });
        QCOMPARE(health.status, 200);
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
        const QStringList lines = QString::fromUtf8(server.stdErr())
                                      .split(QLatin1Char('\n'))
                                      .filter(QStringLiteral("path=/health "));
        QVERIFY2(lines.size() == 1, server.stdErr());
        QVERIFY2(lines.first().contains(QStringLiteral(" peer=") + loggedPeer + QLatin1Char(' ')),
            qPrintable(lines.first()));
    }

    // What docs/audit.md tells an auditor to keep: the last position and its hash.
    void verifyPrintsTheLastPositionAndItsHash()
    {
        const QString path = dbPath(QStringLiteral("verify.db"));
        QString error;
        QVERIFY2(recordSampleHistory(DatabaseUrl::sqlite(path), 3, &error), qPrintable(error));
        const CliResult verified = runCli(
            { QStringLiteral("--db"), QStringLiteral("sqlite:") + path, QStringLiteral("verify") },
            environment());
        QVERIFY2(verified.finished && verified.exitCode == 0, verified.describe());

        QString position;
        QString hash;
        {
            QSqlDatabase db
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("last"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral(
                "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")));
            QVERIFY(query.next());
            position = query.value(0).toString();
            hash = query.value(1).toString();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("last"));
        QVERIFY(position.toLongLong() > 1);
        QVERIFY2(verified.outLines().contains(QStringLiteral("Last position: ") + position),
            verified.describe());
        QVERIFY2(verified.outLines().contains(QStringLiteral("Last hash: ") + hash),
            verified.describe());
    }
};

QTEST_MAIN(TestServerOperations)
#include "tst_serveroperations.moc"
