#include "statusroutes.h"

#include "engine/deliveryinvoicer.h"
#include "livefeed.h"
#include "store/eventstore.h"
#include "store/sql.h"

namespace waybill::api {

void health(ApiContext &, const ApiRequest &request)
{
    request.reply->sendJson(
        200, QJsonObject { { QStringLiteral("status"), QStringLiteral("ok") } });
}

void me(ApiContext &, const ApiRequest &request)
{
    request.reply->sendJson(200,
        QJsonObject { { QStringLiteral("name"), request.user.name },
            { QStringLiteral("role"), roleName(request.user.role) } });
}

void metrics(ApiContext &context, const ApiRequest &request)
{
    Database &database = context.database;
    context.workers.run(
        [&database] {
            const QSqlDatabase db = database.connection();
            Metrics::Gauges gauges;
            gauges.inboxDepth = CommandStore::pendingCount(db);
            QSqlQuery checkpoint
                = runQuery(db, QStringLiteral("SELECT position FROM checkpoints WHERE name = ?"),
                    { DeliveryInvoicer::checkpointName() });
            const qint64 invoiced = checkpoint.next() ? checkpoint.value(0).toLongLong() : 0;
            gauges.subscriberLag = qMax<qint64>(0, EventStore::lastPosition(db) - invoiced);
            return gauges;
        },
        [&context, reply = request.reply](const WorkResult<Metrics::Gauges> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            Metrics::Gauges gauges = *result.value;
            gauges.openConnections = context.openConnections ? context.openConnections() : 0;
            gauges.liveClients = context.live.clientCount();
            reply->send(200, QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"),
                context.metrics.prometheusText(gauges));
        });
}

} // namespace waybill::api
