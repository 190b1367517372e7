#include "metrics.h"

#include <chrono>

namespace waybill::api {

namespace {
constexpr qint64 kForgetAfterMs = 10 * 60 * 1000;

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 12);
}
} // namespace

Metrics::Metrics() = default;

qint64 Metrics::now()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void Metrics::commandAccepted(const QString &commandId, qint64 startedMs)
{
    QMutexLocker lock(&m_mutex);
    ++m_accepted;
    const auto finished = m_finishedAt.constFind(commandId);
    if (finished != m_finishedAt.constEnd()) {
        observe(double(qMax<qint64>(0, *finished - startedMs)) / 1000.0);
        m_finishedAt.erase(finished);
        return;
    }
    m_acceptedAt.insert(commandId, startedMs);
    m_order.emplace_back(now(), commandId);
    forgetOld();
}

void Metrics::commandRejectedAtPrecheck()
{
    QMutexLocker lock(&m_mutex);
    ++m_rejectedAtPrecheck;
}

void Metrics::commandFinished(const CommandOutcome &outcome)
{
    QMutexLocker lock(&m_mutex);
    if (outcome.status == CommandStatus::Succeeded)
        ++m_succeeded;
    else if (outcome.status == CommandStatus::Rejected)
        ++m_rejectedAtProcessing;
    if (outcome.type == CommandType::Invoice)
        return; // issued by the engine itself, never accepted over HTTP
    const qint64 now = Metrics::now();
    const auto accepted = m_acceptedAt.constFind(outcome.commandId);
    if (accepted != m_acceptedAt.constEnd()) {
        observe(double(now - *accepted) / 1000.0);
        m_acceptedAt.erase(accepted);
        return;
    }
    m_finishedAt.insert(outcome.commandId, now);
    m_order.emplace_back(now, outcome.commandId);
    forgetOld();
}

void Metrics::observe(double seconds)
{
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i])
            ++m_bucketCounts[i];
    }
    ++m_latencyCount;
    m_latencySum += seconds;
}

void Metrics::forgetOld()
{
    const qint64 now = Metrics::now();
    while (!m_order.empty() && now - m_order.front().first > kForgetAfterMs) {
        m_acceptedAt.remove(m_order.front().second);
        m_finishedAt.remove(m_order.front().second);
        m_order.pop_front();
    }
    // Ids that met were removed from the maps but not from the order; keep the order short.
    if (m_order.size() > 4 * size_t(m_acceptedAt.size() + m_finishedAt.size()) + 1024) {
        std::deque<std::pair<qint64, QString>> kept;
        for (auto &entry : m_order) {
            if (m_acceptedAt.contains(entry.second) || m_finishedAt.contains(entry.second))
                kept.push_back(std::move(entry));
        }
        m_order.swap(kept);
    }
}

QByteArray Metrics::prometheusText(const Gauges &gauges) const
{
    QMutexLocker lock(&m_mutex);
    QByteArray out;
    out += "# HELP waybill_commands_accepted_total Commands recorded in the inbox by this server "
           "(answered 202).\n"
           "# TYPE waybill_commands_accepted_total counter\n"
           "waybill_commands_accepted_total "
        + QByteArray::number(m_accepted) + "\n";
    out += "# HELP waybill_commands_rejected_total Commands refused as illegal for the current "
           "state.\n"
           "# TYPE waybill_commands_rejected_total counter\n"
           "waybill_commands_rejected_total{stage=\"precheck\"} "
        + QByteArray::number(m_rejectedAtPrecheck) + "\n"
        + "waybill_commands_rejected_total{stage=\"processing\"} "
        + QByteArray::number(m_rejectedAtProcessing) + "\n";
    out += "# HELP waybill_commands_processed_total Commands processed by this server's engine.\n"
           "# TYPE waybill_commands_processed_total counter\n"
           "waybill_commands_processed_total{status=\"succeeded\"} "
        + QByteArray::number(m_succeeded) + "\n"
        + "waybill_commands_processed_total{status=\"rejected\"} "
        + QByteArray::number(m_rejectedAtProcessing) + "\n";
    out += "# HELP waybill_command_processing_seconds Time from a command's acceptance to its "
           "outcome.\n"
           "# TYPE waybill_command_processing_seconds histogram\n";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        out += "waybill_command_processing_seconds_bucket{le=\"" + number(kBuckets[i]) + "\"} "
            + QByteArray::number(m_bucketCounts[i]) + "\n";
    }
    out += "waybill_command_processing_seconds_bucket{le=\"+Inf\"} "
        + QByteArray::number(m_latencyCount) + "\n";
    out += "waybill_command_processing_seconds_sum " + number(m_latencySum) + "\n";
    out += "waybill_command_processing_seconds_count " + QByteArray::number(m_latencyCount) + "\n";
    out += "# HELP waybill_inbox_depth Commands recorded and not yet processed.\n"
           "# TYPE waybill_inbox_depth gauge\n"
           "waybill_inbox_depth "
        + QByteArray::number(gauges.inboxDepth) + "\n";
    out += "# HELP waybill_subscriber_lag_events Events in the log after a subscriber's "
           "checkpoint.\n"
           "# TYPE waybill_subscriber_lag_events gauge\n"
           "waybill_subscriber_lag_events{subscriber=\"delivery-invoicer\"} "
        + QByteArray::number(gauges.subscriberLag) + "\n";
    out += "# HELP waybill_http_connections_open Open HTTP connections.\n"
           "# TYPE waybill_http_connections_open gauge\n"
           "waybill_http_connections_open "
        + QByteArray::number(gauges.openConnections) + "\n";
    out += "# HELP waybill_live_clients Clients connected to /live.\n"
           "# TYPE waybill_live_clients gauge\n"
           "waybill_live_clients "
        + QByteArray::number(gauges.liveClients) + "\n";
    return out;
}

} // namespace waybill::api
