# Appointments and slips end to end through wijkloket-staff: flow, concurrent kiosks, printer failures.
foreach(script cli_flow concurrency_cli printer_fallback)
  add_test(NAME appointments.${script}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/appointments/${script}.sh
                   $<TARGET_FILE:wijkloket-staff> ${CMAKE_SOURCE_DIR})
  set_tests_properties(appointments.${script} PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 300)
endforeach()
