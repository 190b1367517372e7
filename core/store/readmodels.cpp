#include "readmodels.h"

#include "domain/accountreducer.h"
#include "domain/ids.h"
#include "domain/invoicenumber.h"
#include "domain/shipmentreducer.h"
#include "domain/standing.h"
#include "domain/timeformat.h"
#include "domain/truckreducer.h"
#include "domain/weight.h"
#include "eventstore.h"
#include "rowbatch.h"
#include "sql.h"
#include "tokentable.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

namespace waybill {

QString TruckView::status() const
{
    if (!state.inService)
        return QStringLiteral("out-of-service");
    return shipments.isEmpty() ? QStringLiteral("available") : QStringLiteral("occupied");
}

QJsonObject TruckView::toJson() const
{
    QJsonObject json { { QStringLiteral("id"), state.id },
        { QStringLiteral("registered"), state.registered },
        { QStringLiteral("loadPounds"), hundredthsToPounds(loadHundredths) },
        { QStringLiteral("inService"), state.inService }, { QStringLiteral("status"), status() },
        { QStringLiteral("shipments"), QJsonArray::fromStringList(shipments) },
        { QStringLiteral("version"), state.version } };
    if (!state.name.isEmpty())
        json.insert(QStringLiteral("name"), state.name);
    if (state.capacityPounds)
        json.insert(QStringLiteral("capacityPounds"), *state.capacityPounds);
    if (!state.inService)
        json.insert(QStringLiteral("outOfServiceReason"), state.outOfServiceReason);
    return json;
}

ShipmentWindowColumns windowColumnsOf(const ShipmentState &s)
{
    const QVariant none(QMetaType::fromType<qint64>());
    ShipmentWindowColumns c { none, none, none, none };
    if (s.pickupWindow) {
        c.pickupFrom = s.pickupWindow->from.toMSecsSinceEpoch();
        c.pickupTo = s.pickupWindow->to.toMSecsSinceEpoch();
    }
    if (s.deliveryWindow) {
        c.deliveryFrom = s.deliveryWindow->from.toMSecsSinceEpoch();
        c.deliveryTo = s.deliveryWindow->to.toMSecsSinceEpoch();
    }
    return c;
}

namespace ReadModels {

namespace {

QJsonObject parse(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QSqlQuery runBound(const QSqlDatabase &db, const QString &sql, const QVariantList &binds)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        throwQueryError(q, QStringLiteral("cannot prepare a read model query"));
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        throwQueryError(q, QStringLiteral("cannot query a read model"));
    return q;
}

QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('%'), QLatin1String("\\%"));
    escaped.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + escaped.toLower() + QLatin1Char('%');
}

const QList<std::pair<QString, QString>> &sortKeys()
{
    static const QList<std::pair<QString, QString>> keys {
        { QStringLiteral("id"), QStringLiteral("id") },
        { QStringLiteral("status"), QStringLiteral("status") },
        { QStringLiteral("billToAccountId"), QStringLiteral("account_id") },
        { QStringLiteral("assignedToTruck"), QStringLiteral("truck_id") },
        { QStringLiteral("createdTimestamp"), QStringLiteral("created_at") },
    };
    return keys;
}

QString sortColumn(const QString &key)
{
    for (const auto &[name, column] : sortKeys()) {
        if (name == key)
            return column;
    }
    return QStringLiteral("id");
}

// The longest pickup and delivery windows of some shipments, in milliseconds (none without one).
struct WindowLengths
{
    std::optional<qint64> pickup;
    std::optional<qint64> delivery;

