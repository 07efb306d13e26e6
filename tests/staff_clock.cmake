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
