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

# A PostgreSQL writer's forgeries (issue 14): each refused by staff show, flagged by list.
add_executable(forge_record ${CMAKE_CURRENT_SOURCE_DIR}/server/forge_record.c)
target_link_libraries(forge_record PRIVATE wijkloket)
add_test(NAME server.central_tamper COMMAND bash ${CMAKE_SOURCE_DIR}/tests/server/central_tamper.sh ${WL_SERVER_TEST_ARGS}
                                            $<TARGET_FILE:wijkloket-deliver> $<TARGET_FILE:forge_record>)
set_tests_properties(server.central_tamper PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR};TZ=Europe/Amsterdam"
                                                      TIMEOUT 300 SKIP_RETURN_CODE 77)

# Headless kiosk replays booking on the server: the race for the last seat, a hold released on
# Stoppen, an urgent event delivered once with its location, the server killed (plain message).
if(TARGET wijkloket-kiosk-test)
  add_test(NAME server.kiosk_booking
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/server/kiosk_booking.sh $<TARGET_FILE:wijkloket-server>
                   $<TARGET_FILE:wijkloket-kiosk-test> $<TARGET_FILE:wijkloket-deliver>
                   $<TARGET_FILE:wijkloket-staff> ${CMAKE_SOURCE_DIR})
  set_tests_properties(server.kiosk_booking PROPERTIES ENVIRONMENT
    "WL_ROOT=${CMAKE_SOURCE_DIR};TZ=Europe/Amsterdam;LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0"
                                                       TIMEOUT 300 SKIP_RETURN_CODE 77)
endif()