    void raiseTo(const WindowLengths &other)
    {
        if (other.pickup)
            pickup = std::max(pickup.value_or(0), *other.pickup);
        if (other.delivery)
            delivery = std::max(delivery.value_or(0), *other.delivery);
    }
};

WindowLengths windowLengthsOf(const ShipmentState &s)
{
    WindowLengths lengths;
    if (s.pickupWindow)
        lengths.pickup = s.pickupWindow->from.msecsTo(s.pickupWindow->to);
    if (s.deliveryWindow)
        lengths.delivery = s.deliveryWindow->from.msecsTo(s.deliveryWindow->to);
    return lengths;
}

// Raises the longest windows on record to these, where longer: one statement for both sides
// (a side without a length compares with -1, which no length is below).
void raiseWindowLengths(const QSqlDatabase &db, const WindowLengths &lengths)
{
    if (!lengths.pickup && !lengths.delivery)
        return;
    const qint64 pickup = lengths.pickup.value_or(-1);
    const qint64 delivery = lengths.delivery.value_or(-1);
    runPrepared(db,
        QStringLiteral("UPDATE window_lengths SET longest_ms = CASE side "
                       "WHEN 'pickup' THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END "
                       "WHERE (side = 'pickup' AND longest_ms < ?) "
                       "OR (side = 'delivery' AND longest_ms < ?)"),
        { pickup, delivery, pickup, delivery });
}

// The invoices row of an invoiced event: the number the event carries, or (recorded before
// numbers existed) the next one: its place among the invoices, as they are noted in log order.
// last: the highest number noted so far, kept up to date, when the caller counts along the log;
// without it the table is asked.
void noteInvoice(const QSqlDatabase &db, const RecordedEvent &e, qint64 *last)
{
    qint64 number = invoiceNumberOf(e.data.value(QStringLiteral("invoiceNumber")).toString());
    if (number == 0)
        number = (last ? *last : lastInvoiceNumber(db)) + 1;
    if (last)
        *last = std::max(*last, number);
    runPrepared(db,
        QStringLiteral("INSERT INTO invoices (number, position, account_id, shipment_id) "
                       "VALUES (?, ?, ?, ?)"),
        { number, e.position, entityIdOfStream(e.streamId),
            e.data.value(QStringLiteral("shipmentId")).toString() });
}

enum class ZeroDeltas { Skip, GiveRow };

// What addCommitted does; the rebuild alone gives a row to an account whose total is zero.
void addCommittedRows(const QSqlDatabase &db, const QHash<QString, Cents> &deltas, ZeroDeltas zeros)
{
    RowBatch rows { { QStringLiteral("account_id"), ColumnType::Text },
        { QStringLiteral("delta"), ColumnType::BigInt } };
    for (auto it = deltas.cbegin(); it != deltas.cend(); ++it) {
        if (it.value() != 0 || zeros == ZeroDeltas::GiveRow)
            rows.add({ it.key(), it.value() });
    }
    runForRows(db,
        QStringLiteral("INSERT INTO account_commitments (account_id, committed_cents) "
                       "SELECT account_id, delta FROM %ROWS% WHERE true "
                       "ON CONFLICT (account_id) DO UPDATE SET committed_cents = "
                       "account_commitments.committed_cents + excluded.committed_cents"),
        rows);
}

} // namespace

bool isShipmentSortKey(const QString &key)
{
    for (const auto &[name, column] : sortKeys()) {
        if (name == key)
            return true;
    }
    return false;
}

std::optional<ShipmentState> loadShipment(const QSqlDatabase &db, const QString &id)
{
    QSqlQuery &q
        = runPrepared(db, QStringLiteral("SELECT body FROM shipments WHERE id = ?"), { id });
    if (!q.next())
        return std::nullopt;
    const QString body = q.value(0).toString();
    q.finish();
    return ShipmentState::fromJson(parse(body));
}

std::optional<AccountState> loadAccount(const QSqlDatabase &db, const QString &id)
{
    QSqlQuery &q
        = runPrepared(db, QStringLiteral("SELECT body FROM accounts WHERE id = ?"), { id });
    if (!q.next())
        return std::nullopt;
    const QString body = q.value(0).toString();
    q.finish();
    return AccountState::fromJson(parse(body));
}

namespace {

// A trucks row: its record, or a bare one for a truck known only from assignments.
TruckState truckFromRow(const QString &id, const QVariant &body)
{
    if (body.isNull()) {
        TruckState bare;
        bare.id = id;
        return bare;
    }
    return TruckState::fromJson(parse(body.toString()));
}

} // namespace

std::optional<TruckState> loadTruck(const QSqlDatabase &db, const QString &id)
{
    QSqlQuery &q = runPrepared(db, QStringLiteral("SELECT body FROM trucks WHERE id = ?"), { id });
    if (!q.next())
        return std::nullopt;
    const QVariant body = q.value(0);
    q.finish();
    return truckFromRow(id, body);
}

QHash<QString, TruckState> loadTrucks(const QSqlDatabase &db, const QStringList &ids)
{
    QHash<QString, TruckState> states;
    forEachInChunks(
        db, QStringLiteral("SELECT id, body FROM trucks WHERE id"), ids, [&](QSqlQuery &q) {
            const QString id = q.value(0).toString();
            states.insert(id, truckFromRow(id, q.value(1)));
        });
    return states;
}

QHash<QString, ShipmentState> loadShipments(const QSqlDatabase &db, const QStringList &ids)
{
    QHash<QString, ShipmentState> states;
    forEachInChunks(
        db, QStringLiteral("SELECT id, body FROM shipments WHERE id"), ids, [&](QSqlQuery &q) {
            states.insert(
                q.value(0).toString(), ShipmentState::fromJson(parse(q.value(1).toString())));
        });
    return states;
}

QHash<QString, AccountState> loadAccounts(const QSqlDatabase &db, const QStringList &ids)
{
    QHash<QString, AccountState> states;
    forEachInChunks(
        db, QStringLiteral("SELECT id, body FROM accounts WHERE id"), ids, [&](QSqlQuery &q) {
            states.insert(
                q.value(0).toString(), AccountState::fromJson(parse(q.value(1).toString())));
        });
    return states;
}

