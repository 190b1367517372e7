#include "queryroutes.h"

#include "domain/accountreducer.h"
#include "domain/ids.h"
#include "domain/lateness.h"
#include "domain/shipmentreducer.h"
#include "domain/standing.h"
#include "domain/storabletext.h"
#include "domain/truckreducer.h"
#include "store/eventstore.h"
#include "store/readmodels.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace waybill::api {

namespace {

// Messages in the context "waybill::api"; a class, so that lupdate files them under that context
// too (it files a free tr() under whatever scope encloses the call).
struct ApiText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::api)
};

// Lists that the contract leaves unpaged (a truck list, a stream's events) take ?limit= and
// ?offset= too: at most this many items per answer, and this many when no limit is asked for,
// so that a client of the reference (which asks for none) gets every item of any list shorter.
constexpr int kLongListLimit = 1000;
// Pages of a fold as of a time: each one short query, so no fold holds a snapshot for long...
constexpr int kFoldPage = 1000;
// ...and a fold reads at most this many events: the work of one request stays bounded.
constexpr int kMaxFoldEvents = 1000000;

struct Page
{
    QJsonArray items;
    QByteArray itemsText; // the items as JSON text already, when not empty (instead of items)
    qint64 total = -1; // -1: no X-Total-Count
};

// A fold of a stream's events up to a time, page by page; nothing when it has more events to
// fold than kMaxFoldEvents (tooLong is set).
template<typename State, typename Apply>
std::optional<State> foldAsOf(const QSqlDatabase &db, const QString &streamId,
    const QDateTime &asOf, Apply apply, bool *tooLong)
{
    State state;
    int version = 0;
    for (;;) {
        const EventList page = ReadModels::streamPage(db, streamId, version, kFoldPage, asOf);
        for (const RecordedEvent &e : page)
            state = apply(std::move(state), e);
        if (page.size() < kFoldPage)
            return state;
        version = page.last().version;
        if (version >= kMaxFoldEvents) {
            *tooLong = true;
            return std::nullopt;
        }
    }
}

void sendPage(const http::ReplyPtr &reply, const WorkResult<Page> &result)
{
    if (!result.value) {
        sendDatabaseError(reply, result.error);
        return;
    }
    http::HeaderList headers;
    if (result.value->total >= 0)
        headers.append(
            { QByteArrayLiteral("X-Total-Count"), QByteArray::number(result.value->total) });
    if (!result.value->itemsText.isEmpty())
        reply->send(200, QByteArrayLiteral("application/json"), result.value->itemsText, headers);
    else
        reply->sendJson(200, result.value->items, headers);
}

QJsonArray eventsToJson(const EventList &events)
{
    QJsonArray array;
    for (const RecordedEvent &e : events)
        array.append(e.toJson());
    return array;
}

// The path's id, or a 400 naming it.
bool checkPathId(const ApiRequest &request, StreamKind kind, QString *id)
{
    *id = request.params.value(0);
    if (isValidId(*id))
        return true;
    sendValidationErrors(request.reply, { pathIdError(kind) });
    return false;
}

QString streamOf(StreamKind kind, const QString &id)
{
    switch (kind) {
    case StreamKind::Account:
        return accountStreamId(id);
    case StreamKind::Truck:
        return truckStreamId(id);
    default:
        return shipmentStreamId(id);
    }
}

QString noSuch(StreamKind kind)
{
    switch (kind) {
    case StreamKind::Account:
        return ApiText::tr("No such account");
    case StreamKind::Truck:
        return ApiText::tr("No such truck");
    default:
        return ApiText::tr("No such shipment");
    }
}

// The entity's JSON with its version as the ETag an If-Match may name.
void sendEntity(const http::ReplyPtr &reply, const QJsonObject &entity)
{
    const QByteArray version = QByteArray::number(entity.value(QStringLiteral("version")).toInt());
    reply->sendJson(200, entity, { { QByteArrayLiteral("ETag"), '"' + version + '"' } });
}

