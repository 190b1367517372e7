#include "historywriter.h"

#include "domain/timeformat.h"
#include "store/eventstore.h"
#include "store/sql.h"

#include <QSqlQuery>
#include <QUuid>

namespace waybill::test {

int HistoryWriter::nextVersion(const QSqlDatabase &db, const QString &streamId)
{
    auto it = m_versions.find(streamId);
    if (it == m_versions.end()) {
        QSqlQuery q = runQuery(db,
            QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM events WHERE stream_id = ?"),
            { streamId });
        it = m_versions.insert(streamId, q.next() ? q.value(0).toInt() : 0);
    }
    return ++*it;
}

template<typename Each>
void HistoryWriter::write(
    qint64 count, const std::function<EventDraft(qint64)> &draftAt, Each &&each)
{
    WriteTransaction tx(m_database);
    const QSqlDatabase &db = tx.db();
    ChainHead head = EventStore::readHead(db);
    QSqlQuery command(db);
    if (!command.prepare(QStringLiteral("INSERT INTO commands (id, stream_id, type, data, "
                                        "user_name, accepted_at, correlation_id, status,"
                                        " first_position, last_position, processed_at) VALUES (?, "
                                        "?, 'submit', '{}', ?, ?, ?, 'succeeded', ?, ?, ?)")))
        throwQueryError(command, QStringLiteral("cannot prepare the command insert"));
    for (qint64 i = 0; i < count; ++i) {
        const EventDraft draft = draftAt(i);
        const QString commandId = draft.commandId.isEmpty()
            ? QStringLiteral("cmd-%1-%2")
                  .arg(++m_commands)
                  .arg(QUuid::createUuid().toString(QUuid::Id128))
            : draft.commandId;
        const EventMeta meta { commandId, draft.user, commandId, draft.timestamp };
        RecordedEvent recorded = EventStore::append(db, head, draft.streamId,
            nextVersion(db, draft.streamId), NewEvent { draft.type, draft.data }, meta);
        const QString at = toIsoUtc(draft.timestamp);
        const QVariantList values { commandId, draft.streamId, draft.user, at, commandId,
            recorded.position, recorded.position, at };
        for (int v = 0; v < values.size(); ++v)
            command.bindValue(v, values.at(v));
        if (!command.exec())
            throwQueryError(command, QStringLiteral("cannot record the command"));
        each(std::move(recorded));
    }
    tx.commit();
}

EventList HistoryWriter::append(const QVector<EventDraft> &drafts)
{
    EventList events;
    const QHash<QString, int> before = m_versions;
    try {
        write(
            drafts.size(), [&drafts](qint64 i) { return drafts.at(i); },
            [&events](RecordedEvent &&e) { events.append(std::move(e)); });
    } catch (...) {
        m_versions = before; // rolled back
        throw;
    }
    return events;
}

void HistoryWriter::appendMany(
    qint64 count, int transactionSize, const std::function<EventDraft(qint64)> &draftAt)
{
    for (qint64 done = 0; done < count;) {
        const qint64 n = qMin<qint64>(transactionSize, count - done);
        write(
            n, [&draftAt, done](qint64 i) { return draftAt(done + i); }, [](RecordedEvent &&) {});
        done += n;
    }
}

} // namespace waybill::test
