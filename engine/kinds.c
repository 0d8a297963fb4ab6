/*
 * kinds.c — fact kinds (templates): a name and typed, named slots.
 */
#include <string.h>

#include "internal.h"

int kb_kind_find(const struct kb_engine *eng, const char *name)
{
	for (size_t i = 0; i < eng->nkinds; i++)
		if (strcmp(eng->kinds[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The same set of names and types, in any order: rule files sort their
 * slots by name, the stock schema lists them as the importers fill them. */
static bool same_slots(const struct kind *k, size_t nslots, const struct kb_slot_decl *slots)
{
	if (k->nslots != nslots)
		return false;
	for (size_t i = 0; i < nslots; i++) {
		size_t j = 0;
		while (j < k->nslots && strcmp(k->slots[j].name, slots[i].name) != 0)
			j++;
		if (j == k->nslots || k->slots[j].type != slots[i].type)
			return false;
	}
	return true;
}

static bool valid_slots(size_t nslots, const struct kb_slot_decl *slots, struct kb_error *err)
{
	for (size_t i = 0; i < nslots; i++) {
		if (!slots[i].name || !*slots[i].name || slots[i].type == KB_NIL) {
			kb_error_set(err, KB_EINVAL, NULL, "slot %zu has no name or no type", i + 1);
			return false;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(slots[i].name, slots[j].name) == 0) {
				kb_error_set(err, KB_EINVAL, NULL, "slot '%s' declared twice", slots[i].name);
				return false;
			}
	}
	return true;
}

int kb_kind_declare(struct kb_engine *eng, const char *name, size_t nslots,
		    const struct kb_slot_decl *slots, struct kb_error *err)
{
	if (!valid_slots(nslots, slots, err))
		return -1;
	int id = kb_kind_find(eng, name);
	if (id >= 0) {
		if (same_slots(&eng->kinds[id], nslots, slots))
			return id;
		kb_error_set(err, KB_EINVAL, NULL, "kind '%s' is already declared with other slots", name);
		return -1;
	}
	if (nslots > UINT16_MAX || eng->nkinds >= UINT16_MAX) {
		kb_error_set(err, KB_EINVAL, NULL, "kind '%s': too many slots or kinds", name);
		return -1;
	}
	eng->kinds = kbu_realloc(eng->kinds, eng->nkinds + 1, sizeof(*eng->kinds));
	struct kb_slot_decl *copy = kb_arena_alloc(&eng->arena, (nslots ? nslots : 1) * sizeof(*copy));
	for (size_t i = 0; i < nslots; i++) {
		copy[i].name = kb_intern_cstr(eng, slots[i].name);
		copy[i].type = slots[i].type;
	}
	struct kind *k = &eng->kinds[eng->nkinds];
	memset(k, 0, sizeof(*k));
	k->name = kb_intern_cstr(eng, name);
	k->nslots = (uint16_t)nslots;
	k->slots = copy;
	return (int)eng->nkinds++;
}

size_t kb_kind_count(const struct kb_engine *eng) { return eng->nkinds; }

const char *kb_kind_name(const struct kb_engine *eng, int kind)
{
	return kind >= 0 && (size_t)kind < eng->nkinds ? eng->kinds[kind].name : NULL;
}

size_t kb_kind_nslots(const struct kb_engine *eng, int kind)
{
	return kind >= 0 && (size_t)kind < eng->nkinds ? eng->kinds[kind].nslots : 0;
}

const struct kb_slot_decl *kb_kind_slot(const struct kb_engine *eng, int kind, size_t slot)
{
	if (kind < 0 || (size_t)kind >= eng->nkinds || slot >= eng->kinds[kind].nslots)
		return NULL;
	return &eng->kinds[kind].slots[slot];
}

int kb_slot_set_always(struct kb_engine *eng, int kind, int slot, struct kb_error *err)
{
	if (kind < 0 || (size_t)kind >= eng->nkinds || slot < 0 || slot >= eng->kinds[kind].nslots || slot >= 63) {
		kb_error_set(err, KB_EINVAL, NULL, "no slot %d of kind %d can be declared always set", slot, kind);
		return -1;
	}
	struct kind *k = &eng->kinds[kind];
	if (k->always & kb_slot_bit(slot))
		return 0;
	if (k->nlisted) {
		kb_error_set(err, KB_EINVAL, NULL, "%s.%s cannot be declared always set once %s facts exist", k->name,
			     k->slots[slot].name, k->name);
		return -1;
	}
	k->always |= kb_slot_bit(slot);
	return 0;
}

bool kb_slot_always(const struct kb_engine *eng, int kind, int slot)
{
	return kind >= 0 && (size_t)kind < eng->nkinds && slot >= 0 && slot < 63 &&
	       (eng->kinds[kind].always & kb_slot_bit(slot));
}

int kb_slot_find(const struct kb_engine *eng, int kind, const char *name)
{
	if (kind < 0 || (size_t)kind >= eng->nkinds)
		return -1;
	const struct kind *k = &eng->kinds[kind];
	for (size_t i = 0; i < k->nslots; i++)
		if (strcmp(k->slots[i].name, name) == 0)
			return (int)i;
	return -1;
}

int kb_slot_describe(struct kb_engine *eng, int kind, size_t slot, const char *text)
{
	if (kind < 0 || (size_t)kind >= eng->nkinds || slot >= eng->kinds[kind].nslots)
		return -1;
	struct kind *k = &eng->kinds[kind];
	if (!k->about) {
		k->about = kb_arena_alloc(&eng->arena, k->nslots * sizeof(*k->about));
		memset(k->about, 0, k->nslots * sizeof(*k->about));
	}
	if (!k->about[slot])
		k->about[slot] = kb_intern_cstr(eng, text);
	return 0;
}

const char *kb_slot_about(const struct kb_engine *eng, int kind, size_t slot)
{
	if (kind < 0 || (size_t)kind >= eng->nkinds || slot >= eng->kinds[kind].nslots)
		return NULL;
	return eng->kinds[kind].about ? eng->kinds[kind].about[slot] : NULL;
}
