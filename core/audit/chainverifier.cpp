#include "chainverifier.h"

#include "store/eventhash.h"
#include "store/sql.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace waybill::Audit {

namespace {

constexpr int kPageRows = 1000;

// The verifier's messages (verify's "reason"), translated under the context "ChainVerifier".
class VerifierText final
{
    Q_DECLARE_TR_FUNCTIONS(ChainVerifier)
};

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

struct Row
{
    EventContent content;
    QString hash;
    QVariant previousVersionPosition;
    QVariant commandStatus;
    qint64 commandFirst = 0;
    qint64 commandLast = 0;
};

Row readRow(const QSqlQuery &q)
{
    Row r;
    r.content.position = q.value(0).toLongLong();
    r.content.streamId = q.value(1).toString();
    r.content.version = q.value(2).toInt();
    r.content.type = q.value(3).toString();
    r.content.timestamp = q.value(4).toString();
    r.content.commandId = q.value(5).toString();
    r.content.user = q.value(6).toString();
    r.content.correlationId = q.value(7).toString();
    r.content.dataText = q.value(8).toString();
    r.hash = q.value(9).toString();
    r.previousVersionPosition = q.value(10);
    r.commandStatus = q.value(11);
    r.commandFirst = q.value(12).toLongLong();
    r.commandLast = q.value(13).toLongLong();
    return r;
}

// Whether the row's stored hash is the link recomputed from its content and the previous row's
// STORED hash (so that a single edit is named at the edited row itself); empty when it is.
QString linkProblem(const Row &row, qint64 previousPosition, const QString &previousHash)
{
    const EventContent &e = row.content;
    if (e.position < 1)
        return VerifierText::tr("position %1 is not a position of the log (positions start at 1)")
            .arg(e.position);
    if (chainHash(previousHash, e) == row.hash)
        return {};
    // Gaps are allowed, but a gap before a broken link is what removing events leaves.
    if (previousPosition == 0 && e.position > 1)
        return VerifierText::tr("the log starts at position %1 and the link does not start the "
                                "chain: events were removed (or this one was altered)")
            .arg(e.position);
    if (e.position > previousPosition + 1)
        return VerifierText::tr("no event has a position between %1 and %2, and the link does not "
                                "follow from position %1: events were removed (or this one was "
                                "altered)")
            .arg(previousPosition)
            .arg(e.position);
    return VerifierText::tr("the stored hash does not match the event and the link before it: the "
                            "event was edited, replaced or inserted, or the one before it was "
                            "rewritten");
}

// Whether a succeeded command recorded an event in the gap between two positions.
QString gapProblem(const QSqlDatabase &db, qint64 before, qint64 after)
{
    QSqlQuery q = runQuery(db,
        QStringLiteral(
            "SELECT id, first_position FROM commands WHERE status = 'succeeded'"
            " AND first_position < ? AND last_position > ? ORDER BY first_position LIMIT 1"),
        { after, before });
    if (!q.next())
        return {};
    const qint64 missing = qMax(q.value(1).toLongLong(), before + 1);
    return VerifierText::tr("no event has a position between %1 and %2, but command %3 recorded "
                            "one at position %4: events were removed and the chain relinked")
        .arg(QString::number(before), QString::number(after), q.value(0).toString(),
            QString::number(missing));
}

// Whether the row fits its stream (versions 1, 2, 3 ... in position order) and the command that
// recorded it; empty when it does.
QString recordProblem(const Row &row)
{
    const EventContent &e = row.content;
    if (e.version < 1)
        return VerifierText::tr("stream %1 has version %2 (versions start at 1)")
            .arg(e.streamId, QString::number(e.version));
    if (e.version > 1) {
        if (row.previousVersionPosition.isNull())
            return VerifierText::tr(
                "stream %1 has version %2 but no version %3: events of the stream are missing")
                .arg(e.streamId, QString::number(e.version), QString::number(e.version - 1));
        const qint64 before = row.previousVersionPosition.toLongLong();
        if (before >= e.position)
            return VerifierText::tr(
                "stream %1 version %2 comes before its version %3 (position %4): the stream is out "
                "of order")
                .arg(e.streamId, QString::number(e.version), QString::number(e.version - 1),
                    QString::number(before));
    }

    // A forger who computes a valid link still needs the command that recorded the event.
    if (row.commandStatus.isNull())
        return VerifierText::tr(
            "no command recorded this event (its command id is %1): it was inserted")
            .arg(e.commandId);
    if (row.commandStatus.toString() != QLatin1String("succeeded") || e.position < row.commandFirst
        || e.position > row.commandLast) {
        return VerifierText::tr(
            "command %1 recorded positions %2 to %3, not this one: the event was inserted or moved")
            .arg(e.commandId, QString::number(row.commandFirst), QString::number(row.commandLast));
    }
    return {};
}

} // namespace