QString bodyOf(const ShipmentState &state)
{
    return state.toJsonText();
}

QString bodyOf(const AccountState &state)
{
    return state.toJsonText();
}

QString bodyOf(const TruckState &state)
{
    return state.toJsonText();
}

QHash<QString, int> shipmentVersions(const QSqlDatabase &db, const QStringList &ids)
{
    QHash<QString, int> versions;
    forEachInChunks(db, QStringLiteral("SELECT id, version FROM shipments WHERE id"), ids,
        [&](QSqlQuery &q) { versions.insert(q.value(0).toString(), q.value(1).toInt()); });
    return versions;
}

QHash<QString, int> accountVersions(const QSqlDatabase &db, const QStringList &ids)
{
    QHash<QString, int> versions;
    forEachInChunks(db, QStringLiteral("SELECT id, version FROM accounts WHERE id"), ids,
        [&](QSqlQuery &q) { versions.insert(q.value(0).toString(), q.value(1).toInt()); });
    return versions;
}

QHash<QString, int> truckVersions(const QSqlDatabase &db, const QStringList &ids)
{
    QHash<QString, int> versions;
    forEachInChunks(db, QStringLiteral("SELECT id, version FROM trucks WHERE id"), ids,
        [&](QSqlQuery &q) { versions.insert(q.value(0).toString(), q.value(1).toInt()); });
    return versions;
}

QHash<QString, Cents> committedCents(const QSqlDatabase &db, const QStringList &accountIds)
{
    QHash<QString, Cents> committed;
    forEachInChunks(db,
        QStringLiteral(
            "SELECT account_id, committed_cents FROM account_commitments WHERE account_id"),
        accountIds,
        [&](QSqlQuery &q) { committed.insert(q.value(0).toString(), q.value(1).toLongLong()); });
    return committed;
}

QHash<QString, qint64> truckLoads(const QSqlDatabase &db, const QStringList &truckIds)
{
    QHash<QString, qint64> loads;
    forEachInChunks(db, QStringLiteral("SELECT id, load_hundredths FROM trucks WHERE id"), truckIds,
        [&](QSqlQuery &q) { loads.insert(q.value(0).toString(), q.value(1).toLongLong()); });
    return loads;
}

void StateReads::addState(const QString &streamId)
{
    const QString id = entityIdOfStream(streamId);
    switch (streamKind(streamId)) {
    case StreamKind::Account:
        accounts << id;
        break;
    case StreamKind::Truck:
        trucks << id;
        break;
    default:
        shipments << id;
        break;
    }
}

StateRows loadStateRows(const QSqlDatabase &db, const StateReads &reads)
{
    StateRows rows;
    if (!isPostgres(db)) {
        // In process: a statement costs no round trip, and each of these is prepared once.
        rows.shipments = loadShipments(db, reads.shipments);
        rows.accounts = loadAccounts(db, reads.accounts);
        rows.trucks = loadTrucks(db, reads.trucks);
        rows.committed = committedCents(db, reads.committedOf);
        rows.loads = truckLoads(db, reads.loadsOf);
        if (!reads.tokenSalt.isEmpty())
            rows.tokens = TokenTable::withSalt(db, reads.tokenSalt);
        return rows;
    }
    if (reads.isEmpty())
        return rows;
    // One branch per list asked for, tagged with the list's place; every branch has the same
    // columns (tag, id, body, amount), the ones it lacks typed NULLs (a token's row puts its
    // name in id and its other columns in body, as a JSON array). Which branches a statement has
    // varies, so at most 63 statements are prepared per connection.
    enum Tag { Shipment, Account, Truck, Committed, Load, Token };
    static const char *const kBranches[] = {
        "SELECT 0, id, body, CAST(NULL AS BIGINT) FROM shipments WHERE id",
        "SELECT 1, id, body, CAST(NULL AS BIGINT) FROM accounts WHERE id",
        "SELECT 2, id, body, CAST(NULL AS BIGINT) FROM trucks WHERE id",
        "SELECT 3, account_id, CAST(NULL AS TEXT), committed_cents FROM account_commitments "
        "WHERE account_id",
        "SELECT 4, id, CAST(NULL AS TEXT), load_hundredths FROM trucks WHERE id",
    };
    const QStringList *lists[]
        = { &reads.shipments, &reads.accounts, &reads.trucks, &reads.committedOf, &reads.loadsOf };
    QStringList branches;
    QVariantList binds;
    for (int tag = Shipment; tag <= Load; ++tag) {
        if (lists[tag]->isEmpty())
            continue;
        branches << QLatin1String(kBranches[tag]) + QStringLiteral(" = ANY(CAST(? AS text[]))");
        binds.append(postgresArrayLiteral(*lists[tag]));
    }
    if (!reads.tokenSalt.isEmpty()) {
        branches << QStringLiteral(
            "SELECT 5, name, CAST(json_build_array(role, hash, created_at) AS TEXT), "
            "CAST(NULL AS BIGINT) FROM tokens WHERE salt = ?");
        binds.append(reads.tokenSalt);
    }
    const QString sql = branches.join(QStringLiteral(" UNION ALL "));
    QSqlQuery &query = preparedStatement(db, sql);
    for (int i = 0; i < binds.size(); ++i)
        query.bindValue(i, binds.at(i));
    execPrepared(query, sql, [&rows, &reads](QSqlQuery &q) {
        const QString id = q.value(1).toString();
        switch (q.value(0).toInt()) {
        case Shipment:
            rows.shipments.insert(id, ShipmentState::fromJson(parse(q.value(2).toString())));
            break;
        case Account:
            rows.accounts.insert(id, AccountState::fromJson(parse(q.value(2).toString())));
            break;
        case Truck:
            rows.trucks.insert(id, truckFromRow(id, q.value(2)));
            break;
        case Committed:
            rows.committed.insert(id, q.value(3).toLongLong());
            break;
        case Token: {
            const QJsonArray columns
                = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).array();
            TokenTable::TokenRow row;
            row.name = id;
            row.role = columns.at(0).toString();
            row.hash = columns.at(1).toString();
            row.createdAt = columns.at(2).toString();
            row.salt = reads.tokenSalt;
            rows.tokens.append(row);
            break;
        }
        default:
            rows.loads.insert(id, q.value(3).toLongLong());
            break;
        }
    });
    return rows;
}

