/*
 * host.c — the live host's `host` fact and its installed updates as
 * `hotfix` facts, from what host_win32.c read: RtlGetVersion's
 * OSVERSIONINFOEXW fields, the domain role, the computer and product
 * names, and the registry key and package names that hold update ids.
 *
 * os_version follows the evidence each Windows version is diagnosed
 * from, so that the stock rules match either way: NT 4.0 and earlier as
 * winmsd prints it ("4.0", hoststate/winmsd.c), later ones as systeminfo
 * does ("5.0.2195", hoststate/systeminfo.c); build is dwBuildNumber,
 * service_pack the number in szCSDVersion ("Service Pack 6a" is 6, as
 * winmsd reads it), else wServicePackMajor.  role: DsRoleGetPrimaryDomain-
 * Information's DSROLE_MACHINE_ROLE (MSDN) in systeminfo's words, else
 * wProductType (VER_NT_DOMAIN_CONTROLLER is a domain controller;
 * VER_NT_WORKSTATION a workstation; a server cannot be told member from
 * standalone that way and gets none).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"
#include "windows/hoststate/hotfix.h"
#include "xalloc.h"

#define VER_NT_WORKSTATION 1
#define VER_NT_DOMAIN_CONTROLLER 2

static const char *role_of(const struct kbf_live_host *h)
{
	/* DsRoleStandaloneWorkstation 0 ... DsRolePrimaryDomainController 5 */
	static const char *const roles[] = {
		"workstation", "workstation", "standalone server", "member server", "domain controller",
		"domain controller",
	};
	if (h->role >= 0 && h->role < 6)
		return roles[h->role];
	if (h->has_ex && h->product_type == VER_NT_DOMAIN_CONTROLLER)
		return "domain controller";
	if (h->has_ex && h->product_type == VER_NT_WORKSTATION)
		return "workstation";
	return NULL;
}

/* "Service Pack 6a" -> 6; wServicePackMajor when the text has no number. */
static int64_t service_pack(const struct kbf_live_host *h)
{
	const char *s = h->csd ? h->csd : "";
	while (*s && !isdigit((unsigned char)*s))
		s++;
	if (*s)
		return strtol(s, NULL, 10);
	return h->sp_major;
}

int kbf_live_host_emit(struct kbf_input *in, const struct kbf_live_host *h)
{
	char version[48], text[400];
	if (h->major < 5)
		snprintf(version, sizeof(version), "%lu.%lu", (unsigned long)h->major, (unsigned long)h->minor);
	else
		snprintf(version, sizeof(version), "%lu.%lu.%lu", (unsigned long)h->major, (unsigned long)h->minor,
			 (unsigned long)h->build);
	const char *role = role_of(h);
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "host");
	if (h->name && h->name[0])
		kbf_set_cstr(&f, "name", h->name);
	kbf_set_cstr(&f, "os_family", "windows");
	struct kbf_wtext_buf os = {0}; /* ProductName without (R) and (TM), as the importers give it */
	if (h->product)
		kbf_wtext_product(&os, h->product, strlen(h->product));
	if (os.len)
		kbf_set_str_copy(&f, "os_name", os.s, os.len);
	kbf_wtext_buf_free(&os);
	kbf_set_str_copy(&f, "os_version", version, strlen(version));
	kbf_set_int(&f, "build", h->build);
	kbf_set_int(&f, "service_pack", service_pack(h));
	if (role)
		kbf_set_cstr(&f, "role", role);
	if (h->domain && h->domain[0])
		kbf_set_cstr(&f, "domain", h->domain);
	if (h->arch)
		kbf_set_cstr(&f, "arch", h->arch);
	int n = snprintf(text, sizeof(text), "RtlGetVersion: %lu.%lu build %lu, platform %lu, \"%s\"; product type %u; "
			 "domain role %d", (unsigned long)h->major, (unsigned long)h->minor, (unsigned long)h->build,
			 (unsigned long)h->platform, h->csd ? h->csd : "", h->has_ex ? h->product_type : 0, h->role);
	size_t len = kbf_live_printed(n, sizeof(text));
	return kbf_fact_emit(&f, 0, text, len) ? 0 : -1;
}

/* ---- hotfixes ----------------------------------------------------------------------- */

/* The update id in a key or package name: "KB" and digits anywhere
 * ("Package_for_KB2843630~31bf3856ad364e35~amd64~~6.1.1.0"), or the whole
 * name "Q" and digits (NT 4.0's Hotfix\Q147222). */
static bool find_id(const char *name, struct kbf_wtext_span *id)
{
	size_t len = strlen(name);
	for (size_t i = 0; i + 2 < len; i++) {
		bool start = i == 0 || !isalnum((unsigned char)name[i - 1]);
		if (!start || toupper((unsigned char)name[i]) != 'K' || toupper((unsigned char)name[i + 1]) != 'B' ||
		    !isdigit((unsigned char)name[i + 2]))
			continue;
		size_t j = i + 2;
		while (j < len && isdigit((unsigned char)name[j]))
			j++;
		*id = (struct kbf_wtext_span){name + i, j - i};
		return true;
	}
	size_t j = 1;
	while (j < len && isdigit((unsigned char)name[j]))
		j++;
	if (len > 1 && toupper((unsigned char)name[0]) == 'Q' && j == len) {
		*id = (struct kbf_wtext_span){name, len};
		return true;
	}
	return false;
}

int kbf_live_hotfix_name(struct kbf_input *in, const char *name, const char *description,
			 const char *host, const char *where, struct kbf_live_seen *seen)
{
	struct kbf_wtext_span id;
	if (!find_id(name, &id) || id.len > 40 || (seen && kbf_live_seen_add(seen, id.s, id.len)))
		return 0;
	struct kbf_hotfix hf = {.id = id, .dates = KBF_HOTFIX_WMI};
	if (description)
		hf.description = (struct kbf_wtext_span){description, strlen(description)};
	if (host)
		hf.host = (struct kbf_wtext_span){host, strlen(host)};
	char text[600];
	int n = snprintf(text, sizeof(text), "%s\\%s", where, name);
	size_t len = kbf_live_printed(n, sizeof(text));
	bool errs = in->err.status != KB_OK;
	kbf_hotfix_emit(in, &hf, 0, text, len);
	return !errs && in->err.status != KB_OK ? -1 : 1;
}
