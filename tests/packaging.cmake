# Install rules, packages and units: tests/packaging/*.sh.

# `cmake --install` into a temporary prefix, then the installed staff tool checks from /.
add_test(NAME packaging.install_prefix
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/packaging/install_prefix.sh ${CMAKE_BINARY_DIR})
set_tests_properties(packaging.install_prefix PROPERTIES TIMEOUT 300)

# Every unit file in packaging/systemd passes systemd-analyze verify.
add_test(NAME packaging.units COMMAND bash ${CMAKE_SOURCE_DIR}/tests/packaging/units.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(packaging.units PROPERTIES TIMEOUT 120)

# The Debian packages (cpack, lintian, dpkg --root, installed binaries). Not in sanitizer builds:
# packages of ASan binaries are not what anyone installs.
if(NOT WL_SANITIZE AND TARGET wijkloket-kiosk)
  add_test(NAME packaging.debs
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/packaging/packages.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(packaging.debs PROPERTIES TIMEOUT 900 RUN_SERIAL ON)
endif()

# The kiosk under a systemd watchdog: READY=1, then WATCHDOG=1 from the idle event loop.
if(TARGET wijkloket-kiosk)
  add_test(NAME packaging.kiosk_watchdog
           COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/kiosk/watchdog_notify.py $<TARGET_FILE:wijkloket-kiosk>
                   $<TARGET_FILE:wijkloket-staff>)
  set_tests_properties(packaging.kiosk_watchdog PROPERTIES ENVIRONMENT "${WL_KIOSK_TEST_ENV}" TIMEOUT 120)
endif()

# Printing through libcups against a real cupsd the test starts (tests/packaging/cups_print.sh);
# with the kiosk, also the citizen's on-screen slip when CUPS fails the job. The staff tool and
# kiosk with a settable clock are used when this tree has them (test-only builds).
set(WL_CUPS_STAFF $<TARGET_FILE:wijkloket-staff>)
if(TARGET wijkloket-staff-testclock)
  set(WL_CUPS_STAFF $<TARGET_FILE:wijkloket-staff-testclock>)
endif()
set(WL_CUPS_KIOSK "")
if(TARGET wijkloket-kiosk-test)
  set(WL_CUPS_KIOSK $<TARGET_FILE:wijkloket-kiosk-test>)
elseif(TARGET wijkloket-kiosk)
  set(WL_CUPS_KIOSK $<TARGET_FILE:wijkloket-kiosk>)
endif()
add_test(NAME printing.cups
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/packaging/cups_print.sh ${WL_CUPS_STAFF} ${CMAKE_SOURCE_DIR}
                 ${WL_CUPS_KIOSK})
set_tests_properties(printing.cups PROPERTIES TIMEOUT 120 ENVIRONMENT
  "WL_ROOT=${CMAKE_SOURCE_DIR};LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")

# The purge timer's command works without a person signing in and is audited as "timer".
add_test(NAME packaging.purge_timer
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/packaging/purge_timer.sh $<TARGET_FILE:wijkloket-staff> ${CMAKE_SOURCE_DIR})
set_tests_properties(packaging.purge_timer PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 120)

# Hardened release binaries (full RELRO, _FORTIFY_SOURCE): not in sanitizer or Debug builds,
# which are built without them (CMakeLists.txt).
if(NOT WL_SANITIZE AND CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$")
  set(WL_HARDENED_BINARIES $<TARGET_FILE:wijkloket-staff>)
  foreach(t wijkloket-kiosk wijkloket-server wijkloket-portal)
    if(TARGET ${t})
      list(APPEND WL_HARDENED_BINARIES $<TARGET_FILE:${t}>)
    endif()
  endforeach()
  add_test(NAME packaging.hardening COMMAND bash ${CMAKE_SOURCE_DIR}/tests/packaging/hardening.sh ${WL_HARDENED_BINARIES})
  set_tests_properties(packaging.hardening PROPERTIES TIMEOUT 60)
endif()
