# Test-only builds of the kiosk and the staff tool (never installed), and the test that the real
# binaries refuse their options. This file sorts before packaging.cmake, which uses these targets.

# A test-only build of the kiosk: the same screens with two options the real kiosk refuses,
# --epoch SECONDS (a fixed start time) and --test-refcodes (reference codes from a counter, so
# golden screenshots of the result screen stay the same). tests/cli/no_test_hooks.sh shows the
# real binaries refuse them. Replays and end-to-end tests run this build.
if(TARGET wijkloket-kiosk)
  add_executable(wijkloket-kiosk-test ${CMAKE_SOURCE_DIR}/kiosk/main.c $<TARGET_OBJECTS:wijkloket-kiosk-parts>)
  set_target_properties(wijkloket-kiosk-test PROPERTIES OUTPUT_NAME wijkloket-test)
  target_include_directories(wijkloket-kiosk-test PRIVATE ${CMAKE_SOURCE_DIR}/kiosk)
  target_compile_definitions(wijkloket-kiosk-test PRIVATE WL_KIOSK_TEST_HOOKS)
  target_link_libraries(wijkloket-kiosk-test PRIVATE wijkloket wijkloket-client PkgConfig::SDL2 PkgConfig::SYSTEMD m)
endif()

# A test-only build of wijkloket-staff with `--now SECONDS` (a fixed clock for lockout, purge
# and booking tests). The real wijkloket-staff refuses --now; tests/cli/no_test_hooks.sh shows it.
add_executable(wijkloket-staff-testclock ${CMAKE_SOURCE_DIR}/staff/main.c
                                         $<TARGET_OBJECTS:wijkloket-staff-commands>)
target_include_directories(wijkloket-staff-testclock PRIVATE ${CMAKE_SOURCE_DIR}/staff)
target_compile_definitions(wijkloket-staff-testclock PRIVATE WL_STAFF_TEST_CLOCK)
target_link_libraries(wijkloket-staff-testclock PRIVATE wijkloket)

if(TARGET wijkloket-kiosk-test)
  add_test(NAME cli.no_test_hooks
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/no_test_hooks.sh $<TARGET_FILE:wijkloket-staff>
                   $<TARGET_FILE:wijkloket-staff-testclock> $<TARGET_FILE:wijkloket-kiosk> $<TARGET_FILE:wijkloket-kiosk-test>)
else()
  add_test(NAME cli.no_test_hooks
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/no_test_hooks.sh $<TARGET_FILE:wijkloket-staff>
                   $<TARGET_FILE:wijkloket-staff-testclock>)
endif()
set_tests_properties(cli.no_test_hooks PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 60)
