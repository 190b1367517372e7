// The shipped binaries carry no fault injection: neither waybill-server nor waybill holds a crash
// point's name, and WAYBILL_FAULT naming any point leaves a serving waybill-server unharmed
// through a shipment's whole life, invoice included. The crash tests' harness, built from the
// same engine sources with the points armed, holds every name: the search can find them.
#include "cliprocess.h"
#include "samplehistory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace waybill::test;

namespace {

// The crash points' names, read from the header that defines them, so that a point added there
// is checked here too.
QStringList faultPointNames(QString *error)
{
    const QString path
        = QStringLiteral(WAYBILL_SOURCE_DIR) + QStringLiteral("/core/engine/faultinjection.h");
    QFile header(path);
    if (!header.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + header.errorString();
        return {};
    }
    static const QRegularExpression name(
        QStringLiteral("WAYBILL_FAULT_POINT_NAME\\(\"([^\"]+)\"\\)"));
    QStringList names;
    auto matches = name.globalMatch(QString::fromUtf8(header.readAll()));
    while (matches.hasNext())
        names << matches.next().captured(1);
    if (names.isEmpty())
        *error = path + QStringLiteral(" names no crash point");
    return names;
}

QString builtFile(const QString &relativePath)
{
    return qEnvironmentVariable("WAYBILL_TEST_BINARY_DIR") + QLatin1Char('/') + relativePath;
}

} // namespace

class TestShippedBinaries final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;
    QStringList m_points;

    QProcessEnvironment environment() const
    {
        return isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg")));
    }

    HttpAnswer send(const QByteArray &verb, const QUrl &url, const QString &token,
        const QByteArray &body = QByteArray())
    {
        return httpRequest(m_network, verb, url, token, body, { { "Prefer", "wait=20" } }, 30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(serverBinaryIsBuilt(&error), qPrintable(error));
        m_points = faultPointNames(&error);
        QVERIFY2(!m_points.isEmpty(), qPrintable(error));
    }

    void binaryHoldsNoFaultPointName_data()
    {
        QTest::addColumn<QString>("binary");
        QTest::addColumn<bool>("armed");
        QTest::newRow("waybill-server is shipped without crash points")
            << QStringLiteral("server/waybill-server") << false;
#ifdef WAYBILL_APP_BUILT
        QTest::newRow("waybill is shipped without crash points")
            << QStringLiteral("app/waybill") << false;
#endif
        QTest::newRow("the crash tests' harness has every crash point")
            << QStringLiteral("tests/core/waybill-engine-harness") << true;
    }

    void binaryHoldsNoFaultPointName()
    {
        QFETCH(QString, binary);
        QFETCH(bool, armed);
        QFile file(builtFile(binary));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QByteArray bytes = file.readAll();
        QVERIFY2(bytes.size() > 0, qPrintable(file.fileName()));
        QStringList found;
        QStringList missing;
        for (const QString &needle : m_points + QStringList { QStringLiteral("WAYBILL_FAULT") })
            (bytes.contains(needle.toUtf8()) ? found : missing) << needle;
        if (armed)
            QVERIFY2(missing.isEmpty(),
                qPrintable(QStringLiteral("%1 lacks %2").arg(binary, missing.join(u' '))));
        else
            QVERIFY2(found.isEmpty(),
                qPrintable(QStringLiteral("%1 holds %2").arg(binary, found.join(u' '))));
    }

    void faultEnvironmentLeavesTheServerUnharmed_data()
    {
        QTest::addColumn<QString>("point");
        for (const QString &point : std::as_const(m_points))
            QTest::newRow(qPrintable(QStringLiteral("WAYBILL_FAULT=") + point)) << point;
    }

    // Every command of a shipment's life, and the invoice its delivery makes, pass each point.
    void faultEnvironmentLeavesTheServerUnharmed()
    {
        QFETCH(QString, point);
        const QString name = QString(point).replace(u'-', u'_');
        const QString db = QStringLiteral("sqlite:") + m_dir.filePath(name + QStringLiteral(".db"));
        QString error;
        const QString secret = createTokenWithCli(
            environment(), QStringLiteral("office"), QStringLiteral("admin"), &error, db);
        QVERIFY2(!secret.isEmpty(), qPrintable(error));

        QProcessEnvironment armed = environment();
        armed.insert(QStringLiteral("WAYBILL_FAULT"), point);
        armed.insert(QStringLiteral("WAYBILL_FAULT_AFTER"), QStringLiteral("1"));
        ServerRun server({ QStringLiteral("--db"), db, QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0") },
            armed);
        QVERIFY2(server.start(&error), qPrintable(error));

        const QString shipment = QStringLiteral("/shipments/s-") + name;
        const QString account = QStringLiteral("acct-") + name;
        const QList<QPair<QString, QByteArray>> commands {
            { QStringLiteral("submit"), submitBody(account, 100) },
            { QStringLiteral("assign"), QByteArrayLiteral(R"({"truckId":"t-1"})") },
            { QStringLiteral("ship"), QByteArrayLiteral("{}") },
            { QStringLiteral("deliver"), QByteArrayLiteral("{}") },
        };
        for (const auto &[command, body] : commands) {
            const HttpAnswer answer = send("POST",
                server.url().resolved(QUrl(shipment + QStringLiteral("/commands/") + command)),
                secret, body);
            QVERIFY2(answer.status == 200,
                qPrintable(QStringLiteral("%1: %2 %3 %4")
                               .arg(command)
                               .arg(answer.status)
                               .arg(answer.error, QString::fromUtf8(answer.body))));
        }
        // The invoicer passes its points once the delivery is in: the account owes the cost.
        const QUrl accountUrl = server.url().resolved(QUrl(QStringLiteral("/accounts/") + account));
        QTRY_VERIFY2_WITH_TIMEOUT(
            send("GET", accountUrl, secret).object().value(QStringLiteral("balanceCents")).toInt()
                < 0,
            "the delivery was not invoiced", 20000);
        QCOMPARE(send("GET", server.url().resolved(QUrl(QStringLiteral("/health"))), secret).status,
            200);
        QCOMPARE(server.process().state(), QProcess::Running);

        server.sendSignal(SIGTERM);
        QVERIFY2(server.waitForExit(), "the server did not stop on SIGTERM");
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QVERIFY2(server.exitCode() == 0, server.stdErr());
    }
};

QTEST_GUILESS_MAIN(TestShippedBinaries)
#include "tst_shippedbinaries.moc"
