#include "auditroutes.h"

#include "audit/chainverifier.h"
#include "audit/csvexport.h"
#include "queryroutes.h"
#include "store/eventstore.h"

#include <QCoreApplication>
#include <QMutex>
#include <QTcpSocket>
#include <QWaitCondition>

#include <atomic>

namespace waybill::api {

namespace {

constexpr qint64 kMaxQueuedBytes = 1024 * 1024;
constexpr int kWaitSliceMs = 200;

QString tr(const char *text)
{
    return QCoreApplication::translate("waybill::api", text);
}

// Between the export thread (producer) and the HTTP thread (which writes to the socket).
struct ExportFlow
{
    QMutex mutex;
    QWaitCondition drained;
    qint64 queued = 0; // bytes handed over and not yet taken by the kernel
    bool cancelled = false;
    std::vector<QMetaObject::Connection> connections; // to the socket; HTTP thread only

    void cancel()
    {
        QMutexLocker lock(&mutex);
        cancelled = true;
        drained.wakeAll();
    }
    void setQueued(qint64 bytes)
    {
        QMutexLocker lock(&mutex);
        queued = bytes;
        if (queued <= kMaxQueuedBytes / 2)
            drained.wakeAll();
    }
};

} // namespace

void exportEventsCsv(ApiContext &context, const ApiRequest &request)
{
    QueryReader reader(request);
    EventFilter filter;
    filter.from = reader.time(QStringLiteral("from"));
    filter.to = reader.time(QStringLiteral("to"));
    filter.streamId = textParameter(reader, request, QStringLiteral("streamId"));
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    const http::ReplyPtr reply = request.reply;
    auto flow = std::make_shared<ExportFlow>();
    if (QTcpSocket *socket = reply->socket()) {
        // The kernel took some bytes: tell the producer how much is still queued.
        flow->connections.push_back(QObject::connect(socket, &QIODevice::bytesWritten, socket,
            [flow, weak = std::weak_ptr<http::Reply>(reply)] {
                if (const auto r = weak.lock())
                    flow->setQueued(r->pendingBytes());
            }));
        flow->connections.push_back(
            QObject::connect(socket, &QObject::destroyed, [flow] { flow->cancel(); }));
    }
    Database &database = context.database;
    Workers &workers = context.workers;
    const Poster poster = workers.poster();
    // An export may run for long: each page first checks that the token still stands, so that
    // revoking it stops the export too.
    auto revoked = std::make_shared<std::atomic<bool>>(false);
    Audit::ExportOptions options;
    options.mayContinue = [publicId = request.user.publicId, revoked](const QSqlDatabase &db) {
        *revoked = !TokenStore::revokedAmong(db, { publicId }).isEmpty();
        return !*revoked;
    };
    workers.runLong(
        [&database, &workers, filter, options, flow, poster, reply]() mutable {
            bool started = false;
            const Audit::ExportResult exported = Audit::exportCsv(
                database, filter,
                [&](const QByteArray &chunk) {
                    {
                        QMutexLocker lock(&flow->mutex);
                        while (flow->queued > kMaxQueuedBytes && !flow->cancelled
                            && !workers.stopping())
                            flow->drained.wait(&flow->mutex, kWaitSliceMs);
                        if (flow->cancelled || workers.stopping())
                            return false;
                        flow->queued += chunk.size();
                    }
                    const bool first = !started;
                    started = true;
                    poster([reply, flow, chunk, first] {
                        if (!reply->isConnected()) {
                            flow->cancel();
                            return;
                        }
                        if (first) {
                            reply->beginStream(200, QByteArrayLiteral("text/csv; charset=utf-8"),
                                { { QByteArrayLiteral("Content-Disposition"),
                                    QByteArrayLiteral("attachment; filename=\"events.csv\"") } });
                        }
                        reply->writeChunk(chunk);
                        flow->setQueued(reply->pendingBytes());
                    });
                    return true;
                },
                options);
            return exported;
        },
        [reply, flow, revoked](const WorkResult<Audit::ExportResult> &result) {
            flow->cancel();
            for (const auto &connection : flow->connections)
                QObject::disconnect(connection);
            const bool started = reply->isStreaming();
            if (!result.value) {
                if (started)
                    reply->failStream(result.error);
                else
                    sendDatabaseError(reply, result.error);
                return;
            }
            if (!result.value->completed) {
                // The token was revoked, the client left or the server is stopping: the answer
                // must not look complete.
                if (started)
                    reply->failStream(*revoked ? QStringLiteral("token revoked")
                                               : QStringLiteral("export stopped"));
                else if (*revoked)
                    reply->sendError(401, tr("The token was revoked during the export"));
                else
                    reply->sendError(503, tr("The server is stopping; try again shortly"));
                return;
            }
            if (!started) {
                // The export always writes the header row; this is only a safeguard.
                reply->beginStream(200, QByteArrayLiteral("text/csv; charset=utf-8"));
            }
            reply->endStream();
        });
}

void verifyChain(ApiContext &context, const ApiRequest &request)
{
    const http::ReplyPtr reply = request.reply;
    auto gone = std::make_shared<std::atomic<bool>>(false);
    QMetaObject::Connection watch;
    if (QTcpSocket *socket = reply->socket())
        watch = QObject::connect(socket, &QObject::destroyed, [gone] { *gone = true; });
    Database &database = context.database;
    Workers &workers = context.workers;
    workers.runLong(
        [&database, &workers, gone] {
            return Audit::verifyChain(database, [&](qint64) {
                return !*gone && !workers.stopping();
            }).toJson();
        },
        [reply, watch](const WorkResult<QJsonObject> &result) {
            QObject::disconnect(watch);
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            reply->sendJson(200, *result.value);
        });
}

void chainProof(ApiContext &context, const ApiRequest &request)
{
    QueryReader reader(request);
    const qint64 position = reader.count(QStringLiteral("position"), -1);
    if (reader.errors().isEmpty() && position < 1)
        reader.fail(QStringLiteral("position"),
            tr("\"position\" is required: the position of an event in the log, 1 or more"));
    if (!reader.errors().isEmpty()) {
        sendValidationErrors(request.reply, reader.errors());
        return;
    }
    Database &database = context.database;
    context.workers.run(
        [&database, position]() -> std::optional<QJsonObject> {
            const EventList found = EventStore::readAfter(database.connection(), position - 1, 1);
            if (found.isEmpty() || found.first().position != position)
                return std::nullopt;
            return QJsonObject { { QStringLiteral("position"), static_cast<double>(position) },
                { QStringLiteral("hash"), found.first().hash } };
        },
        [reply = request.reply](const WorkResult<std::optional<QJsonObject>> &result) {
            if (!result.value) {
                sendDatabaseError(reply, result.error);
                return;
            }
            if (!*result.value) {
                reply->sendError(404, tr("No event has that position"));
                return;
            }
            reply->sendJson(200, **result.value);
        });
}

} // namespace waybill::api
