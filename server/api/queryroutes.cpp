#include "queryroutes.h"

#include "domain/accountreducer.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "domain/storabletext.h"
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

struct Page
{
    QJsonArray items;
    qint64 total = -1; // -1: no X-Total-Count
};

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
    const bool account = kind == StreamKind::Account;
    sendValidationErrors(request.reply,
        { { QJsonArray { account ? QStringLiteral("accountId") : QStringLiteral("shipmentId") },
            account ? ApiText::tr(
                "The account id in the path must be 1 to 64 letters, digits, '-', '_' or '.'")
                    : ApiText::tr(
                        "The shipment id in the path must be 1 to 64 letters, digits, '-', '_' or "
                        "'.'") } });
    return false;
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
    Database &database = context.database;
    context.workers.run(
        [&database, id, kind, asOf]() -> std::optional<QJsonObject> {
            const QSqlDatabase db = database.connection();
            const bool account = kind == StreamKind::Account;
            if (!asOf) {
                if (account) {
                    const auto state = ReadModels::loadAccount(db, id);
                    return state && state->exists() ? std::optional(state->toJson()) : std::nullopt;
                }
                const auto state = ReadModels::loadShipment(db, id);
                return state && state->exists() ? std::optional(state->toJson()) : std::nullopt;
            }
            const EventList events = EventStore::readStream(
                db, account ? accountStreamId(id) : shipmentStreamId(id), asOf);
            if (account) {
                AccountState state;
                for (const RecordedEvent &e : events)
                    state = applyAccount(std::move(state), e);
                return state.exists() ? std::optional(state.toJson()) : std::nullopt;
            }
            ShipmentState state;
            for (const RecordedEvent &e : events)
                state = applyShipment(std::move(state), e);
            return state.exists() ? std::optional(state.toJson()) : std::nullopt;
        },
        [reply = request.reply, kind, asOf](const WorkResult<std::optional<QJsonObject>> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            if (!*result.value) {
                const bool account = kind == StreamKind::Account;
                reply->sendError(404,
                    asOf ? (account ? ApiText::tr("No such account at that time")
                                    : ApiText::tr("No such shipment at that time"))
                         : (account ? ApiText::tr("No such account")
                                    : ApiText::tr("No such shipment")));
                return;
            }
            reply->sendJson(200, **result.value);
        });
}

void listEntityEvents(ApiContext &context, const ApiRequest &request, StreamKind kind)
{
    QString id;
    if (!checkPathId(request, kind, &id))
        return;
    const QString streamId
        = kind == StreamKind::Account ? accountStreamId(id) : shipmentStreamId(id);
    Database &database = context.database;
    context.workers.run(
        [&database, streamId] { return EventStore::readStream(database.connection(), streamId); },
        [reply = request.reply, kind](const WorkResult<EventList> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            if (result.value->isEmpty()) {
                reply->sendError(404,
                    kind == StreamKind::Account ? ApiText::tr("No such account")
                                                : ApiText::tr("No such shipment"));
                return;
            }
            reply->sendJson(200, eventsToJson(*result.value));
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
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    Database &database = context.database;
    context.workers.run(
        [&database, query] {
            Page page;
            for (const ShipmentState &s :
                ReadModels::listShipments(database.connection(), query, &page.total))
                page.items.append(s.toJson());
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
            for (const AccountState &a :
                ReadModels::listAccounts(database.connection(), limit, offset, &page.total))
                page.items.append(a.toJson());
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
    Database &database = context.database;
    context.workers.run(
        [&database] {
            Page page;
            for (const TruckView &t : ReadModels::listTrucks(database.connection()))
                page.items.append(t.toJson());
            return page;
        },
        [reply = request.reply](const WorkResult<Page> &result) { sendPage(reply, result); });
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
