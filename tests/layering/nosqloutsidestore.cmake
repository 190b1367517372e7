# All of Waybill's SQL lives in core/store: the other layers call the store's functions. A product
# source outside core/store that includes Qt Sql's query classes, or holds a string literal that
# opens an SQL statement (or continues one), fails. Tests and benchmarks may speak SQL to the
# databases they set up.
# cmake -DSOURCE_DIR=<source folder> -P nosqloutsidestore.cmake
file(GLOB_RECURSE sources LIST_DIRECTORIES false
  ${SOURCE_DIR}/core/*.h ${SOURCE_DIR}/core/*.cpp
  ${SOURCE_DIR}/documents/*.h ${SOURCE_DIR}/documents/*.cpp
  ${SOURCE_DIR}/server/*.h ${SOURCE_DIR}/server/*.cpp
  ${SOURCE_DIR}/app/*.h ${SOURCE_DIR}/app/*.cpp)
set(store_sources "")
set(other_sources "")
foreach(file IN LISTS sources)
  string(FIND "${file}" "${SOURCE_DIR}/core/store/" at)
  if(at EQUAL 0)
    list(APPEND store_sources ${file})
  else()
    list(APPEND other_sources ${file})
  endif()
endforeach()
# <QSqlDatabase> (the connection a transaction hands out) and <QSqlError> may pass through.
set(include_pattern
  "^[ \t]*#[ \t]*include[ \t]*[<\"](QtSql|QSql(Query|Record|Result|Field|Driver|Index|Table|Relational))")
# A statement's first word, or a continuation line's, right after the opening quote; the
# transaction words need no space after them ("BEGIN", "COMMIT;"). Upper case only, as the
# store writes SQL, so that an HTTP method ("DELETE") or a sentence does not match.
set(sql_pattern
  "\"[ ]*((SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WITH) |(BEGIN|COMMIT|ROLLBACK|SAVEPOINT)|(FROM|WHERE|ORDER BY|GROUP BY|LEFT JOIN|JOIN|VALUES) )")
# The patterns must see the store's own SQL, or they would pass anything.
set(store_statements 0)
foreach(file IN LISTS store_sources)
  file(STRINGS ${file} lines REGEX "${sql_pattern}")
  list(LENGTH lines found)
  math(EXPR store_statements "${store_statements} + ${found}")
endforeach()
if(store_statements EQUAL 0)
  message(FATAL_ERROR "the SQL pattern finds no SQL even in ${SOURCE_DIR}/core/store")
endif()
set(failures "")
foreach(file IN LISTS other_sources)
  file(STRINGS ${file} lines REGEX "${include_pattern}|${sql_pattern}")
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    string(APPEND failures "\n${file}: ${line}")
  endforeach()
endforeach()
list(LENGTH other_sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "no sources found under ${SOURCE_DIR}")
endif()
if(failures)
  message(FATAL_ERROR "SQL outside core/store (move it into a store function):${failures}")
endif()
message(STATUS "${count} files outside core/store, none includes Qt Sql's queries or writes SQL")