QHash<QString, RecordedPayment> recordedPayments(
    const QSqlDatabase &db, const QStringList &commandIds)
{
    QHash<QString, RecordedPayment> payments;
    // Looked up by the command alone, its few events' types compared here: with the type in the
    // statement, a plan made once (a pre-check's, see Database::lookupConnection) reads every
    // payment of the history by the type's index.
    forEachInChunks(db,
        QStringLiteral("SELECT command_id, stream_id, data, type FROM events WHERE command_id"),
        commandIds, [&](QSqlQuery &q) {
            if (q.value(3).toString() != QLatin1String("paymentReceived"))
                return;
            const QJsonObject data = parse(q.value(2).toString());
            payments.insert(q.value(0).toString(),
                RecordedPayment { q.value(1).toString(),
                    static_cast<Cents>(data.value(QStringLiteral("amountCents")).toDouble()) });
        });
    return payments;
}

Cents exposureOf(const QSqlDatabase &db, const AccountState &state)
{
    return waybill::exposureOf(state, committedCents(db, { state.id }).value(state.id));
}

void saveTruck(const QSqlDatabase &db, const TruckState &t, const QString &body)
{
    saveTrucks(db, { t }, { body });
}

void saveShipment(const QSqlDatabase &db, const ShipmentState &s, const QString &body)
{
    saveShipments(db, { s }, { body });
}

void saveAccount(const QSqlDatabase &db, const AccountState &a, const QString &body)
{
    saveAccounts(db, { a }, { body });
}

void saveShipments(
    const QSqlDatabase &db, const QVector<ShipmentState> &states, const QStringList &bodies)
{
    RowBatch rows { { QStringLiteral("id"), ColumnType::Text },
        { QStringLiteral("status"), ColumnType::Text },
        { QStringLiteral("truck_id"), ColumnType::Text },
        { QStringLiteral("account_id"), ColumnType::Text },
        { QStringLiteral("created_at"), ColumnType::Text },
        { QStringLiteral("version"), ColumnType::Integer },
        { QStringLiteral("body"), ColumnType::Text },
        { QStringLiteral("search_text"), ColumnType::Text },
        { QStringLiteral("pickup_from"), ColumnType::BigInt },
        { QStringLiteral("pickup_to"), ColumnType::BigInt },
        { QStringLiteral("delivery_from"), ColumnType::BigInt },
        { QStringLiteral("delivery_to"), ColumnType::BigInt } };
    WindowLengths longest; // of the batch
    for (qsizetype i = 0; i < states.size(); ++i) {
        const ShipmentState &s = states.at(i);
        const ShipmentWindowColumns w = windowColumnsOf(s);
        rows.add({ s.id, shipmentStatusName(s.status),
            s.assignedToTruck.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                        : QVariant(s.assignedToTruck),
            s.billToAccountId, toIsoUtc(s.createdTimestamp), s.version,
            bodies.value(i).isEmpty() ? bodyOf(s) : bodies.at(i), s.searchText(), w.pickupFrom,
            w.pickupTo, w.deliveryFrom, w.deliveryTo });
        longest.raiseTo(windowLengthsOf(s));
    }
    runForRows(db,
        QStringLiteral(
            "INSERT INTO shipments (id, status, truck_id, account_id, created_at, version, body, "
            "search_text, pickup_from, pickup_to, delivery_from, delivery_to) "
            "SELECT id, status, truck_id, account_id, created_at, version, body, search_text, "
            "pickup_from, pickup_to, delivery_from, delivery_to "
            "FROM %ROWS% WHERE true ON CONFLICT (id) DO UPDATE SET "
            "status = excluded.status, truck_id = excluded.truck_id, "
            "account_id = excluded.account_id, created_at = excluded.created_at, "
            "version = excluded.version, body = excluded.body, search_text = excluded.search_text, "
            "pickup_from = excluded.pickup_from, pickup_to = excluded.pickup_to, "
            "delivery_from = excluded.delivery_from, delivery_to = excluded.delivery_to"),
        rows);
    raiseWindowLengths(db, longest);
}

