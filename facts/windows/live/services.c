/*
 * services.c — a service as the service control manager reports it
 * (EnumServicesStatusExW's ENUM_SERVICE_STATUS_PROCESSW and
 * QueryServiceConfigW's QUERY_SERVICE_CONFIGW, copied into struct
 * kbf_live_service by services_win32.c) as the `service` fact that
 * `sc queryex` plus `sc qc` evidence gives (hoststate/sc.c): name,
 * display_name, state, type, start_type in sc's words lower case
 * (core/service_codes.c), pid when running, image (BINARY_PATH_NAME),
 * exit_code (WIN32_EXIT_CODE).  The service-specific exit code has no
 * slot, as sc's evidence has none; it is in the fact's text, which is
 * laid out as sc prints the block, for when exit_code is 1066
 * (ERROR_SERVICE_SPECIFIC_ERROR).
 */
#include <stdio.h>
#include <string.h>

#include "core/service_codes.h"
#include "live.h"

static void set_word(struct kbf_fact *f, const char *slot, enum kbf_service_field field, uint32_t code,
		     bool delayed, char word[KBF_SERVICE_WORD_MAX])
{
	size_t n = kbf_service_word(field, code, delayed, word);
	if (n)
		kbf_set_str_copy(f, slot, word, n);
}

/* The fact's text: sc queryex's block, then sc qc's fields. */
static void describe(const struct kbf_live_service *s, const char *state, const char *type,
		     const char *start, struct kbf_wtext_buf *b)
{
	char line[1200];
	int n = snprintf(line, sizeof(line),
			 "SERVICE_NAME: %s; DISPLAY_NAME: %s; TYPE: %lx %s; STATE: %lu %s; WIN32_EXIT_CODE: %lu "
			 "(0x%lx); SERVICE_EXIT_CODE: %lu (0x%lx); PID: %lu",
			 s->name, s->display ? s->display : "", (unsigned long)s->type, type,
			 (unsigned long)s->state, state, (unsigned long)s->win32_exit, (unsigned long)s->win32_exit,
			 (unsigned long)s->specific_exit, (unsigned long)s->specific_exit, (unsigned long)s->pid);
	kbf_wtext_buf_add(b, line, kbf_live_printed(n, sizeof(line)));
	if (!s->has_config)
		return;
	n = snprintf(line, sizeof(line), "; START_TYPE: %lu %s; BINARY_PATH_NAME: %s", (unsigned long)s->start_type,
		     start, s->image ? s->image : "");
	kbf_wtext_buf_add(b, line, kbf_live_printed(n, sizeof(line)));
}

int kbf_live_service_emit(struct kbf_input *in, const struct kbf_live_service *s)
{
	char state[KBF_SERVICE_WORD_MAX] = "", type[KBF_SERVICE_WORD_MAX] = "", start[KBF_SERVICE_WORD_MAX] = "";
	struct kbf_fact f;
	kbf_fact_begin(&f, in, "service");
	kbf_set_cstr(&f, "name", s->name);
	if (s->display && s->display[0])
		kbf_set_cstr(&f, "display_name", s->display);
	set_word(&f, "state", KBF_SERVICE_STATE, s->state, false, state);
	set_word(&f, "type", KBF_SERVICE_TYPE, s->type, false, type);
	if (s->has_config)
		set_word(&f, "start_type", KBF_SERVICE_START_TYPE, s->start_type, s->delayed, start);
	if (s->image && s->image[0])
		kbf_set_cstr(&f, "image", s->image);
	if (s->pid > 0)
		kbf_set_int(&f, "pid", s->pid);
	kbf_set_int(&f, "exit_code", s->win32_exit);
	struct kbf_wtext_buf b = {0};
	describe(s, state, type, start, &b);
	int rc = kbf_fact_emit(&f, 0, b.s, b.len) ? 0 : -1;
	kbf_wtext_buf_free(&b);
	return rc;
}
