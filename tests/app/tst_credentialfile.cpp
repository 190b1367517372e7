// Tokens kept on disk are readable by their owner only, and a file is replaced whole or not at all.
#include "session/credentialfile.h"
#include "session/remoteconnection.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace waybill::app;

class TestCredentialFile final : public QObject
{
    Q_OBJECT
private slots:
    void writtenFileIsReadableByItsOwnerOnly();
    void rewritingKeepsOwnerOnlyPermissions();
    void missingFileReadsAsEmpty();
    void rememberedConnectionRoundTrips();
};

void TestCredentialFile::writtenFileIsReadableByItsOwnerOnly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config/deeper/token.json"));
    CredentialFile file(path);
    QString error;
    QVERIFY2(file.write({ { QStringLiteral("token"), QStringLiteral("wb_secret") } }, &error),
        qPrintable(error));
    const QFile::Permissions permissions = QFile::permissions(path);
    QCOMPARE(permissions
            & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther
                | QFile::ExeGroup | QFile::ExeOther),
        QFile::Permissions());
    QVERIFY(permissions & QFile::ReadOwner);
    QCOMPARE(file.read().value(QLatin1String("token")).toString(), QStringLiteral("wb_secret"));
}

void TestCredentialFile::rewritingKeepsOwnerOnlyPermissions()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("token.json"));
    {
        QFile loose(path);
        QVERIFY(loose.open(QIODevice::WriteOnly));
        loose.write("{}");
    }
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
    QString error;
    QVERIFY2(
        CredentialFile(path).write({ { QStringLiteral("token"), QStringLiteral("new") } }, &error),
        qPrintable(error));
    QVERIFY2(!(QFile::permissions(path) & QFile::ReadOther),
        "a rewritten token file must not stay readable by others");
}

void TestCredentialFile::missingFileReadsAsEmpty()
{
    QTemporaryDir dir;
    QVERIFY(CredentialFile(dir.filePath(QStringLiteral("none.json"))).read().isEmpty());
}

void TestCredentialFile::rememberedConnectionRoundTrips()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("connection.json"));
    const RemoteConnection saved { QUrl(QStringLiteral("https://depot.example:8443")),
        QStringLiteral("wb_x"), true };
    QString error;
    QVERIFY2(saved.save(path, &error), qPrintable(error));
    const RemoteConnection loaded = RemoteConnection::load(path);
    QCOMPARE(loaded.serverUrl, saved.serverUrl);
    QCOMPARE(loaded.token, saved.token);
    QCOMPARE(loaded.connectAtStart, true);
    QVERIFY(!(QFile::permissions(path) & QFile::ReadOther));
}

QTEST_GUILESS_MAIN(TestCredentialFile)
#include "tst_credentialfile.moc"
