/*
 * graphviz_lib.c — the tables of graphviz_lib.h, filled from Graphviz on
 * first use.
 */
#define KBT_GRAPHVIZ_LOADING /* the tables' own member names, not the macros */
#include "graphviz_lib.h"

KBF_DYNLIB_DEFINE(kbt_cgraph, kbt_cgraph, KBDIAG_SONAME_CGRAPH, KBT_CGRAPH_FUNCS)
KBF_DYNLIB_DEFINE(kbt_gvc, kbt_gvc, KBDIAG_SONAME_GVC, KBT_GVC_FUNCS)
KBF_DYNLIB_DEFINE(kbt_gvplugin_core, kbt_gvplugin_core, KBDIAG_GVPLUGIN_CORE, KBT_GVPLUGIN_CORE_FUNCS)
KBF_DYNLIB_DEFINE(kbt_gvplugin_dot, kbt_gvplugin_dot, KBDIAG_GVPLUGIN_DOT, KBT_GVPLUGIN_DOT_FUNCS)
