#include "metrics.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <chrono>

#include <sys/resource.h>
#include <unistd.h>

namespace waybill::api {

namespace {
constexpr qint64 kForgetAfterMs = 10 * 60 * 1000;

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 12);
}

// A label value as the text format wants it: backslash, quote and line feed escaped.
QByteArray labelValue(const QString &text)
{
    QByteArray value = text.toUtf8();
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return value;
}

// When the process started, near enough: static initialisation runs as the program loads. (The
// unit's ProcSubset=pid hides /proc/stat, whose boot time the exact figure would need.)
const qint64 kProcessStartMs = QDateTime::currentMSecsSinceEpoch();

// The process's own figures, the standard process_* metrics (as Prometheus's client libraries
// name them), from /proc. Missing figures are left out rather than shown as 0.
QByteArray processMetrics()
{
    QByteArray out;
    const double ticks = double(::sysconf(_SC_CLK_TCK));
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (ticks > 0 && stat.open(QIODevice::ReadOnly)) {
        // Fields after the command name (which may hold spaces, hence from the last ')').
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        // Counted from field 3 (state): utime is field 14, stime 15, vsize 23, rss 24.
        if (fields.size() > 21) {
            const double cpu = (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
            out += "# HELP process_cpu_seconds_total Total user and system CPU time spent in "
                   "seconds.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total "
                + number(cpu) + "\n";
            out += "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
                   "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes "
                + fields.at(20) + "\n";
            out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                   "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes "
                + QByteArray::number(fields.at(21).toLongLong() * ::sysconf(_SC_PAGESIZE)) + "\n";
        }
    }
    out += "# HELP process_start_time_seconds Start time of the process since unix epoch in "
           "seconds.\n# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds "
        + number(double(kProcessStartMs) / 1000.0) + "\n";
    const qsizetype openFds = QDir(QStringLiteral("/proc/self/fd"))
                                  .entryList(QDir::AllEntries | QDir::NoDotAndDotDot)
                                  .size();
    if (openFds > 0)
        out += "# HELP process_open_fds Number of open file descriptors.\n"
               "# TYPE process_open_fds gauge\nprocess_open_fds "
            + QByteArray::number(openFds - 1) + "\n"; // less the one that listed them
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0)
        out += "# HELP process_max_fds Maximum number of open file descriptors.\n"
               "# TYPE process_max_fds gauge\nprocess_max_fds "
            + QByteArray::number(qulonglong(limit.rlim_cur)) + "\n";
    return out;
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

void Metrics::requestFinished(const QByteArray &method, const QString &route, int status)
{
    QMutexLocker lock(&m_mutex);
    ++m_requests[std::make_tuple(method, route, status)];
}

void Metrics::forwardedForIgnored()
{
    QMutexLocker lock(&m_mutex);
    ++m_forwardedForIgnored;
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

    if (gauges.sqlite) {
        out += "# HELP waybill_sqlite_checkpoints_total Checkpoints of SQLite's write-ahead log, "
               "by the thread that ran them (writer: the log outgrew the backstop, as when a "
               "reader holds an old snapshot).\n"
               "# TYPE waybill_sqlite_checkpoints_total counter\n"
               "waybill_sqlite_checkpoints_total{thread=\"checkpointer\"} "
            + QByteArray::number(gauges.checkpointsInBackground) + "\n"
            + "waybill_sqlite_checkpoints_total{thread=\"writer\"} "
            + QByteArray::number(gauges.checkpointsOnWriters) + "\n";
    }

    out += "# HELP waybill_http_requests_total HTTP requests answered, by method, route pattern "
           "and status (0: the client left before the answer).\n"
           "# TYPE waybill_http_requests_total counter\n";
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it) {
        const auto &[method, route, status] = it.key();
        out += "waybill_http_requests_total{method=\"" + labelValue(QString::fromLatin1(method))
            + "\",route=\"" + labelValue(route) + "\",status=\"" + QByteArray::number(status)
            + "\"} " + QByteArray::number(it.value()) + "\n";
    }
    out += "# HELP waybill_http_forwarded_for_ignored_total Requests whose X-Forwarded-For was "
           "ignored: their peer is not a trusted proxy.\n"
           "# TYPE waybill_http_forwarded_for_ignored_total counter\n"
           "waybill_http_forwarded_for_ignored_total "
        + QByteArray::number(m_forwardedForIgnored) + "\n";
    out += "# HELP waybill_build_info The version of this server and of the Qt it runs on.\n"
           "# TYPE waybill_build_info gauge\n"
           "waybill_build_info{version=\"" WAYBILL_VERSION "\",qt_version=\""
        + labelValue(QString::fromLatin1(qVersion())) + "\"} 1\n";
    out += processMetrics();
    return out;
}

} // namespace waybill::api
