#include "chainrows.h"

#include "sql.h"

namespace waybill {

namespace {

// Each event with what it takes to check it: the position of its stream's previous version
// (through the unique (stream_id, version) index, so memory does not grow with the number of
// streams) and the command that recorded it (commands keep the positions they wrote, in the same
// transaction as the events).
const QString kPageSql = QStringLiteral(
    "SELECT e.position, e.stream_id, e.version, e.type, e.timestamp, e.command_id, e.user_name,"
    " e.correlation_id, e.data, e.hash,"
    " (SELECT MIN(p.position) FROM events p WHERE p.stream_id = e.stream_id AND p.version = "
    "e.version - 1),"
    " c.status, c.first_position, c.last_position"
    " FROM events e LEFT JOIN commands c ON c.id = e.command_id"
    " WHERE e.position > ? ORDER BY e.position LIMIT %1");

} // namespace

ChainRows::ChainRows(const QSqlDatabase &db, int pageRows)
    : m_page(db)
{
    m_page.setForwardOnly(true);
    if (!m_page.prepare(kPageSql.arg(pageRows)))
        throwQueryError(m_page, QStringLiteral("cannot read events to verify"));
}

void ChainRows::openPageAfter(qint64 position)
{
    m_page.bindValue(0, position);
    if (!m_page.exec())
        throwQueryError(m_page, QStringLiteral("cannot read events to verify"));
}

bool ChainRows::next(ChainRow *row)
{
    if (!m_page.next())
        return false;
    ChainRow &r = *row;
    r.content.position = m_page.value(0).toLongLong();
    r.content.streamId = m_page.value(1).toString();
    r.content.version = m_page.value(2).toInt();
    r.content.type = m_page.value(3).toString();
    r.content.timestamp = m_page.value(4).toString();
    r.content.commandId = m_page.value(5).toString();
    r.content.user = m_page.value(6).toString();
    r.content.correlationId = m_page.value(7).toString();
    r.content.dataText = m_page.value(8).toString();
    r.hash = m_page.value(9).toString();
    r.previousVersionPosition = m_page.value(10);
    r.commandStatus = m_page.value(11);
    r.commandFirst = m_page.value(12).toLongLong();
    r.commandLast = m_page.value(13).toLongLong();
    return true;
}

void ChainRows::finish()
{
    m_page.finish();
}

std::optional<ChainRows::Command> ChainRows::succeededCommandBetween(
    const QSqlDatabase &db, qint64 before, qint64 after)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral(
            "SELECT id, first_position FROM commands WHERE status = 'succeeded'"
            " AND first_position < ? AND last_position > ? ORDER BY first_position LIMIT 1"),
        { after, before });
    if (!q.next())
        return std::nullopt;
    return Command { q.value(0).toString(), q.value(1).toLongLong() };
}

std::optional<ChainRows::Command> ChainRows::succeededCommandAfter(
    const QSqlDatabase &db, qint64 position)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral("SELECT id, last_position FROM commands WHERE status = 'succeeded'"
                       " AND last_position > ? ORDER BY last_position DESC LIMIT 1"),
        { position });
    if (!q.next())
        return std::nullopt;
    return Command { q.value(0).toString(), q.value(1).toLongLong() };
}

} // namespace waybill
