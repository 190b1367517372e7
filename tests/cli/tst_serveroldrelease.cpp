// A history written by an earlier release (tests/fixtures/release-96c741c: a SQLite file and a
// PostgreSQL dump made by the waybill-server of commit 96c741c, with what it answered about
// them) opens in this build, is upgraded without any stored event being rewritten, verifies,
// exports the same bytes, answers every field the old release answered with the same value, and
// keeps the old release's tokens working.
#include "cliprocess.h"
#include "domain/timeformat.h"
#include "postgrescluster.h"

#include "store/database.h"
#include "store/schema.h"
#include "store/sql.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace waybill;
using namespace waybill::test;

namespace {

QString fixturePath(const QString &name)
{
    return QStringLiteral(WAYBILL_SOURCE_DIR "/tests/fixtures/release-96c741c/") + name;
}

QByteArray readFixture(const QString &name)
{
    QFile file(fixturePath(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Empty when every field of `old` is in `now` with the same value (objects may have gained
// fields; arrays keep their length and order); else where and how they differ.
QString firstDifference(const QJsonValue &old, const QJsonValue &now, const QString &where)
{
    if (old.isObject()) {
        if (!now.isObject())
            return where + QStringLiteral(": no longer an object");
        const QJsonObject o = old.toObject();
        const QJsonObject n = now.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!n.contains(it.key()))
                return where + QLatin1Char('.') + it.key() + QStringLiteral(": missing");
            const QString d = firstDifference(
                it.value(), n.value(it.key()), where + QLatin1Char('.') + it.key());
            if (!d.isEmpty())
                return d;
        }
        return {};
    }
    if (old.isArray()) {
        if (!now.isArray())
            return where + QStringLiteral(": no longer an array");
        const QJsonArray o = old.toArray();
        const QJsonArray n = now.toArray();
        if (o.size() != n.size())
            return where + QStringLiteral(": %1 items, was %2").arg(n.size()).arg(o.size());
        for (int i = 0; i < o.size(); ++i) {
            const QString d
                = firstDifference(o.at(i), n.at(i), where + QStringLiteral("[%1]").arg(i));
            if (!d.isEmpty())
                return d;
        }
        return {};
    }
    if (old != now)
        return where
            + QStringLiteral(": %1, was %2")
                  .arg(QString::fromUtf8(
                           QJsonDocument(QJsonArray { now }).toJson(QJsonDocument::Compact)),
                      QString::fromUtf8(
                          QJsonDocument(QJsonArray { old }).toJson(QJsonDocument::Compact)));
    return {};
}

// Every stored column of every event, in position order: what "never rewritten" is checked on.
QList<QStringList> storedEvents(const DatabaseUrl &url)
{
    Database database(url);
    QSqlQuery q = runQuery(database.connection(),
        QStringLiteral("SELECT position, stream_id, version, type, timestamp, command_id, "
                       "user_name, correlation_id, data, hash FROM events ORDER BY position"));
    QList<QStringList> rows;
    while (q.next()) {
        QStringList row;
        for (int i = 0; i < q.record().count(); ++i)
            row << q.value(i).toString();
        rows << row;
    }
    q.finish();
    database.closeConnection();
    return rows;
}

int storedSchemaVersion(const DatabaseUrl &url)
{
    Database database(url);
    const int version = schemaVersion(database.connection());
    database.closeConnection();
    return version;
}

struct Answer
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;
    QString error;
};

} // namespace

// The URL of a fresh copy of the old release's database on `backend`, as `url`; else fails (or
// skips, when only PostgreSQL is missing and not required).
#define OPEN_OLD_DATABASE(backend, url)                                                            \
    QString url##Error_;                                                                           \
    const QString url = oldDatabase(backend, &url##Error_);                                        \
    if (url.isEmpty()) {                                                                           \
        if (backend == QLatin1String("postgres") && !PostgresCluster::requirePostgres()            \
            && url##Error_.startsWith(QLatin1String("PostgreSQL is not available")))               \
            QSKIP(qPrintable(url##Error_));                                                        \
        QFAIL(qPrintable(url##Error_));                                                            \
    }

class TestOldRelease final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PostgresCluster m_cluster;
    QString m_clusterError;
    bool m_clusterTried = false;
    int m_counter = 0;
    QNetworkAccessManager m_network;

    QProcessEnvironment environment() const
    {
        return isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
    }

    // A fresh copy of the old release's database on `backend`, as its URL; empty with a reason.
    QString oldDatabase(const QString &backend, QString *error)
    {
        const QString name = QStringLiteral("old_release_%1").arg(++m_counter);
        if (backend == QLatin1String("sqlite")) {
            const QString path = m_dir.filePath(name + QStringLiteral(".sqlite"));
            if (!QFile::copy(fixturePath(QStringLiteral("waybill.sqlite")), path)
                || !QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner)) {
                *error = QStringLiteral("cannot copy the fixture to %1").arg(path);
                return {};
            }
            return QStringLiteral("sqlite:") + path;
        }
        if (!m_clusterTried) {
            m_clusterTried = true;
            if (!m_cluster.start(&m_clusterError))
                m_clusterError = QStringLiteral("PostgreSQL is not available: ") + m_clusterError;
        }
        if (!m_clusterError.isEmpty()) {
            *error = m_clusterError;
            return {};
        }
        const QString url = m_cluster.createDatabase(name, error);
        if (url.isEmpty()
            || !m_cluster.restorePlainDump(
                name, fixturePath(QStringLiteral("postgres.sql")), error))
            return {};
        return url;
    }

    QJsonObject tokens(const QString &backend) const
    {
        return QJsonDocument::fromJson(readFixture(backend + QStringLiteral("/tokens.json")))
            .object();
    }
    QByteArray tokenOf(const QString &backend, const QString &role) const
    {
        return tokens(backend)
            .value(role)
            .toObject()
            .value(QStringLiteral("token"))
            .toString()
            .toUtf8();
    }

    Answer request(const QByteArray &method, const QUrl &url, const QByteArray &token,
        const QByteArray &body = {})
    {
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token);
        if (method == "POST")
            request.setRawHeader("Prefer", "wait=20");
        std::unique_ptr<QNetworkReply> reply(m_network.sendCustomRequest(request, method, body));
        Answer answer;
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 30000)) {
            answer.error = QStringLiteral("no answer in 30 s");
            return answer;
        }
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            answer.headers.insert(name.toLower(), value);
        if (answer.status == 0)
            answer.error = reply->errorString();
        return answer;
    }

    static void backends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgres") << QStringLiteral("postgres");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(serverBinaryIsBuilt(&error), qPrintable(error));
        QVERIFY2(QFile::exists(fixturePath(QStringLiteral("waybill.sqlite"))),
            qPrintable(fixturePath(QStringLiteral("waybill.sqlite"))));
    }

    void upgradeKeepsEveryStoredEventAndItsChain_data() { backends(); }
    void upgradeKeepsEveryStoredEventAndItsChain()
    {
        QFETCH(QString, backend);
        OPEN_OLD_DATABASE(backend, db);
        QString error;
        const std::optional<DatabaseUrl> url = DatabaseUrl::parse(db, &error);
        QVERIFY2(url, qPrintable(error));
        const QList<QStringList> before = storedEvents(*url);
        QCOMPARE(before.size(), 39);
        QCOMPARE(storedSchemaVersion(*url), 2);

        // Serving opens and upgrades the database.
        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        QVERIFY2(server.start(&error), qPrintable(error));
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
        QVERIFY2(server.exitCode() == 0, server.stdErr());
        QCOMPARE(storedSchemaVersion(*url), kSchemaVersion);

        const QList<QStringList> after = storedEvents(*url);
        QCOMPARE(after.size(), before.size());
        for (int i = 0; i < before.size(); ++i)
            QVERIFY2(after.at(i) == before.at(i),
                qPrintable(QStringLiteral("event %1 was rewritten: %2 became %3")
                               .arg(i + 1)
                               .arg(before.at(i).join(QLatin1Char('|')),
                                   after.at(i).join(QLatin1Char('|')))));

        const CliResult verified
            = runCli({ QStringLiteral("--db"), db, QStringLiteral("verify") }, environment());
        QVERIFY2(verified.finished && verified.exitCode == 0, verified.describe());
        QCOMPARE(verified.out, readFixture(backend + QStringLiteral("/verify.txt")));

        const CliResult exported
            = runCli({ QStringLiteral("--db"), db, QStringLiteral("export") }, environment());
        QVERIFY2(exported.finished && exported.exitCode == 0, exported.describe());
        const QByteArray expected = readFixture(backend + QStringLiteral("/export.csv"));
        QVERIFY(!expected.isEmpty());
        QCOMPARE(exported.out, expected);
    }

    void answersEveryOldFieldWithTheSameValue_data() { backends(); }
    void answersEveryOldFieldWithTheSameValue()
    {
        QFETCH(QString, backend);
        OPEN_OLD_DATABASE(backend, db);
        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));