void saveAccounts(
    const QSqlDatabase &db, const QVector<AccountState> &states, const QStringList &bodies)
{
    RowBatch rows { { QStringLiteral("id"), ColumnType::Text },
        { QStringLiteral("balance_cents"), ColumnType::BigInt },
        { QStringLiteral("version"), ColumnType::Integer },
        { QStringLiteral("body"), ColumnType::Text } };
    for (qsizetype i = 0; i < states.size(); ++i) {
        const AccountState &a = states.at(i);
        rows.add({ a.id, a.balanceCents, a.version,
            bodies.value(i).isEmpty() ? bodyOf(a) : bodies.at(i) });
    }
    runForRows(db,
        QStringLiteral("INSERT INTO accounts (id, balance_cents, version, body) "
                       "SELECT id, balance_cents, version, body FROM %ROWS% WHERE true "
                       "ON CONFLICT (id) DO UPDATE SET balance_cents = excluded.balance_cents, "
                       "version = excluded.version, body = excluded.body"),
        rows);
}

void saveTrucks(
    const QSqlDatabase &db, const QVector<TruckState> &states, const QStringList &bodies)
{
    RowBatch rows { { QStringLiteral("id"), ColumnType::Text },
        { QStringLiteral("first_seen"), ColumnType::Text },
        { QStringLiteral("version"), ColumnType::Integer },
        { QStringLiteral("body"), ColumnType::Text } };
    for (qsizetype i = 0; i < states.size(); ++i) {
        const TruckState &t = states.at(i);
        rows.add({ t.id, toIsoUtc(t.lastEventTimestamp), t.version,
            bodies.value(i).isEmpty() ? bodyOf(t) : bodies.at(i) });
    }
    runForRows(db,
        QStringLiteral("INSERT INTO trucks (id, first_seen, version, body) "
                       "SELECT id, first_seen, version, body FROM %ROWS% WHERE true "
                       "ON CONFLICT (id) DO UPDATE SET version = excluded.version, "
                       "body = excluded.body"),
        rows);
}

void addCommitted(const QSqlDatabase &db, const QHash<QString, Cents> &deltas)
{
    addCommittedRows(db, deltas, ZeroDeltas::Skip);
}

void addLoads(const QSqlDatabase &db, const QHash<QString, qint64> &deltasHundredths)
{
    RowBatch rows { { QStringLiteral("id"), ColumnType::Text },
        { QStringLiteral("delta"), ColumnType::BigInt } };
    for (auto it = deltasHundredths.cbegin(); it != deltasHundredths.cend(); ++it) {
        if (it.value() != 0)
            rows.add({ it.key(), it.value() });
    }
    // The rows exist: the trucks' assignments noted them (noteEvents) before any load was added.
    runForRows(db,
        QStringLiteral("UPDATE trucks SET load_hundredths = trucks.load_hundredths + batch.delta "
                       "FROM %ROWS% WHERE trucks.id = batch.id"),
        rows);
}

void noteEvents(
    const QSqlDatabase &db, const QVector<const RecordedEvent *> &events, qint64 *lastInvoiceNumber)
{
    RowBatch rows { { QStringLiteral("id"), ColumnType::Text },
        { QStringLiteral("first_seen"), ColumnType::Text } };
    QSet<QString> seen; // the first assignment of a truck in the batch is the one that counts
    for (const RecordedEvent *e : events) {
        if (e->type == EventType::Invoiced)
            noteInvoice(db, *e, lastInvoiceNumber); // few, and each after the one before
        if (e->type != EventType::Assigned)
            continue;
        const QString truck = e->data.value(QStringLiteral("truckId")).toString();
        if (seen.contains(truck))
            continue;
        seen.insert(truck);
        rows.add({ truck, toIsoUtc(e->timestamp) });
    }
    runForRows(db,
        QStringLiteral("INSERT INTO trucks (id, first_seen) SELECT id, first_seen FROM %ROWS% "
                       "WHERE true ON CONFLICT (id) DO NOTHING"),
        rows);
}

