// Read models of shipments, accounts and trucks. They double as the reducers' current state
// (a snapshot of the fold) and are rebuildable from the events alone.
#pragma once

#include "database.h"
#include "domain/account.h"
#include "domain/accountreducer.h"
#include "domain/event.h"
#include "domain/shipment.h"
#include "domain/truck.h"
#include "tokentable.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace waybill {

struct ShipmentQuery
{
    QString status; // "" for any
    QString truckId;
    QString accountId;
    QString search; // substring of the id or of either address's text
    // Late as judged at lateAt (valid when asked for): see latenessAt().
    bool lateOnly = false;
    QDateTime lateAt;
    // A pickup or a delivery window overlaps [windowFrom, windowTo); either end may be open.
    std::optional<QDateTime> windowFrom;
    std::optional<QDateTime> windowTo;
    int limit = 100;
    int offset = 0;
    // One of id, status, billToAccountId, assignedToTruck, createdTimestamp; "" is id.
    QString sort;
    bool descending = false;
};

// A truck as GET /trucks shows it: its record (if registered) and what it carries now.
struct TruckView
{
    TruckState state; // version 0 when known only from assignments
    qint64 loadHundredths = 0;
    QStringList shipments; // shipments on it now (Assigned or Shipped)

    // "available", "occupied" or "out-of-service"
    QString status() const;
    QJsonObject toJson() const;
};

// A shipment's windows as its row keeps them: milliseconds since 1970 UTC, NULL for no window.
struct ShipmentWindowColumns
{
    QVariant pickupFrom;
    QVariant pickupTo;
    QVariant deliveryFrom;
    QVariant deliveryTo;
};
ShipmentWindowColumns windowColumnsOf(const ShipmentState &state);

namespace ReadModels {

std::optional<ShipmentState> loadShipment(const QSqlDatabase &db, const QString &id);
std::optional<AccountState> loadAccount(const QSqlDatabase &db, const QString &id);
// A truck's record; a truck known only from assignments has version 0.
std::optional<TruckState> loadTruck(const QSqlDatabase &db, const QString &id);

// The current states of many entities at once (in one query per 64 ids); absent ones are missing.
QHash<QString, ShipmentState> loadShipments(const QSqlDatabase &db, const QStringList &ids);
QHash<QString, AccountState> loadAccounts(const QSqlDatabase &db, const QStringList &ids);
QHash<QString, TruckState> loadTrucks(const QSqlDatabase &db, const QStringList &ids);

// Writes the row for a state after its events (inside the same transaction as the events).
// The body is the state's compact JSON; pass it when it was made beforehand. A shipment's windows
// raise the longest pickup and delivery windows on record, where longer.
void saveShipment(const QSqlDatabase &db, const ShipmentState &state, const QString &body = {});
void saveAccount(const QSqlDatabase &db, const AccountState &state, const QString &body = {});
void saveTruck(const QSqlDatabase &db, const TruckState &state, const QString &body = {});
// The same for many states at once (a batch's streams, each once): one statement per table on
// PostgreSQL. bodies[i] is states[i]'s body.
void saveShipments(
    const QSqlDatabase &db, const QVector<ShipmentState> &states, const QStringList &bodies);
void saveAccounts(
    const QSqlDatabase &db, const QVector<AccountState> &states, const QStringList &bodies);
void saveTrucks(
    const QSqlDatabase &db, const QVector<TruckState> &states, const QStringList &bodies);
QString bodyOf(const ShipmentState &state);
QString bodyOf(const AccountState &state);
QString bodyOf(const TruckState &state);
// Versions of the stored states (absent ones are missing), in one query per 64 ids.
QHash<QString, int> shipmentVersions(const QSqlDatabase &db, const QStringList &ids);
QHash<QString, int> accountVersions(const QSqlDatabase &db, const QStringList &ids);
QHash<QString, int> truckVersions(const QSqlDatabase &db, const QStringList &ids);

// What the shipments hold of other streams (see ShipmentCommitment): the committed cost per
// account and the load per truck; ids with nothing are missing. Kept in the same transaction as
// the shipments' rows, by adding what a batch changed.
QHash<QString, Cents> committedCents(const QSqlDatabase &db, const QStringList &accountIds);
QHash<QString, qint64> truckLoads(const QSqlDatabase &db, const QStringList &truckIds);
// What the engine reads of the read models to decide a batch: states by id, and the sums the
// shipments hold of accounts and trucks.
struct StateReads
{
    QStringList shipments, accounts, trucks; // states
    QStringList committedOf; // accounts' committed cents
    QStringList loadsOf; // trucks' loads
    // An API token's rows by its public id (TokenTable::withSalt), when not empty: a request's
    // token is read with its pre-check, in the same round trip.
    QString tokenSalt;

