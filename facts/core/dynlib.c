/*
 * dynlib.c — loading a shared library on first use (dynlib.h).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "dynlib.h"

void *kbf_dynlib_open(const char *soname)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		fprintf(stderr, "kbdiag: cannot load %s: %s\n", soname, dlerror());
		exit(2);
	}
	return lib;
}

void *kbf_dynlib_sym(void *lib, const char *soname, const char *name)
{
	dlerror();
	void *sym = dlsym(lib, name);
	if (!sym) {
		const char *why = dlerror();
		fprintf(stderr, "kbdiag: %s has no %s: %s\n", soname, name, why ? why : "NULL symbol");
		exit(2);
	}
	return sym;
}
