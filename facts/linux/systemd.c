/*
 * systemd.c — the collector "linux.services": systemd's service
 * units over D-Bus (org.freedesktop.systemd1.Manager.ListUnits) as
 * `service` facts: name = the unit ("nginx.service"), display_name = its
 * Description, state = ActiveState, sub_state = SubState, type
 * "systemd", and pid = MainPID for running services.  The MainPID
 * property calls are sent all at once and their replies collected
 * together, so they cost one round trip, not one per service.  Every call
 * has a two-second limit: a stuck bus must not hang a diagnosis.
 *
 * No system bus (or no systemd on it): the input says why and the other
 * collectors carry on.  kbf_systemd_gather_bus() takes any connected bus,
 * so tests serve a fake systemd on a socket pair.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "linux.h"
#include "xalloc.h"

#ifdef KBDIAG_HAVE_SYSTEMD
#include <systemd/sd-bus.h>

#include "systemd_lib.h" /* libsystemd's functions, loaded on first use */

#define CALL_TIMEOUT_USEC 2000000ull

struct unit {
	char *name, *desc, *active, *sub, *path;
	int64_t pid;
	bool pending;
};

struct units {
	struct unit *v;
	size_t n, cap;
};

static void units_free(struct units *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].name);
		free(u->v[i].desc);
		free(u->v[i].active);
		free(u->v[i].sub);
		free(u->v[i].path);
	}
	free(u->v);
}

static void add_unit(struct units *u, const char *name, const char *desc, const char *active,
		     const char *sub, const char *path)
{
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 64;
		u->v = kbu_realloc(u->v, u->cap, sizeof(*u->v));
	}
	u->v[u->n++] = (struct unit){kbu_strdup(name), kbu_strdup(desc), kbu_strdup(active), kbu_strdup(sub),
				     kbu_strdup(path), 0, false};
}

static bool is_service(const char *name)
{
	size_t n = strlen(name);
	return n > 8 && strcmp(name + n - 8, ".service") == 0;
}

static int list_units(sd_bus *bus, struct units *u, sd_bus_error *err)
{
	sd_bus_message *m = NULL, *reply = NULL;
	int r = sd_bus_message_new_method_call(bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
					       "org.freedesktop.systemd1.Manager", "ListUnits");
	if (r >= 0)
		r = sd_bus_call(bus, m, CALL_TIMEOUT_USEC, err, &reply);
	if (r >= 0)
		r = sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
	while (r >= 0) {
		const char *name, *desc, *load, *active, *sub, *following, *path, *jtype, *jpath;
		uint32_t jid;
		r = sd_bus_message_read(reply, "(ssssssouso)", &name, &desc, &load, &active, &sub, &following,
					&path, &jid, &jtype, &jpath);
		if (r <= 0)
			break;
		if (is_service(name))
			add_unit(u, name, desc, active, sub, path);
	}
	sd_bus_message_unref(m);
	sd_bus_message_unref(reply);
	return r;
}

static int on_main_pid(sd_bus_message *reply, void *userdata, sd_bus_error *err)
{
	struct unit *x = userdata;
	uint32_t pid = 0;
	x->pending = false;
	if (!sd_bus_message_is_method_error(reply, NULL) &&
	    sd_bus_message_read(reply, "v", "u", &pid) >= 0 && pid > 0)
		x->pid = pid;
	return 0;
}

/* Asks every running service for its MainPID at once, then waits. */
static void main_pids(sd_bus *bus, struct units *u)
{
	size_t pending = 0;
	for (size_t i = 0; i < u->n; i++) {
		struct unit *x = &u->v[i];
		if (strcmp(x->sub, "running") != 0)
			continue;
		if (sd_bus_call_method_async(bus, NULL, "org.freedesktop.systemd1", x->path,
					     "org.freedesktop.DBus.Properties", "Get", on_main_pid, x, "ss",
					     "org.freedesktop.systemd1.Service", "MainPID") >= 0) {
			x->pending = true;
			pending++;
		}
	}
	for (int rounds = 0; pending && rounds < 100000; rounds++) {
		int r = sd_bus_process(bus, NULL);
		if (r < 0)
			break;
		size_t still = 0;
		for (size_t i = 0; i < u->n; i++)
			still += u->v[i].pending;
		pending = still;
		if (pending && r == 0 && sd_bus_wait(bus, CALL_TIMEOUT_USEC) <= 0)
			break;
	}
}

static int emit(struct kbf_input *in, const struct unit *x)
{
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "service");
	kbf_set_cstr(&f, "name", x->name);
	kbf_set_cstr(&f, "display_name", x->desc);
	kbf_set_cstr(&f, "state", x->active);
	kbf_set_cstr(&f, "sub_state", x->sub);
	kbf_set_cstr(&f, "type", "systemd");
	if (x->pid > 0)
		kbf_set_int(&f, "pid", x->pid);
	char *text = NULL;
	int n = asprintf(&text, "%s %s %s %s", x->name, x->active, x->sub, x->desc);
	const struct kb_fact *r = kbf_fact_emit(&f, 0, n > 0 ? text : NULL, n > 0 ? (size_t)n : 0);
	free(n > 0 ? text : NULL);
	return r ? 0 : -1;
}

int kbf_systemd_gather_bus(struct kbf_input *in, sd_bus *bus)
{
	struct units u = {0};
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r = list_units(bus, &u, &err), rc = 0;
	if (r < 0) {
		if (r == -ENOENT || r == -ECONNREFUSED || r == -EACCES || r == -ENOTCONN || r == -ECONNRESET)
			in->unavailable = "no system bus";
		else if (sd_bus_error_has_name(&err, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
			 sd_bus_error_has_name(&err, SD_BUS_ERROR_NAME_HAS_NO_OWNER))
			in->unavailable = "no systemd on the system bus";
		else
			rc = kbf_input_error(in, 0, "ListUnits: %s", err.message ? err.message : strerror(-r));
	} else {
		main_pids(bus, &u);
		for (size_t i = 0; i < u.n; i++)
			if (emit(in, &u.v[i]) < 0)
				rc = -1;
	}
	sd_bus_error_free(&err);
	units_free(&u);
	return rc;
}

/* True when sd_bus_open_system() could only fail to connect: no
 * DBUS_SYSTEM_BUS_ADDRESS and no socket at the default address.  The
 * collector then says so without loading libsystemd. */
static bool no_system_bus(void)
{
	const char *env = getenv("DBUS_SYSTEM_BUS_ADDRESS");
	struct stat st;
	return !(env && *env) && stat("/run/dbus/system_bus_socket", &st) < 0 && errno == ENOENT;
}

static int gather(struct kbf_input *in, const struct kbf_options *opt)
{
	if (opt->root && opt->root[0]) {
		in->unavailable = "not read under a test root";
		return 0;
	}
	sd_bus *bus = NULL;
	if (no_system_bus() || sd_bus_open_system(&bus) < 0) {
		in->unavailable = "no system bus";
		return 0;
	}
	int rc = kbf_systemd_gather_bus(in, bus);
	sd_bus_flush_close_unref(bus);
	return rc;
}

const struct kbf_collector kbf_linux_services_collector = {.name = "linux.services", .gather = gather};

#else

const struct kbf_collector kbf_linux_services_collector = {
	.name = "linux.services", .gather = kbf_linux_gather_without_systemd};

#endif
