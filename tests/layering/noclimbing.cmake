# An include that climbs out of its folder ("../store/x.h") would walk around the layers'
# include roots: none is allowed in the product's sources.
# cmake -DSOURCE_DIR=<source folder> -P noclimbing.cmake
file(GLOB_RECURSE sources LIST_DIRECTORIES false
  ${SOURCE_DIR}/core/*.h ${SOURCE_DIR}/core/*.cpp
  ${SOURCE_DIR}/documents/*.h ${SOURCE_DIR}/documents/*.cpp
  ${SOURCE_DIR}/server/*.h ${SOURCE_DIR}/server/*.cpp
  ${SOURCE_DIR}/app/*.h ${SOURCE_DIR}/app/*.cpp)
set(failures "")
foreach(file IN LISTS sources)
  file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<][^\">]*\\.\\./")
  foreach(line IN LISTS lines)
    string(APPEND failures "\n${file}: ${line}")
  endforeach()
endforeach()
list(LENGTH sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "no sources found under ${SOURCE_DIR}")
endif()
if(failures)
  message(FATAL_ERROR "includes that climb out of their folder:${failures}")
endif()
message(STATUS "${count} files, no include climbs out of its folder")
