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

# Kiosk replay through the wizard with golden screenshots (tests/kiosk/minima/golden), on a fixed
# day (15 July 2025) so the statuses are firm; the printed list must be a PDF (WL_PRINTER=file:),
# and the anonymous count the wizard left in the store is read back with `minima-counts`.
# Kiosk builds only.
if(TARGET wijkloket-kiosk)
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/minima-shots)
  add_test(NAME minima.kiosk_replay
           COMMAND sh -c "rm -f \"$1\" \"$1-wal\" \"$1-shm\" \"$2/minima-list.pdf\" && \"$0\" --headless --config tests/kiosk/test.conf --db \"$1\" --script tests/kiosk/minima/minima.script --screenshots \"$2\" --golden tests/kiosk/minima/golden --epoch 1752580800 --test-refcodes && head -c 4 \"$2/minima-list.pdf\" | grep -q '%PDF' && WL_NEW_PIN=4821 \"$3\" --db \"$1\" user add anna --role staff >/dev/null && WL_PIN=4821 \"$3\" --db \"$1\" --user anna minima-counts 2025-07-15 2025-07-15 | tr -d ' \\n' | grep -q '\"location\":\"test-locatie\",\"scheme\":\"stadjerspas\",\"status\":\"eligible\",\"count\":1'"
                   $<TARGET_FILE:wijkloket-kiosk-test> ${CMAKE_CURRENT_BINARY_DIR}/minima-kiosk.db
                   ${CMAKE_CURRENT_BINARY_DIR}/minima-shots $<TARGET_FILE:wijkloket-staff>
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(minima.kiosk_replay PROPERTIES TIMEOUT 300 ENVIRONMENT
    "WL_ROOT=${CMAKE_SOURCE_DIR};SDL_VIDEODRIVER=dummy;WL_PRINTER=file:${CMAKE_CURRENT_BINARY_DIR}/minima-shots/minima-list.pdf;LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
endif()

# `wijkloket-staff check` catches a broken minima file (here: a scheme naming an unknown
# parameter table) with file:line: field, and exits non-zero.
add_test(NAME minima.check_catches_bad_assets
         COMMAND sh -c "d=$1; rm -rf \"$d\" && cp -r assets \"$d\" && cp tests/fixtures/minima/schemes_unknown_table.json \"$d/minima/schemes.json\" && out=$(\"$0\" check --assets \"$d\" 2>&1); rc=$?; echo \"$out\"; [ $rc -ne 0 ] && echo \"$out\" | grep -q \"schemes.json:14: schemes\\[0\\] (stadjerspas).conditions\\[0\\]: unknown parameter table 'bijstandnorm'\""
                 $<TARGET_FILE:wijkloket-staff> ${CMAKE_CURRENT_BINARY_DIR}/minima-bad-assets
         WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# The minima wizard's questions and ranges are data (assets/minima/wizard.json) checked by `check`.
add_test(NAME minima.wizard_check
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/cli/wizard_check.sh $<TARGET_FILE:wijkloket-staff> ${CMAKE_SOURCE_DIR})
set_tests_properties(minima.wizard_check PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 120)

# The reasons come from core as template plus figures; the staff tool translates the template
# and fills in the figures (issue 9): a reason with an amount, in Polish and in English.
add_test(NAME minima.reasons_translated
         COMMAND sh -c "f=$(mktemp) && python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))[\"household\"]))' ${CMAKE_CURRENT_SOURCE_DIR}/cases/minima/income_beyond_margin.json > $f && $<TARGET_FILE:wijkloket-staff> minima $f --date 2025-07-15 --lang pl | grep -F 'To 125% normy zasiłku socjalnego. Próg to 120%: € 1.642,87 miesięcznie.' && $<TARGET_FILE:wijkloket-staff> minima $f --date 2025-07-15 --lang en | grep -F 'That is 125% of the social assistance standard. The limit is 120%: € 1.642,87 per month.'; r=$?; rm -f $f; exit $r")
set_tests_properties(minima.reasons_translated PROPERTIES ENVIRONMENT "WL_ROOT=${CMAKE_SOURCE_DIR}" TIMEOUT 60)
