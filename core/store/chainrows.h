// What the chain verifier reads: the log's rows page by page, each with what it takes to check
// it, and the succeeded commands' positions that tell where events were removed.
#pragma once

#include "eventhash.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <optional>

namespace waybill {

struct ChainRow
{
    EventContent content;
    QString hash;
    QVariant previousVersionPosition; // null: the stream has no previous version
    QVariant commandStatus; // null: no command has the event's command id
    qint64 commandFirst = 0;
    qint64 commandLast = 0;
};

// Pages of the log in position order, on one connection (inside the caller's transaction). The
// statement is prepared once; each page runs it again after a position.
class ChainRows final
{
public:
    // Throws StoreError.
    ChainRows(const QSqlDatabase &db, int pageRows);
    Q_DISABLE_COPY_MOVE(ChainRows)

    // Opens the page of the rows after this position. Throws StoreError.
    void openPageAfter(qint64 position);
    // The page's next row; false at its end.
    bool next(ChainRow *row);
    // Closes the page: no other statement may run on the connection while a page is open.
    void finish();

    struct Command
    {
        QString id;
        qint64 position = 0;
    };
    // The succeeded command that recorded an event strictly between the two positions, with its
    // first position (the one of the lowest first position). Throws StoreError.
    static std::optional<Command> succeededCommandBetween(
        const QSqlDatabase &db, qint64 before, qint64 after);
    // The succeeded command that recorded an event after the position, with its last position
    // (the one that wrote furthest). Throws StoreError.
    static std::optional<Command> succeededCommandAfter(const QSqlDatabase &db, qint64 position);

private:
    QSqlQuery m_page;
};

} // namespace waybill
