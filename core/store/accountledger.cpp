#include "accountledger.h"

#include "domain/ids.h"
#include "domain/timeformat.h"
#include "eventstore.h"
#include "readmodels.h"
#include "sql.h"

namespace waybill::AccountLedger {

namespace {

constexpr int kPage = 1000;

// What open items are made of; the other account events (holds, releases) change nothing there.
const QString kLedgerTypes = QStringLiteral(
    "('invoiced', 'paymentReceived', 'paymentReversed', 'credited', 'opened', 'updated')");

} // namespace

std::optional<OpenItems> openItems(
    Database &database, const QString &accountId, const std::optional<QDateTime> &asOf)
{
    ReadTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    const QHash<qint64, qint64> numbers = ReadModels::invoiceNumbers(db, accountId);
    OpenItems items;
    bool any = false;
    for (int version = 0;;) {
        const EventList page
            = ReadModels::streamPage(db, accountStreamId(accountId), version, kPage, asOf);
        for (const RecordedEvent &e : page)
            items.apply(e, numbers.value(e.position));
        any = any || !page.isEmpty();
        if (page.size() < kPage)
            break;
        version = page.last().version;
    }
    if (!any)
        return std::nullopt;
    return items;
}

std::map<QString, OpenItems> allOpenItems(Database &database, const QDateTime &asOf)
{
    ReadTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    const QHash<qint64, qint64> numbers = ReadModels::invoiceNumbers(db, {});
    std::map<QString, OpenItems> all;
    const QString sql = QStringLiteral("SELECT ") + EventStore::selectColumns()
        + QStringLiteral(" FROM events WHERE position > ? AND timestamp <= ? AND type IN ")
        + kLedgerTypes + QStringLiteral(" ORDER BY position LIMIT ?");
    const QString until = toIsoUtc(asOf);
    for (qint64 after = 0;;) {
        QSqlQuery q = runQuery(db, sql, { after, until, kPage });
        int rows = 0;
        while (q.next()) {
            const RecordedEvent e = EventStore::fromRow(q);
            ++rows;
            after = e.position;
            if (streamKind(e.streamId) == StreamKind::Account)
                all[entityIdOfStream(e.streamId)].apply(e, numbers.value(e.position));
        }
        if (rows < kPage)
            break;
    }
    return all;
}

} // namespace waybill::AccountLedger
