# Minimaregelingen: every case file in tests/cases/minima runs through `wijkloket-staff minima`.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME minima.cases
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cases/minima/run.py
                 $<TARGET_FILE:wijkloket-staff> ${CMAKE_SOURCE_DIR}/assets)
set_tests_properties(minima.cases PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 300)

# A broken parameter file must stop the CLI with exit code 3 and a file:line: field message.
add_test(NAME minima.bad_assets
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cases/minima/run.py
                 $<TARGET_FILE:wijkloket-staff> ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/minima/assets_unsorted
                 ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/minima/case_bad_assets.json)
set_tests_properties(minima.bad_assets PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 60)

# Kiosk replay through the wizard with golden screenshots (tests/kiosk/minima/golden). The
# wizard screen (kiosk/screen_minima.c) is reachable once the kiosk registry has SCR_MINIMA;
# until then this test is not registered (docs/minima.md, "Kiosk").
if(WL_BUILD_KIOSK AND TARGET wijkloket-kiosk)
  file(READ ${CMAKE_SOURCE_DIR}/kiosk/ui.h WL_MINIMA_UI_H)
  string(FIND "${WL_MINIMA_UI_H}" "SCR_MINIMA" WL_MINIMA_REGISTERED)
  if(NOT WL_MINIMA_REGISTERED EQUAL -1)
    file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/minima-shots)
    add_test(NAME minima.kiosk_replay
             COMMAND $<TARGET_FILE:wijkloket-kiosk> --headless --config tests/kiosk/test.conf
                     --db ${CMAKE_CURRENT_BINARY_DIR}/minima-kiosk.db
                     --script tests/kiosk/minima/minima.script
                     --screenshots ${CMAKE_CURRENT_BINARY_DIR}/minima-shots
                     --golden tests/kiosk/minima/golden
                     --epoch 1752580800 --test-refcodes
             WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
    set_tests_properties(minima.kiosk_replay PROPERTIES TIMEOUT 300 ENVIRONMENT
      "WL_ROOT=${CMAKE_SOURCE_DIR};SDL_VIDEODRIVER=dummy;LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
  endif()
endif()