// An entity's state now (its read model) or as of a time (a fold of its events up to then).
void getEntity(ApiContext &context, const ApiRequest &request, StreamKind kind)
{
    QString id;
    if (!checkPathId(request, kind, &id))
        return;
    QueryReader reader(request);
    const std::optional<QDateTime> asOf = reader.time(QStringLiteral("asOf"));
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    struct Found
    {
        std::optional<QJsonObject> entity;
        bool tooLong = false;
    };
    Database &database = context.database;
    context.workers.run(
        [&database, id, kind, asOf]() -> Found {
            const QSqlDatabase db = database.connection();
            const bool account = kind == StreamKind::Account;
            Found found;
            if (!asOf) {
                if (account) {
                    const auto state = ReadModels::loadAccount(db, id);
                    if (state && state->exists())
                        found.entity = state->toJson(ReadModels::exposureOf(db, *state));
                } else {
                    const auto state = ReadModels::loadShipment(db, id);
                    if (state && state->exists())
                        found.entity = shipmentJsonAt(*state, QDateTime::currentDateTimeUtc());
                }
                return found;
            }
            if (account) {
                // Without its exposure, which depends on the shipments as they were then.
                const auto state = foldAsOf<AccountState>(
                    db, accountStreamId(id), *asOf, &applyAccount, &found.tooLong);
                if (state && state->exists())
                    found.entity = state->toJson();
            } else {
                const auto state = foldAsOf<ShipmentState>(
                    db, shipmentStreamId(id), *asOf, &applyShipment, &found.tooLong);
                // Late as it was then: the state as of a time is judged at that time.
                if (state && state->exists())
                    found.entity = shipmentJsonAt(*state, *asOf);
            }
            return found;
        },
        [reply = request.reply, kind, asOf](const WorkResult<Found> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            if (result.value->tooLong) {
                reply->sendError(422,
                    ApiText::tr(
                        "This history is too long to replay as of a time (more than %1 events)")
                        .arg(kMaxFoldEvents));
                return;
            }
            if (!result.value->entity) {
                const bool account = kind == StreamKind::Account;
                reply->sendError(404,
                    asOf ? (account ? ApiText::tr("No such account at that time")
                                    : ApiText::tr("No such shipment at that time"))
                         : (account ? ApiText::tr("No such account")
                                    : ApiText::tr("No such shipment")));
                return;
            }
            sendEntity(reply, *result.value->entity);
        });
}

void listEntityEvents(ApiContext &context, const ApiRequest &request, StreamKind kind)
{
    QString id;
    if (!checkPathId(request, kind, &id))
        return;
    const QString streamId = streamOf(kind, id);
    QueryReader reader(request);
    const int limit = reader.limit(kLongListLimit, kLongListLimit);
    const int offset = reader.offset();
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    Database &database = context.database;
    context.workers.run(
        [&database, streamId, kind, id, limit, offset]() -> std::optional<Page> {
            const QSqlDatabase db = database.connection();
            Page page;
            page.total = ReadModels::streamLength(db, streamId);
            // A truck named by assignments but never registered exists, with no events yet.
            if (page.total == 0 && (kind != StreamKind::Truck || !ReadModels::loadTruck(db, id)))
                return std::nullopt;
            // Versions run 1, 2, 3...: skipping `offset` events is starting after that version.
            if (page.total > 0)
                page.items = eventsToJson(ReadModels::streamPage(db, streamId, offset, limit));
            return page;
        },
        [reply = request.reply, kind](const WorkResult<std::optional<Page>> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            if (!*result.value) {
                reply->sendError(404, noSuch(kind));
                return;
            }
            sendPage(reply, WorkResult<Page> { **result.value, {} });
        });
}

} // namespace

QString textParameter(QueryReader &reader, const ApiRequest &request, const QString &key)
{
    const QString value = request.queryValue(key);
    if (findUnstorableCharacter(value, TextLines::Multiple))
        reader.fail(key, ApiText::tr("\"%1\" must not contain NUL or control characters").arg(key));
    return value;
}

void listShipments(ApiContext &context, const ApiRequest &request)
{
    QueryReader reader(request);
    ShipmentQuery query;
    query.limit = reader.limit();
    query.offset = reader.offset();
    query.status = textParameter(reader, request, QStringLiteral("status"));
    ShipmentStatus status;
    if (!query.status.isEmpty()
        && (!shipmentStatusFromName(query.status, &status) || status == ShipmentStatus::None))
        reader.fail(QStringLiteral("status"),
            ApiText::tr("\"status\" must be Submitted, Assigned, Shipped, Delivered or Cancelled"));
    query.truckId = textParameter(reader, request, QStringLiteral("truckId"));
    query.accountId = textParameter(reader, request, QStringLiteral("accountId"));
    query.search = textParameter(reader, request, QStringLiteral("search"));
    query.sort = textParameter(reader, request, QStringLiteral("sort"));
    if (!query.sort.isEmpty() && !ReadModels::isShipmentSortKey(query.sort))
        reader.fail(QStringLiteral("sort"),
            ApiText::tr("\"sort\" must be id, status, billToAccountId, assignedToTruck or "
                        "createdTimestamp"));
    const QString order = request.queryValue(QStringLiteral("order"));
    if (!order.isEmpty() && order != QLatin1String("asc") && order != QLatin1String("desc"))
        reader.fail(QStringLiteral("order"), ApiText::tr("\"order\" must be asc or desc"));
    query.descending = order == QLatin1String("desc");
    const QString late = request.queryValue(QStringLiteral("late"));
    if (request.query.hasQueryItem(QStringLiteral("late")) && late != QLatin1String("true")
        && late != QLatin1String("false"))
        reader.fail(QStringLiteral("late"), ApiText::tr("\"late\" must be true or false"));
    query.lateOnly = late == QLatin1String("true");
    query.windowFrom = reader.time(QStringLiteral("windowFrom"));
    query.windowTo = reader.time(QStringLiteral("windowTo"));
    if (query.windowFrom && query.windowTo && *query.windowFrom >= *query.windowTo)
        reader.fail(QStringLiteral("windowTo"),
            ApiText::tr("\"windowTo\" must be later than \"windowFrom\""));
    // One moment judges both which shipments are late and what each one says.
    query.lateAt = QDateTime::currentDateTimeUtc();
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    Database &database = context.database;
    context.workers.run(
        [&database, query] {
            // The rows' bodies are the shipments' JSON already: the answer is written from them
            // as they are, on this worker, rather than read and written again per shipment.
            Page page;
            const qint64 now = query.lateAt.toMSecsSinceEpoch();
            page.itemsText = QByteArrayLiteral("[");
            for (const ReadModels::StoredShipment &row :
                ReadModels::listShipmentRows(database.connection(), query, &page.total)) {
                if (page.itemsText.size() > 1)
                    page.itemsText += ',';
                page.itemsText += shipmentJsonTextAt(
                    row.body, latenessAt(row.status, row.pickupToMs, row.deliveryToMs, now));
            }
            page.itemsText += ']';
            return page;
        },
        [reply = request.reply](const WorkResult<Page> &result) { sendPage(reply, result); });
}

