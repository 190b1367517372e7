// What must hold of a history written by several servers on one database, read back from the
// database itself: every acknowledged command processed once, versions contiguous in every
// stream, one invoice per delivery.
#pragma once

#include <QString>
#include <QStringList>

namespace waybill {
class Database;
}

namespace waybill::test {

// One number from a query such as "SELECT COUNT(*) ..."; -1 when it gave no row.
qint64 countOf(Database &db, const QString &sql);

// Waits (the event loop running) until no command is pending and every delivery has its
// invoice; false when that did not happen within timeoutMs.
bool historySettles(Database &db, int timeoutMs);

// What is wrong, one line each; empty when: nothing is pending; every acknowledged command
// succeeded with exactly one event of its own; no command of the inbox has more than one event;
// each stream's versions run 1, 2, 3... without a gap or a repeat; each delivered shipment has
// exactly one invoice, and there are expectedDeliveries of them.
QStringList historyProblems(Database &db, const QStringList &acknowledged, int expectedDeliveries);

} // namespace waybill::test
