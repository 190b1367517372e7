# Debian packages (`cmake --build build --target package`, docs/building.md "Packages"):
#   waybill_<version>_<arch>.deb         the desktop app (component "desktop")
#   waybill-server_<version>_<arch>.deb  the server (component "server")
# Both with their man pages, copyright and changelog; the app with its desktop entry, icons and
# AppStream metadata; the server with its systemd unit, its config under /etc/waybill-server and
# maintainer scripts that create its user and data folder. Runtime dependencies come from
# dpkg-shlibdeps, binaries are stripped.

set(WAYBILL_HOMEPAGE_URL "https://waybill.example/" CACHE STRING
  "The project's web site, ending in /: the packages' Homepage and the AppStream screenshots (<url>screenshots/NAME.png)")
set(WAYBILL_APP_ID "example.waybill.Waybill" CACHE STRING
  "The desktop app's reverse-DNS id: the .desktop file's name and the AppStream id")
set(WAYBILL_PACKAGE_MAINTAINER "Waybill maintainers <maintainers@waybill.example>" CACHE STRING
  "The Maintainer field of the packages")
set(WAYBILL_RELEASE_DATE "2026-11-30" CACHE STRING
  "The date of this release (YYYY-MM-DD): AppStream's release and the Debian changelog")

set(waybill_pkg "${CMAKE_BINARY_DIR}/packaging")
file(MAKE_DIRECTORY "${waybill_pkg}/server" "${waybill_pkg}/desktop")
find_program(WAYBILL_GZIP gzip REQUIRED)

# waybill_gzip_file(<target> <input> <output>): gzip -9n at build time (what lintian asks of man
# pages and changelogs: best compression, no name or time inside, so rebuilds are identical).
function(waybill_gzip_file target input output)
  add_custom_command(OUTPUT "${output}"
    COMMAND "${WAYBILL_GZIP}" -9nc "${input}" > "${output}"
    DEPENDS "${input}" VERBATIM)
  target_sources(${target} PRIVATE "${output}")
endfunction()

# The Debian changelog (a native package's changelog.gz) and the copyright file, per package.
string(TIMESTAMP waybill_changelog_time "%a, %d %b %Y 00:00:00 +0000" UTC)
foreach(package IN ITEMS waybill waybill-server)
  file(WRITE "${waybill_pkg}/${package}.changelog"
    "${package} (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
    "  * Release ${PROJECT_VERSION}.\n\n"
    " -- ${WAYBILL_PACKAGE_MAINTAINER}  ${waybill_changelog_time}\n")
endforeach()

# Files made at build time for the packages (and for `cmake --install`).
add_custom_target(waybill-package-files ALL)
set_property(TARGET waybill-package-files PROPERTY FOLDER packaging)

configure_file(${PROJECT_SOURCE_DIR}/resources/man/waybill-server.1 ${waybill_pkg}/server/waybill-server.1 @ONLY)
waybill_gzip_file(waybill-package-files ${waybill_pkg}/server/waybill-server.1 ${waybill_pkg}/server/waybill-server.1.gz)
waybill_gzip_file(waybill-package-files ${waybill_pkg}/waybill-server.changelog ${waybill_pkg}/server/changelog.gz)
waybill_gzip_file(waybill-package-files ${PROJECT_SOURCE_DIR}/docs/admin-guide.md ${waybill_pkg}/server/admin-guide.md.gz)

install(FILES ${waybill_pkg}/server/waybill-server.1.gz
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT server)
install(FILES ${waybill_pkg}/server/changelog.gz ${PROJECT_SOURCE_DIR}/resources/debian/copyright
  ${waybill_pkg}/server/admin-guide.md.gz
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/waybill-server COMPONENT server)

