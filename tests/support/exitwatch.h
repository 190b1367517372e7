// A test process that hangs while it ends (its tests all reported, its clean-up or the runtime's
// own exit stuck) would otherwise sit until ctest's timeout kills it, and say nothing of where it
// was. watchTheProcessEnd() arms a clock: if the process still runs when it expires, it writes
// what each of its threads is waiting in, its children and the main thread's stack to stderr, and
// ends with exit code 70, so that the failure names its place.
#pragma once

namespace waybill::test {

// Starts the clock as the application object is destroyed (after the test object, at the end of
// QTEST_MAIN's main): from there the process has 60 s to end (WAYBILL_TEST_END_SECONDS, when
// set). Later calls do nothing.
void watchTheProcessEnd();

} // namespace waybill::test
