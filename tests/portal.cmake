# The citizen portal: a journey through the HTML forms checked against the sealed record, the
# security checks, and (when chromium and the npm tools are installed) the browser + axe-core run.
find_package(Python3 COMPONENTS Interpreter)
if(TARGET wijkloket-api)
  add_executable(test_client_addr ${CMAKE_SOURCE_DIR}/tests/portal/test_client_addr.c)
  target_link_libraries(test_client_addr PRIVATE wijkloket-api)
  add_test(NAME portal.client_addr COMMAND test_client_addr)
endif()
if(TARGET wlportal)
  add_executable(test_portal_handler ${CMAKE_SOURCE_DIR}/tests/portal/test_portal_handler.c)
  target_link_libraries(test_portal_handler PRIVATE wlportal)
  add_test(NAME portal.handler
           COMMAND test_portal_handler ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/portal_handler)
  set_tests_properties(portal.handler PROPERTIES
    ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0" TIMEOUT 120)
endif()
if(TARGET wijkloket-portal AND Python3_FOUND)
  foreach(t journey security)
    add_test(NAME portal.${t}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/portal/${t}_test.py
                     ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/tests/out/portal_${t})
    set_tests_properties(portal.${t} PROPERTIES
      ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR};LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0"
      TIMEOUT 300 RESOURCE_LOCK portal_ports)
  endforeach()
  # The same journey against wijkloket-server (the portal at / over PostgreSQL), checked with
  # `wijkloket-staff --db postgresql://... list/show`.
  if(TARGET wijkloket-server)
    add_test(NAME portal.server
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/portal/server_journey_test.py
                     ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/tests/out/portal_server)
    set_tests_properties(portal.server PROPERTIES
      ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR};LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0"
      TIMEOUT 300 RESOURCE_LOCK portal_ports SKIP_RETURN_CODE 77)
  endif()
  # The browser run checks markup and accessibility, which a sanitizer build cannot change;
  # it runs in the normal build only, to keep the suite's time down.
  if(NOT WL_SANITIZE AND TARGET wijkloket-server)
  # Against wijkloket-server on a fresh PostgreSQL cluster, as deployed (skips without PostgreSQL).
  add_test(NAME portal.browser
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/portal/browser_test.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/tests/out/portal_browser)
  set_tests_properties(portal.browser PROPERTIES
    ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR};LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0"
    TIMEOUT 600 RESOURCE_LOCK portal_ports SKIP_RETURN_CODE 77)
  endif()
endif()
