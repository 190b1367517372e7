#include "eventpages.h"

#include "domain/timeformat.h"
#include "sql.h"

namespace waybill {

namespace {

// Stored timestamps share one fixed-width ISO form, so text order is time order.
void addTimeRange(
    const EventFilter &filter, const QString &column, QString *sql, QVariantList *bindings)
{
    if (filter.from) {
        *sql += QStringLiteral(" AND %1 >= ?").arg(column);
        *bindings << toIsoUtc(*filter.from);
    }
    if (filter.to) {
        *sql += QStringLiteral(" AND %1 < ?").arg(column);
        *bindings << toIsoUtc(*filter.to);
    }
}

void runWithBindings(QSqlQuery &q, const QString &sql, const QVariantList &bindings)
{
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        throwQueryError(q, QStringLiteral("cannot read events for the export"));
    for (int i = 0; i < bindings.size(); ++i)
        q.bindValue(i, bindings.at(i));
    if (!q.exec())
        throwQueryError(q, QStringLiteral("cannot read events for the export"));
}

} // namespace

EventPages::EventPages(const QSqlDatabase &db, const EventFilter &filter, qint64 upTo, int pageRows)
    : m_sql(QStringLiteral(
        "SELECT position, timestamp, stream_id, version, type, command_id, user_name, "
        "data, hash FROM events WHERE position > ? AND position <= ?"))
{
    if (filter.from || filter.to) {
        // A time range is first turned into a range of positions (one pass over the timestamp
        // index); the pages then walk the primary key within it. Were the pages to use the
        // timestamp index, each would sort the whole rest of the range again to find its next
        // thousand rows in position order. The time condition stays on each row, phrased so
        // that no index serves it, because the log's times need not rise with its positions.
        QString bounds
            = QStringLiteral("SELECT MIN(position), MAX(position) FROM events WHERE position <= ?");
        QVariantList bindings { upTo };
        addTimeRange(filter, QStringLiteral("timestamp"), &bounds, &bindings);
        QSqlQuery range(db);
        runWithBindings(range, bounds, bindings);
        if (!range.next() || range.value(0).isNull()) {
            m_empty = true;
            return;
        }
        m_bindings << range.value(0).toLongLong() - 1 << range.value(1).toLongLong();
        addTimeRange(filter, QStringLiteral("(timestamp || '')"), &m_sql, &m_bindings);
    } else {
        m_bindings << qint64(0) << upTo;
    }
    if (!filter.streamId.isEmpty()) {
        m_sql += QStringLiteral(" AND stream_id = ?");
        m_bindings << filter.streamId;
    }
    if (!filter.type.isEmpty()) {
        m_sql += QStringLiteral(" AND type = ?");
        m_bindings << filter.type;
    }
    m_sql += QStringLiteral(" ORDER BY position LIMIT %1").arg(pageRows);
}

EventPages::Page::Page(EventPages &pages, const QSqlDatabase &db)
    : m_pages(pages)
    , m_query(db)
{
    runWithBindings(m_query, m_pages.m_sql, m_pages.m_bindings);
}

bool EventPages::Page::next(EventPageRow *row)
{
    if (!m_query.next())
        return false;
    row->position = m_query.value(0).toLongLong();
    row->timestamp = m_query.value(1).toString();
    row->streamId = m_query.value(2).toString();
    row->version = m_query.value(3).toLongLong();
    row->type = m_query.value(4).toString();
    row->commandId = m_query.value(5).toString();
    row->user = m_query.value(6).toString();
    row->data = m_query.value(7).toString();
    row->hash = m_query.value(8).toString();
    m_pages.m_bindings[0] = row->position;
    return true;
}

} // namespace waybill
