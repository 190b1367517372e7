# waybill-server: the headless server and its admin commands, and what `cmake --install` puts in
# place for it (component "server": the binary, a sample config and a systemd unit).

# Command line and settings: unit-tested without starting a server. They name the server's and
# the engine's options (ServerOptions, EngineOptions), hence the server library.
add_library(waybill-server-config STATIC
  cli/inifile.h cli/inifile.cpp
  cli/listenaddress.h cli/listenaddress.cpp
  cli/serverconfig.h cli/serverconfig.cpp
  cli/commandline.h cli/commandline.cpp
)
target_include_directories(waybill-server-config PUBLIC ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/cli)
target_link_libraries(waybill-server-config PUBLIC waybill-server-lib Qt6::Core Qt6::Network)

add_executable(waybill-server
  main.cpp
  cli/exitcodes.h
  cli/console.h cli/console.cpp
  cli/logformat.h cli/logformat.cpp
  cli/signalwatcher.h cli/signalwatcher.cpp
  cli/databaseaccess.h cli/databaseaccess.cpp
  cli/tokencommands.h cli/tokencommands.cpp
  cli/auditcommands.h cli/auditcommands.cpp
  cli/documentcommands.h cli/documentcommands.cpp
  cli/copycommands.h cli/copycommands.cpp
  cli/servecommand.h cli/servecommand.cpp
  cli/serverapplication.h cli/serverapplication.cpp
)
target_compile_definitions(waybill-server PRIVATE WAYBILL_VERSION="${PROJECT_VERSION}")
# Its messages in the user's language (main.cpp loads :/i18n/waybill_<language>.qm).
waybill_add_translations(waybill-server)
# Qt GUI for the document command alone (fonts and PDF; no display: docs/operations.md).
target_link_libraries(waybill-server PRIVATE waybill-server-config waybill-server-lib
  waybill-documents Qt6::Core Qt6::Gui Qt6::Network)

install(TARGETS waybill-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)

# The unit names the installed binary and config file, which are only known at install time
# (`cmake --install --prefix` may change the prefix), so it is written then.
set(WAYBILL_SYSTEMD_UNIT_DIR "" CACHE PATH
    "Where the systemd unit goes (default: <prefix>/lib/systemd/system)")
install(CODE "
  set(WAYBILL_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(WAYBILL_SYSCONFDIR \"${CMAKE_INSTALL_SYSCONFDIR}\")
  set(WAYBILL_UNIT_DIR \"${WAYBILL_SYSTEMD_UNIT_DIR}\")
  set(WAYBILL_UNIT_TEMPLATE \"${PROJECT_SOURCE_DIR}/resources/waybill-server.service\")
  set(WAYBILL_CONFIG_SAMPLE \"${PROJECT_SOURCE_DIR}/resources/waybill-server.ini.sample\")
  set(WAYBILL_STAGING_DIR \"${CMAKE_CURRENT_BINARY_DIR}/install-staging\")
" COMPONENT server)
install(SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/cli/installservicefiles.cmake COMPONENT server)
