# Debian package of switchboard (CPack DEB generator), included at the end of the top-level
# CMakeLists.txt. Build it with scripts/package ARCH (amd64, arm64, armhf), or by hand:
#   cmake --build BUILD --target switchboard && (cd BUILD && cpack -G DEB)
# The package holds:
#   /usr/bin/switchboard                      the binary, stripped
#   /lib/systemd/system/switchboard.service   Type=notify, watchdog, hardening
#   /etc/switchboard/switchboard.toml         the default config, a conffile (kept on upgrade)
#   /usr/share/doc/switchboard/               README.md, ARM.md
# and postinst creates the `switchboard` user (group switchboard, in dialout) and
# /var/lib/switchboard (the state directory).
set(_pkg ${CMAKE_CURRENT_LIST_DIR})

# Install rules besides the binary's (firmware/CMakeLists.txt: bin/switchboard). Absolute
# destinations: a package installs into /, whatever CMAKE_INSTALL_PREFIX says.
install(FILES ${_pkg}/switchboard.service DESTINATION /lib/systemd/system)
install(FILES ${_pkg}/switchboard.toml DESTINATION /etc/switchboard
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/doc/switchboard)
if(EXISTS ${PROJECT_SOURCE_DIR}/docs/ARM.md)
  install(FILES ${PROJECT_SOURCE_DIR}/docs/ARM.md DESTINATION share/doc/switchboard)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME switchboard)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Switchboard")
set(CPACK_PACKAGE_CONTACT "Switchboard maintainers <switchboard@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "on-premise unified inbox for gateways (SMS modem, MQTT-bridged channels)")
set(CPACK_PACKAGE_DESCRIPTION
  "One binary that keeps SMS from a GSM/LTE modem and messages bridged in over MQTT in one inbox (LMDB), hands conversations from a local bot to humans, serves an admin page and syncs to central over MQTT.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)       # with CPACK_SET_DESTDIR, this (not CMAKE_INSTALL_PREFIX) is used
set(CPACK_STRIP_FILES ON)
set(CPACK_SET_DESTDIR ON)   # absolute destinations (/etc, /lib) land in the package root
set(CPACK_WARN_ON_ABSOLUTE_INSTALL_DESTINATION OFF)

set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # switchboard_0.1.0_arm64.deb
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${_pkg}/conffiles ${_pkg}/postinst ${_pkg}/prerm ${_pkg}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# postinst uses groupadd/useradd (passwd) and deb-systemd-helper (init-system-helpers).
set(_deps_scripts "passwd, init-system-helpers (>= 1.54~)")
if(NOT CPACK_DEBIAN_PACKAGE_ARCHITECTURE)   # native: dpkg's name of the build machine
  execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE CPACK_DEBIAN_PACKAGE_ARCHITECTURE
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
if(NOT CMAKE_CROSSCOMPILING)
  # Native: dpkg-shlibdeps works out the library packages from the binary.
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_deps_scripts}")
else()
  # Cross: listed by hand; this is what dpkg-shlibdeps prints for the binary on bookworm
  # (checked for amd64 and arm64: the same list).
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= 2.34), libgcc-s1 (>= 3.0), libstdc++6 (>= 11), \
liblmdb0 (>= 0.9.14), libpaho-mqtt1.3 (>= 1.3.0), libpaho-mqttpp3-1 (>= 1.2.0), \
libprotobuf-lite32 (>= 3.21.12), libssl3 (>= 3.0.0), libtomlplusplus3 (>= 3.2.0), \
zlib1g (>= 1:1.1.4), ${_deps_scripts}")
endif()
# Departments' business hours name IANA zones read from the system's tzdata; without it only
# "UTC" works, and check-config says so for any other zone.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tzdata")
include(CPack)
