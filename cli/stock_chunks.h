/*
 * stock_chunks.h — the stock rule files compiled to bytecode at build
 * time (kbdiag-rulec, rulec.c), for kb_lua_use_chunks(): a stock file
 * whose text is unchanged since the build runs without being parsed.
 */
#ifndef KBDIAG_CLI_STOCK_CHUNKS_H
#define KBDIAG_CLI_STOCK_CHUNKS_H

#include <stddef.h>

#include "kblua.h"

extern const struct kb_lua_chunk kbd_stock_chunks[];
extern const size_t kbd_nstock_chunks;
/* Each chunk's file, as its path under the stock rules directory
 * ("kb/Q298944.lua"): kbdiag.exe runs them with no rules folder. */
extern const char *const kbd_stock_names[];

#endif
