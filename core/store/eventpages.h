// What the CSV export reads: the events that pass a filter, up to a position, in pages of
// position order, each page read on its own (in a read transaction of the caller's).
#pragma once

#include "eventstore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

namespace waybill {

struct EventPageRow
{
    qint64 position = 0;
    QString timestamp; // as stored
    QString streamId;
    qint64 version = 0;
    QString type;
    QString commandId;
    QString user;
    QString data; // the stored compact JSON text, byte for byte
    QString hash;
};

// The plan of the pages: which events, and where the next page starts (after the last row read).
class EventPages final
{
public:
    // A time range is turned into a range of positions here, on db (so call it inside the read
    // transaction that fixed upTo). Throws StoreError.
    EventPages(const QSqlDatabase &db, const EventFilter &filter, qint64 upTo, int pageRows);

    // True when no event can pass: there is no page to read.
    bool isEmpty() const { return m_empty; }

    // One page, read on db; each row read moves the plan's next page past it, so a page left
    // before its end continues where it was left. Destroy or finish it before the transaction
    // ends.
    class Page final
    {
    public:
        // Throws StoreError.
        Page(EventPages &pages, const QSqlDatabase &db);
        Q_DISABLE_COPY_MOVE(Page)
        bool next(EventPageRow *row);
        void finish() { m_query.finish(); }

    private:
        EventPages &m_pages;
        QSqlQuery m_query;
    };

private:
    QString m_sql;
    QVariantList m_bindings; // the first: the position to continue after; the second: the end
    bool m_empty = false;
};

} // namespace waybill