if(WAYBILL_BUILD_APP)
  configure_file(${PROJECT_SOURCE_DIR}/resources/man/waybill.1 ${waybill_pkg}/desktop/waybill.1 @ONLY)
  configure_file(${PROJECT_SOURCE_DIR}/resources/desktop/waybill.metainfo.xml.in
    ${waybill_pkg}/desktop/${WAYBILL_APP_ID}.metainfo.xml @ONLY)
  configure_file(${PROJECT_SOURCE_DIR}/resources/desktop/waybill.desktop
    ${waybill_pkg}/desktop/${WAYBILL_APP_ID}.desktop COPYONLY)
  waybill_gzip_file(waybill-package-files ${waybill_pkg}/desktop/waybill.1 ${waybill_pkg}/desktop/waybill.1.gz)
  waybill_gzip_file(waybill-package-files ${waybill_pkg}/waybill.changelog ${waybill_pkg}/desktop/changelog.gz)

  install(FILES ${waybill_pkg}/desktop/waybill.1.gz
    DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT desktop)
  install(FILES ${waybill_pkg}/desktop/changelog.gz ${PROJECT_SOURCE_DIR}/resources/debian/copyright
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/waybill COMPONENT desktop)
  install(FILES ${waybill_pkg}/desktop/${WAYBILL_APP_ID}.desktop
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/applications COMPONENT desktop)
  install(FILES ${waybill_pkg}/desktop/${WAYBILL_APP_ID}.metainfo.xml
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/metainfo COMPONENT desktop)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/waybill.svg
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps COMPONENT desktop)
  foreach(size IN ITEMS 16 22 24 32 48 64 128 256)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/hicolor/${size}x${size}/waybill.png
      DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/${size}x${size}/apps COMPONENT desktop)
  endforeach()
endif()

# CPack: one .deb per component.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME waybill)
set(CPACK_PACKAGE_VENDOR "The Waybill authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${WAYBILL_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
# Each package's Description (below) starts with its own synopsis; CPackDeb puts the project's
# summary above it unless the summary is CPack's default, so it is set to that default.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
if(WAYBILL_BUILD_APP)
  set(CPACK_COMPONENTS_ALL desktop server)
else()
  set(CPACK_COMPONENTS_ALL server)
endif()

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${WAYBILL_HOMEPAGE_URL}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${WAYBILL_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_RELEASE "") # a native package: the version alone
# dpkg-deb's default compression; CPack would otherwise pick gzip.
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME waybill-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
# Qt's SQL drivers and TLS backend are plugins, loaded at run time: dpkg-shlibdeps cannot see them.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, libqt6sql6-sqlite, libqt6sql6-psql, libssl3")
# The whole Description field: its first line is the synopsis; CPack indents the rest and turns
# empty lines into " .".
set(CPACK_DEBIAN_SERVER_DESCRIPTION "dispatch and billing server of Waybill
The headless HTTP server of Waybill, an event-sourced dispatch and billing
system for a trucking company, with its admin commands (tokens, the audit
export and chain verification). It keeps its history in SQLite or PostgreSQL.

The package runs it as a systemd service under its own user, configured
in /etc/waybill-server/waybill-server.ini, with its data in
/var/lib/waybill-server.")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
  ${waybill_pkg}/server/conffiles
  ${waybill_pkg}/server/postinst ${waybill_pkg}/server/prerm ${waybill_pkg}/server/postrm)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# CPack takes the control files by their file names.
foreach(script IN ITEMS conffiles postinst prerm postrm)
  configure_file(${PROJECT_SOURCE_DIR}/resources/debian/server-${script}
    ${waybill_pkg}/server/${script} COPYONLY)
endforeach()

set(CPACK_DEBIAN_DESKTOP_PACKAGE_NAME waybill)
set(CPACK_DEBIAN_DESKTOP_PACKAGE_SECTION misc)
# Qt Charts (the reports) is linked: dpkg-shlibdeps adds it with its version, as Qt's other
# libraries, and tests/packaging checks that it does; naming it here too would list it twice.
set(CPACK_DEBIAN_DESKTOP_PACKAGE_DEPENDS "libqt6sql6-sqlite, libssl3")
# Qt's own words (dialog buttons, context menus) in the user's language; the app runs without.
set(CPACK_DEBIAN_DESKTOP_PACKAGE_RECOMMENDS "qt6-translations-l10n")
set(CPACK_DEBIAN_DESKTOP_DESCRIPTION "dispatch and billing desktop app of Waybill
The office's desktop app of Waybill, an event-sourced dispatch and billing
system for a trucking company: customer service takes shipments, dispatch
assigns trucks and records deliveries, finance bills and takes payments, and
auditors read and export a history that cannot be edited.

It works alone, with its data on this computer, or as a client of a
waybill-server on the network.")

include(CPack)
