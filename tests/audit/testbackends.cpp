#include "testbackends.h"

#include "store/sql.h"

#include <QRegularExpression>

namespace waybill::test {

bool TestBackends::startPostgres(QString *why)
{
    if (!m_triedPostgres) {
        m_triedPostgres = true;
        QString error;
        if (!m_cluster.start(&error))
            m_postgresError = QStringLiteral("PostgreSQL is not available: ") + error;
    }
    if (!m_postgresError.isEmpty()) {
        *why = m_postgresError;
        return false;
    }
    return true;
}

std::unique_ptr<Database> TestBackends::open(
    const QString &backend, const QString &label, QString *why)
{
    if (!m_dir.isValid()) {
        *why = QStringLiteral("cannot create a temporary folder");
        return nullptr;
    }
    // Database and file names from the row label: letters, digits and '_' only, unique.
    QString name = label.toLower();
    name.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("_"));
    name = QStringLiteral("t%1_%2").arg(++m_opened).arg(name.left(40));

    std::unique_ptr<Database> database;
    if (backend == sqlite()) {
        database = std::make_unique<Database>(
            DatabaseUrl::sqlite(m_dir.filePath(name + QStringLiteral(".db"))));
    } else if (backend == postgres()) {
        if (!startPostgres(why))
            return nullptr;
        QString error;
        const QString url = m_cluster.createDatabase(name, &error);
        if (url.isEmpty()) {
            *why = QStringLiteral("cannot create PostgreSQL database %1: %2").arg(name, error);
            return nullptr;
        }
        const std::optional<DatabaseUrl> parsed = DatabaseUrl::parse(url, &error);
        if (!parsed) {
            *why = QStringLiteral("bad PostgreSQL URL %1: %2").arg(url, error);
            return nullptr;
        }
        database = std::make_unique<Database>(*parsed);
    } else {
        *why = QStringLiteral("unknown backend %1").arg(backend);
        return nullptr;
    }
    try {
        database->migrate();
    } catch (const StoreError &e) {
        *why = QStringLiteral("cannot migrate the %1 database: %2").arg(backend, e.message());
        return nullptr;
    }
    return database;
}

} // namespace waybill::test
