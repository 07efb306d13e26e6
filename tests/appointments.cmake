# Appointments and slips end to end through wijkloket-staff: flow, concurrent kiosks, printer failures.
foreach(script cli_flow concurrency_cli printer_fallback)
  add_test(NAME appointments.${script}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/appointments/${script}.sh
                   $<TARGET_FILE:wijkloket-staff-testclock> ${CMAKE_SOURCE_DIR})
  set_tests_properties(appointments.${script} PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 300)
endforeach()

# The kiosk replay: result screen -> booked slip, printer fallback, QR decoded from the screenshot.
if(TARGET wijkloket-kiosk)
  add_test(NAME appointments.kiosk_replay
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/appointments/kiosk_replay.sh $<TARGET_FILE:wijkloket-kiosk-test>
                   $<TARGET_FILE:wijkloket-staff-testclock> ${CMAKE_CURRENT_BINARY_DIR}/appointments-replay
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(appointments.kiosk_replay PROPERTIES ENVIRONMENT
    "WL_ROOT=${CMAKE_SOURCE_DIR};LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0" TIMEOUT 300)
endif()
