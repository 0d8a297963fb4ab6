# windows.cmake — building kbdiag.exe (the top-level CMakeLists.txt
# includes it when the target is Windows; toolchain-x86_64.cmake is the
# cross-compiler).  What differs from the Linux build:
# - one program with no DLLs beside it: everything linked statically,
#   mingw's C runtime included;
# - every file is opened in binary mode (mingw's binmode.o sets _fmode),
#   so bytes read and written are the file's, CR LF included, as on Linux;
# - util/win32/posix.h, included first in every source, declares the
#   POSIX functions mingw lacks (util/win32/*.c defines them);
# - the libraries Linux loads on use (libarchive, libevtx, libevt,
#   libregf, Graphviz) are absent: their readers say so
#   (KBDIAG_WITHOUT_LOADED_LIBS);
# - the stock rules are compiled to bytecode by a host kbdiag-rulec.
# The tests, the benchmarks and the Debian package are Linux-only; the
# Windows build makes only the two programs the wine tests run beside
# kbdiag.exe (tests/windows/programs).
set(KBDIAG_TESTS OFF CACHE BOOL "Build the tests" FORCE)
set(KBDIAG_SANITIZE OFF CACHE BOOL "" FORCE)
if(NOT KBDIAG_HOST_RULEC OR NOT EXISTS "${KBDIAG_HOST_RULEC}")
  message(FATAL_ERROR "kbdiag: cross-building needs -DKBDIAG_HOST_RULEC=<a kbdiag-rulec built for this machine> "
                      "(scripts/build-windows builds one in build-host/); got '${KBDIAG_HOST_RULEC}'")
endif()

set(KBDIAG_WIN32_DIR ${PROJECT_SOURCE_DIR}/util/win32)
# The oldest Windows each build is for: 2000 for i686 (NT 4.0 too, as far
# as the functions linked go: newer ones are loaded at run time), Server
# 2003 for x64, whose first Windows it was.  A function newer than that is
# then an error at compile time, not a program that does not start.
if(CMAKE_SYSTEM_PROCESSOR STREQUAL "i686")
  set(KBDIAG_WINNT 0x0500)
else()
  set(KBDIAG_WINNT 0x0502)
endif()
add_compile_definitions(_WIN32_WINNT=${KBDIAG_WINNT} WINVER=${KBDIAG_WINNT} __USE_MINGW_ANSI_STDIO=1 XML_STATIC
                        KBDIAG_WITHOUT_LOADED_LIBS=1)
add_compile_options(-include ${KBDIAG_WIN32_DIR}/posix.h)
include_directories(BEFORE SYSTEM ${KBDIAG_WIN32_DIR}/include)
add_link_options(-static -static-libgcc)
add_link_options(/usr/${CMAKE_SYSTEM_PROCESSOR}-w64-mingw32/lib/binmode.o) # an object: always linked
