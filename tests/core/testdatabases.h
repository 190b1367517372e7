// Gives a test a fresh, real database of either kind: a SQLite file in a temporary folder, or a
// new database in a throwaway PostgreSQL cluster started once per test executable.
#pragma once

#include "postgrescluster.h"
#include "store/database.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace waybill::test {

class TestDatabases final
{
public:
    // Adds a "backend" column with rows "sqlite" and "postgres" to a _data function.
    static void addBackendColumn()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgres") << QStringLiteral("postgres");
    }

    // The URL of a new empty database; skips (or fails, when PostgreSQL is required) if the
    // PostgreSQL cluster cannot start.
    DatabaseUrl fresh(const QString &backend)
    {
        ++m_counter;
        if (backend == QLatin1String("sqlite"))
            return DatabaseUrl::sqlite(m_dir.filePath(QStringLiteral("waybill-%1.db").arg(m_counter)));
        if (!m_cluster) {
            m_cluster = std::make_unique<PostgresCluster>();
            if (!m_cluster->start(&m_clusterError))
                m_cluster->stop();
        }
        if (!m_cluster->isRunning()) {
            m_skipReason = QStringLiteral("PostgreSQL unavailable: ") + m_clusterError;
            return {};
        }
        QString error;
        const QString url = m_cluster->createDatabase(QStringLiteral("t%1").arg(m_counter), &error);
        if (url.isEmpty()) {
            m_skipReason = error;
            return {};
        }
        return *DatabaseUrl::parse(url, &error);
    }

    // Why fresh() gave no PostgreSQL database (empty when it did).
    QString skipReason() const { return m_skipReason; }
    PostgresCluster *cluster() { return m_cluster.get(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PostgresCluster> m_cluster;
    QString m_clusterError;
    QString m_skipReason;
    int m_counter = 0;
};

} // namespace waybill::test

// Opens a fresh database of the row's backend into `url`, or skips/fails as the environment says.
#define WAYBILL_FRESH_DATABASE(databases, backend, url)                                                 \
    const waybill::DatabaseUrl url = (databases).fresh(backend);                                        \
    if (url.kind == waybill::DatabaseUrl::Kind::Sqlite && url.path.isEmpty()) {                         \
        if (waybill::test::PostgresCluster::requirePostgres())                                          \
            QFAIL(qPrintable((databases).skipReason()));                                                \
        QSKIP(qPrintable((databases).skipReason()));                                                    \
    }
