# The Linux collectors' optional dependency: libsystemd (journal and
# service manager).  Without it (not found, or -DKBDIAG_SYSTEMD=OFF) the
# journal and services collectors report "built without libsystemd" and
# everything else works.  With it, kbdiag loads it when one of them first
# calls it (systemd_lib.h), not at start.
option(KBDIAG_SYSTEMD "Read the systemd journal and services through libsystemd when found" ON)
if(KBDIAG_SYSTEMD)
  pkg_check_modules(SYSTEMD IMPORTED_TARGET GLOBAL libsystemd) # GLOBAL: test_linux_systemd links it
endif()
if(KBDIAG_SYSTEMD AND SYSTEMD_FOUND)
  target_compile_definitions(kbfacts PUBLIC KBDIAG_HAVE_SYSTEMD=1)
  kbdiag_load_on_use(kbfacts SYSTEMD systemd KBDIAG_SONAME_SYSTEMD) # loaded when a collector calls it
  message(STATUS "kbdiag: systemd journal and services through libsystemd ${SYSTEMD_VERSION}")
else()
  message(STATUS "kbdiag: built without libsystemd (no journal, no services)")
endif()
