# wijkloket-server on a private PostgreSQL cluster: bad requests, concurrent booking, the fleet.
add_executable(fleet_kiosk ${CMAKE_CURRENT_SOURCE_DIR}/server/fleet_kiosk.c)
target_link_libraries(fleet_kiosk PRIVATE wijkloket)
