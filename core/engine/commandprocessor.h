// Processes a batch of one lane's commands: load state, reduce, and in ONE transaction append
// the events, update the state rows and record each command's outcome.
#pragma once

#include "domain/rules.h"
#include "store/commandstore.h"
#include "store/database.h"
#include "store/tokentable.h"

#include <QThreadPool>
#include <QVector>

#include <atomic>
#include <optional>

namespace waybill {

// What the pre-check of a command found, recording nothing.
struct PrecheckAnswer
{
    QString rejection; // empty when the command would be accepted
    // Set when the command's If-Match names another version than its stream's current one
    // (the rejection then says so): the 412 of the API, which comes before a 409.
    std::optional<int> currentVersion;
};

class CommandProcessor final
{
public:
    CommandProcessor(Database &database, Rules rules);

    // Returns the outcomes of the commands that were pending (a redelivered command that is
    // already succeeded or rejected is dropped and has no outcome here). Throws StoreError when
    // the transaction failed; then nothing of the batch was applied.
    QVector<CommandOutcome> process(const QVector<Command> &batch);

    // Records the command as rejected with the message, in its own transaction, if it is still
    // pending: a command set aside. Its outcome, or nothing when it was not pending. Throws
    // StoreError.
    std::optional<CommandOutcome> reject(const Command &command, const QString &message);

    // The reducer's answer to a command against the state as it is now, without recording
    // anything: the HTTP pre-check. With a token's public id, it also reads that token's rows
    // into tokens, in the same statement as the states on PostgreSQL (the request's
    // authentication: one round trip for both).
    PrecheckAnswer precheck(const Command &command, const QString &tokenSalt = {},
        QVector<TokenTable::TokenRow> *tokens = nullptr);

    // Batches whose states were read and decided again under the writer lock, because something
    // they were decided against had moved since they were planned.
    qint64 batchesReadAgain() const { return m_readAgain.load(); }
    // Batches whose plan was made again on its own snapshot, under the writer lock, only to move
    // its time up to the log's last event (another writer that planned later committed first).
    qint64 batchesRestamped() const { return m_restamped.load(); }

private:
    Database &m_database;
    Rules m_rules;
    std::atomic<qint64> m_readAgain { 0 };
    std::atomic<qint64> m_restamped { 0 };
    // A thread that serializes half of a large batch's texts while the lane's does the other.
    QThreadPool m_helper;
};

} // namespace waybill
