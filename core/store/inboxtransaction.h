// The inbox's write transaction: recording accepted commands appends no event, so on PostgreSQL
// it need not take turns with the writers of events.
#pragma once

#include "database.h"

#include <QSqlDatabase>

#include <optional>

namespace waybill {

// With needsWriterLock (a batch whose requests carry idempotency keys: whether a key is taken
// must be decided against every server's inbox) or on SQLite (one writer at a time whatever is
// asked), a WriteTransaction. Otherwise, on PostgreSQL, a plain transaction that commits while
// another holds the writer lock. Rolled back unless committed. Throws StoreError.
class InboxTransaction final
{
public:
    InboxTransaction(Database &database, bool needsWriterLock);
    ~InboxTransaction();
    Q_DISABLE_COPY_MOVE(InboxTransaction)

    QSqlDatabase &db() { return m_locked ? m_locked->db() : m_db; }
    void commit();

private:
    std::optional<WriteTransaction> m_locked;
    QSqlDatabase m_db;
    bool m_open = false;
};

} // namespace waybill
