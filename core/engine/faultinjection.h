// Crash points for fault-injection tests: the process dies at a named point, as with kill -9.
#pragma once

namespace waybill::Fault {

// The points, in the order a command meets them.
inline constexpr const char *AfterInboxCommit = "after-inbox-commit";
inline constexpr const char *AfterReduce = "after-reduce";
inline constexpr const char *AfterAppend = "after-append";
inline constexpr const char *AfterState = "after-state";
inline constexpr const char *AfterOutcome = "after-outcome";
inline constexpr const char *AfterCommit = "after-commit";
inline constexpr const char *InvoicerBeforeCheckpoint = "invoicer-before-checkpoint";
inline constexpr const char *InvoicerAfterCommit = "invoicer-after-commit";

// Dies (_exit(86), no clean-up) when WAYBILL_FAULT names this point and it is met for the
// WAYBILL_FAULT_AFTER-th time (default 1). Costs one comparison when no fault is armed.
void point(const char *name);

} // namespace waybill::Fault
