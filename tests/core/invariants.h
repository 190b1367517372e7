// What must hold of any Waybill database after any sequence of crashes and restarts, checked
// from the tables themselves. Each violation is described in words.
#pragma once

#include "domain/invoicenumber.h"
#include "domain/standing.h"
#include "domain/timeformat.h"
#include "store/database.h"
#include "store/eventhash.h"
#include "store/eventstore.h"
#include "store/readmodels.h"
#include "store/sql.h"

#include <QHash>
#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>
#include <QStringList>

namespace waybill::test {

inline QStringList invariantViolations(Database &database)
{
    QStringList problems;
    const QSqlDatabase db = database.connection();

    // Versions of every stream are 1..N with no gap and no duplicate.
    QSqlQuery v = runQuery(db,
        QStringLiteral("SELECT stream_id, COUNT(*), MIN(version), MAX(version) "
                       "FROM events GROUP BY stream_id"));
    while (v.next()) {
        if (v.value(2).toInt() != 1 || v.value(3).toInt() != v.value(1).toInt())
            problems << QStringLiteral("stream %1 has versions %2..%3 for %4 events")
                            .arg(v.value(0).toString(), v.value(2).toString(),
                                v.value(3).toString(), v.value(1).toString());
    }

    // The chain links every event to the one before, positions 1..N.
    QSqlQuery e = runQuery(db,
        QStringLiteral("SELECT ") + EventStore::selectColumns()
            + QStringLiteral(" FROM events ORDER BY position"));
    QString previous = genesisHash();
    qint64 expectedPosition = 1;
    QHash<QString, QString> commandOfStreamEvent;
    QSet<QString> delivered;
    QHash<QString, int> invoices; // shipment id -> invoiced events
    qint64 invoiceOrdinal = 0; // invoiced events so far, in log order
    QHash<qint64, qint64> invoiceNumberAt; // position -> the number it must have
    while (e.next()) {
        QString dataText;
        const RecordedEvent ev = EventStore::fromRow(e, &dataText);
        if (ev.position != expectedPosition)
            problems << QStringLiteral("position %1 follows %2")
                            .arg(ev.position)
                            .arg(expectedPosition - 1);
        expectedPosition = ev.position + 1;
        const QString link = chainHash(previous,
            { ev.position, ev.streamId, ev.version, ev.type, e.value(4).toString(), ev.commandId,
                ev.user, ev.correlationId, dataText });
        if (link != ev.hash)
            problems << QStringLiteral("the chain breaks at position %1").arg(ev.position);
        previous = ev.hash;
        if (ev.type == EventType::Delivered)
            delivered.insert(ev.streamId.mid(QStringLiteral("shipment-").size()));
        if (ev.type == EventType::Invoiced) {
            ++invoices[ev.data.value(QStringLiteral("shipmentId")).toString()];
            // Numbers follow the log with no gap and no repeat; an invoice recorded before
            // numbers existed has none and takes its place.
            invoiceNumberAt.insert(ev.position, ++invoiceOrdinal);
            const QJsonValue number = ev.data.value(QStringLiteral("invoiceNumber"));
            if (!number.isUndefined()) {
                if (invoiceNumberOf(number.toString()) != invoiceOrdinal)
                    problems << QStringLiteral("the invoice at position %1 is %2, it should be %3")
                                    .arg(ev.position)
                                    .arg(number.toString(), invoiceNumberText(invoiceOrdinal));
                const QString issued = ev.data.value(QStringLiteral("issued")).toString();
                const auto due = parseIsoUtc(ev.data.value(QStringLiteral("due")).toString());
                if (issued != e.value(4).toString())
                    problems << QStringLiteral("invoice %1 is issued %2, recorded %3")
                                    .arg(number.toString(), issued, e.value(4).toString());
                if (!due || *due < ev.timestamp || *due > ev.timestamp.addDays(120))
                    problems << QStringLiteral("invoice %1 is due %2, issued %3")
                                    .arg(number.toString(),
                                        ev.data.value(QStringLiteral("due")).toString(), issued);
            }
        }
    }
    for (const QString &shipment : delivered) {
        if (invoices.value(shipment) != 1)
            problems << QStringLiteral("delivered shipment %1 has %2 invoices")
                            .arg(shipment)
                            .arg(invoices.value(shipment));
    }
    for (auto it = invoices.begin(); it != invoices.end(); ++it) {
        if (!delivered.contains(it.key()))
            problems << QStringLiteral("shipment %1 is invoiced but not delivered").arg(it.key());
    }

    // The invoices table lists each invoiced event once, with its number.
    QSqlQuery inv = runQuery(db, QStringLiteral("SELECT number, position FROM invoices"));
    while (inv.next()) {
        const qint64 position = inv.value(1).toLongLong();
        if (invoiceNumberAt.value(position) != inv.value(0).toLongLong())
            problems << QStringLiteral("the invoices table has %1 at position %2, the log %3")
                            .arg(inv.value(0).toString(), inv.value(1).toString())
                            .arg(invoiceNumberAt.value(position));
        invoiceNumberAt.remove(position);
    }
    for (auto it = invoiceNumberAt.begin(); it != invoiceNumberAt.end(); ++it)
        problems << QStringLiteral("the invoice at position %1 is missing from the invoices table")
                        .arg(it.key());

    // A command's events all belong to one processing: one stream, contiguous versions.
    QSqlQuery c = runQuery(db,
        QStringLiteral("SELECT command_id, COUNT(DISTINCT stream_id), COUNT(*), "
                       "MAX(version) - MIN(version) + 1 FROM events GROUP BY command_id"));
    while (c.next()) {
        if (c.value(1).toInt() != 1 || c.value(2).toInt() != c.value(3).toInt())
            problems << QStringLiteral("command %1 was applied more than once")
                            .arg(c.value(0).toString());
    }
    // Succeeded commands have events; rejected ones none.
    QSqlQuery s = runQuery(db,
        QStringLiteral("SELECT c.id, c.status, COUNT(e.position) FROM commands c "
                       "LEFT JOIN events e ON e.command_id = c.id GROUP BY c.id, c.status"));
    while (s.next()) {
        const QString status = s.value(1).toString();
        const int events = s.value(2).toInt();
        if (status == QLatin1String("succeeded") && events == 0)
            problems
                << QStringLiteral("succeeded command %1 has no events").arg(s.value(0).toString());
        if (status != QLatin1String("succeeded") && events > 0)
            problems
                << QStringLiteral("%1 command %2 has events").arg(status, s.value(0).toString());
    }

    // What the shipments hold of accounts and trucks is what their rows say, and no truck carries
    // more than its capacity.
    QHash<QString, Cents> committed;
    QHash<QString, qint64> loads;
    QSqlQuery sh = runQuery(db, QStringLiteral("SELECT body FROM shipments"));
    while (sh.next()) {
        const ShipmentCommitment c = commitmentOf(ShipmentState::fromJson(
            QJsonDocument::fromJson(sh.value(0).toString().toUtf8()).object()));
        committed[c.accountId] += c.committedCents;
        if (!c.truckId.isEmpty())
            loads[c.truckId] += c.loadHundredths;
    }
    QSqlQuery ac = runQuery(
        db, QStringLiteral("SELECT account_id, committed_cents FROM account_commitments"));
    while (ac.next()) {
        if (committed.value(ac.value(0).toString()) != ac.value(1).toLongLong())
            problems << QStringLiteral("account %1 has %2 committed, its shipments %3")
                            .arg(ac.value(0).toString(), ac.value(1).toString())
                            .arg(committed.value(ac.value(0).toString()));
        committed.remove(ac.value(0).toString());
    }
    for (auto it = committed.begin(); it != committed.end(); ++it) {
        if (it.value() != 0)
            problems << QStringLiteral("account %1 has no commitment row for %2")
                            .arg(it.key())
                            .arg(it.value());
    }
    QSqlQuery tr = runQuery(db, QStringLiteral("SELECT id, load_hundredths, body FROM trucks"));
    while (tr.next()) {
        const QString id = tr.value(0).toString();
        if (loads.value(id) != tr.value(1).toLongLong())
            problems << QStringLiteral("truck %1 carries %2, its shipments weigh %3")
                            .arg(id, tr.value(1).toString())
                            .arg(loads.value(id));
        const auto capacity = QJsonDocument::fromJson(tr.value(2).toString().toUtf8())
                                  .object()
                                  .value(QStringLiteral("capacityPounds"));
        if (!capacity.isUndefined() && tr.value(1).toLongLong() > capacity.toInteger() * 100)
            problems << QStringLiteral("truck %1 carries %2 hundredths of a pound, past its "
                                       "capacity of %3 lb")
                            .arg(id, tr.value(1).toString())
                            .arg(capacity.toInteger());
    }
    return problems;
}

} // namespace waybill::test
