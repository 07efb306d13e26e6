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
