// Histories made the real way: commands accepted by a running Engine, which records them, runs
// the reducers, appends the events and issues the invoices.
#pragma once

#include "engine/engine.h"

#include <QStringList>
#include <QVector>

namespace waybill::test {

struct Workload
{
    QVector<AcceptRequest> requests;
    qint64 expectedEvents = 0; // including the invoices the delivery invoicer will issue
};

// The day of a small depot: shipments submitted, assigned, shipped, delivered or cancelled, and
// payments, with shipment ids starting with prefix and bills going to the given accounts. Every
// body passes validateCommandBody, as the HTTP server would require.
Workload depotDay(
    const QString &prefix, int shipments, const QStringList &accounts, const QString &user);

// Hands every request to the engine and waits until all are durably accepted. False with
// *error when one was not.
bool acceptAll(Engine &engine, const QVector<AcceptRequest> &requests, QString *error);

} // namespace waybill::test
