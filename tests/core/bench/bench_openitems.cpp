// Folding one account's history into its open items, for an account whose money waits
// unapplied (a prepayment larger than what it is invoiced, and payments on top): the fold must
// be linear in the history. The baseline is the same fold of a history a quarter as long, in
// the same run: linear gives the same cost per event (a ratio near 1), quadratic four times.
//
//   bench_openitems [EVENTS [ROUNDS]]   (40000 events, 7 rounds: an odd number, for the median)
#include "domain/invoicenumber.h"
#include "domain/openitems.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace waybill;

namespace {

// Of an odd number of figures.
double median(std::vector<double> v)
{
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(v.size() / 2), v.end());
    return v[v.size() / 2];
}

// A prepayment, then invoices and payments in turn: every invoice is paid at once from what
// waits, and every payment adds to what waits.
QVector<RecordedEvent> history(int events)
{
    const QDateTime start(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC);
    QVector<RecordedEvent> log;
    qint64 invoices = 0;
    for (int i = 0; i < events; ++i) {
        RecordedEvent e;
        e.position = i + 1;
        e.version = i + 1;
        e.streamId = QStringLiteral("account-acme");
        e.timestamp = start.addSecs(60 * i);
        e.commandId = QStringLiteral("c%1").arg(i);
        if (i == 0 || i % 2 == 0) {
            e.type = EventType::PaymentReceived;
            e.data = { { QStringLiteral("amountCents"), i == 0 ? 1e9 : 500.0 } };
        } else {
            e.type = EventType::Invoiced;
            e.data = { { QStringLiteral("shipmentId"), QStringLiteral("s%1").arg(i) },
                { QStringLiteral("amountCents"), 1000.0 },
                { QStringLiteral("invoiceNumber"), invoiceNumberText(++invoices) } };
        }
        log.append(e);
    }
    return log;
}

// Microseconds per event to fold the whole log.
double foldCost(const QVector<RecordedEvent> &log)
{
    QElapsedTimer timer;
    timer.start();
    OpenItems items;
    qint64 invoices = 0;
    for (const RecordedEvent &e : log)
        items.apply(e, e.type == EventType::Invoiced ? ++invoices : 0);
    const double us = double(timer.nsecsElapsed()) / 1000.0;
    if (items.openCents() != 0) // every invoice is paid from what waits
        std::fprintf(
            stderr, "the fold left %lld open\n", static_cast<long long>(items.openCents()));
    return us / double(log.size());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const int events = std::max(4, args.size() > 1 ? args.at(1).toInt() : 40000);
    const int rounds = std::max(1, args.size() > 2 ? args.at(2).toInt() : 7) | 1;

    const QVector<RecordedEvent> shortLog = history(events / 4);
    const QVector<RecordedEvent> longLog = history(events);
    std::vector<double> shortCosts, longCosts, ratios;
    for (int r = 0; r < rounds; ++r) {
        const double s = foldCost(shortLog);
        const double l = foldCost(longLog);
        shortCosts.push_back(s);
        longCosts.push_back(l);
        ratios.push_back(l / s);
    }
    std::printf("open items, money waiting (median of %d): %d events %.3f us/event, %d events "
                "%.3f us/event, ratio %.2f (linear: about 1; quadratic: about 4)\n",
        rounds, events / 4, median(shortCosts), events, median(longCosts), median(ratios));
    return 0;
}
