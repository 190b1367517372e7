// Writes events straight into the store, each recorded by a succeeded command of its own, the
// way the engine leaves them: for histories with chosen text and times, and for big histories fast.
#pragma once

#include "domain/event.h"
#include "store/database.h"

#include <QHash>
#include <QJsonObject>

namespace waybill::test {

struct EventDraft
{
    QString streamId;
    QString type;
    QJsonObject data;
    QString user;
    QDateTime timestamp;
    QString commandId; // empty: a fresh one
};

class HistoryWriter final
{
public:
    explicit HistoryWriter(Database &database)
        : m_database(database)
    { }
    Q_DISABLE_COPY_MOVE(HistoryWriter)

    // Appends the drafts in one write transaction, in order, each at the next version of its
    // stream. Throws StoreError.
    EventList append(const QVector<EventDraft> &drafts);
    // Appends count events made by draftAt(i), transactionSize per transaction, without keeping
    // them. Throws StoreError.
    void appendMany(
        qint64 count, int transactionSize, const std::function<EventDraft(qint64)> &draftAt);

private:
    template<typename Each>
    void write(qint64 count, const std::function<EventDraft(qint64)> &draftAt, Each &&each);
    int nextVersion(const QSqlDatabase &db, const QString &streamId);

    Database &m_database;
    QHash<QString, int> m_versions; // last version of each stream written or seen
    qint64 m_commands = 0;
};

} // namespace waybill::test
