#include "historychecks.h"

#include "store/database.h"
#include "store/sql.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtCore/qtestsupport_core.h>

namespace waybill::test {

qint64 countOf(Database &db, const QString &sql)
{
    QSqlQuery q = runQuery(db.connection(), sql);
    return q.next() ? q.value(0).toLongLong() : -1;
}

bool historySettles(Database &db, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            return countOf(
                       db, QStringLiteral("SELECT COUNT(*) FROM commands WHERE status = 'pending'"))
                == 0
                && countOf(
                       db, QStringLiteral("SELECT COUNT(*) FROM events WHERE type = 'invoiced'"))
                == countOf(
                    db, QStringLiteral("SELECT COUNT(*) FROM events WHERE type = 'delivered'"));
        },
        timeoutMs);
}

QStringList historyProblems(Database &db, const QStringList &acknowledged, int expectedDeliveries)
{
    QStringList problems;
    const qint64 pending
        = countOf(db, QStringLiteral("SELECT COUNT(*) FROM commands WHERE status = 'pending'"));
    if (pending != 0)
        problems << QStringLiteral("%1 commands still pending").arg(pending);

    QHash<QString, QString> statusOf;
    QHash<QString, int> eventsOf;
    {
        QSqlQuery q = runQuery(db.connection(), QStringLiteral("SELECT id, status FROM commands"));
        while (q.next())
            statusOf.insert(q.value(0).toString(), q.value(1).toString());
        QSqlQuery e = runQuery(db.connection(),
            QStringLiteral("SELECT command_id, COUNT(*) FROM events GROUP BY command_id"));
        while (e.next())
            eventsOf.insert(e.value(0).toString(), e.value(1).toInt());
    }
    for (const QString &id : acknowledged) {
        if (statusOf.value(id) != QLatin1String("succeeded"))
            problems << QStringLiteral("acknowledged %1 is %2")
                            .arg(id, statusOf.value(id, QStringLiteral("not recorded")));
        else if (eventsOf.value(id) != 1)
            problems
                << QStringLiteral("acknowledged %1 has %2 events").arg(id).arg(eventsOf.value(id));
    }
    for (auto it = eventsOf.cbegin(); it != eventsOf.cend(); ++it) {
        if (it.value() > 1 && statusOf.contains(it.key()))
            problems << QStringLiteral("%1 was applied %2 times").arg(it.key()).arg(it.value());
    }

    const qint64 gaps = countOf(db,
        QStringLiteral("SELECT COUNT(*) FROM (SELECT stream_id FROM events GROUP BY stream_id "
                       "HAVING MIN(version) <> 1 OR MAX(version) <> COUNT(*) "
                       "OR COUNT(DISTINCT version) <> COUNT(*)) AS gaps"));
    if (gaps != 0)
        problems << QStringLiteral("%1 streams whose versions are not 1..N").arg(gaps);

    const qint64 delivered
        = countOf(db, QStringLiteral("SELECT COUNT(*) FROM events WHERE type = 'delivered'"));
    if (delivered != expectedDeliveries)
        problems << QStringLiteral("%1 deliveries, not %2").arg(delivered).arg(expectedDeliveries);
    QSet<QString> invoiced;
    int invoices = 0;
    {
        QSqlQuery q = runQuery(
            db.connection(), QStringLiteral("SELECT data FROM events WHERE type = 'invoiced'"));
        while (q.next()) {
            ++invoices;
            invoiced.insert(QJsonDocument::fromJson(q.value(0).toString().toUtf8())
                                .object()
                                .value(QStringLiteral("shipmentId"))
                                .toString());
        }
    }
    if (invoices != delivered || invoiced.size() != delivered)
        problems << QStringLiteral("%1 invoices for %2 shipments, %3 deliveries")
                        .arg(invoices)
                        .arg(invoiced.size())
                        .arg(delivered);
    return problems;
}

} // namespace waybill::test
