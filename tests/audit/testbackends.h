// Fresh, migrated databases for audit tests: a SQLite file, or a database in a throwaway
// PostgreSQL cluster.
#pragma once

#include "postgrescluster.h"
#include "store/database.h"

#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace waybill::test {

class TestBackends final
{
public:
    TestBackends() = default;
    Q_DISABLE_COPY_MOVE(TestBackends)

    static QString sqlite() { return QStringLiteral("sqlite"); }
    static QString postgres() { return QStringLiteral("postgres"); }
    static QStringList all() { return { sqlite(), postgres() }; }

    // A new empty database, migrated, on the named backend (label only names it). nullptr with
    // *why when it cannot be had (PostgreSQL could not start).
    std::unique_ptr<Database> open(const QString &backend, const QString &label, QString *why);

private:
    bool startPostgres(QString *why);

    QTemporaryDir m_dir;
    PostgresCluster m_cluster;
    bool m_triedPostgres = false;
    QString m_postgresError;
    int m_opened = 0;
};

} // namespace waybill::test

// Opens a database for the current test row, or skips the row when PostgreSQL is unavailable
// (fails instead when WAYBILL_REQUIRE_POSTGRES is set, or for SQLite).
#define WAYBILL_OPEN_DATABASE(variable, backends, backend, label)                                  \
    std::unique_ptr<waybill::Database> variable;                                                   \
    do {                                                                                           \
        QString why_;                                                                              \
        variable = (backends).open((backend), (label), &why_);                                     \
        if (!variable) {                                                                           \
            if ((backend) != waybill::test::TestBackends::postgres()                               \
                || waybill::test::PostgresCluster::requirePostgres())                              \
                QFAIL(qPrintable(why_));                                                           \
            QSKIP(qPrintable(why_));                                                               \
        }                                                                                          \
    } while (false)
