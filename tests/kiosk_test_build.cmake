# A test-only build of the kiosk: the same screens with two options the real kiosk refuses,
# --epoch SECONDS (a fixed start time) and --test-refcodes (reference codes from a counter, so
# golden screenshots of the result screen stay the same). tests/cli/no_test_hooks.sh shows the
# real binaries refuse them. Replays and end-to-end tests run this build.
if(TARGET wijkloket-kiosk)
  add_executable(wijkloket-kiosk-test ${CMAKE_SOURCE_DIR}/kiosk/main.c $<TARGET_OBJECTS:wijkloket-kiosk-parts>)
  set_target_properties(wijkloket-kiosk-test PROPERTIES OUTPUT_NAME wijkloket-test)
  target_include_directories(wijkloket-kiosk-test PRIVATE ${CMAKE_SOURCE_DIR}/kiosk)
  target_compile_definitions(wijkloket-kiosk-test PRIVATE WL_KIOSK_TEST_HOOKS)
  target_link_libraries(wijkloket-kiosk-test PRIVATE wijkloket PkgConfig::SDL2 PkgConfig::SYSTEMD m)
endif()
