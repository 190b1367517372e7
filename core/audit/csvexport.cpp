#include "csvexport.h"

#include "csvwriter.h"
#include "domain/timeformat.h"
#include "store/sql.h"

#include <QSqlQuery>

#include <vector>

namespace waybill::Audit {

namespace {

// Rows per query: keyset pagination on position, so a page costs the same wherever it starts.
constexpr int kPageRows = 1000;
// The buffer is handed over once it holds this much (at a record's end)...
constexpr qsizetype kFlushBytes = 64 * 1024;
// ...and no chunk is larger than this: a huge event is cut into several chunks.
constexpr qsizetype kMaxChunkBytes = 256 * 1024;

using Sink = std::function<bool(const QByteArray &)>;

// Buffers records and hands them to the sink in bounded chunks, remembering where each record
// ends, so that after a cancel it can tell how many records the sink received whole.
class ChunkedOutput final
{
public:
    explicit ChunkedOutput(const Sink &sink)
        : m_sink(sink)
    {
        m_buffer.reserve(kFlushBytes + 4096);
    }
    Q_DISABLE_COPY_MOVE(ChunkedOutput)

    QByteArray &buffer() { return m_buffer; }
    void recordEnded() { m_recordEnds.push_back(m_buffer.size()); }
    // False when the sink cancelled.
    bool flushIfFull() { return m_buffer.size() < kFlushBytes || flush(); }
    bool flush();
    qint64 recordsDelivered() const { return m_delivered; }

private:
    bool deliver(QByteArray chunk, qsizetype endOffset);

    const Sink &m_sink;
    QByteArray m_buffer;
    std::vector<qsizetype> m_recordEnds; // offsets in m_buffer
    size_t m_nextRecordEnd = 0;
    qint64 m_delivered = 0;
};

bool ChunkedOutput::flush()
{
    if (m_buffer.isEmpty())
        return true;
    QByteArray all;
    all.swap(m_buffer);
    m_buffer.reserve(kFlushBytes + 4096);
    bool accepted = true;
    if (all.size() <= kMaxChunkBytes) {
        const qsizetype size = all.size();
        accepted = deliver(std::move(all), size);
    } else {
        qsizetype offset = 0;
        while (accepted && offset < all.size()) {
            qsizetype length = qMin(kMaxChunkBytes, all.size() - offset);
            // Never cut a UTF-8 sequence in two: a sink may decode each chunk on its own.
            while (offset + length < all.size() && length > 1
                && (static_cast<uchar>(all.at(offset + length)) & 0xC0) == 0x80) {
                --length;
            }
            accepted = deliver(all.mid(offset, length), offset + length);
            offset += length;
        }
    }
    m_recordEnds.clear();
    m_nextRecordEnd = 0;
    return accepted;
}

bool ChunkedOutput::deliver(QByteArray chunk, qsizetype endOffset)
{
    // The sink gets a buffer of its own: it may keep it (queue it to another thread).
    if (!m_sink(chunk))
        return false;
    while (m_nextRecordEnd < m_recordEnds.size() && m_recordEnds[m_nextRecordEnd] <= endOffset) {
        ++m_nextRecordEnd;
        ++m_delivered;
    }
    return true;
}

struct PageQuery
{
    QString sql;
    QVariantList bindings; // the first: the position to continue after
    bool empty = false; // nothing can match
};

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

PageQuery pageQuery(const QSqlDatabase &db, const EventFilter &filter)
{
    PageQuery page;
    page.sql = QStringLiteral(
        "SELECT position, timestamp, stream_id, version, type, command_id, user_name, "
        "data, hash FROM events WHERE position > ?");
    if (filter.from || filter.to) {
        // A time range is first turned into a range of positions (one pass over the timestamp
        // index); the pages then walk the primary key within it. Were the pages to use the
        // timestamp index, each would sort the whole rest of the range again to find its next
        // thousand rows in position order. The time condition stays on each row, phrased so
        // that no index serves it, because the log's times need not rise with its positions.
        QString bounds
            = QStringLiteral("SELECT MIN(position), MAX(position) FROM events WHERE 1 = 1");
        QVariantList bindings;
        addTimeRange(filter, QStringLiteral("timestamp"), &bounds, &bindings);
        QSqlQuery range(db);
        if (!range.prepare(bounds))
            throwQueryError(range, QStringLiteral("cannot read the export's time range"));
        for (int i = 0; i < bindings.size(); ++i)
            range.bindValue(i, bindings.at(i));
        if (!range.exec())
            throwQueryError(range, QStringLiteral("cannot read the export's time range"));
        if (!range.next() || range.value(0).isNull()) {
            page.empty = true;
            return page;
        }
        page.bindings << range.value(0).toLongLong() - 1 << range.value(1).toLongLong();
        page.sql += QStringLiteral(" AND position <= ?");
        addTimeRange(filter, QStringLiteral("(timestamp || '')"), &page.sql, &page.bindings);
    } else {
        page.bindings << qint64(0);
    }
    if (!filter.streamId.isEmpty()) {
        page.sql += QStringLiteral(" AND stream_id = ?");
        page.bindings << filter.streamId;
    }
    if (!filter.type.isEmpty()) {
        page.sql += QStringLiteral(" AND type = ?");
        page.bindings << filter.type;
    }
    page.sql += QStringLiteral(" ORDER BY position LIMIT %1").arg(kPageRows);
    return page;
}

} // namespace

QByteArray csvHeader()
{
    return QByteArrayLiteral(
        "position,timestamp,stream_id,version,type,command_id,user,data,hash\r\n");
}

qint64 exportCsv(Database &database, const EventFilter &filter,
    const std::function<bool(const QByteArray &chunk)> &sink)
{
    ChunkedOutput out(sink);
    out.buffer() += csvHeader();
    CsvWriter csv(out.buffer());

    // One snapshot for every page: an export is a consistent cut of the log even while
    // commands keep being processed.
    ReadTransaction tx(database);
    PageQuery page = pageQuery(tx.db(), filter);
    if (page.empty) {
        out.flush();
        return 0;
    }
    QSqlQuery q(tx.db());
    q.setForwardOnly(true);
    if (!q.prepare(page.sql))
        throwQueryError(q, QStringLiteral("cannot read events for the export"));

    qint64 after = page.bindings.first().toLongLong();
    for (;;) {
        page.bindings[0] = after;
        for (int i = 0; i < page.bindings.size(); ++i)
            q.bindValue(i, page.bindings.at(i));
        if (!q.exec())
            throwQueryError(q, QStringLiteral("cannot read events for the export"));
        int rows = 0;
        while (q.next()) {
            ++rows;
            after = q.value(0).toLongLong();
            csv.addCell(after);
            csv.addCell(q.value(1).toString()); // timestamp, as stored
            csv.addCell(q.value(2).toString());
            csv.addCell(q.value(3).toLongLong());
            csv.addCell(q.value(4).toString());
            csv.addCell(q.value(5).toString());
            csv.addCell(q.value(6).toString());
            csv.addCell(q.value(7).toString()); // data: the compact JSON text, byte for byte
            csv.addCell(q.value(8).toString());
            csv.endRecord();
            out.recordEnded();
            if (!out.flushIfFull())
                return out.recordsDelivered();
        }
        q.finish();
        if (rows < kPageRows)
            break;
    }
    out.flush();
    return out.recordsDelivered();
}

} // namespace waybill::Audit