void noteEvent(const QSqlDatabase &db, const RecordedEvent &e)
{
    noteEvents(db, { &e });
}

qint64 lastInvoiceNumber(const QSqlDatabase &db)
{
    QSqlQuery &q = runPrepared(db, QStringLiteral("SELECT COALESCE(MAX(number), 0) FROM invoices"));
    const qint64 last = q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return last;
}

QHash<qint64, qint64> invoiceNumbers(const QSqlDatabase &db, const QString &accountId)
{
    QHash<qint64, qint64> numbers;
    QSqlQuery q = accountId.isEmpty()
        ? runQuery(db, QStringLiteral("SELECT position, number FROM invoices"))
        : runQuery(db, QStringLiteral("SELECT position, number FROM invoices WHERE account_id = ?"),
            { accountId });
    while (q.next())
        numbers.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
    return numbers;
}

std::optional<InvoiceRecord> findInvoice(const QSqlDatabase &db, qint64 number)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT position, account_id, shipment_id FROM invoices WHERE number = ?"),
        { number });
    if (!q.next())
        return std::nullopt;
    return InvoiceRecord { q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString() };
}

QVector<StoredShipment> listShipmentRows(
    const QSqlDatabase &db, const ShipmentQuery &query, qint64 *total)
{
    QString where = QStringLiteral(" WHERE 1=1");
    QVariantList binds;
    if (!query.status.isEmpty()) {
        where += QStringLiteral(" AND status = ?");
        binds << query.status;
    }
    if (!query.truckId.isEmpty()) {
        where += QStringLiteral(" AND truck_id = ?");
        binds << query.truckId;
    }
    if (!query.accountId.isEmpty()) {
        where += QStringLiteral(" AND account_id = ?");
        binds << query.accountId;
    }
    if (!query.search.isEmpty()) {
        where += QStringLiteral(" AND search_text LIKE ? ESCAPE '\\'");
        binds << likePattern(query.search);
    }
    if (query.lateOnly) {
        // latenessAt() in SQL: a window's end is part of it, so late is strictly after it.
        const qint64 now = query.lateAt.toMSecsSinceEpoch();
        where += QStringLiteral(" AND ((status IN ('Submitted', 'Assigned') AND pickup_to < ?)"
                                " OR (status IN ('Submitted', 'Assigned', 'Shipped')"
                                " AND delivery_to < ?))");
        binds << now << now;
    }
    if (query.windowFrom || query.windowTo) {
        // [start, end] overlaps [windowFrom, windowTo) when it ends at or after windowFrom and
        // starts before windowTo, so it also ends before windowTo plus the longest window of its
        // side: a range of the index led by the end, read in the same snapshot as the rows.
        const auto overlaps = [&](const QString &side) {
            const QString start = side + QStringLiteral("_from");
            const QString end = side + QStringLiteral("_to");
            QStringList terms;
            if (query.windowFrom) {
                terms << end + QStringLiteral(" >= ?");
                binds << query.windowFrom->toMSecsSinceEpoch();
            }
            if (query.windowTo) {
                terms << end
                        + QStringLiteral(" <= ? + (SELECT longest_ms FROM window_lengths "
                                         "WHERE side = '%1')")
                              .arg(side)
                      << start + QStringLiteral(" < ?");
                binds << query.windowTo->toMSecsSinceEpoch() << query.windowTo->toMSecsSinceEpoch();
            }
            return QLatin1Char('(') + terms.join(QStringLiteral(" AND ")) + QLatin1Char(')');
        };
        const QString pickup = overlaps(QStringLiteral("pickup"));
        const QString delivery = overlaps(QStringLiteral("delivery"));
        where += QStringLiteral(" AND (") + pickup + QStringLiteral(" OR ") + delivery
            + QLatin1Char(')');
    }
    if (total) {
        QSqlQuery c = runBound(db, QStringLiteral("SELECT COUNT(*) FROM shipments") + where, binds);
        *total = c.next() ? c.value(0).toLongLong() : 0;
    }
    QVariantList pageBinds = binds;
    pageBinds << query.limit << query.offset;
    const QString direction = query.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    // The planning filters pick few rows through their own indexes (one per side of the OR);
    // ordered by the bare column, both databases may instead walk the primary key (or the sort
    // column's index) in order to fill a page, reading the whole history before the day asked
    // for. The same order written as an expression sorts what the filter found.
    const bool planning = query.lateOnly || query.windowFrom || query.windowTo;
    const auto sorted = [planning](const QString &column) {
        return planning ? QLatin1Char('(') + column + QStringLiteral(" || '')") : column;
    };
    const QString column = sortColumn(query.sort);
    // Ties, and the missing trucks of unassigned shipments, are ordered the same on SQLite and
    // PostgreSQL: NULLs last, then by id.
    const QString order = column == QLatin1String("id")
        ? QStringLiteral(" ORDER BY ") + sorted(column) + direction
        : QStringLiteral(" ORDER BY ") + sorted(column) + direction
            + QStringLiteral(" NULLS LAST, ") + sorted(QStringLiteral("id")) + direction;
    QSqlQuery q = runBound(db,
        QStringLiteral("SELECT body, status, pickup_to, delivery_to FROM shipments") + where + order
            + QStringLiteral(" LIMIT ? OFFSET ?"),
        pageBinds);
    const auto end = [&q](int column) {
        const QVariant value = q.value(column);
        return value.isNull() ? std::nullopt : std::optional<qint64>(value.toLongLong());
    };
    QVector<StoredShipment> result;
    while (q.next()) {
        StoredShipment row { q.value(0).toString(), ShipmentStatus::None, end(2), end(3) };
        shipmentStatusFromName(q.value(1).toString(), &row.status);
        result.append(std::move(row));
    }
    return result;
}

