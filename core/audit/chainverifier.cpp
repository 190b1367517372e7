#include "chainverifier.h"

#include "store/chainrows.h"
#include "store/eventhash.h"

#include <QCoreApplication>

namespace waybill::Audit {

namespace {

constexpr int kPageRows = 1000;

// The verifier's messages (verify's "reason"), translated under the context "ChainVerifier".
class VerifierText final
{
    Q_DECLARE_TR_FUNCTIONS(ChainVerifier)
};

using Row = ChainRow;

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
    const auto command = ChainRows::succeededCommandBetween(db, before, after);
    if (!command)
        return {};
    const qint64 missing = qMax(command->position, before + 1);
    return VerifierText::tr("no event has a position between %1 and %2, but command %3 recorded "
                            "one at position %4: events were removed and the chain relinked")
        .arg(
            QString::number(before), QString::number(after), command->id, QString::number(missing));
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

VerifyResult verifyChain(
    Database &database, const std::function<bool(qint64)> &progress, std::optional<qint64> upTo)
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
    const HistoryWalk walk(database);
    ReadTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    ChainRows page(db, kPageRows);

    qint64 previousPosition = 0;
    QString previousHash = genesisHash();
    qint64 sinceProgress = 0;
    qint64 reported = 0;
    for (bool more = true; more;) {
        page.openPageAfter(previousPosition);
        int rows = 0;
        more = false;
        Row row;
        while (page.next(&row)) {
            if (upTo && row.content.position > *upTo) {
                more = false;
                rows = 0;
                break;
            }
            ++rows;
            ++result.events;
            ++sinceProgress;
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
            result.lastPosition = previousPosition;
            result.lastHash = previousHash;
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

    if (upTo) {
        // Events after it are not in question; the one at it must be there.
        if (previousPosition != *upTo)
            return fail(previousPosition + 1,
                VerifierText::tr("the log has no event at position %1").arg(*upTo));
        return result;
    }
    // A chain cannot show that its last events were removed; the commands table can, since each
    // succeeded command keeps the last position it wrote.
    if (const auto tail = ChainRows::succeededCommandAfter(db, previousPosition)) {
        const QString reason
            = VerifierText::tr("the log ends at position %1, but command %2 recorded events "
                               "up to position %3: the last events were removed")
                  .arg(
                      QString::number(previousPosition), tail->id, QString::number(tail->position));
        return fail(previousPosition + 1, reason);
    }
    if (progress && result.events != reported)
        progress(result.events);
    result.lastPosition = previousPosition;
    result.lastHash = previousHash;
    return result;
}

} // namespace waybill::Audit
