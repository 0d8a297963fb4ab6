# toolchain-x86_64.cmake — cross-building kbdiag.exe with mingw-w64 on
# Debian (gcc-mingw-w64).  KBDIAG_WIN_ARCH picks the target (x86_64, the
# default, or i686: toolchain-i686.cmake sets it and includes this file);
# KBDIAG_WINDEPS is the prefix packaging/windows/deps built Lua, jansson
# and expat into, the only place libraries and pkg-config files are
# looked for.
#   cmake -S . -B build-win-x86_64 \
#     -DCMAKE_TOOLCHAIN_FILE=packaging/windows/toolchain-x86_64.cmake \
#     -DKBDIAG_WINDEPS=/path/to/prefix -DKBDIAG_HOST_RULEC=build-host/kbdiag-rulec
set(CMAKE_SYSTEM_NAME Windows)
if(NOT KBDIAG_WIN_ARCH)
  set(KBDIAG_WIN_ARCH x86_64)
endif()
set(CMAKE_SYSTEM_PROCESSOR ${KBDIAG_WIN_ARCH})
set(triple ${KBDIAG_WIN_ARCH}-w64-mingw32)
# The win32 thread model: the posix one links winpthreads, whose static
# library imports GetTickCount64 (not in Windows Server 2003).
find_program(KBDIAG_WIN_CC NAMES ${triple}-gcc-win32 ${triple}-gcc REQUIRED)
set(CMAKE_C_COMPILER ${KBDIAG_WIN_CC})
set(CMAKE_RC_COMPILER ${triple}-windres)
set(CMAKE_AR ${triple}-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${triple}-ranlib CACHE FILEPATH "")

# try_compile projects see only what is passed on: keep the prefix.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES KBDIAG_WINDEPS KBDIAG_WIN_ARCH)
if(NOT KBDIAG_WINDEPS)
  message(FATAL_ERROR "kbdiag: cross-building for Windows needs -DKBDIAG_WINDEPS=<prefix of the Windows Lua, jansson, expat> "
                      "(packaging/windows/deps builds it)")
endif()
set(CMAKE_FIND_ROOT_PATH ${KBDIAG_WINDEPS} /usr/${triple})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads the prefix's .pc files and never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} ${KBDIAG_WINDEPS}/lib/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
