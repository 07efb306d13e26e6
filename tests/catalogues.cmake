# Every translation catalogue is what gettext itself accepts (msgfmt --check: syntax, header,
# printf formats); the kiosk reads the .po files directly (docs/deployment.md says why).
find_program(WL_MSGFMT msgfmt)
if(WL_MSGFMT)
  add_test(NAME locale.msgfmt_check
           COMMAND sh -c "n=0; for f in locale/*.po locale/*.pot; do ${WL_MSGFMT} --check -o /dev/null \"$f\" || exit 1; n=$((n+1)); done; [ $n -ge 2 ] && echo \"msgfmt --check: $n catalogues ok\""
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
endif()
