#include "csvexport.h"

#include "csvwriter.h"
#include "store/eventpages.h"

#include <optional>
#include <vector>

namespace waybill::Audit {

namespace {

// Rows per page: keyset pagination on position, so a page costs the same wherever it starts.
constexpr int kPageRows = 1000;
// A page also ends once this much CSV is waiting (after the record that passed it), so that a
// page of huge events holds neither a transaction nor memory for long.
constexpr qsizetype kPageBytes = 4 * 1024 * 1024;
// The buffer is handed over once it holds this much (at a record's end)...
constexpr qsizetype kFlushBytes = 64 * 1024;
// ...and no chunk is larger than this: a huge event is cut into several chunks.
constexpr qsizetype kMaxChunkBytes = 256 * 1024;

using Sink = std::function<bool(const QByteArray &)>;

// Buffers records and cuts them into bounded chunks, which wait until release() hands them to
// the sink (outside any transaction); it remembers where each record ends, so that after a
// cancel it can tell how many records the sink received whole.
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
    void recordEnded()
    {
        m_recordEnds.push_back(m_buffer.size());
        if (m_buffer.size() >= kFlushBytes)
            cut();
    }
    // Bytes not handed to the sink yet.
    qsizetype waiting() const { return m_waitingBytes + m_buffer.size(); }
    // Cuts what is buffered into chunks and hands every chunk to the sink; false when it
    // cancelled.
    bool release();
    qint64 recordsDelivered() const { return m_delivered; }

private:
    struct Chunk
    {
        QByteArray bytes;
        int recordsCompleted = 0; // records that end in this chunk
    };
    void cut();
    void queue(QByteArray chunk, qsizetype endOffset);

    const Sink &m_sink;
    QByteArray m_buffer;
    std::vector<qsizetype> m_recordEnds; // offsets in m_buffer
    size_t m_nextRecordEnd = 0;
    std::vector<Chunk> m_chunks;
    qsizetype m_waitingBytes = 0; // in m_chunks
    qint64 m_delivered = 0;
};

void ChunkedOutput::cut()
{
    if (m_buffer.isEmpty())
        return;
    QByteArray all;
    all.swap(m_buffer);
    m_buffer.reserve(kFlushBytes + 4096);
    if (all.size() <= kMaxChunkBytes) {
        const qsizetype size = all.size();
        queue(std::move(all), size);
    } else {
        qsizetype offset = 0;
        while (offset < all.size()) {
            qsizetype length = qMin(kMaxChunkBytes, all.size() - offset);
            // Never cut a UTF-8 sequence in two: a sink may decode each chunk on its own.
            while (offset + length < all.size() && length > 1
                && (static_cast<uchar>(all.at(offset + length)) & 0xC0) == 0x80) {
                --length;
            }
            queue(all.mid(offset, length), offset + length);
            offset += length;
        }
    }
    m_recordEnds.clear();
    m_nextRecordEnd = 0;
}

void ChunkedOutput::queue(QByteArray chunk, qsizetype endOffset)
{
    int completed = 0;
    while (m_nextRecordEnd < m_recordEnds.size() && m_recordEnds[m_nextRecordEnd] <= endOffset) {
        ++m_nextRecordEnd;
        ++completed;
    }
    m_waitingBytes += chunk.size();
    m_chunks.push_back({ std::move(chunk), completed });
}

bool ChunkedOutput::release()
{
    cut();
    std::vector<Chunk> chunks;
    chunks.swap(m_chunks);
    m_waitingBytes = 0;
    for (Chunk &chunk : chunks) {
        // The sink gets a buffer of its own: it may keep it (queue it to another thread).
        if (!m_sink(chunk.bytes))
            return false;
        m_delivered += chunk.recordsCompleted;
    }
    return true;
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
    return exportCsv(database, filter, sink, {}).events;
}

ExportResult exportCsv(Database &database, const EventFilter &filter,
    const std::function<bool(const QByteArray &chunk)> &sink, const ExportOptions &options)
{
    const HistoryWalk walk(database);
    ExportResult result;
    ChunkedOutput out(sink);
    out.buffer() += csvHeader();
    CsvWriter csv(out.buffer());

    // Where the export ends: the log's end now. Every position up to it is committed and will
    // never change (one writer appends, in position order), so the pages that follow, each in
    // a snapshot of its own, read exactly what one snapshot taken now would have shown.
    std::optional<EventPages> pages;
    {
        ReadTransaction tx(database);
        const qint64 last = EventStore::lastPosition(tx.db());
        result.upToPosition = options.upToPosition > 0 ? qMin(options.upToPosition, last) : last;
        pages.emplace(tx.db(), filter, result.upToPosition, kPageRows);
    }
    if (pages->isEmpty()) {
        result.completed = out.release();
        return result;
    }

    for (;;) {
        bool more = false;
        {
            ReadTransaction tx(database);
            if (options.mayContinue && !options.mayContinue(tx.db())) {
                result.events = out.recordsDelivered();
                return result;
            }
            EventPages::Page page(*pages, tx.db());
            EventPageRow row;
            int rows = 0;
            while (page.next(&row)) {
                ++rows;
                csv.addCell(row.position);
                csv.addCell(row.timestamp);
                csv.addCell(row.streamId);
                csv.addCell(row.version);
                csv.addCell(row.type);
                csv.addCell(row.commandId);
                csv.addCell(row.user);
                csv.addCell(row.data);
                csv.addCell(row.hash);
                csv.endRecord();
                out.recordEnded();
                if (out.waiting() >= kPageBytes) {
                    more = true; // the rest of this page comes as the next one
                    break;
                }
            }
            page.finish();
            more = more || rows == kPageRows;
        }
        // The page's transaction is over: a slow sink holds no snapshot.
        if (!out.release()) {
            result.events = out.recordsDelivered();
            return result;
        }
        if (!more)
            break;
    }
    result.events = out.recordsDelivered();
    result.completed = true;
    return result;
}

} // namespace waybill::Audit
