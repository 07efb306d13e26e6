# Kiosk tests: script replays with golden screenshots, the real-window journey under Xvfb,
# the translation catalogue check. (The theme contrast test is tests/unit/test_theme_contrast.c.)
if(TARGET wijkloket-kiosk)
  add_executable(kiosk_test_setup ${CMAKE_SOURCE_DIR}/tests/kiosk/setup_users.c)
  target_link_libraries(kiosk_test_setup PRIVATE wijkloket)

  set(WL_KIOSK_TEST_ENV
      "SDL_VIDEODRIVER=dummy"
      "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
  # One replay per script in tests/kiosk (the layering test fails on a *.script missing here).
  foreach(name consent_refused double_tap english english_messages help invalid_input minima_reuse participatie rtl small
               staff staff_lock staff_printer staff_secret_key urgent volunteer walk_away zelfdoener)
    set(script ${CMAKE_SOURCE_DIR}/tests/kiosk/${name}.script)
    add_test(NAME kiosk.replay.${name}
             COMMAND ${CMAKE_SOURCE_DIR}/tests/kiosk/run_replay.sh $<TARGET_FILE:wijkloket-kiosk-test>
                     $<TARGET_FILE:kiosk_test_setup> ${script} ${CMAKE_CURRENT_BINARY_DIR}/kiosk-replays
             WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
    set_tests_properties(kiosk.replay.${name} PROPERTIES ENVIRONMENT "${WL_KIOSK_TEST_ENV}" TIMEOUT 300)
  endforeach()

  # The journey to a booked slip in Arabic and Tigrinya, against goldens (tests/kiosk/golden/ar_*, ti_*).
  foreach(lang ar ti)
    add_test(NAME kiosk.replay_lang.${lang}
             COMMAND ${CMAKE_SOURCE_DIR}/tests/kiosk/lang_replay.sh $<TARGET_FILE:wijkloket-kiosk-test>
                     $<TARGET_FILE:kiosk_test_setup> ${lang} ${CMAKE_CURRENT_BINARY_DIR}/kiosk-lang
             WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
    set_tests_properties(kiosk.replay_lang.${lang} PROPERTIES ENVIRONMENT "${WL_KIOSK_TEST_ENV}" TIMEOUT 300)
  endforeach()

  # Voorlezen: every screen of the journey spoken to WAV by espeak-ng in nl, en, ar, tr, pl, uk.
  add_test(NAME kiosk.speech
           COMMAND ${CMAKE_SOURCE_DIR}/tests/kiosk/speech.sh $<TARGET_FILE:wijkloket-kiosk-test>
                   $<TARGET_FILE:kiosk_test_setup> ${CMAKE_CURRENT_BINARY_DIR}/kiosk-speech
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(kiosk.speech PROPERTIES ENVIRONMENT "${WL_KIOSK_TEST_ENV}" TIMEOUT 600)

  # Text layer: Arabic and Ethiopic fonts are opened only when needed, a code in an Arabic
  # sentence is drawn left to right in its place, and no catalogue string has a glyph no font has.
  add_executable(kiosk_text_check ${CMAKE_SOURCE_DIR}/tests/kiosk/text_check.c ${CMAKE_SOURCE_DIR}/kiosk/text.c
                 ${CMAKE_SOURCE_DIR}/kiosk/glyphs.c)
  target_include_directories(kiosk_text_check PRIVATE ${CMAKE_SOURCE_DIR}/kiosk)
  pkg_check_modules(WL_TEXT REQUIRED IMPORTED_TARGET sdl2 SDL2_ttf fontconfig freetype2 fribidi harfbuzz)
  target_link_libraries(kiosk_text_check PRIVATE PkgConfig::WL_TEXT)
  add_test(NAME kiosk.text_scripts
           COMMAND sh -c "python3 tests/kiosk/po_strings.py locale/*.po | $<TARGET_FILE:kiosk_text_check> --strings"
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(kiosk.text_scripts PROPERTIES ENVIRONMENT "${WL_KIOSK_TEST_ENV}")

  # Pictograms: every glyph of assets/pictograms.json is in the icon font and draws inside its
  # box, the font opens only on first use, and a directional one flips to its mirror image.
  add_executable(kiosk_picto_check ${CMAKE_SOURCE_DIR}/tests/kiosk/picto_check.c ${CMAKE_SOURCE_DIR}/kiosk/icons.c)
  target_include_directories(kiosk_picto_check PRIVATE ${CMAKE_SOURCE_DIR}/kiosk)
  target_link_libraries(kiosk_picto_check PRIVATE wijkloket PkgConfig::WL_TEXT)
  add_test(NAME kiosk.pictograms COMMAND $<TARGET_FILE:kiosk_picto_check> assets/pictograms.json
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(kiosk.pictograms PROPERTIES ENVIRONMENT "${WL_KIOSK_TEST_ENV}")

  # The same journey in a real X window, driven by xdotool clicks.
  add_test(NAME kiosk.xvfb_journey
           COMMAND ${CMAKE_SOURCE_DIR}/tests/kiosk/xvfb_journey.sh $<TARGET_FILE:wijkloket-kiosk>
                   ${CMAKE_CURRENT_BINARY_DIR}/kiosk-xvfb $<TARGET_FILE:kiosk_test_setup>
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(kiosk.xvfb_journey PROPERTIES
    ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0"
    TIMEOUT 300 RUN_SERIAL TRUE)

  # A save refused by the store: calm message, answers kept, the retry saves.
  add_test(NAME kiosk.store_failure
           COMMAND ${CMAKE_SOURCE_DIR}/tests/kiosk/store_failure/run.sh $<TARGET_FILE:wijkloket-kiosk-test>
                   $<TARGET_FILE:kiosk_test_setup> ${CMAKE_CURRENT_BINARY_DIR}/kiosk-store-failure
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(kiosk.store_failure PROPERTIES ENVIRONMENT "${WL_KIOSK_TEST_ENV}" TIMEOUT 120)

  # No start without a usable staff public key (unless allow_unsealed = test-only); a sealed
  # journey leaves no clear answers; the daily purge and a failing purge.
  add_test(NAME kiosk.sealing
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/kiosk/sealing.sh $<TARGET_FILE:wijkloket-kiosk-test>
                   $<TARGET_FILE:kiosk_test_setup> ${CMAKE_CURRENT_BINARY_DIR}/kiosk-sealing
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(kiosk.sealing PROPERTIES ENVIRONMENT "${WL_KIOSK_TEST_ENV}" TIMEOUT 300)

  # Without any display the kiosk must say so and name the headless option.
  add_test(NAME kiosk.no_display
           COMMAND ${CMAKE_SOURCE_DIR}/tests/kiosk/no_display.sh $<TARGET_FILE:wijkloket-kiosk>
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

  # Monkey test: 3000 random taps, texts (broken UTF-8 included), keys and waits (issue 14).
  add_test(NAME kiosk.monkey
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/kiosk/monkey.sh $<TARGET_FILE:wijkloket-kiosk-test>
                   $<TARGET_FILE:kiosk_test_setup> ${CMAKE_CURRENT_BINARY_DIR}/kiosk-monkey 3000 14
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(kiosk.monkey PROPERTIES ENVIRONMENT "${WL_KIOSK_TEST_ENV}" TIMEOUT 600)

  # Bad configuration files are refused naming file, line and key.
  add_test(NAME kiosk.config_errors
           COMMAND ${CMAKE_SOURCE_DIR}/tests/kiosk/config_errors.sh $<TARGET_FILE:wijkloket-kiosk>
                   $<TARGET_FILE:kiosk_test_setup> ${CMAKE_CURRENT_BINARY_DIR}/kiosk-config
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(kiosk.config_errors PROPERTIES ENVIRONMENT "${WL_KIOSK_TEST_ENV}")
endif()

# Every citizen text (C literals marked N_/T/ui_say, questionnaire, signal texts, minima schemes
# and wizard) is in locale/wijkloket.pot: the one extraction step is rerun and compared, so a
# text added without regenerating the .pot fails here, naming the missing msgid.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
find_program(WL_XGETTEXT xgettext)
if(WL_XGETTEXT)
  add_test(NAME locale.pot_up_to_date
           COMMAND ${Python3_EXECUTABLE} locale/update_pot.py --check
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
endif()

# Every text in locale/wijkloket.pot has a translation in every kiosk language; catalogues are valid.
find_program(WL_MSGCMP msgcmp)
if(WL_MSGCMP)
  add_test(NAME kiosk.locale_en_complete
           COMMAND sh -c "msgfmt --check -o /dev/null locale/en.po && msgcmp locale/en.po locale/wijkloket.pot"
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  # All seven languages, through the staff report (which must name a gap).
  add_test(NAME kiosk.locale_complete
           COMMAND ${CMAKE_SOURCE_DIR}/tests/kiosk/locale_complete.sh $<TARGET_FILE:wijkloket-staff>
                   ${CMAKE_CURRENT_BINARY_DIR}/locale-complete
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
endif()
