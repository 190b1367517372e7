# waybill-server-lib: the HTTP API (routes, authentication, live updates, metrics) on QHttpServer,
# with the connection limits QHttpServer 6.4 lacks. Used by waybill-server and by the app's
# embedded launcher (app/embedded), nothing else in the app. The server layer: it links the engine
# and the audit (and through them the store and the domain) and the Qt network modules.
add_library(waybill-server-lib STATIC
  ${CMAKE_CURRENT_LIST_DIR}/httpapiserver.h ${CMAKE_CURRENT_LIST_DIR}/httpapiserver.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tokenstore.h ${CMAKE_CURRENT_LIST_DIR}/tokenstore.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tlsfiles.h ${CMAKE_CURRENT_LIST_DIR}/tlsfiles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/httpmessage.h ${CMAKE_CURRENT_LIST_DIR}/http/httpmessage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/httplimits.h
  ${CMAKE_CURRENT_LIST_DIR}/http/requestframer.h ${CMAKE_CURRENT_LIST_DIR}/http/requestframer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/responsesequencer.h ${CMAKE_CURRENT_LIST_DIR}/http/responsesequencer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/requestchannel.h ${CMAKE_CURRENT_LIST_DIR}/http/requestchannel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/connectionguard.h ${CMAKE_CURRENT_LIST_DIR}/http/connectionguard.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/guardedtcpserver.h ${CMAKE_CURRENT_LIST_DIR}/http/guardedtcpserver.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/reply.h ${CMAKE_CURRENT_LIST_DIR}/http/reply.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/router.h
  ${CMAKE_CURRENT_LIST_DIR}/api/api.h ${CMAKE_CURRENT_LIST_DIR}/api/api.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/apicontext.h
  ${CMAKE_CURRENT_LIST_DIR}/api/apirequest.h ${CMAKE_CURRENT_LIST_DIR}/api/apirequest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/roles.h
  ${CMAKE_CURRENT_LIST_DIR}/api/workers.h ${CMAKE_CURRENT_LIST_DIR}/api/workers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/metrics.h ${CMAKE_CURRENT_LIST_DIR}/api/metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/commandwaiters.h ${CMAKE_CURRENT_LIST_DIR}/api/commandwaiters.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/commandroutes.h ${CMAKE_CURRENT_LIST_DIR}/api/commandroutes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/queryroutes.h ${CMAKE_CURRENT_LIST_DIR}/api/queryroutes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/auditroutes.h ${CMAKE_CURRENT_LIST_DIR}/api/auditroutes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/financeroutes.h ${CMAKE_CURRENT_LIST_DIR}/api/financeroutes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/reportroutes.h ${CMAKE_CURRENT_LIST_DIR}/api/reportroutes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/quoteroutes.h ${CMAKE_CURRENT_LIST_DIR}/api/quoteroutes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/statusroutes.h ${CMAKE_CURRENT_LIST_DIR}/api/statusroutes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api/livefeed.h ${CMAKE_CURRENT_LIST_DIR}/api/livefeed.cpp
)
target_include_directories(waybill-server-lib PUBLIC ${CMAKE_CURRENT_LIST_DIR})
# GET /openapi.json serves the document kept in docs/ (tests/server/tst_openapi.cpp holds it to
# the routes).
qt_add_resources(waybill-server-lib waybill-openapi PREFIX /waybill
  BASE ${PROJECT_SOURCE_DIR}/docs FILES ${PROJECT_SOURCE_DIR}/docs/openapi.json)
# For /metrics's waybill_build_info.
target_compile_definitions(waybill-server-lib PRIVATE WAYBILL_VERSION="${PROJECT_VERSION}")
# OpenSSL itself only to tell whether a TLS key belongs to its certificate (tlsfiles.cpp).
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
target_link_libraries(waybill-server-lib PUBLIC
  waybill-engine waybill-audit Qt6::Network Qt6::HttpServer Qt6::WebSockets Qt6::Concurrent
  PRIVATE OpenSSL::Crypto)
