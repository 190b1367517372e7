#include "statusroutes.h"

#include "engine/deliveryinvoicer.h"
#include "livefeed.h"
#include "store/eventstore.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>

namespace waybill::api {

Q_LOGGING_CATEGORY(lcHealth, "waybill.http.health")

namespace {

// Messages in the context "waybill::api", as the other routes' are.
struct HealthText
{
    Q_DECLARE_TR_FUNCTIONS(waybill::api)
};

// The contract's {"status", "reason"} for load balancers, which is also an error body like any
// other ("error", "message").
void sendUnavailable(const http::ReplyPtr &reply, const QString &reason, const QString &message)
{
    reply->sendJson(503,
        QJsonObject { { QStringLiteral("status"), QStringLiteral("unavailable") },
            { QStringLiteral("reason"), reason }, { QStringLiteral("message"), message } },
        { { QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1") } });
}

struct Probe
{
    bool answers = false;
    QString why; // for the log: the database's own words
};

} // namespace

void health(ApiContext &context, const ApiRequest &request)
{
    if (context.draining || !context.engine.isAccepting()) {
        sendUnavailable(request.reply, QStringLiteral("shutting down"),
            HealthText::tr("The server is shutting down"));
        return;
    }
    Database &database = context.database;
    context.workers.run(
        [&database] {
            Probe probe;
            probe.answers = database.probe(&probe.why);
            return probe;
        },
        [reply = request.reply](const WorkResult<Probe> &result) {
            if (!result.value || !result.value->answers) {
                qCWarning(lcHealth).noquote() << "health: the database does not answer:"
                                              << (result.value ? result.value->why : result.error);
                sendUnavailable(reply, QStringLiteral("database unavailable"),
                    HealthText::tr("The database cannot be reached"));
                return;
            }
            reply->sendJson(
                200, QJsonObject { { QStringLiteral("status"), QStringLiteral("ok") } });
        });
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
            const qint64 invoiced = EventStore::checkpoint(db, DeliveryInvoicer::checkpointName());
            gauges.subscriberLag = qMax<qint64>(0, EventStore::lastPosition(db) - invoiced);
            if (!database.isPostgres()) {
                const WalCheckpointer::Stats checkpoints = database.checkpointStats();
                gauges.sqlite = true;
                gauges.checkpointsInBackground = checkpoints.background;
                gauges.checkpointsOnWriters = checkpoints.onWriters;
            }
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

void openApiDocument(ApiContext &, const ApiRequest &request)
{
    static const QByteArray document = [] {
        QFile file(QStringLiteral(":/waybill/openapi.json"));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    if (document.isEmpty()) {
        request.reply->sendError(
            500, HealthText::tr("The API document is missing from this build"));
        return;
    }
    request.reply->send(200, QByteArrayLiteral("application/json"), document);
}

} // namespace waybill::api
