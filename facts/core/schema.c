/*
 * schema.c — the stock fact kinds (DESIGN.md, "Fact kinds").  Every
 * collector, importer and snapshot reads and writes these; rule files may
 * declare more.  Conventions the rules rely on:
 *   - protocol and family are lower case: "tcp", "udp"; "ipv4", "ipv6";
 *   - addresses are text without brackets or port: "0.0.0.0", "::";
 *   - a pid, port or code that is not known is left unset (nil), never 0
 *     (PID 0 and 4 are real on Windows);
 *   - error codes are integers: 0x2740, 10048 and `40 27 00 00` all become
 *     10048; HRESULTs such as 0x800CCC92 are kept as unsigned 32-bit values;
 *   - versions have a numeric code comparable with < and > (see
 *     kbf_version_code) beside the text as found.
 */
#include "facts.h"

#define S KB_STRING
#define I KB_INT
#define F KB_FLOAT
#define B KB_BOOL

static const struct kb_slot_decl host[] = {
	{"name", S}, {"os_family", S}, {"os_name", S}, {"os_version", S}, {"build", I},
	{"service_pack", I}, {"role", S}, {"domain", S}, {"kernel", S}, {"arch", S},
};
static const struct kb_slot_decl listener[] = {
	{"protocol", S}, {"family", S}, {"address", S}, {"port", I}, {"pid", I},
	{"process", S}, {"service", S}, {"user", S}, {"uid", I}, {"inode", I}, {"state", S},
	{"owner_known", B},
};
static const struct kb_slot_decl connection[] = {
	{"protocol", S}, {"family", S}, {"local_address", S}, {"local_port", I},
	{"remote_address", S}, {"remote_port", I}, {"state", S}, {"pid", I}, {"process", S},
	{"user", S}, {"uid", I}, {"inode", I},
};
static const struct kb_slot_decl process[] = {
	{"pid", I}, {"ppid", I}, {"name", S}, {"path", S}, {"user", S}, {"uid", I},
	{"command_line", S}, {"started", S}, {"session", S}, {"memory_kb", I},
};
static const struct kb_slot_decl service[] = {
	{"name", S}, {"display_name", S}, {"state", S}, {"start_type", S}, {"pid", I},
	{"image", S}, {"type", S}, {"exit_code", I}, {"sub_state", S},
};
static const struct kb_slot_decl file[] = {
	{"path", S}, {"name", S}, {"version", S}, {"version_text", S}, {"version_code", I},
	{"product_version", S}, {"size", I},
};
static const struct kb_slot_decl package[] = {
	{"name", S}, {"version", S}, {"architecture", S}, {"status", S},
};
static const struct kb_slot_decl address[] = {
	{"interface", S}, {"family", S}, {"address", S}, {"prefix", I}, {"up", B},
};
static const struct kb_slot_decl event[] = {
	{"log", S}, {"source", S}, {"id", I}, {"level", S}, {"time", S}, {"message", S},
	{"computer", S}, {"user", S}, {"category", S}, {"code", I}, {"unit", S}, {"pid", I},
	{"record", I}, {"message_from", S},
};
/* An installed update as Windows lists it: id as written, upper case
 * ("KB2843630", "Q147222"); installed_on an ISO date when the text allows
 * no other reading, else as written (docs/evidence-formats.md). */
static const struct kb_slot_decl hotfix[] = {
	{"id", S}, {"installed_on", S}, {"description", S}, {"installed_by", S}, {"host", S},
};

/* A registry value a rule may need (facts/windows/registry/reg_facts.c
 * says which are kept): key as "HKLM\SYSTEM\CurrentControlSet\...",
 * type as "REG_DWORD", value as text, number when it is one. */
static const struct kb_slot_decl registry_value[] = {
	{"key", S}, {"name", S}, {"type", S}, {"value", S}, {"number", I},
};

static const struct kb_slot_decl client_error[] = {
	{"client", S}, {"account", S}, {"server", S}, {"protocol", S}, {"port", I},
	{"ssl", B}, {"server_error", I}, {"error_number", I}, {"message", S},
};

#define KIND(name) {#name, sizeof(name) / sizeof(name[0]), name}

static const struct {
	const char *name;
	size_t nslots;
	const struct kb_slot_decl *slots;
} stock[] = {
	KIND(host), KIND(listener), KIND(connection), KIND(process), KIND(service),
	KIND(file), KIND(package), KIND(address), KIND(event), KIND(client_error), KIND(hotfix),
	KIND(registry_value),
};

int kbf_schema_declare(struct kb_engine *eng, struct kb_error *err)
{
	for (size_t i = 0; i < sizeof(stock) / sizeof(stock[0]); i++)
		if (kb_kind_declare(eng, stock[i].name, stock[i].nslots, stock[i].slots, err) < 0)
			return -1;
	return 0;
}
