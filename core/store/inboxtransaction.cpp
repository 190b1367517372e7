#include "inboxtransaction.h"

#include "sql.h"

#include <QSqlQuery>

namespace waybill {

InboxTransaction::InboxTransaction(Database &database, bool needsWriterLock)
{
    if (needsWriterLock || !database.isPostgres()) {
        m_locked.emplace(database);
        return;
    }
    m_db = database.connection();
    runStatement(m_db, QStringLiteral("BEGIN"));
    m_open = true;
}

InboxTransaction::~InboxTransaction()
{
    if (!m_open)
        return;
    finishStatements(m_db);
    // A connection that broke has nothing left to roll back: the error is of no use here.
    QSqlQuery rollback(m_db);
    rollback.exec(QStringLiteral("ROLLBACK"));
}

void InboxTransaction::commit()
{
    if (m_locked) {
        m_locked->commit();
        return;
    }
    finishStatements(m_db);
    m_open = false; // a COMMIT that failed has ended the transaction all the same
    runStatement(m_db, QStringLiteral("COMMIT"));
}

} // namespace waybill
