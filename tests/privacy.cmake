# Privacy tests at the command-line level: raw-file search for clear text, PIN lockout, audit
# tampering, the Kansen in Kaart table on generated data, and the kiosk end-to-end run when
# the kiosk can replay scripts. The generator is a test-only program (synthetic people).
add_executable(wl-gen-intakes ${CMAKE_SOURCE_DIR}/tests/privacy/gen_intakes.c)
target_include_directories(wl-gen-intakes PRIVATE ${CMAKE_SOURCE_DIR}/core/src)
target_link_libraries(wl-gen-intakes PRIVATE wijkloket)

set(WL_PRIV_ENV "WL_ROOT=${CMAKE_SOURCE_DIR}")
foreach(t raw_file_search pin_lockout audit_tamper stats_table staff_flow)
  add_test(NAME privacy.${t}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/privacy/${t}.sh
                   $<TARGET_FILE:wijkloket-staff> $<TARGET_FILE:wl-gen-intakes> ${CMAKE_SOURCE_DIR})
  set_tests_properties(privacy.${t} PROPERTIES ENVIRONMENT "${WL_PRIV_ENV}" TIMEOUT 600)
endforeach()