QVector<ShipmentState> listShipments(
    const QSqlDatabase &db, const ShipmentQuery &query, qint64 *total)
{
    QVector<ShipmentState> states;
    for (const StoredShipment &row : listShipmentRows(db, query, total))
        states.append(ShipmentState::fromJson(parse(row.body)));
    return states;
}

QVector<AccountState> listAccounts(const QSqlDatabase &db, int limit, int offset, qint64 *total)
{
    if (total) {
        QSqlQuery c = runQuery(db, QStringLiteral("SELECT COUNT(*) FROM accounts"));
        *total = c.next() ? c.value(0).toLongLong() : 0;
    }
    QSqlQuery q
        = runQuery(db, QStringLiteral("SELECT body FROM accounts ORDER BY id LIMIT ? OFFSET ?"),
            { limit, offset });
    QVector<AccountState> result;
    while (q.next())
        result.append(AccountState::fromJson(parse(q.value(0).toString())));
    return result;
}

namespace {

QVector<TruckView> truckViews(QSqlQuery &q)
{
    QVector<TruckView> trucks;
    while (q.next()) {
        const QString truck = q.value(0).toString();
        if (trucks.isEmpty() || trucks.last().state.id != truck)
            trucks.append(
                TruckView { truckFromRow(truck, q.value(1)), q.value(2).toLongLong(), {} });
        if (!q.value(3).isNull())
            trucks.last().shipments.append(q.value(3).toString());
    }
    return trucks;
}

const QString kTruckViews = QStringLiteral(
    "SELECT t.id, t.body, t.load_hundredths, s.id FROM trucks t LEFT JOIN shipments s "
    "ON s.truck_id = t.id AND s.status IN ('Assigned', 'Shipped')");

} // namespace

QVector<TruckView> listTrucks(const QSqlDatabase &db)
{
    QSqlQuery q = runQuery(db, kTruckViews + QStringLiteral(" ORDER BY t.id, s.id"));
    return truckViews(q);
}

QVector<TruckView> listTrucks(const QSqlDatabase &db, int limit, int offset, qint64 *total)
{
    if (total) {
        QSqlQuery c = runQuery(db, QStringLiteral("SELECT COUNT(*) FROM trucks"));
        *total = c.next() ? c.value(0).toLongLong() : 0;
    }
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT t.id, t.body, t.load_hundredths, s.id FROM (SELECT id, body, "
                       "load_hundredths FROM trucks ORDER BY id LIMIT ? OFFSET ?) t "
                       "LEFT JOIN shipments s "
                       "ON s.truck_id = t.id AND s.status IN ('Assigned', 'Shipped') "
                       "ORDER BY t.id, s.id"),
        { limit, offset });
    return truckViews(q);
}

std::optional<TruckView> loadTruckView(const QSqlDatabase &db, const QString &id)
{
    QSqlQuery q
        = runQuery(db, kTruckViews + QStringLiteral(" WHERE t.id = ? ORDER BY s.id"), { id });
    const QVector<TruckView> trucks = truckViews(q);
    if (trucks.isEmpty())
        return std::nullopt;
    return trucks.first();
}

EventList streamPage(const QSqlDatabase &db, const QString &streamId, int afterVersion, int limit,
    const std::optional<QDateTime> &asOf)
{
    QString sql = QStringLiteral("SELECT ") + EventStore::selectColumns()
        + QStringLiteral(" FROM events WHERE stream_id = ? AND version > ?");
    QVariantList binds { streamId, afterVersion };
    if (asOf) {
        sql += QStringLiteral(" AND timestamp <= ?");
        binds << toIsoUtc(*asOf);
    }
    sql += QStringLiteral(" ORDER BY version LIMIT ?");
    binds << limit;
    QSqlQuery q = runBound(db, sql, binds);
    EventList events;
    while (q.next())
        events.append(EventStore::fromRow(q));
    return events;
}

