# The Linux evidence files (logs, journal exports, /proc/net tables,
# os-release, dpkg status), and the --log files (logs.c): read on every
# platform.
target_sources(kbfacts PRIVATE
  linux/dpkg.c linux/errno.c linux/journal_entry.c linux/journal_export.c linux/journal_file.c linux/journal_json.c
  linux/logfile.c linux/logline.c linux/logs.c linux/os.c linux/procnet.c linux/sockets.c linux/util.c)
if(WIN32)
  return()
endif()
# The live Linux host's collectors.
target_sources(kbfacts PRIVATE
  linux/addrs.c linux/journal.c linux/owners.c linux/procs.c linux/sockdiag.c
  linux/systemd.c linux/systemd_lib.c)
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
