// API tokens: made random, kept only as salted hashes, found by their public id, revocable.
#include "testdatabases.h"

#include "store/sql.h"
#include "tokenstore.h"

#include <QCryptographicHash>
#include <QTest>

using namespace waybill;
using namespace waybill::test;

class TestTokenStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roleNamesRoundTrip();
    void createdTokenAuthenticatesWithItsRole_data() { TestDatabases::addBackendColumn(); }
    void createdTokenAuthenticatesWithItsRole();
    void onlyASaltedHashIsStored();
    void duplicateOrInvalidNameIsRefused();
    void listShowsNamesRolesAndTimesButNoSecrets();
    void revokeStopsTheTokenAtOnceForEveryStore_data() { TestDatabases::addBackendColumn(); }
    void revokeStopsTheTokenAtOnceForEveryStore();
    void revokedAmongNamesTheRevokedPublicIds_data() { TestDatabases::addBackendColumn(); }
    void revokedAmongNamesTheRevokedPublicIds();
    void revocationIsAnnouncedInThisProcessAfterItCommitted();
    void alteredTokensAreRefused_data();
    void alteredTokensAreRefused();
    void aRequestsTokenIsLookedUpByAPlanMadeOnceOnPostgres();

private:
    TestDatabases m_databases;
};

#define OPEN_DATABASE(backend) WAYBILL_OPEN_DATABASE(database, m_databases, backend, QString())

void TestTokenStore::roleNamesRoundTrip()
{
    for (Role role :
        { Role::CustomerService, Role::Dispatch, Role::Finance, Role::Auditor, Role::Admin })
        QCOMPARE(roleFromName(roleName(role)), std::optional<Role>(role));
    QCOMPARE(roleName(Role::CustomerService), QStringLiteral("customer-service"));
    QVERIFY(!roleFromName(QStringLiteral("root")));
}

void TestTokenStore::createdTokenAuthenticatesWithItsRole()
{
    QFETCH(QString, backend);
    OPEN_DATABASE(backend);
    TokenStore tokens(*database);
    const QString finance = tokens.create(QStringLiteral("fiona"), Role::Finance);
    const QString admin = tokens.create(QStringLiteral("ada"), Role::Admin);
    QVERIFY(TokenStore::isWellFormed(finance));
    QVERIFY(finance != admin);
    QVERIFY2(!finance.contains(QLatin1String("fiona")), "a token does not reveal its name");
    // A fresh store over the same database (another process) knows them too.
    TokenStore other(*database);
    const auto owner = other.authenticate(finance);
    QVERIFY(owner);
    QCOMPARE(owner->name, QStringLiteral("fiona"));
    QCOMPARE(owner->role, Role::Finance);
    QCOMPARE(other.authenticate(admin)->role, Role::Admin);
    QCOMPARE(owner->publicId, TokenStore::publicIdOf(finance));
}

void TestTokenStore::onlyASaltedHashIsStored()
{
    OPEN_DATABASE(QStringLiteral("sqlite"));
    TokenStore tokens(*database);
    const QString token = tokens.create(QStringLiteral("sam"), Role::Dispatch);
    QSqlQuery q = runQuery(
        database->connection(), QStringLiteral("SELECT name, role, salt, hash FROM tokens"));
    QVERIFY(q.next());
    const QString salt = q.value(2).toString();
    const QString hash = q.value(3).toString();
    QCOMPARE(q.value(1).toString(), QStringLiteral("dispatch"));
    QVERIFY(!salt.isEmpty());
    QVERIFY(token.contains(salt)); // the salt is the token's public id
    QCOMPARE(hash,
        QString::fromLatin1(
            QCryptographicHash::hash((salt + token).toUtf8(), QCryptographicHash::Sha256).toHex()));
    const QString secret = token.mid(QStringLiteral("wb_").size() + 16 + 1);
    for (int column = 0; column < 4; ++column)
        QVERIFY2(!q.value(column).toString().contains(secret.left(20)),
            "the secret itself is never stored");
}

void TestTokenStore::duplicateOrInvalidNameIsRefused()
{
    OPEN_DATABASE(QStringLiteral("sqlite"));
    TokenStore tokens(*database);
    tokens.create(QStringLiteral("sam"), Role::Dispatch);
    QVERIFY_THROWS_EXCEPTION(StoreError, tokens.create(QStringLiteral("sam"), Role::Admin));
    QVERIFY_THROWS_EXCEPTION(StoreError, tokens.create(QString(), Role::Admin));
    QVERIFY_THROWS_EXCEPTION(StoreError, tokens.create(QStringLiteral("two words"), Role::Admin));
    QCOMPARE(tokens.list().size(), 1);
    QCOMPARE(tokens.list().first().role, Role::Dispatch);
}

void TestTokenStore::listShowsNamesRolesAndTimesButNoSecrets()
{
    OPEN_DATABASE(QStringLiteral("sqlite"));
    TokenStore tokens(*database);
    tokens.create(QStringLiteral("zed"), Role::Auditor);
    tokens.create(QStringLiteral("amy"), Role::CustomerService);
    const QVector<TokenInfo> list = tokens.list();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).name, QStringLiteral("amy"));
    QCOMPARE(list.at(0).role, Role::CustomerService);
    QCOMPARE(list.at(1).name, QStringLiteral("zed"));
    QVERIFY(list.at(1).createdAt.endsWith(QLatin1Char('Z')));
}

