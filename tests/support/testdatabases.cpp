#include "testdatabases.h"

#include "exitwatch.h"

#include "store/sql.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QThread>

namespace waybill::test {

TestDatabases::TestDatabases()
{
    watchTheProcessEnd();
}

void TestDatabases::addBackendColumn()
{
    QTest::addColumn<QString>("backend");
    for (const QString &backend : all())
        QTest::newRow(qPrintable(backend)) << backend;
}

void TestDatabases::unavailable(const QString &why, bool postgresMissing)
{
    m_why = why;
    m_maySkip = postgresMissing && !PostgresCluster::requirePostgres();
}

bool TestDatabases::startPostgres()
{
    if (!m_cluster) {
        m_cluster = std::make_unique<PostgresCluster>();
        QString error;
        if (!m_cluster->start(&error)) {
            m_cluster->stop();
            m_clusterError = QStringLiteral("PostgreSQL is not available: ") + error;
        }
    }
    if (!m_clusterError.isEmpty()) {
        unavailable(m_clusterError, true);
        return false;
    }
    return true;
}

bool TestDatabases::recyclePostgresWal(int segments, QString *error)
{
    if (!startPostgres()) {
        if (error)
            *error = m_why;
        return false;
    }
    return m_cluster->recycleWalSegments(segments, error);
}

std::optional<DatabaseUrl> TestDatabases::fresh(const QString &backend, const QString &label)
{
    m_why.clear();
    m_maySkip = false;
    if (!m_dir.isValid()) {
        unavailable(QStringLiteral("cannot create a temporary folder: ") + m_dir.errorString());
        return std::nullopt;
    }
    // A name of letters, digits and '_' only (a valid PostgreSQL database name), unique here.
    QString name = QStringLiteral("t%1").arg(++m_counter);
    if (!label.isEmpty()) {
        QString tail = label.toLower();
        tail.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("_"));
        name += QLatin1Char('_') + tail.left(40);
    }

    if (backend == sqlite())
        return DatabaseUrl::sqlite(m_dir.filePath(name + QStringLiteral(".db")));
    if (backend != postgres()) {
        unavailable(QStringLiteral("unknown backend %1").arg(backend));
        return std::nullopt;
    }
    if (!startPostgres())
        return std::nullopt;
    QString error;
    const QString url = m_cluster->createDatabase(name, &error);
    if (url.isEmpty()) {
        unavailable(QStringLiteral("cannot create PostgreSQL database %1: %2").arg(name, error));
        return std::nullopt;
    }
    std::optional<DatabaseUrl> parsed = DatabaseUrl::parse(url, &error);
    if (!parsed)
        unavailable(QStringLiteral("bad PostgreSQL URL %1: %2").arg(url, error));
    return parsed;
}

std::unique_ptr<Database> TestDatabases::open(const QString &backend, const QString &label)
{
    const std::optional<DatabaseUrl> url = fresh(backend, label);
    if (!url)
        return nullptr;
    auto database = std::make_unique<Database>(*url);
    try {
        database->migrate();
    } catch (const StoreError &e) {
        unavailable(QStringLiteral("cannot migrate the %1 database: %2").arg(backend, e.message()));
        return nullptr;
    }
    return database;
}

TruncatedLog truncateWriteAheadLog(const QSqlDatabase &db)
{
    TruncatedLog result;
    for (QDeadlineTimer patience(5000);; QThread::msleep(20)) {
        QSqlQuery q = runQuery(db, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        if (!q.next())
            return {};
        result = { q.value(0).toInt(), q.value(1).toInt(), q.value(2).toInt() };
        const bool checkpointerBusy = result.busy != 0 && result.log == -1;
        if (!checkpointerBusy || patience.hasExpired())
            return result;
    }
}

int sqlitePageCacheSetting(const QSqlDatabase &db)
{
    QSqlQuery q = runQuery(db, QStringLiteral("PRAGMA cache_size"));
    return q.next() ? q.value(0).toInt() : 0;
}

void writeBallastPages(Database &database, int pages)
{
    for (int written = 0; written < pages; written += 100) {
        WriteTransaction tx(database);
        runQuery(tx.db(), QStringLiteral("CREATE TABLE IF NOT EXISTS ballast (b BLOB)"));
        runQuery(tx.db(),
            QStringLiteral(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                "WHERE i < 100) INSERT INTO ballast (b) SELECT randomblob(3896) FROM n"));
        tx.commit();
    }
}

} // namespace waybill::test
