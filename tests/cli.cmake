# Staff command line tests: routing cases through `classify`, asset checks, users and PINs.
add_test(NAME cli.routing_cases
         COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/cli/run_routing_cases.py
                 $<TARGET_FILE:wijkloket-staff> ${CMAKE_SOURCE_DIR}/tests/cases/routing)
add_test(NAME cli.check_assets
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/check_assets.sh
                 $<TARGET_FILE:wijkloket-staff> ${CMAKE_SOURCE_DIR})
add_test(NAME cli.users_and_pins
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/users_and_pins.sh
                 $<TARGET_FILE:wijkloket-staff>)
set_tests_properties(cli.routing_cases cli.check_assets cli.users_and_pins
                     PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 600)
add_test(NAME cli.bad_input
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/bad_input.sh
                 $<TARGET_FILE:wijkloket-staff> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli.bad_input PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 600)
# A database the user may only read (issue 14, finding 12).
add_test(NAME cli.read_only COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/read_only.sh $<TARGET_FILE:wijkloket-staff>)
set_tests_properties(cli.read_only PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 300)
# Every routing rule cites a section that exists in the named seed (docs/seeds/), or says it is an own choice.
add_test(NAME cli.rule_citations
         COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/cli/check_citations.py
                 ${CMAKE_SOURCE_DIR}/assets/rules/routing.json ${CMAKE_SOURCE_DIR}/docs/seeds)
# The rule tables of docs/routing.md are generated from the rules file and must be current.
add_test(NAME cli.routing_doc COMMAND python3 ${CMAKE_SOURCE_DIR}/scripts/routing_doc.py --check)
