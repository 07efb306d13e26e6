# The layering test: front ends use only core's public API, core knows no SDL or HTTP, core
# folders include only their own private header and only lower layers (tests/layering/check.py).
add_test(NAME layering COMMAND ${CMAKE_SOURCE_DIR}/tests/layering/check.py ${CMAKE_SOURCE_DIR})
