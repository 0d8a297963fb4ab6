/*
 * dynlib.h — shared libraries loaded when an input first needs them.
 *
 * libarchive (with libxml2, ICU and libstdc++ behind it), the libyal
 * libraries and libsystemd cost a process start several milliseconds of
 * loading and relocation (measured: bench/README.md, "Startup"), while
 * only archives, binary Windows evidence and the journal and services
 * collectors use them.  kbdiag therefore links none of them: each
 * library's functions are a table of pointers filled by dlopen() and
 * dlsym() on the first call (core/archive_lib.h, core/libyal_lib.h,
 * linux/systemd_lib.h), and the library's own names are macros that read
 * the table, so the readers call each library as they always did.
 *
 * A library that cannot be loaded (not installed) ends kbdiag with exit
 * status 2 and a message naming it, as the dynamic loader would have at
 * start had kbdiag been linked with it.
 */
#ifndef KBDIAG_FACTS_CORE_DYNLIB_H
#define KBDIAG_FACTS_CORE_DYNLIB_H

/* The library by soname, loaded once (RTLD_NOW | RTLD_LOCAL); never NULL. */
void *kbf_dynlib_open(const char *soname);
/* Its function name; never NULL. */
void *kbf_dynlib_sym(void *lib, const char *soname, const char *name);

/* A table member for function name, typed as the library's header declares it. */
#define KBF_DYNLIB_MEMBER(name) __typeof__(name) *name;
#define KBF_DYNLIB_LOAD(name) *(void **)&api.name = kbf_dynlib_sym(lib, soname, #name);

/* Defines `const struct type *fn(void)`: the table of the functions in
 * list (an X-macro of their names), loaded from soname on the first call. */
#define KBF_DYNLIB_DEFINE(type, fn, so, list)                   \
	const struct type *fn(void)                             \
	{                                                       \
		static struct type api;                         \
		static void *lib;                               \
		if (!lib) {                                     \
			const char *soname = so;                \
			lib = kbf_dynlib_open(soname);          \
			list(KBF_DYNLIB_LOAD)                   \
		}                                               \
		return &api;                                    \
	}

#endif
