# What `cmake --install` puts where, and the Debian package CPack makes of
# it (`cpack -G DEB` in a build folder: kbdiag_<version>_amd64.deb).  The
# layout is the one the program looks for: the stock rules in
# share/kbdiag/rules beside bin/ (cli/ruledirs.c), the system rule folder
# /etc/kbdiag/rules.d.  scripts/package builds the package, and
# tests/package/check-deb installs and tries it.
include(GNUInstallDirs)

install(TARGETS kbdiag RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/rules/ DESTINATION ${CMAKE_INSTALL_DATADIR}/kbdiag/rules
        PATTERN "tests" EXCLUDE PATTERN "*.test.lua" EXCLUDE)
# Empty, for the administrator's rule files, which the package never owns.
install(DIRECTORY DESTINATION /etc/kbdiag/rules.d)

# Debian keeps manual pages and changelogs compressed, without a time stamp.
set(KBDIAG_GZIPPED ${PROJECT_BINARY_DIR}/packaging)
add_custom_command(
  OUTPUT ${KBDIAG_GZIPPED}/kbdiag.1.gz ${KBDIAG_GZIPPED}/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${KBDIAG_GZIPPED}
  COMMAND sh -c "gzip -9n -c '${PROJECT_SOURCE_DIR}/docs/kbdiag.1' > '${KBDIAG_GZIPPED}/kbdiag.1.gz'"
  COMMAND sh -c "gzip -9n -c '${PROJECT_SOURCE_DIR}/packaging/changelog' > '${KBDIAG_GZIPPED}/changelog.gz'"
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/kbdiag.1 ${PROJECT_SOURCE_DIR}/packaging/changelog
  VERBATIM)
add_custom_target(kbdiag-gzipped ALL DEPENDS ${KBDIAG_GZIPPED}/kbdiag.1.gz ${KBDIAG_GZIPPED}/changelog.gz)
install(FILES ${KBDIAG_GZIPPED}/kbdiag.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/kbdiag.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME kbdiag)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/packaging/copyright ${KBDIAG_GZIPPED}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md" PATTERN "*.json")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME kbdiag)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kbdiag)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "kbdiag developers <kbdiag@users.noreply.github.com>")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps sees only what the program links; the libraries it loads
# when an input needs one (facts/core/dynlib.h) are added from the shlibs
# entries of the packages that hold them.
get_property(kbdiag_loaded GLOBAL PROPERTY KBDIAG_LOADED_ON_USE)
set(kbdiag_depends)
foreach(path IN LISTS kbdiag_loaded)
  get_filename_component(real "${path}" REALPATH)
  execute_process(COMMAND dpkg-query -S "${real}" OUTPUT_VARIABLE owner RESULT_VARIABLE failed ERROR_QUIET)
  # "libsystemd0:amd64: /usr/lib/..." when the package is installed for
  # another architecture too (wine32's i386 libraries): keep the ":amd64"
  string(REGEX REPLACE ": .*" "" owner "${owner}")
  if(NOT failed)
    execute_process(COMMAND dpkg-query --control-show "${owner}" shlibs OUTPUT_VARIABLE shlibs ERROR_QUIET)
  endif()
  get_filename_component(file "${path}" NAME_WE)
  string(REGEX MATCH "(^|\n)${file} [^ \n]+ ([^\n]+)" found "${shlibs}")
  if(failed OR NOT found)
    message(WARNING "kbdiag: the package needs ${real}, which no Debian package's shlibs name: "
                    "it is left out of Depends")
  else()
    list(APPEND kbdiag_depends "${CMAKE_MATCH_2}")
  endif()
endforeach()
list(JOIN kbdiag_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "diagnose service problems from evidence with knowledge-base rules")
set(CPACK_PACKAGE_DESCRIPTION
    "kbdiag turns knowledge-base articles into executable rules.  It gathers\n\
facts from this host (listening ports and their owners, processes,\n\
services, packages, addresses, the journal) or reads the evidence a\n\
Windows customer sends (netstat, tasklist, systeminfo, event logs in\n\
every export format, registry hives, archives of them), runs the rules\n\
with a Rete engine, and reports each diagnosis with its remedy and the\n\
evidence lines behind it.  Site rules go in /etc/kbdiag/rules.d.")
include(CPack)