    // Asks for the state of a stream: its entity's id in the list of its kind.
    void addState(const QString &streamId);
    bool isEmpty() const
    {
        return shipments.isEmpty() && accounts.isEmpty() && trucks.isEmpty()
            && committedOf.isEmpty() && loadsOf.isEmpty() && tokenSalt.isEmpty();
    }
};
// What was found (absent ids are missing), as loadShipments, loadAccounts, loadTrucks,
// committedCents, truckLoads and TokenTable::withSalt answer.
struct StateRows
{
    QHash<QString, ShipmentState> shipments;
    QHash<QString, AccountState> accounts;
    QHash<QString, TruckState> trucks;
    QHash<QString, Cents> committed;
    QHash<QString, qint64> loads;
    QVector<TokenTable::TokenRow> tokens;
};
// All of it at once: on PostgreSQL in one statement (each statement is a round trip, and a
// request's pre-check would otherwise make three), on SQLite with the functions above.
StateRows loadStateRows(const QSqlDatabase &db, const StateReads &reads);
// Adds to what many accounts have committed or trucks carry (one statement each). A zero delta
// changes nothing and is skipped: an account gets its row with its first nonzero delta, so one
// that never committed anything has none.
void addCommitted(const QSqlDatabase &db, const QHash<QString, Cents> &deltas);
void addLoads(const QSqlDatabase &db, const QHash<QString, qint64> &deltasHundredths);
// The payments recorded by these commands (a reverse-payment names one), by command id.
QHash<QString, RecordedPayment> recordedPayments(
    const QSqlDatabase &db, const QStringList &commandIds);
// An account's exposure now, for the API.
Cents exposureOf(const QSqlDatabase &db, const AccountState &state);
// Trucks become known when first assigned; invoices are listed with their numbers (the number an
// event carries, or for one recorded before numbers existed its place among the invoices): the
// one source of every invoice's number.
void noteEvent(const QSqlDatabase &db, const RecordedEvent &event);
// The highest invoice number given so far, 0 before the first.
qint64 lastInvoiceNumber(const QSqlDatabase &db);
// The invoice numbers of an account's invoiced events (of all accounts when the id is empty), by
// the events' positions: what a printed document needs for invoices recorded before numbers were
// written into the event.
QHash<qint64, qint64> invoiceNumbers(const QSqlDatabase &db, const QString &accountId);
// Where an invoice number was given: the invoiced event's position, its account and shipment.
struct InvoiceRecord
{
    qint64 position = 0;
    QString accountId;
    QString shipmentId;
};
std::optional<InvoiceRecord> findInvoice(const QSqlDatabase &db, qint64 number);
// noteEvent for a batch's events, in order, in one statement. lastInvoiceNumber, when given, is
// the highest invoice number so far, kept up to date: a caller noting the whole log in order
// (the rebuild) numbers the invoices recorded before numbers existed without asking the table.
void noteEvents(const QSqlDatabase &db, const QVector<const RecordedEvent *> &events,
    qint64 *lastInvoiceNumber = nullptr);

// A shipment's row as a list answers from it: the body as stored (the state's toJsonText()), and
// what judges its lateness without reading the body.
struct StoredShipment
{
    QString body;
    ShipmentStatus status = ShipmentStatus::None;
    std::optional<qint64> pickupToMs;
    std::optional<qint64> deliveryToMs;
};

// A page of the shipments the query picks, as stored, in its order; total gets how many it picks.
QVector<StoredShipment> listShipmentRows(
    const QSqlDatabase &db, const ShipmentQuery &query, qint64 *total);
// The same page read into states.
QVector<ShipmentState> listShipments(
    const QSqlDatabase &db, const ShipmentQuery &query, qint64 *total);
QVector<AccountState> listAccounts(const QSqlDatabase &db, int limit, int offset, qint64 *total);
QVector<TruckView> listTrucks(const QSqlDatabase &db);
// A page of the trucks, by id; total gets how many there are.
QVector<TruckView> listTrucks(const QSqlDatabase &db, int limit, int offset, qint64 *total);

// Pages of one stream's events, for lists and folds that must not read a long stream at once:
// the events after afterVersion, in version order, at most limit of them, and only those
// recorded up to asOf (inclusive) when it is given. Each page is one short query.
EventList streamPage(const QSqlDatabase &db, const QString &streamId, int afterVersion, int limit,
    const std::optional<QDateTime> &asOf = std::nullopt);
// How many events the stream has (its last version); 0 when it has none.
int streamLength(const QSqlDatabase &db, const QString &streamId);
// One truck, if registered or named by an assignment.
std::optional<TruckView> loadTruckView(const QSqlDatabase &db, const QString &id);

bool isShipmentSortKey(const QString &key);

// Drops and refolds every read model from the events, in one write transaction.
void rebuild(Database &database);
// A stable dump of every read model, for comparing a rebuild with what was there.
QJsonArray dump(const QSqlDatabase &db);

} // namespace ReadModels

} // namespace waybill