void getShipment(ApiContext &context, const ApiRequest &request)
{
    getEntity(context, request, StreamKind::Shipment);
}

void listShipmentEvents(ApiContext &context, const ApiRequest &request)
{
    listEntityEvents(context, request, StreamKind::Shipment);
}

void listAccounts(ApiContext &context, const ApiRequest &request)
{
    QueryReader reader(request);
    const int limit = reader.limit();
    const int offset = reader.offset();
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    Database &database = context.database;
    context.workers.run(
        [&database, limit, offset] {
            Page page;
            const QSqlDatabase db = database.connection();
            const QVector<AccountState> accounts
                = ReadModels::listAccounts(db, limit, offset, &page.total);
            QStringList ids;
            for (const AccountState &a : accounts)
                ids << a.id;
            const QHash<QString, Cents> committed = ReadModels::committedCents(db, ids);
            for (const AccountState &a : accounts)
                page.items.append(a.toJson(exposureOf(a, committed.value(a.id))));
            return page;
        },
        [reply = request.reply](const WorkResult<Page> &result) { sendPage(reply, result); });
}

void getAccount(ApiContext &context, const ApiRequest &request)
{
    getEntity(context, request, StreamKind::Account);
}

void listAccountEvents(ApiContext &context, const ApiRequest &request)
{
    listEntityEvents(context, request, StreamKind::Account);
}

void listTrucks(ApiContext &context, const ApiRequest &request)
{
    QueryReader reader(request);
    const int limit = reader.limit(kLongListLimit, kLongListLimit);
    const int offset = reader.offset();
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    Database &database = context.database;
    context.workers.run(
        [&database, limit, offset] {
            Page page;
            for (const TruckView &t :
                ReadModels::listTrucks(database.connection(), limit, offset, &page.total))
                page.items.append(t.toJson());
            return page;
        },
        [reply = request.reply](const WorkResult<Page> &result) { sendPage(reply, result); });
}

void getTruck(ApiContext &context, const ApiRequest &request)
{
    QString id;
    if (!checkPathId(request, StreamKind::Truck, &id))
        return;
    Database &database = context.database;
    context.workers.run(
        [&database, id]() -> std::optional<QJsonObject> {
            const auto truck = ReadModels::loadTruckView(database.connection(), id);
            return truck ? std::optional(truck->toJson()) : std::nullopt;
        },
        [reply = request.reply](const WorkResult<std::optional<QJsonObject>> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            if (!*result.value) {
                reply->sendError(404, noSuch(StreamKind::Truck));
                return;
            }
            sendEntity(reply, **result.value);
        });
}

void listTruckEvents(ApiContext &context, const ApiRequest &request)
{
    listEntityEvents(context, request, StreamKind::Truck);
}

void listEvents(ApiContext &context, const ApiRequest &request)
{
    QueryReader reader(request);
    const qint64 after = reader.count(QStringLiteral("after"), 0);
    const int limit = reader.limit();
    EventFilter filter;
    filter.streamId = textParameter(reader, request, QStringLiteral("streamId"));
    filter.type = textParameter(reader, request, QStringLiteral("type"));
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    Database &database = context.database;
    context.workers.run(
        [&database, after, limit, filter] {
            Page page;
            page.items
                = eventsToJson(EventStore::readAfter(database.connection(), after, limit, filter));
            return page;
        },
        [reply = request.reply](const WorkResult<Page> &result) { sendPage(reply, result); });
}

} // namespace waybill::api
