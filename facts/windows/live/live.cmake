# The live Windows collectors (facts/windows/live, live.h): the neutral
# halves, which turn what the Windows APIs return into facts, are built on
# every platform (and unit-tested on Linux with recorded API results); the
# *_win32.c halves, which call the APIs, only for Windows.  wevtapi,
# netapi32 and ntdll's functions are loaded at run time (GetProcAddress) so
# that kbdiag.exe starts on NT 4.0 and 2000 too.
target_sources(kbfacts PRIVATE
  windows/live/util.c windows/live/procs.c windows/live/sockets.c windows/live/services.c
  windows/live/host.c windows/live/addrs.c windows/live/files.c windows/live/events.c)
if(WIN32)
  target_sources(kbfacts PRIVATE
    windows/live/win32.c windows/live/procs_win32.c windows/live/sockets_win32.c
    windows/live/services_win32.c windows/live/host_win32.c windows/live/addrs_win32.c
    windows/live/files_win32.c windows/live/events_win32.c)
  target_link_libraries(kbfacts PRIVATE iphlpapi ws2_32 advapi32 version)
  # The Windows halves use structures Vista added (the delayed auto-start
  # flag, the on-link prefix of an address); their functions are loaded at
  # run time, so the program still starts on the older systems the build
  # targets (_WIN32_WINNT, packaging/windows/windows.cmake).
  set_property(SOURCE windows/live/win32.c windows/live/procs_win32.c windows/live/sockets_win32.c
    windows/live/services_win32.c windows/live/host_win32.c windows/live/addrs_win32.c
    windows/live/files_win32.c windows/live/events_win32.c
    APPEND PROPERTY COMPILE_OPTIONS -U_WIN32_WINNT -D_WIN32_WINNT=0x0600)
endif()
