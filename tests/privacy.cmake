# Privacy tests at the command-line level: raw-file search for clear text, PIN lockout, audit
# tampering, the Kansen in Kaart table on generated data, and the kiosk end-to-end run when
# the kiosk can replay scripts. The generator is a test-only program (synthetic people).
add_executable(wl-gen-intakes ${CMAKE_SOURCE_DIR}/tests/privacy/gen_intakes.c)
target_include_directories(wl-gen-intakes PRIVATE ${CMAKE_SOURCE_DIR}/core/src)
target_link_libraries(wl-gen-intakes PRIVATE wijkloket)

set(WL_PRIV_ENV "WL_ROOT=${CMAKE_SOURCE_DIR}")
foreach(t raw_file_search pin_lockout audit_tamper stats_table staff_flow db_tamper)
  add_test(NAME privacy.${t}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/privacy/${t}.sh
                   $<TARGET_FILE:wijkloket-staff-testclock> $<TARGET_FILE:wl-gen-intakes> ${CMAKE_SOURCE_DIR})
  set_tests_properties(privacy.${t} PROPERTIES ENVIRONMENT "${WL_PRIV_ENV}" TIMEOUT 600)
endforeach()

# End to end through the real kiosk, only when it is built (it replays scripts headless).
if(TARGET wijkloket-kiosk)
  add_test(NAME e2e.kiosk_to_purge
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/e2e/kiosk_to_purge.sh $<TARGET_FILE:wijkloket-kiosk-test>
                   $<TARGET_FILE:wijkloket-staff-testclock> ${CMAKE_SOURCE_DIR}
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(e2e.kiosk_to_purge PROPERTIES
    ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR};SDL_VIDEODRIVER=dummy;LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0"
    TIMEOUT 600)
endif()
