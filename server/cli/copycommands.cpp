#include "copycommands.h"

#include "audit/chainverifier.h"
#include "audit/historycopy.h"
#include "console.h"
#include "databaseaccess.h"
#include "exitcodes.h"
#include "store/schema.h"
#include "store/sqlitebackup.h"
#include "store/tablecopy.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

namespace waybill::cli {

namespace {

class CopyText final
{
    Q_DECLARE_TR_FUNCTIONS(CopyCommands)
};

// A page's report at most once a second, and every table's start and end.
class ProgressPrinter final
{
public:
    ProgressPrinter() { m_sincePrint.start(); }

    void operator()(const Audit::CopyProgress &p)
    {
        switch (p.stage) {
        case Audit::CopyProgress::Stage::Copying:
            if (p.tableBegins) {
                printError(CopyText::tr("copying %1 (%2 rows)").arg(p.table).arg(p.tableTotal));
                m_sincePrint.restart();
                return;
            }
            if (p.tableRows < p.tableTotal && m_sincePrint.elapsed() < 1000)
                return;
            printError(CopyText::tr("copied %1 of %2 rows of %3; %4 of %5 rows in all")
                           .arg(p.tableRows)
                           .arg(p.tableTotal)
                           .arg(p.table)
                           .arg(p.rows)
                           .arg(p.total));
            m_sincePrint.restart();
            return;
        case Audit::CopyProgress::Stage::Verifying:
            printError(CopyText::tr("verifying the copy at the target"));
            return;
        case Audit::CopyProgress::Stage::Done:
            return;
        }
    }

private:
    QElapsedTimer m_sincePrint;
};

} // namespace

int copyDatabase(const QString &from, const QString &to)
{
    const DatabaseUrl sourceUrl = *DatabaseUrl::parse(from, nullptr);
    const DatabaseUrl targetUrl = *DatabaseUrl::parse(to, nullptr);
    QString error;
    ServerConfig sourceConfig;
    sourceConfig.database = sourceUrl;
    ServerConfig targetConfig;
    targetConfig.database = targetUrl;
    // The source must be there; a SQLite target is made, user-only, where it is missing.
    if (!requireExistingDatabase(sourceConfig, &error)
        || !prepareDatabaseLocation(targetConfig, &error)) {
        printError(error);
        return ExitFailure;
    }
    Database source(sourceUrl);
    Database target(targetUrl);
    try {
        ProgressPrinter printer;
        const Audit::CopyResult result = Audit::copyHistory(
            source, target, [&printer](const Audit::CopyProgress &p) { printer(p); });
        if (!result.ok) {
            printError(result.error);
            return ExitFailure;
        }
        printLine(CopyText::tr("Copied %1 rows, %2 events of them, from %3 to %4.")
                      .arg(QString::number(result.rows), QString::number(result.events),
                          sourceUrl.toDisplayString(), targetUrl.toDisplayString()));
        printLine(CopyText::tr("The hash chain at the target is intact. Last position: %1")
                      .arg(result.lastPosition));
        printLine(CopyText::tr("Last hash: %1").arg(result.lastHash));
        return ExitSuccess;
    } catch (const SchemaTooNewError &e) {
        printError(CopyText::tr("copy failed: %1").arg(e.message()));
        return ExitDatabaseTooNew;
    } catch (const StoreError &e) {
        printError(CopyText::tr("copy failed: %1").arg(e.message()));
        bool marked = false;
        try {
            marked = TableCopy::hasMarker(target.connection());
        } catch (const StoreError &) {
            // The target cannot even be asked: the error above says why.
        }
        if (marked)
            printError(
                CopyText::tr("%1 is marked as an unfinished copy and will not be served; empty it "
                             "and copy again")
                    .arg(targetUrl.toDisplayString()));
        return ExitFailure;
    }
}

int backupDatabase(Database &database, const QString &outFile)
{
    if (database.isPostgres()) {
        printError(CopyText::tr(
            "backup writes SQLite databases only; for PostgreSQL use pg_dump, e.g. "
            "pg_dump --format=custom --file=waybill.dump DBNAME (docs/operations.md)"));
        return ExitFailure;
    }
    if (QFileInfo::exists(outFile)) {
        printError(CopyText::tr("%1 exists already: backup writes a new file only").arg(outFile));
        return ExitFailure;
    }
    backupSqlite(database, outFile);
    Database copy(DatabaseUrl::sqlite(outFile));
    refuseNewerSchema(copy.connection());
    const Audit::VerifyResult verified = Audit::verifyChain(copy);
    copy.closeConnection();
    if (!verified.ok) {
        printError(
            CopyText::tr("the backup %1 was written, but its hash chain is broken at position %2: "
                         "%3")
                .arg(outFile, QString::number(verified.firstBadPosition), verified.reason));
        return ExitFailure;
    }
    printLine(CopyText::tr("Backed up to %1. The hash chain is intact. Events checked: %2")
                  .arg(outFile)
                  .arg(verified.events));
    printLine(CopyText::tr("Last position: %1").arg(verified.lastPosition));
    printLine(CopyText::tr("Last hash: %1").arg(verified.lastHash));
    return ExitSuccess;
}

} // namespace waybill::cli
