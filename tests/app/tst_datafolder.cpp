// The desktop's data folder is the user's alone: the folder is made 0700 and waybill.db with its
// -wal and -shm files 0600, whatever the umask, and what an earlier version left readable by
// other users is tightened at the next start.
#include "apptestsupport.h"
#include "client/apiclient.h"
#include "embedded/embeddedserver.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace waybill::app;

namespace {

// The permission bits of a path (-1 when it is missing).
int modeOf(const QString &path)
{
    struct stat status
    {
    };
    if (stat(QFile::encodeName(path).constData(), &status) != 0)
        return -1;
    return int(status.st_mode & 07777);
}

QString octal(int mode)
{
    return mode < 0 ? QStringLiteral("missing") : QString::number(mode, 8);
}

// Sets the process's umask for the scope, and puts the old one back.
class Umask final
{
public:
    explicit Umask(mode_t mask)
        : m_old(umask(mask))
    { }
    ~Umask() { umask(m_old); }
    Q_DISABLE_COPY_MOVE(Umask)

private:
    mode_t m_old;
};

// Starts the embedded server on this database, records one command (so that the WAL is
// written), and checks the modes while it runs.
void runOnce(const QString &databaseFile, const QString &tokenFile)
{
    EmbeddedServer server({ databaseFile, tokenFile, QStringLiteral("someone"), {} });
    QSignalSpy ready(&server, &EmbeddedServer::ready);
    QSignalSpy failed(&server, &EmbeddedServer::failed);
    server.start();
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 30000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    ApiClient api(server.url(), server.token());
    QCOMPARE(test::runCommands(&api, { test::payment(QStringLiteral("acme"), 12.5) }), QString());
    QVERIFY(QFile::exists(databaseFile + QStringLiteral("-wal")));
    QVERIFY(QFile::exists(databaseFile + QStringLiteral("-shm")));
    server.stop();
}

} // namespace

class TestDataFolder final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void freshFolderAndDatabaseAreUserOnlyUnderAPermissiveUmask();
    void looseFolderAndFilesAreTightenedAtTheNextStart();

private:
    QTemporaryDir m_settings;
};

void TestDataFolder::initTestCase()
{
    test::isolateSettings(m_settings.path());
}

void TestDataFolder::freshFolderAndDatabaseAreUserOnlyUnderAPermissiveUmask()
{
    QTemporaryDir home;
    const QString folder = home.filePath(QStringLiteral("share/waybill"));
    const QString database = folder + QStringLiteral("/waybill.db");
    const Umask permissive(0);
    // While the server runs (the -wal and -shm files exist only then), and after.
    EmbeddedServer server(
        { database, home.filePath(QStringLiteral("token.json")), QStringLiteral("someone"), {} });
    QSignalSpy ready(&server, &EmbeddedServer::ready);
    server.start();
    QVERIFY(ready.wait(30000));
    ApiClient api(server.url(), server.token());
    QCOMPARE(test::runCommands(&api, { test::payment(QStringLiteral("acme"), 12.5) }), QString());
    QCOMPARE(octal(modeOf(folder)), QStringLiteral("700"));
    for (const QString &suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") })
        QCOMPARE(octal(modeOf(database + suffix)), QStringLiteral("600"));
    server.stop();
    QCOMPARE(octal(modeOf(database)), QStringLiteral("600"));
    QCOMPARE(octal(modeOf(folder)), QStringLiteral("700"));
}

void TestDataFolder::looseFolderAndFilesAreTightenedAtTheNextStart()
{
    QTemporaryDir home;
    const QString folder = home.filePath(QStringLiteral("waybill"));
    const QString database = folder + QStringLiteral("/waybill.db");
    const QString token = home.filePath(QStringLiteral("token.json"));
    const Umask permissive(0);
    runOnce(database, token);
    // As an earlier version left them: readable by everyone.
    QVERIFY(chmod(QFile::encodeName(folder).constData(), 0755) == 0);
    QVERIFY(chmod(QFile::encodeName(database).constData(), 0644) == 0);
    runOnce(database, token);
    QCOMPARE(octal(modeOf(folder)), QStringLiteral("700"));
    QCOMPARE(octal(modeOf(database)), QStringLiteral("600"));
}

QTEST_MAIN(TestDataFolder)
#include "tst_datafolder.moc"
