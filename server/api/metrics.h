// The counters behind GET /metrics, and their Prometheus text form.
#pragma once

#include "store/commandstore.h"

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QMutex>
#include <QString>

#include <array>
#include <deque>
#include <tuple>

namespace waybill::api {

// Thread-safe: acceptances are counted on the HTTP thread, outcomes on the engine's threads.
class Metrics final
{
public:
    Metrics();
    Q_DISABLE_COPY_MOVE(Metrics)

    // Now, in milliseconds of a monotonic clock; thread-safe.
    static qint64 now();
    // A command was recorded in the inbox by this server (202); startedMs is now() as the
    // handler asked the engine to accept it.
    void commandAccepted(const QString &commandId, qint64 startedMs);
    // A command was refused before it was recorded: at the state pre-check (409).
    void commandRejectedAtPrecheck();
    // A command's outcome (any command processed by this process's engine).
    void commandFinished(const CommandOutcome &outcome);
    // An HTTP request ended with this status (0: unanswered, the client went first); route is
    // the route's pattern ("/shipments/{id}"), "unmatched" or "method-not-allowed".
    void requestFinished(const QByteArray &method, const QString &route, int status);
    // A request carried X-Forwarded-For from a peer that is not a trusted proxy.
    void forwardedForIgnored();

    struct Gauges
    {
        qint64 inboxDepth = 0;
        qint64 subscriberLag = 0;
        int openConnections = 0;
        int liveClients = 0;
        // SQLite only: checkpoints run by the checkpointer's thread and by writers themselves.
        bool sqlite = false;
        qint64 checkpointsInBackground = 0;
        qint64 checkpointsOnWriters = 0;
    };
    QByteArray prometheusText(const Gauges &gauges) const;

    static constexpr std::array<double, 14> kBuckets { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10, 30 };

private:
    void observe(double seconds);
    void forgetOld();

    mutable QMutex m_mutex;
    qint64 m_accepted = 0;
    qint64 m_rejectedAtPrecheck = 0;
    qint64 m_succeeded = 0;
    qint64 m_rejectedAtProcessing = 0;

    std::array<qint64, kBuckets.size()> m_bucketCounts {};
    qint64 m_latencyCount = 0;
    double m_latencySum = 0;

    // Accept-to-outcome latency: the outcome may reach this thread before the acceptance does
    // (the engine can finish a command before the inbox's answer travels back), so whichever
    // comes second completes the measurement. Entries that never meet are forgotten.
    QHash<QString, qint64> m_acceptedAt; // command id -> now() when its acceptance started
    QHash<QString, qint64> m_finishedAt;
    // (method, route, status) -> requests, in the order of the scrape's lines; the routes and
    // statuses are few, so the map stays small.
    QMap<std::tuple<QByteArray, QString, int>, qint64> m_requests;
    qint64 m_forwardedForIgnored = 0;
    std::deque<std::pair<qint64, QString>> m_order; // for forgetting, oldest first
};

} // namespace waybill::api
