# pe_fixtures.cmake — inputs of test_file_versions and test_pe_version.
#
# Real PE images are built here rather than committed: windres compiles
# tests/fixtures/pe/version.rc (FILEVERSION 6,0,8168,0, "FileVersion"
# "6.00.8168.0") and the MinGW-w64 compilers link it into
#   mfc42_x64.dll  PE32+ (x86-64) with the version resource,
#   mfc42_x86.dll  PE32  (i686) with the same resource,
#   nores.exe      PE32+ without any resource.
# Debian packages: gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 (PE32+),
# gcc-mingw-w64-i686 binutils-mingw-w64-i686 (PE32).  Without them the
# build says so and the tests that need the images are skipped.

set(_fixtures ${PROJECT_SOURCE_DIR}/tests/fixtures)
set(_pe_src ${_fixtures}/pe)
set(_pe_out ${CMAKE_CURRENT_BINARY_DIR}/pe)
target_compile_definitions(test_pe_version PRIVATE KBDIAG_PE_DIR="${_pe_out}")
target_include_directories(test_pe_version PRIVATE ${PROJECT_SOURCE_DIR}/facts)

find_program(KBDIAG_MINGW64_GCC x86_64-w64-mingw32-gcc)
find_program(KBDIAG_MINGW64_WINDRES x86_64-w64-mingw32-windres)
find_program(KBDIAG_MINGW32_GCC i686-w64-mingw32-gcc)
find_program(KBDIAG_MINGW32_WINDRES i686-w64-mingw32-windres)

set(_pe_images)
file(MAKE_DIRECTORY ${_pe_out})

# A DLL with the version resource: kbdiag_pe_dll(output windres gcc entry)
function(kbdiag_pe_dll out windres gcc entry)
  add_custom_command(
    OUTPUT ${_pe_out}/${out}
    COMMAND ${windres} ${_pe_src}/version.rc -O coff -o ${_pe_out}/${out}.res.o
    COMMAND ${gcc} -shared -nostdlib -s -o ${_pe_out}/${out} ${_pe_src}/dll.c ${_pe_out}/${out}.res.o
            -Wl,--entry,${entry}
    DEPENDS ${_pe_src}/version.rc ${_pe_src}/dll.c
    COMMENT "Building test PE image ${out}"
    VERBATIM)
endfunction()

if(KBDIAG_MINGW64_GCC AND KBDIAG_MINGW64_WINDRES)
  kbdiag_pe_dll(mfc42_x64.dll ${KBDIAG_MINGW64_WINDRES} ${KBDIAG_MINGW64_GCC} DllMain)
  add_custom_command(
    OUTPUT ${_pe_out}/nores.exe
    COMMAND ${KBDIAG_MINGW64_GCC} -nostdlib -s -o ${_pe_out}/nores.exe ${_pe_src}/exe.c -Wl,--entry,start
    DEPENDS ${_pe_src}/exe.c
    COMMENT "Building test PE image nores.exe"
    VERBATIM)
  list(APPEND _pe_images ${_pe_out}/mfc42_x64.dll ${_pe_out}/nores.exe)
  target_compile_definitions(test_pe_version PRIVATE KBDIAG_HAVE_PE64=1)
else()
  message(WARNING "*** x86_64-w64-mingw32-gcc/-windres not found: the PE32+ tests of test_pe_version "
                  "are SKIPPED.  Install gcc-mingw-w64-x86-64 and binutils-mingw-w64-x86-64.")
endif()

if(KBDIAG_MINGW32_GCC AND KBDIAG_MINGW32_WINDRES)
  # i686 stdcall decoration: DllMain(3 pointer-sized arguments) is _DllMain@12
  kbdiag_pe_dll(mfc42_x86.dll ${KBDIAG_MINGW32_WINDRES} ${KBDIAG_MINGW32_GCC} _DllMain@12)
  list(APPEND _pe_images ${_pe_out}/mfc42_x86.dll)
  target_compile_definitions(test_pe_version PRIVATE KBDIAG_HAVE_PE32=1)
else()
  message(WARNING "*** i686-w64-mingw32-gcc/-windres not found: the PE32 tests of test_pe_version "
                  "are SKIPPED.  Install gcc-mingw-w64-i686 and binutils-mingw-w64-i686.")
endif()

if(_pe_images)
  add_custom_target(kbdiag_pe_images ALL DEPENDS ${_pe_images})
  add_dependencies(test_pe_version kbdiag_pe_images)
endif()
