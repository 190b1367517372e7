#include "accountledger.h"

#include "domain/ids.h"
#include "domain/timeformat.h"
#include "eventstore.h"
#include "sql.h"

namespace waybill::AccountLedger {

namespace {

constexpr int kPage = 1000;

// What open items are made of; the other account events (holds, releases) change nothing there.
const QString kLedgerTypes = QStringLiteral(
    "('invoiced', 'paymentReceived', 'paymentReversed', 'credited', 'opened', 'updated')");

// The events' columns and, last, an invoiced event's number from the invoices read model (by its
// unique position: one index probe per invoice read, whatever the table holds).
QString selectWithNumber()
{
    return QStringLiteral("SELECT ") + EventStore::selectColumns()
        + QStringLiteral(", (SELECT number FROM invoices WHERE invoices.position = "
                         "events.position) FROM events");
}

// Folds a page of rows into items (by fold); returns how many rows it read.
template<typename Fold> int foldPage(QSqlQuery &q, Fold fold)
{
    const int numberColumn = 10; // after EventStore::selectColumns()
    int rows = 0;
    while (q.next()) {
        ++rows;
        fold(EventStore::fromRow(q), q.value(numberColumn).toLongLong());
    }
    return rows;
}

} // namespace

std::optional<OpenItems> openItems(
    Database &database, const QString &accountId, const std::optional<QDateTime> &asOf)
{
    ReadTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    const QString sql = selectWithNumber() + QStringLiteral(" WHERE stream_id = ? AND version > ?")
        + (asOf ? QStringLiteral(" AND timestamp <= ?") : QString())
        + QStringLiteral(" ORDER BY version LIMIT ?");
    OpenItems items;
    bool any = false;
    for (int version = 0;;) {
        QSqlQuery q = asOf
            ? runQuery(db, sql, { accountStreamId(accountId), version, toIsoUtc(*asOf), kPage })
            : runQuery(db, sql, { accountStreamId(accountId), version, kPage });
        const int rows = foldPage(q, [&](const RecordedEvent &e, qint64 number) {
            items.apply(e, number);
            version = e.version;
        });
        any = any || rows > 0;
        if (rows < kPage)
            break;
    }
    if (!any)
        return std::nullopt;
    return items;
}

std::map<QString, OpenItems> allOpenItems(Database &database, const QDateTime &asOf)
{
    ReadTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    std::map<QString, OpenItems> all;
    const QString sql = selectWithNumber()
        + QStringLiteral(" WHERE position > ? AND timestamp <= ? AND type IN ") + kLedgerTypes
        + QStringLiteral(" ORDER BY position LIMIT ?");
    const QString until = toIsoUtc(asOf);
    for (qint64 after = 0;;) {
        QSqlQuery q = runQuery(db, sql, { after, until, kPage });
        const int rows = foldPage(q, [&](const RecordedEvent &e, qint64 number) {
            after = e.position;
            if (streamKind(e.streamId) == StreamKind::Account)
                all[entityIdOfStream(e.streamId)].apply(e, number);
        });
        if (rows < kPage)
            break;
    }
    return all;
}

} // namespace waybill::AccountLedger