QJsonObject VerifyResult::toJson() const
{
    QJsonObject json { { QStringLiteral("ok"), ok },
        { QStringLiteral("events"), static_cast<double>(events) } };
    if (ok) {
        json.insert(QStringLiteral("lastPosition"), static_cast<double>(lastPosition));
        json.insert(QStringLiteral("lastHash"), lastHash);
    } else {
        if (firstBadPosition > 0)
            json.insert(QStringLiteral("firstBadPosition"), static_cast<double>(firstBadPosition));
        json.insert(QStringLiteral("reason"), reason);
    }
    return json;
}

VerifyResult verifyChain(Database &database, const std::function<bool(qint64)> &progress)
{
    VerifyResult result;
    const auto fail = [&result](qint64 position, const QString &reason) {
        result.ok = false;
        result.firstBadPosition = position;
        result.reason = reason;
        return result;
    };

    // One snapshot: events and the commands that wrote them are committed together, so every
    // snapshot of a sound log verifies, even while commands keep being processed.
    ReadTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    QSqlQuery page(db);
    page.setForwardOnly(true);
    if (!page.prepare(kPageSql.arg(kPageRows)))
        throwQueryError(page, QStringLiteral("cannot read events to verify"));

    qint64 previousPosition = 0;
    QString previousHash = genesisHash();
    qint64 sinceProgress = 0;
    qint64 reported = 0;
    for (bool more = true; more;) {
        page.bindValue(0, previousPosition);
        if (!page.exec())
            throwQueryError(page, QStringLiteral("cannot read events to verify"));
        int rows = 0;
        more = false;
        while (page.next()) {
            ++rows;
            ++result.events;
            ++sinceProgress;
            const Row row = readRow(page);
            QString problem = linkProblem(row, previousPosition, previousHash);
            if (problem.isEmpty() && row.content.position > previousPosition + 1) {
                // A gap under valid links: were its positions ever written? No other statement
                // may run while a forward-only page is open, so close it and start a new page
                // after this row.
                page.finish();
                problem = gapProblem(db, previousPosition, row.content.position);
                more = true;
            }
            if (problem.isEmpty())
                problem = recordProblem(row);
            if (!problem.isEmpty())
                return fail(row.content.position, problem);
            previousPosition = row.content.position;
            previousHash = row.hash;
            if (more)
                break;
        }
        page.finish();
        more = more || rows == kPageRows;
        if (more && sinceProgress >= kPageRows && progress) {
            sinceProgress = 0;
            reported = result.events;
            if (!progress(result.events)) {
                result.ok = false;
                result.reason = VerifierText::tr("verification was cancelled after %n event(s)",
                    nullptr, static_cast<int>(result.events));
                return result;
            }
        }
    }

    // A chain cannot show that its last events were removed; the commands table can, since each
    // succeeded command keeps the last position it wrote.
    QSqlQuery tail = runQuery(db,
        QStringLiteral("SELECT id, last_position FROM commands WHERE status = 'succeeded'"
                       " AND last_position > ? ORDER BY last_position DESC LIMIT 1"),
        { previousPosition });
    if (tail.next()) {
        const QString reason
            = VerifierText::tr("the log ends at position %1, but command %2 recorded events "
                               "up to position %3: the last events were removed")
                  .arg(QString::number(previousPosition), tail.value(0).toString(),
                      QString::number(tail.value(1).toLongLong()));
        return fail(previousPosition + 1, reason);
    }
    if (progress && result.events != reported)
        progress(result.events);
    result.lastPosition = previousPosition;
    result.lastHash = previousHash;
    return result;
}

} // namespace waybill::Audit
