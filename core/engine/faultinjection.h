// Crash points for fault-injection tests: the process dies at a named point, as with kill -9.
//
// Armed only where WAYBILL_FAULT_INJECTION is defined (the waybill-engine-faults library, which
// only the crash tests link). Elsewhere a point and its name compile to nothing: the shipped
// binaries hold neither the names nor the _exit, whatever the environment says.
#pragma once

#ifdef WAYBILL_FAULT_INJECTION
#define WAYBILL_FAULT_POINT_NAME(text) text
#else
#define WAYBILL_FAULT_POINT_NAME(text) nullptr
#endif

namespace waybill::Fault {

#ifdef WAYBILL_FAULT_INJECTION
using Point = const char *;
#else
struct Point
{
    constexpr Point(decltype(nullptr)) { }
};
#endif

// The points, in the order a command meets them.
inline constexpr Point AfterInboxCommit = WAYBILL_FAULT_POINT_NAME("after-inbox-commit");
inline constexpr Point AfterReduce = WAYBILL_FAULT_POINT_NAME("after-reduce");
inline constexpr Point AfterAppend = WAYBILL_FAULT_POINT_NAME("after-append");
inline constexpr Point AfterState = WAYBILL_FAULT_POINT_NAME("after-state");
inline constexpr Point AfterOutcome = WAYBILL_FAULT_POINT_NAME("after-outcome");
inline constexpr Point AfterCommit = WAYBILL_FAULT_POINT_NAME("after-commit");
inline constexpr Point InvoicerBeforeCheckpoint
    = WAYBILL_FAULT_POINT_NAME("invoicer-before-checkpoint");
inline constexpr Point InvoicerAfterCommit = WAYBILL_FAULT_POINT_NAME("invoicer-after-commit");

#ifdef WAYBILL_FAULT_INJECTION
inline constexpr Point All[] = { AfterInboxCommit, AfterReduce, AfterAppend, AfterState,
    AfterOutcome, AfterCommit, InvoicerBeforeCheckpoint, InvoicerAfterCommit };

// Dies (_exit(86), no clean-up) when WAYBILL_FAULT names this point and it is met for the
// WAYBILL_FAULT_AFTER-th time (default 1). Costs one comparison when no fault is armed.
void point(Point name);
#else
inline void point(Point) { }
#endif

} // namespace waybill::Fault

#undef WAYBILL_FAULT_POINT_NAME