        const QJsonArray answers
            = QJsonDocument::fromJson(readFixture(backend + QStringLiteral("/answers.json")))
                  .array();
        QVERIFY(answers.size() > 90);
        for (const QJsonValue &value : answers) {
            const QJsonObject old = value.toObject();
            const QString path = old.value(QStringLiteral("path")).toString();
            const QString role = old.value(QStringLiteral("role")).toString();
            const Answer now
                = request("GET", server.url().resolved(QUrl(path)), tokenOf(backend, role));
            const QString what = QStringLiteral("GET %1 as %2").arg(path, role);
            QVERIFY2(now.status == old.value(QStringLiteral("status")).toInt(),
                qPrintable(QStringLiteral("%1: %2 %3 %4")
                               .arg(what)
                               .arg(now.status)
                               .arg(QString::fromUtf8(now.body), now.error)));
            const QJsonObject oldHeaders = old.value(QStringLiteral("headers")).toObject();
            for (const QString &header :
                { QStringLiteral("x-total-count"), QStringLiteral("content-type") }) {
                if (oldHeaders.contains(header))
                    QVERIFY2(now.headers.value(header.toUtf8())
                            == oldHeaders.value(header).toString().toUtf8(),
                        qPrintable(QStringLiteral("%1: %2 is %3, was %4")
                                       .arg(what, header,
                                           QString::fromUtf8(now.headers.value(header.toUtf8())),
                                           oldHeaders.value(header).toString())));
            }
            if (old.contains(QStringLiteral("text"))) {
                QVERIFY2(now.body == old.value(QStringLiteral("text")).toString().toUtf8(),
                    qPrintable(what + QStringLiteral(": the CSV differs")));
                continue;
            }
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(now.body, &parseError);
            QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(what));
            const QJsonValue body
                = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
            const QString difference
                = firstDifference(old.value(QStringLiteral("body")), body, QStringLiteral("body"));
            QVERIFY2(difference.isEmpty(), qPrintable(what + QStringLiteral(": ") + difference));
        }
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
    }

    // Invoices of the release before numbers read as stored in the log, and are listed as
    // invoices with the number of their place among the invoices of the log, issued when they
    // were recorded and due 30 days later (no account was opened then).
    void oldInvoicesAreNumberedByTheirPlaceInTheLog_data() { backends(); }
    void oldInvoicesAreNumberedByTheirPlaceInTheLog()
    {
        QFETCH(QString, backend);
        OPEN_OLD_DATABASE(backend, db);
        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QByteArray token = tokenOf(backend, QStringLiteral("finance"));
        const Answer log = request("GET",
            server.url().resolved(QUrl(QStringLiteral("/events?type=invoiced&limit=1000"))), token);
        QVERIFY2(log.status == 200, log.body);
        const QJsonArray invoiced = QJsonDocument::fromJson(log.body).array();
        QVERIFY(invoiced.size() >= 2);
        QHash<QString, QJsonArray> listed; // by account
        for (int n = 0; n < invoiced.size(); ++n) {
            const QJsonObject event = invoiced.at(n).toObject();
            const QJsonObject data = event.value(QStringLiteral("data")).toObject();
            QVERIFY2(!data.contains(QStringLiteral("invoiceNumber")), "stored events never change");
            const QString account = event.value(QStringLiteral("streamId"))
                                        .toString()
                                        .mid(QStringLiteral("account-").size());
            if (!listed.contains(account)) {
                const Answer a = request("GET",
                    server.url().resolved(
                        QUrl(QStringLiteral("/accounts/%1/invoices").arg(account))),
                    token);
                QVERIFY2(a.status == 200, a.body);
                listed.insert(account, QJsonDocument::fromJson(a.body).array());
            }
            QJsonObject invoice;
            for (const QJsonValue &v : listed.value(account)) {
                if (v.toObject().value(QStringLiteral("shipmentId"))
                    == data.value(QStringLiteral("shipmentId")))
                    invoice = v.toObject();
            }
            QCOMPARE(invoice.value(QStringLiteral("invoiceNumber")).toString(),
                QStringLiteral("INV-%1").arg(n + 1, 6, 10, QLatin1Char('0')));
            QCOMPARE(invoice.value(QStringLiteral("amountCents")),
                data.value(QStringLiteral("amountCents")));
            const QString issued = event.value(QStringLiteral("timestamp")).toString();
            QCOMPARE(invoice.value(QStringLiteral("issued")).toString(), issued);
            QCOMPARE(invoice.value(QStringLiteral("due")).toString(),
                toIsoUtc(parseIsoUtc(issued)->addDays(30)));
        }
        // A new invoice takes the next number.
        Answer a = request("POST",
            server.url().resolved(QUrl(QStringLiteral("/shipments/S-1003/commands/deliver"))),
            tokenOf(backend, QStringLiteral("dispatch")), "{}");
        QVERIFY2(a.status == 200, a.body);
        const QString next
            = QStringLiteral("INV-%1").arg(invoiced.size() + 1, 6, 10, QLatin1Char('0'));
        QTRY_VERIFY_WITH_TIMEOUT(
            request("GET",
                server.url().resolved(QUrl(QStringLiteral("/events?type=invoiced&limit=1000"))),
                token)
                .body.contains(next.toLatin1()),
            10000);
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
    }

    void oldTokensKeepTheirNamesAndRoles_data() { backends(); }
    void oldTokensKeepTheirNamesAndRoles()
    {
        QFETCH(QString, backend);
        OPEN_OLD_DATABASE(backend, db);
        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            environment());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QJsonObject all = tokens(backend);
        QCOMPARE(all.size(), 5);
        for (auto it = all.begin(); it != all.end(); ++it) {
            const Answer me = request("GET", server.url().resolved(QUrl(QStringLiteral("/me"))),
                tokenOf(backend, it.key()));
            QVERIFY2(me.status == 200,
                qPrintable(it.key() + QLatin1Char(' ') + QString::fromUtf8(me.body)));
            const QJsonObject owner = QJsonDocument::fromJson(me.body).object();
            QCOMPARE(owner.value(QStringLiteral("role")).toString(), it.key());
            QCOMPARE(owner.value(QStringLiteral("name")),
                it.value().toObject().value(QStringLiteral("name")));
        }

        // Each role may still do its work on the old history, and only its work.
        const auto post = [&](const QString &role, const QString &path, const QByteArray &body) {
            return request("POST", server.url().resolved(QUrl(path)), tokenOf(backend, role), body);
        };
        Answer a = post(QStringLiteral("customer-service"),
            QStringLiteral("/shipments/S-2001/commands/submit"),
            R"({"shipFrom":{"name":"A","line1":"1 St","city":"Dallas","state":"TX","zip":"75201"},)"
            R"("shipTo":{"name":"B","line1":"2 St","city":"Tulsa","state":"OK","zip":"74103"},)"
            R"("weightInPounds":100,"billToAccountId":"acme"})");
        QVERIFY2(a.status == 200, a.body);
        a = post(QStringLiteral("dispatch"), QStringLiteral("/shipments/S-1005/commands/assign"),
            R"({"truckId":"T-1"})");
        QVERIFY2(a.status == 200, a.body);
        a = post(
            QStringLiteral("dispatch"), QStringLiteral("/shipments/S-1003/commands/deliver"), "{}");
        QVERIFY2(a.status == 200, a.body);
        a = post(QStringLiteral("finance"), QStringLiteral("/accounts/globex/commands/payment"),
            R"({"amount":12.5})");
        QVERIFY2(a.status == 200, a.body);
        a = post(QStringLiteral("admin"), QStringLiteral("/shipments/S-1004/commands/ship"), "{}");
        QVERIFY2(a.status == 200, a.body);
        a = post(QStringLiteral("auditor"), QStringLiteral("/shipments/S-1004/commands/cancel"),
            R"({"reason":"x"})");
        QCOMPARE(a.status, 403);
        a = post(
            QStringLiteral("finance"), QStringLiteral("/shipments/S-1005/commands/ship"), "{}");
        QCOMPARE(a.status, 403);
        a = request("GET", server.url().resolved(QUrl(QStringLiteral("/audit/verify"))),
            tokenOf(backend, QStringLiteral("auditor")));
        QVERIFY2(a.status == 200, a.body);
        QCOMPARE(
            QJsonDocument::fromJson(a.body).object().value(QStringLiteral("ok")), QJsonValue(true));
        a = request("GET", server.url().resolved(QUrl(QStringLiteral("/audit/verify"))),
            tokenOf(backend, QStringLiteral("dispatch")));
        QCOMPARE(a.status, 403);
        server.sendSignal(SIGTERM);
        QVERIFY(server.waitForExit());
    }
};

QTEST_GUILESS_MAIN(TestOldRelease)
#include "tst_serveroldrelease.moc"
