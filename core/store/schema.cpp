#include "schema.h"

#include "sql.h"

#include "domain/invoicenumber.h"
#include "domain/shipment.h"
#include "domain/standing.h"
#include "rowbatch.h"
#include "tablecopy.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <QDateTime>
#include <QHash>
#include <QStringList>

#include <algorithm>
#include <optional>

namespace waybill {

namespace {

struct Migration
{
    int version;
    QStringList statements; // "%BIGSERIAL%" and "%BIGINT%" are filled in per dialect
    void (*then)(const QSqlDatabase &db) = nullptr; // data to bring along, after the statements
};

// Version 2: the search column of rows written before it existed, from their bodies, in pages
// along the primary key.
void fillShipmentSearchText(const QSqlDatabase &db)
{
    constexpr int kPage = 1000;
    std::optional<QString> after;
    for (;;) {
        QSqlQuery page = after
            ? runQuery(db,
                QStringLiteral("SELECT id, body FROM shipments WHERE id > ? "
                               "AND search_text IS NULL ORDER BY id LIMIT ?"),
                { *after, kPage })
            : runQuery(db,
                QStringLiteral("SELECT id, body FROM shipments WHERE search_text IS NULL "
                               "ORDER BY id LIMIT ?"),
                { kPage });
        QList<std::pair<QString, QString>> rows;
        while (page.next()) {
            const ShipmentState state = ShipmentState::fromJson(
                QJsonDocument::fromJson(page.value(1).toString().toUtf8()).object());
            rows.append({ page.value(0).toString(), state.searchText() });
        }
        page.finish();
        for (const auto &[id, text] : rows)
            runQuery(db, QStringLiteral("UPDATE shipments SET search_text = ? WHERE id = ?"),
                { text, id });
        if (rows.size() < kPage)
            return;
        after = rows.last().first;
    }
}

// Version 3: what each account has committed and each truck carries, summed from the shipments'
// bodies, which are the fold of their events.
void fillCommitmentsAndLoads(const QSqlDatabase &db)
{
    QHash<QString, Cents> committed;
    QHash<QString, qint64> loads;
    constexpr int kPage = 1000;
    // Empty, not null: a null string binds as NULL, and "id > NULL" matches no row.
    QString after = QStringLiteral("");
    for (;;) {
        QSqlQuery page = runQuery(db,
            QStringLiteral("SELECT id, body FROM shipments WHERE id > ? ORDER BY id LIMIT ?"),
            { after, kPage });
        int rows = 0;
        while (page.next()) {
            ++rows;
            after = page.value(0).toString();
            const ShipmentCommitment c = commitmentOf(ShipmentState::fromJson(
                QJsonDocument::fromJson(page.value(1).toString().toUtf8()).object()));
            if (!c.accountId.isEmpty())
                committed[c.accountId] += c.committedCents;
            if (!c.truckId.isEmpty())
                loads[c.truckId] += c.loadHundredths;
        }
        page.finish();
        if (rows < kPage)
            break;
    }
    for (auto it = committed.begin(); it != committed.end(); ++it)
        runQuery(db,
            QStringLiteral(
                "INSERT INTO account_commitments (account_id, committed_cents) VALUES (?, ?)"),
            { it.key(), it.value() });
    for (auto it = loads.begin(); it != loads.end(); ++it)
        runQuery(db, QStringLiteral("UPDATE trucks SET load_hundredths = ? WHERE id = ?"),
            { it.value(), it.key() });
}

// Version 4: the window columns of rows written before they existed, and the longest windows,
// from their bodies, in pages along the primary key. Self-contained (no read model code): a
// released migration must do the same whatever the read models become. So the columns are
// worked out here, not by windowColumnsOf: this is what version 4 defined them to be, frozen; a
// later change to the read model's columns is a new migration, never a different version 4.
void fillShipmentWindows(const QSqlDatabase &db)
{
    constexpr int kPage = 1000;
    // Empty, not null: a null string binds as NULL, and "id > NULL" matches no row.
    QString after = QStringLiteral("");
    for (;;) {
        QSqlQuery page = runQuery(db,
            QStringLiteral("SELECT id, body FROM shipments WHERE id > ? ORDER BY id LIMIT ?"),
            { after, kPage });
        RowBatch windows { { QStringLiteral("id"), ColumnType::Text },
            { QStringLiteral("pickup_from"), ColumnType::BigInt },
            { QStringLiteral("pickup_to"), ColumnType::BigInt },
            { QStringLiteral("delivery_from"), ColumnType::BigInt },
            { QStringLiteral("delivery_to"), ColumnType::BigInt } };
        int rows = 0;
        while (page.next()) {
            ++rows;
            after = page.value(0).toString();
            const ShipmentState state = ShipmentState::fromJson(
                QJsonDocument::fromJson(page.value(1).toString().toUtf8()).object());
            if (!state.pickupWindow && !state.deliveryWindow)
                continue;
            const QVariant none(QMetaType::fromType<qint64>());
            const auto from = [&](const std::optional<TimeWindow> &w) {
                return w ? QVariant(w->from.toMSecsSinceEpoch()) : none;
            };
            const auto to = [&](const std::optional<TimeWindow> &w) {
                return w ? QVariant(w->to.toMSecsSinceEpoch()) : none;
            };
            windows.add({ state.id, from(state.pickupWindow), to(state.pickupWindow),
                from(state.deliveryWindow), to(state.deliveryWindow) });
        }
        page.finish();
        runForRows(db,
            QStringLiteral("UPDATE shipments SET pickup_from = batch.pickup_from, "
                           "pickup_to = batch.pickup_to, delivery_from = batch.delivery_from, "
                           "delivery_to = batch.delivery_to FROM %ROWS% "
                           "WHERE shipments.id = batch.id"),
            windows);
        if (rows < kPage)
            break;
    }
    runStatement(db,
        QStringLiteral("UPDATE window_lengths SET longest_ms = fill.longest FROM ("
                       "SELECT 'pickup' AS side, MAX(pickup_to - pickup_from) AS longest "
                       "FROM shipments UNION ALL "
                       "SELECT 'delivery', MAX(delivery_to - delivery_from) FROM shipments"
                       ") AS fill WHERE window_lengths.side = fill.side "
                       "AND fill.longest > window_lengths.longest_ms"));
}

// Version 6: the invoices of the log, numbered. An invoice recorded before numbers existed takes
// its place among the invoiced events in log order, which is the number it would have been
// given: the numbers of later invoices continue from there without a gap. Self-contained, like
// version 4 (its own statements, counting along the log in one pass): it must number an old log
// the same whatever the read models become. invoiceNumberOf reads the text the contract fixes.
void fillInvoiceNumbers(const QSqlDatabase &db)
{
    constexpr int kPage = 1000;
    const QString accountPrefix = QStringLiteral("account-");
    qint64 last = 0; // the table was created empty just before
    qint64 after = 0;
    for (;;) {
        QSqlQuery page = runQuery(db,
            QStringLiteral("SELECT position, stream_id, data FROM events "
                           "WHERE type = 'invoiced' AND position > ? ORDER BY position LIMIT ?"),
            { after, kPage });
        RowBatch invoices { { QStringLiteral("number"), ColumnType::BigInt },
            { QStringLiteral("position"), ColumnType::BigInt },
            { QStringLiteral("account_id"), ColumnType::Text },
            { QStringLiteral("shipment_id"), ColumnType::Text } };
        int rows = 0;
        while (page.next()) {
            ++rows;
            after = page.value(0).toLongLong();
            const QJsonObject data
                = QJsonDocument::fromJson(page.value(2).toString().toUtf8()).object();
            const qint64 carried
                = invoiceNumberOf(data.value(QStringLiteral("invoiceNumber")).toString());
            const qint64 number = carried > 0 ? carried : last + 1;
            last = std::max(last, number);
            invoices.add({ number, after, page.value(1).toString().mid(accountPrefix.size()),
                data.value(QStringLiteral("shipmentId")).toString() });
        }
        page.finish();
        runForRows(db,
            QStringLiteral("INSERT INTO invoices (number, position, account_id, shipment_id) "
                           "SELECT number, position, account_id, shipment_id FROM %ROWS% "
                           "WHERE true"),
            invoices);
        if (rows < kPage)
            return;
    }
}

// Append-only: a released migration is never edited; a change is a new entry.
const QList<Migration> &migrations()
{
    static const QList<Migration> all {
        { 1,
            {
                // The system of record: one global log; streams with contiguous versions.
                QStringLiteral("CREATE TABLE events ("
                               " position %BIGINT% PRIMARY KEY,"
                               " stream_id TEXT NOT NULL,"
                               " version INTEGER NOT NULL,"
                               " type TEXT NOT NULL,"
                               " timestamp TEXT NOT NULL,"
                               " command_id TEXT NOT NULL,"
                               " user_name TEXT NOT NULL,"
                               " correlation_id TEXT NOT NULL,"
                               " data TEXT NOT NULL,"
                               " hash TEXT NOT NULL,"
                               " UNIQUE (stream_id, version))"),
                QStringLiteral("CREATE INDEX events_by_timestamp ON events (timestamp)"),
                QStringLiteral("CREATE INDEX events_by_type ON events (type, position)"),
                QStringLiteral("CREATE INDEX events_by_command ON events (command_id)"),
                // The durable command inbox.
                QStringLiteral("CREATE TABLE commands ("
                               " seq %BIGSERIAL%,"
                               " id TEXT NOT NULL UNIQUE,"
                               " stream_id TEXT NOT NULL,"
                               " type TEXT NOT NULL,"
                               " data TEXT NOT NULL,"
                               " user_name TEXT NOT NULL,"
                               " accepted_at TEXT NOT NULL,"
                               " idempotency_key TEXT,"
                               " request_hash TEXT,"
                               " correlation_id TEXT NOT NULL,"
                               " status TEXT NOT NULL,"
                               " message TEXT,"
                               " first_position %BIGINT%,"
                               " last_position %BIGINT%,"
                               " processed_at TEXT)"),
                QStringLiteral("CREATE UNIQUE INDEX commands_by_idempotency_key"
                               " ON commands (user_name, idempotency_key)"
                               " WHERE idempotency_key IS NOT NULL"),
                QStringLiteral(
                    "CREATE INDEX commands_pending ON commands (seq) WHERE status = 'pending'"),
                // Read models (and the reducers' current state), rebuildable from the events.
                QStringLiteral("CREATE TABLE shipments ("
                               " id TEXT PRIMARY KEY,"
                               " status TEXT NOT NULL,"
                               " truck_id TEXT,"
                               " account_id TEXT NOT NULL,"
                               " created_at TEXT NOT NULL,"
                               " version INTEGER NOT NULL,"
                               " body TEXT NOT NULL)"),
                QStringLiteral("CREATE INDEX shipments_by_status ON shipments (status, id)"),
                QStringLiteral("CREATE INDEX shipments_by_truck ON shipments (truck_id, id)"),
                QStringLiteral("CREATE INDEX shipments_by_account ON shipments (account_id, id)"),
                QStringLiteral("CREATE TABLE accounts ("
                               " id TEXT PRIMARY KEY,"
                               " balance_cents %BIGINT% NOT NULL,"
                               " version INTEGER NOT NULL,"
                               " body TEXT NOT NULL)"),
                QStringLiteral(
                    "CREATE TABLE trucks (id TEXT PRIMARY KEY, first_seen TEXT NOT NULL)"),
                // Subscribers' positions in the global log.
                QStringLiteral(
                    "CREATE TABLE checkpoints (name TEXT PRIMARY KEY, position %BIGINT% NOT NULL)"),
                // API tokens: only a salted hash is kept.
                QStringLiteral("CREATE TABLE tokens ("
                               " name TEXT PRIMARY KEY,"
                               " role TEXT NOT NULL,"
                               " salt TEXT NOT NULL,"
                               " hash TEXT NOT NULL,"
                               " created_at TEXT NOT NULL)"),
            } },
        { 2,
            {
                // The board's search looks at the id and the addresses only, not the whole body.
                QStringLiteral("ALTER TABLE shipments ADD COLUMN search_text TEXT"),
                // The board sorts by creation time as well as by the columns indexed in version 1.
                QStringLiteral("CREATE INDEX shipments_by_created ON shipments (created_at, id)"),
                // A token is looked up by its public part, which is its salt.
                QStringLiteral("CREATE INDEX tokens_by_salt ON tokens (salt)"),
            },
            fillShipmentSearchText },
        { 3,
            {
                // If-Match: the stream version a command was sent against.
                QStringLiteral("ALTER TABLE commands ADD COLUMN expected_version INTEGER"),
                // Trucks are streams of their own; a truck known only from assignments has
                // version 0 and no body.
                QStringLiteral("ALTER TABLE trucks ADD COLUMN version INTEGER NOT NULL DEFAULT 0"),
                QStringLiteral("ALTER TABLE trucks ADD COLUMN body TEXT"),
                // The weights of its Assigned and Shipped shipments, in hundredths of a pound.
                QStringLiteral(
                    "ALTER TABLE trucks ADD COLUMN load_hundredths %BIGINT% NOT NULL DEFAULT 0"),
                // The cost of every shipment billed to the account and not cancelled: with the
                // account's invoices it gives its exposure. Accounts with no events have rows too.
                QStringLiteral("CREATE TABLE account_commitments ("
                               " account_id TEXT PRIMARY KEY,"
                               " committed_cents %BIGINT% NOT NULL)"),
            },
            fillCommitmentsAndLoads },
        { 4,
            {
                // Pickup and delivery windows, in milliseconds since 1970 UTC (NULL: no window),
                // for GET /shipments?windowFrom=&windowTo= and ?late=true.
                QStringLiteral("ALTER TABLE shipments ADD COLUMN pickup_from %BIGINT%"),
                QStringLiteral("ALTER TABLE shipments ADD COLUMN pickup_to %BIGINT%"),
                QStringLiteral("ALTER TABLE shipments ADD COLUMN delivery_from %BIGINT%"),
                QStringLiteral("ALTER TABLE shipments ADD COLUMN delivery_to %BIGINT%"),
                // A window overlaps [from, to) when it ends at or after `from` and starts before
                // `to`, so it ends before `to` plus the longest window there is: led by the end,
                // the index reads about the windows of the span asked for, wherever it lies in
                // the history; the start is checked in the index.
                QStringLiteral("CREATE INDEX shipments_by_pickup_window"
                               " ON shipments (pickup_to, pickup_from)"),
                QStringLiteral("CREATE INDEX shipments_by_delivery_window"
                               " ON shipments (delivery_to, delivery_from)"),
                // The longest pickup and delivery window ever stored, in milliseconds: it only
                // grows (a longer bound only costs reading more of the index).
                QStringLiteral("CREATE TABLE window_lengths ("
                               " side TEXT PRIMARY KEY, longest_ms %BIGINT% NOT NULL)"),
                QStringLiteral("INSERT INTO window_lengths (side, longest_ms) VALUES"
                               " ('pickup', 0), ('delivery', 0)"),
                // Late: an open status whose window ended before now; led by the status so that
                // the delivered history is never read.
                QStringLiteral("CREATE INDEX shipments_by_status_pickup_end"
                               " ON shipments (status, pickup_to)"),
                QStringLiteral("CREATE INDEX shipments_by_status_delivery_end"
                               " ON shipments (status, delivery_to)"),
            },
            fillShipmentWindows },
        { 5,
            {
                // The server (an engine's run) that took a pending command and dispatches it;
                // NULL for commands recorded before this version, which the recovery at start
                // takes.
                QStringLiteral("ALTER TABLE commands ADD COLUMN accepted_by TEXT"),
                QStringLiteral("CREATE INDEX commands_pending_by_server ON commands "
                               "(accepted_by, seq) WHERE status = 'pending'"),
                // Each running server's lease, renewed while it runs: a live server takes over
                // the pending commands of one whose lease expired.
                QStringLiteral("CREATE TABLE server_leases ("
                               " id TEXT PRIMARY KEY,"
                               " started_at TEXT NOT NULL,"
                               " expires_at TEXT NOT NULL)"),
            } },
        { 6,
            {
                // One row per invoiced event: its number is unique, so no two servers can ever
                // give one number twice, and the next number is the one after the highest.
                QStringLiteral("CREATE TABLE invoices ("
                               " number %BIGINT% PRIMARY KEY,"
                               " position %BIGINT% NOT NULL UNIQUE,"
                               " account_id TEXT NOT NULL,"
                               " shipment_id TEXT NOT NULL)"),
                QStringLiteral("CREATE INDEX invoices_by_account ON invoices (account_id, number)"),
            },
            fillInvoiceNumbers },
    };
    return all;
}

QString dialect(QString sql, bool postgres)
{
    sql.replace(QLatin1String("%BIGSERIAL%"),
        postgres ? QLatin1String("BIGSERIAL PRIMARY KEY")
                 : QLatin1String("INTEGER PRIMARY KEY AUTOINCREMENT"));
    sql.replace(
        QLatin1String("%BIGINT%"), postgres ? QLatin1String("BIGINT") : QLatin1String("INTEGER"));
    return sql;
}

} // namespace

namespace {

// The schema's version, once it is known not to be newer than this build's.
int versionNotNewer(const QSqlDatabase &db)
{
    const int current = schemaVersion(db);
    if (current > kSchemaVersion)
        throw SchemaTooNewError(QStringLiteral("the database has schema version %1, newer than "
                                               "this Waybill understands (%2); upgrade Waybill")
                                    .arg(current)
                                    .arg(kSchemaVersion));
    return current;
}

} // namespace

int refuseNewerSchema(const QSqlDatabase &db)
{
    if (!db.tables().contains(QStringLiteral("schema_migrations")))
        return 0;
    const int version = versionNotNewer(db);
    TableCopy::refuseUnfinishedCopy(db);
    return version;
}

int schemaVersion(const QSqlDatabase &db)
{
    QSqlQuery q = runQuery(db, QStringLiteral("SELECT MAX(version) FROM schema_migrations"));
    return q.next() ? q.value(0).toInt() : 0;
}

void applyMigrations(const QSqlDatabase &db, bool postgres)
{
    runStatement(db,
        QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"));
    const int current = versionNotNewer(db);
    TableCopy::refuseUnfinishedCopy(db);
    for (const Migration &m : migrations()) {
        if (m.version <= current)
            continue;
        for (const QString &statement : m.statements)
            runStatement(db, dialect(statement, postgres));
        if (m.then)
            m.then(db);
        runQuery(db,
            QStringLiteral("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"),
            { m.version, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) });
    }
}

} // namespace waybill
