# toolchain-i686.cmake — 32-bit kbdiag.exe: toolchain-x86_64.cmake for i686.
set(KBDIAG_WIN_ARCH i686)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-x86_64.cmake)
