#include "readmodels.h"

#include "domain/accountreducer.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "domain/timeformat.h"
#include "eventstore.h"
#include "sql.h"

#include <QHash>
#include <QJsonDocument>
#include <QSqlQuery>

#include <limits>
#include <map>

namespace waybill {

QJsonObject TruckView::toJson() const
{
    return { { QStringLiteral("id"), id },
        { QStringLiteral("status"),
            occupied ? QStringLiteral("occupied") : QStringLiteral("available") },
        { QStringLiteral("shipments"), QJsonArray::fromStringList(shipments) } };
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

void saveShipment(const QSqlDatabase &db, const ShipmentState &s, const QString &body)
{
    runPrepared(db,
        QStringLiteral(
            "INSERT INTO shipments (id, status, truck_id, account_id, created_at, version, body, "
            "search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "status = excluded.status, truck_id = excluded.truck_id, "
            "account_id = excluded.account_id, created_at = excluded.created_at, "
            "version = excluded.version, body = excluded.body, search_text = excluded.search_text"),
        { s.id, shipmentStatusName(s.status),
            s.assignedToTruck.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                        : QVariant(s.assignedToTruck),
            s.billToAccountId, toIsoUtc(s.createdTimestamp), s.version,
            body.isEmpty() ? bodyOf(s) : body, s.searchText() });
}

void saveAccount(const QSqlDatabase &db, const AccountState &a, const QString &body)
{
    runPrepared(db,
        QStringLiteral(
            "INSERT INTO accounts (id, balance_cents, version, body) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET balance_cents = excluded.balance_cents, "
            "version = excluded.version, body = excluded.body"),
        { a.id, a.balanceCents, a.version, body.isEmpty() ? bodyOf(a) : body });
}

void noteEvent(const QSqlDatabase &db, const RecordedEvent &e)
{
    if (e.type != EventType::Assigned)
        return;
    runPrepared(db,
        QStringLiteral(
            "INSERT INTO trucks (id, first_seen) VALUES (?, ?) ON CONFLICT (id) DO NOTHING"),
        { e.data.value(QStringLiteral("truckId")).toString(), toIsoUtc(e.timestamp) });
}

QVector<ShipmentState> listShipments(
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
    if (total) {
        QSqlQuery c = runBound(db, QStringLiteral("SELECT COUNT(*) FROM shipments") + where, binds);
        *total = c.next() ? c.value(0).toLongLong() : 0;
    }
    QVariantList pageBinds = binds;
    pageBinds << query.limit << query.offset;
    const QString direction = query.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    const QString column = sortColumn(query.sort);
    // Ties, and the missing trucks of unassigned shipments, are ordered the same on SQLite and
    // PostgreSQL: NULLs last, then by id.
    const QString order = column == QLatin1String("id") ? QStringLiteral(" ORDER BY id") + direction
                                                        : QStringLiteral(" ORDER BY ") + column
            + direction + QStringLiteral(" NULLS LAST, id") + direction;
    QSqlQuery q = runBound(db,
        QStringLiteral("SELECT body FROM shipments") + where + order
            + QStringLiteral(" LIMIT ? OFFSET ?"),
        pageBinds);
    QVector<ShipmentState> result;
    while (q.next())
        result.append(ShipmentState::fromJson(parse(q.value(0).toString())));
    return result;
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

QVector<TruckView> listTrucks(const QSqlDatabase &db)
{
    return listTrucks(db, std::numeric_limits<int>::max(), 0, nullptr);
}

QVector<TruckView> listTrucks(const QSqlDatabase &db, int limit, int offset, qint64 *total)
{
    if (total) {
        QSqlQuery c = runQuery(db, QStringLiteral("SELECT COUNT(*) FROM trucks"));
        *total = c.next() ? c.value(0).toLongLong() : 0;
    }
    QSqlQuery q = runQuery(db,
        QStringLiteral(
            "SELECT t.id, s.id FROM (SELECT id FROM trucks ORDER BY id LIMIT ? OFFSET ?) t "
            "LEFT JOIN shipments s "
            "ON s.truck_id = t.id AND s.status IN ('Assigned', 'Shipped') "
            "ORDER BY t.id, s.id"),
        { limit, offset });
    QVector<TruckView> trucks;
    while (q.next()) {
        const QString truck = q.value(0).toString();
        if (trucks.isEmpty() || trucks.last().id != truck)
            trucks.append(TruckView { truck, false, {} });
        if (!q.value(1).isNull()) {
            trucks.last().occupied = true;
            trucks.last().shipments.append(q.value(1).toString());
        }
    }
    return trucks;
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
    std::map<QString, ShipmentState> shipments;
    std::map<QString, AccountState> accounts;
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
            case StreamKind::Unknown:
                break;
            }
            noteEvent(db, e);
            after = e.position;
        }
        if (page.size() < kPage)
            break;
    }
    for (const auto &[id, state] : shipments)
        saveShipment(db, state);
    for (const auto &[id, state] : accounts)
        saveAccount(db, state);
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
            QStringLiteral(
                "SELECT 'truck', id, first_seen, '', '', 0, '', '' FROM trucks ORDER BY id") }) {
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
