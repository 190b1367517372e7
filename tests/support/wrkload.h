// What the HTTP benchmarks share about wrk: the script that posts submit commands with fresh
// shipment ids, and the reading of wrk's summary.
#pragma once

#include <QString>

namespace waybill::test {

// Writes a wrk script to path that posts submit commands with the token, each to a new
// shipment id "<idPrefix><thread>-<n>". delayMs > 0: each connection waits that long before each
// request (wrk's delay()), which paces the load at connections / delay. False when the file
// cannot be written.
bool writeSubmitScript(
    const QString &path, const QString &token, const QString &idPrefix, int delayMs = 0);

struct WrkSummary
{
    qint64 requests = 0; // answers read
    double seconds = 0; // as wrk measured the run
    qint64 non2xx = 0;
    qint64 socketErrors = 0; // connect, read, write and timeout together
    QString p50; // with their unit, as wrk prints them ("--latency")
    QString p99;
};

WrkSummary readWrkSummary(const QString &output);

} // namespace waybill::test