void TestTokenStore::revokeStopsTheTokenAtOnceForEveryStore()
{
    QFETCH(QString, backend);
    OPEN_DATABASE(backend);
    TokenStore tokens(*database);
    const QString token = tokens.create(QStringLiteral("temp"), Role::Dispatch);
    QVERIFY(tokens.authenticate(token));
    // Another store over the database (another process, another server) revokes it.
    TokenStore admin(*database);
    QVERIFY(admin.revoke(QStringLiteral("temp")));
    QVERIFY(!admin.revoke(QStringLiteral("temp")));
    QVERIFY(!tokens.authenticate(token));
    // The name is free again, and the old token does not come back with it.
    const QString renewed = tokens.create(QStringLiteral("temp"), Role::Admin);
    QVERIFY(!tokens.authenticate(token));
    QCOMPARE(tokens.authenticate(renewed)->role, Role::Admin);
}

void TestTokenStore::revokedAmongNamesTheRevokedPublicIds()
{
    QFETCH(QString, backend);
    OPEN_DATABASE(backend);
    TokenStore tokens(*database);
    QSet<QString> all;
    QStringList names;
    // More than one batch of the IN list.
    for (int i = 0; i < 70; ++i) {
        names << QStringLiteral("t%1").arg(i);
        all << TokenStore::publicIdOf(tokens.create(names.last(), Role::Auditor));
    }
    const QString unknown = QStringLiteral("0123456789abcdef");
    QVERIFY(TokenStore::revokedAmong(database->connection(), all).isEmpty());
    QCOMPARE(
        TokenStore::revokedAmong(database->connection(), { unknown }), QSet<QString> { unknown });
    QVERIFY(tokens.revoke(QStringLiteral("t3")));
    QVERIFY(tokens.revoke(QStringLiteral("t69")));
    const QSet<QString> revoked = TokenStore::revokedAmong(database->connection(), all);
    QCOMPARE(revoked.size(), 2);
    for (const TokenInfo &t : tokens.list())
        QVERIFY(!revoked.contains(t.publicId));
}

void TestTokenStore::revocationIsAnnouncedInThisProcessAfterItCommitted()
{
    OPEN_DATABASE(QStringLiteral("sqlite"));
    TokenStore tokens(*database);
    const QString token = tokens.create(QStringLiteral("kim"), Role::Finance);
    bool revokedWhenAnnounced = false;
    QStringList announced;
    const QMetaObject::Connection watch = connect(&TokenRevocations::instance(),
        &TokenRevocations::revoked, this, [&](const QString &db, const QString &name) {
            QCOMPARE(db, TokenRevocations::databaseKey(*database));
            announced << name;
            // Another connection sees it revoked already: it was committed first.
            revokedWhenAnnounced = !TokenStore(*database).authenticate(token);
        });
    QVERIFY(tokens.revoke(QStringLiteral("kim")));
    QVERIFY(!tokens.revoke(QStringLiteral("kim")));
    disconnect(watch);
    QCOMPARE(announced, QStringList { QStringLiteral("kim") });
    QVERIFY(revokedWhenAnnounced);
}

void TestTokenStore::alteredTokensAreRefused_data()
{
    QTest::addColumn<int>("position");
    QTest::newRow("prefix") << 0;
    QTest::newRow("public id") << 5;
    QTest::newRow("secret start") << 21;
    QTest::newRow("secret end") << 62;
    QTest::newRow("shortened") << -1;
}

void TestTokenStore::alteredTokensAreRefused()
{
    QFETCH(int, position);
    OPEN_DATABASE(QStringLiteral("sqlite"));
    TokenStore tokens(*database);
    const QString token = tokens.create(QStringLiteral("eve"), Role::Admin);
    QString altered = token;
    if (position < 0)
        altered.chop(1);
    else
        altered[position]
            = altered.at(position) == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
    QVERIFY(!tokens.authenticate(altered));
    QVERIFY(tokens.authenticate(token));
}

void TestTokenStore::aRequestsTokenIsLookedUpByAPlanMadeOnceOnPostgres()
{
    OPEN_DATABASE(TestDatabases::postgres());
    TokenStore tokens(*database);
    const QString secret = tokens.create(QStringLiteral("fiona"), Role::Finance);
    for (int request = 0; request < 8; ++request)
        QCOMPARE(tokens.authenticate(secret)->name, QStringLiteral("fiona"));
    // The connection a request's lookups are made on (this thread's) planned the lookup once,
    // generically, and used that plan for every request.
    QSqlQuery plans = runQuery(database->lookupConnection(),
        QStringLiteral("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                       "WHERE statement LIKE '%FROM tokens WHERE salt%'"));
    QVERIFY(plans.next());
    QCOMPARE(plans.value(0).toLongLong(), 8);
    QCOMPARE(plans.value(1).toLongLong(), 0);
}

QTEST_GUILESS_MAIN(TestTokenStore)
#include "tst_tokenstore.moc"
