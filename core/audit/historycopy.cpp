#include "historycopy.h"

#include "chainverifier.h"
#include "domain/timeformat.h"
#include "store/eventstore.h"
#include "store/schema.h"
#include "store/tablecopy.h"

#include <QCoreApplication>
#include <QHash>

namespace waybill::Audit {

namespace {

class CopyText final
{
    Q_DECLARE_TR_FUNCTIONS(HistoryCopy)
};

} // namespace

CopyResult copyHistory(Database &source, Database &target,
    const std::function<void(const CopyProgress &)> &progress, int pageRows)
{
    CopyResult result;
    const auto report = [&progress](const CopyProgress &p) {
        if (progress)
            progress(p);
    };

    {
        const QSqlDatabase db = source.connection();
        if (refuseNewerSchema(db) == 0) {
            result.error
                = CopyText::tr("%1 holds no Waybill history").arg(source.url().toDisplayString());
            return result;
        }
    }
    // A source written by an older release is brought up to date first, as a server starting on
    // it would: the copy reads and writes this build's tables.
    if (schemaVersion(source.connection()) < kSchemaVersion)
        source.migrate();

    // The check, the target's schema and the mark in one transaction: two copies started into
    // one database at once cannot both pass, and a copy that dies here leaves it as it was.
    {
        WriteTransaction tx(target);
        const QString why = TableCopy::whyNotEmpty(tx.db());
        if (!why.isEmpty()) {
            result.refused = true;
            result.error = CopyText::tr("will not copy into %1: %2")
                               .arg(target.url().toDisplayString(), why);
            return result;
        }
        applyMigrations(tx.db(), target.isPostgres());
        TableCopy::writeMarker(
            tx.db(), source.url().toDisplayString(), toIsoUtc(QDateTime::currentDateTimeUtc()));
        tx.commit();
    }

    const QVector<TableCopy::Table> tables = TableCopy::tables(target.connection());
    ChainHead sourceHead;
    QHash<QString, qint64> totals;
    CopyProgress p;
    {
        // One snapshot of the source for the whole copy: a server that goes on writing to it
        // meanwhile does not tear the copy (what it writes after the start is not copied).
        const HistoryWalk walk(source);
        ReadTransaction snapshot(source);
        sourceHead = EventStore::readHead(snapshot.db());
        for (const TableCopy::Table &table : tables) {
            totals[table.name] = TableCopy::rowCount(snapshot.db(), table.name);
            p.total += totals[table.name];
        }
        for (const TableCopy::Table &table : tables) {
            p.table = table.name;
            p.tableRows = 0;
            p.tableTotal = totals[table.name];
            p.tableBegins = true;
            report(p);
            p.tableBegins = false;
            QVariantList after;
            for (;;) {
                WriteTransaction tx(target);
                const int rows
                    = TableCopy::copyPage(snapshot.db(), tx.db(), table, &after, pageRows);
                tx.commit();
                p.tableRows += rows;
                p.rows += rows;
                if (rows > 0)
                    report(p);
                if (rows < pageRows)
                    break;
            }
        }
    }
    {
        WriteTransaction tx(target);
        TableCopy::finishTarget(tx.db());
        tx.commit();
    }

    p.stage = CopyProgress::Stage::Verifying;
    report(p);
    // Every row arrived, and the chain at the target is whole and ends where the source's did.
    {
        const QSqlDatabase db = target.connection();
        for (const TableCopy::Table &table : tables) {
            const qint64 copied = TableCopy::rowCount(db, table.name);
            if (copied != totals.value(table.name)) {
                result.error = CopyText::tr("the copy is not whole: %1 has %2 rows at the target "
                                            "and %3 at the source")
                                   .arg(table.name)
                                   .arg(copied)
                                   .arg(totals.value(table.name));
                return result;
            }
        }
    }
    const VerifyResult verified = verifyChain(target);
    if (!verified.ok) {
        result.error = CopyText::tr("the hash chain at the target is broken at position %1: %2")
                           .arg(verified.firstBadPosition)
                           .arg(verified.reason);
        return result;
    }
    if (verified.lastPosition != sourceHead.position
        || (sourceHead.position > 0 && verified.lastHash != sourceHead.hash)) {
        result.error = CopyText::tr("the hash chain at the target ends at position %1 with %2, "
                                    "the source's at %3 with %4")
                           .arg(QString::number(verified.lastPosition), verified.lastHash,
                               QString::number(sourceHead.position), sourceHead.hash);
        return result;
    }
    {
        WriteTransaction tx(target);
        TableCopy::removeMarker(tx.db());
        tx.commit();
    }
    result.ok = true;
    result.rows = p.rows;
    result.events = verified.events;
    result.lastPosition = verified.lastPosition;
    result.lastHash = verified.lastHash;
    p.stage = CopyProgress::Stage::Done;
    report(p);
    return result;
}

} // namespace waybill::Audit
