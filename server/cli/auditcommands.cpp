#include "auditcommands.h"

#include "audit/chainverifier.h"
#include "audit/csvexport.h"
#include "console.h"
#include "exitcodes.h"
#include "store/readmodels.h"

#include <QCoreApplication>
#include <QSaveFile>

namespace waybill::cli {

int exportEvents(Database &database, const EventFilter &filter, const QString &outFile)
{
    if (outFile.isEmpty()) {
        bool written = true;
        Audit::exportCsv(database, filter, [&](const QByteArray &chunk) {
            written = writeOut(chunk);
            return written;
        });
        if (!written || !flushOut()) {
            printError(
                QCoreApplication::translate("AuditCommands", "cannot write the export to stdout"));
            return ExitFailure;
        }
        return ExitSuccess;
    }

    // A file is replaced only once the whole export is in it: no half export after a failure.
    QSaveFile file(outFile);
    if (!file.open(QIODevice::WriteOnly)) {
        printError(QCoreApplication::translate("AuditCommands", "cannot write %1: %2")
                       .arg(outFile, file.errorString()));
        return ExitFailure;
    }
    const qint64 count = Audit::exportCsv(database, filter,
        [&](const QByteArray &chunk) { return file.write(chunk) == chunk.size(); });
    if (!file.commit()) {
        printError(QCoreApplication::translate("AuditCommands", "cannot write %1: %2")
                       .arg(outFile, file.errorString()));
        return ExitFailure;
    }
    printLine(QCoreApplication::translate("AuditCommands", "Exported to %1. Events: %2")
                  .arg(outFile, QString::number(count)));
    return ExitSuccess;
}

int verifyEvents(Database &database, std::optional<qint64> position, const QString &hash)
{
    const Audit::VerifyResult result = Audit::verifyChain(database, {}, position);
    if (result.ok && position) {
        if (result.lastHash != hash) {
            printLine(QCoreApplication::translate("AuditCommands",
                "The hash chain is intact up to position %1, but its hash there is %2, not %3: "
                "the log is not the one that hash was taken from")
                          .arg(QString::number(*position), result.lastHash, hash));
            return ExitFailure;
        }
        printLine(QCoreApplication::translate("AuditCommands",
            "The hash chain is intact up to position %1 and its hash there is %2. Events "
            "checked: %3")
                      .arg(QString::number(*position), hash, QString::number(result.events)));
        return ExitSuccess;
    }
    if (result.ok) {
        printLine(QCoreApplication::translate(
            "AuditCommands", "The hash chain is intact. Events checked: %1")
                      .arg(result.events));
        // Keep both somewhere else: a later verify that ends on another hash at this position
        // proves a rewrite (docs/audit.md).
        printLine(QCoreApplication::translate("AuditCommands", "Last position: %1")
                      .arg(result.lastPosition));
        printLine(
            QCoreApplication::translate("AuditCommands", "Last hash: %1").arg(result.lastHash));
        return ExitSuccess;
    }
    printLine(
        QCoreApplication::translate("AuditCommands", "The hash chain is broken at position %1: %2")
            .arg(QString::number(result.firstBadPosition), result.reason));
    return ExitFailure;
}

int rebuildProjections(Database &database)
{
    database.migrate();
    ReadModels::rebuild(database);
    const qint64 count = EventStore::count(database.connection());
    printLine(QCoreApplication::translate("AuditCommands", "Rebuilt the read models. Events: %1")
                  .arg(count));
    return ExitSuccess;
}

} // namespace waybill::cli
