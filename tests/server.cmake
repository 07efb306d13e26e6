# wijkloket-server on a private PostgreSQL cluster: bad requests, concurrent booking, the fleet.
add_executable(fleet_kiosk ${CMAKE_CURRENT_SOURCE_DIR}/server/fleet_kiosk.c)
target_link_libraries(fleet_kiosk PRIVATE wijkloket)

set(WL_SERVER_TEST_ARGS $<TARGET_FILE:wijkloket-server> $<TARGET_FILE:server_load> $<TARGET_FILE:fleet_kiosk>
                        $<TARGET_FILE:wijkloket-staff> ${CMAKE_SOURCE_DIR})
foreach(t bad_requests booking_race fleet staff_central)
  add_test(NAME server.${t} COMMAND bash ${CMAKE_SOURCE_DIR}/tests/server/${t}.sh ${WL_SERVER_TEST_ARGS}
                                    $<TARGET_FILE:wijkloket-deliver>)
  set_tests_properties(server.${t} PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR};TZ=Europe/Amsterdam"
                                              TIMEOUT 300 SKIP_RETURN_CODE 77)
endforeach()