int streamLength(const QSqlDatabase &db, const QString &streamId)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM events WHERE stream_id = ?"),
        { streamId });
    return q.next() ? q.value(0).toInt() : 0;
}

void rebuild(Database &database)
{
    WriteTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    runStatement(db, QStringLiteral("DELETE FROM shipments"));
    runStatement(db, QStringLiteral("DELETE FROM accounts"));
    runStatement(db, QStringLiteral("DELETE FROM trucks"));
    runStatement(db, QStringLiteral("DELETE FROM account_commitments"));
    runStatement(db, QStringLiteral("DELETE FROM invoices"));
    runStatement(db, QStringLiteral("UPDATE window_lengths SET longest_ms = 0"));
    std::map<QString, ShipmentState> shipments;
    std::map<QString, AccountState> accounts;
    std::map<QString, TruckState> trucks;
    qint64 lastInvoice = 0; // the table is empty: numbers are counted along the log
    qint64 after = 0;
    constexpr int kPage = 5000;
    for (;;) {
        const EventList page = EventStore::readAfter(db, after, kPage);
        for (const RecordedEvent &e : page) {
            switch (streamKind(e.streamId)) {
            case StreamKind::Shipment: {
                const QString id = entityIdOfStream(e.streamId);
                shipments[id] = applyShipment(shipments[id], e);
                break;
            }
            case StreamKind::Account: {
                const QString id = entityIdOfStream(e.streamId);
                accounts[id] = applyAccount(accounts[id], e);
                break;
            }
            case StreamKind::Truck: {
                const QString id = entityIdOfStream(e.streamId);
                trucks[id] = applyTruck(trucks[id], e);
                // Saved as it goes, like the trucks noted from assignments, so that each row is
                // first written by the first event that named its truck, as when processing.
                saveTruck(db, trucks[id]);
                break;
            }
            case StreamKind::Unknown:
                break;
            }
            noteEvents(db, { &e }, &lastInvoice);
            after = e.position;
        }
        if (page.size() < kPage)
            break;
    }
    // The rows in batches: a statement per batch, not per row.
    constexpr qsizetype kBatch = 1000;
    QVector<ShipmentState> shipmentRows;
    QHash<QString, Cents> committed;
    QHash<QString, qint64> loads;
    for (const auto &[id, state] : shipments) {
        shipmentRows.append(state);
        if (shipmentRows.size() == kBatch) {
            saveShipments(db, shipmentRows, {});
            shipmentRows.clear();
        }
        const ShipmentCommitment c = commitmentOf(state);
        committed[c.accountId] += c.committedCents;
        if (!c.truckId.isEmpty())
            loads[c.truckId] += c.loadHundredths;
    }
    saveShipments(db, shipmentRows, {});
    QVector<AccountState> accountRows;
    for (const auto &[id, state] : accounts) {
        accountRows.append(state);
        if (accountRows.size() == kBatch) {
            saveAccounts(db, accountRows, {});
            accountRows.clear();
        }
    }
    saveAccounts(db, accountRows, {});
    // Every account that bills a shipment has its row, even at zero, as processing leaves an
    // account whose shipments were all cancelled.
    addCommittedRows(db, committed, ZeroDeltas::GiveRow);
    addLoads(db, loads);
    tx.commit();
}

QJsonArray dump(const QSqlDatabase &db)
{
    QJsonArray all;
    for (const QString &sql :
        { QStringLiteral(
              "SELECT 'shipment', id, status, COALESCE(truck_id, ''), account_id, version, body, "
              "search_text FROM shipments ORDER BY id"),
            QStringLiteral("SELECT 'account', id, balance_cents, '', '', version, body, '' FROM "
                           "accounts ORDER BY id"),
            QStringLiteral("SELECT 'truck', id, first_seen, load_hundredths, '', version, "
                           "COALESCE(body, ''), '' FROM trucks ORDER BY id"),
            QStringLiteral("SELECT 'commitment', account_id, committed_cents, '', '', 0, '', '' "
                           "FROM account_commitments ORDER BY account_id"),
            QStringLiteral("SELECT 'invoice', number, position, account_id, shipment_id, 0, '', '' "
                           "FROM invoices ORDER BY number") }) {
        QSqlQuery q = runQuery(db, sql);
        while (q.next()) {
            QJsonArray row;
            for (int i = 0; i < 8; ++i)
                row.append(q.value(i).toString());
            all.append(row);
        }
    }
    return all;
}

} // namespace ReadModels

} // namespace waybill
