# Runs at install time (after the variables set by install(CODE) in server/cli.cmake): installs
# the config and the systemd unit, with the unit's paths filled in for this prefix.

# The config folder follows GNUInstallDirs: /etc for the /usr prefix, <prefix>/etc otherwise.
if(IS_ABSOLUTE "${WAYBILL_SYSCONFDIR}")
  set(waybill_etc "${WAYBILL_SYSCONFDIR}")
elseif(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(waybill_etc "/${WAYBILL_SYSCONFDIR}")
else()
  set(waybill_etc "${CMAKE_INSTALL_PREFIX}/${WAYBILL_SYSCONFDIR}")
endif()
set(waybill_config_dir "${waybill_etc}/waybill-server")

if(WAYBILL_UNIT_DIR)
  set(waybill_unit_dir "${WAYBILL_UNIT_DIR}")
elseif(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  # The system's own units on Debian 12 (and what its packages must use): /lib/systemd/system.
  set(waybill_unit_dir "/lib/systemd/system")
else()
  set(waybill_unit_dir "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
endif()

if(IS_ABSOLUTE "${WAYBILL_BINDIR}")
  set(WAYBILL_SERVER_BINARY "${WAYBILL_BINDIR}/waybill-server")
else()
  set(WAYBILL_SERVER_BINARY "${CMAKE_INSTALL_PREFIX}/${WAYBILL_BINDIR}/waybill-server")
endif()
set(WAYBILL_SERVER_CONFIG "${waybill_config_dir}/waybill-server.ini")

configure_file("${WAYBILL_UNIT_TEMPLATE}" "${WAYBILL_STAGING_DIR}/waybill-server.service" @ONLY)
file(INSTALL "${WAYBILL_STAGING_DIR}/waybill-server.service" DESTINATION "${waybill_unit_dir}"
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# The installed config is the sample with the database the unit's data folder holds, named
# outright, so that admin commands run as the service's user find the same database without the
# unit's environment. An existing config is the admin's: a later install leaves it alone (the
# package's copy is a conffile, which dpkg guards the same way).
file(READ "${WAYBILL_CONFIG_SAMPLE}" waybill_config)
string(REPLACE "#db = sqlite:/var/lib/waybill-server/waybill.db"
  "db = sqlite:/var/lib/waybill-server/waybill.db" waybill_config "${waybill_config}")
file(WRITE "${WAYBILL_STAGING_DIR}/waybill-server.ini" "${waybill_config}")
if(NOT EXISTS "$ENV{DESTDIR}${WAYBILL_SERVER_CONFIG}")
  file(INSTALL "${WAYBILL_STAGING_DIR}/waybill-server.ini" DESTINATION "${waybill_config_dir}"
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
else()
  message(STATUS "Kept: ${WAYBILL_SERVER_CONFIG} (the new sample is in ${WAYBILL_STAGING_DIR})")
endif()
