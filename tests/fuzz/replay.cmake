# Runs a fuzz target once over its seed corpus and its kept regressions (tests/fuzz).
# cmake -DFUZZER=<binary> -DSEEDS=<folder> -DREGRESSIONS=<folder> -P replay.cmake
# A target without seeds fails: it would prove nothing, and the fuzzer would start from nothing.
file(GLOB seeds LIST_DIRECTORIES false "${SEEDS}/*")
file(GLOB regressions LIST_DIRECTORIES false "${REGRESSIONS}/*")
if(NOT seeds)
  message(FATAL_ERROR "no seed corpus in ${SEEDS}")
endif()
list(LENGTH seeds seedCount)
list(LENGTH regressions regressionCount)
message(STATUS "${seedCount} seeds, ${regressionCount} regressions")
# libFuzzer runs each file given by name once and does not fuzz. A leak is a failure too.
execute_process(COMMAND ${FUZZER} ${seeds} ${regressions} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${result}) on its seeds or regressions")
endif()
