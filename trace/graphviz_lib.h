/*
 * graphviz_lib.h — Graphviz's cgraph and gvc, loaded when a picture is
 * first drawn (facts/core/dynlib.h says why: linking libgvc and libcgraph
 * cost a program start about 2.5 ms of CPU, bench/README.md, "Why-tree
 * pictures").  Their names below
 * are macros reading the tables, so svg.c calls Graphviz by its own names;
 * svg.c includes this after nothing else from Graphviz.  The loader is in
 * graphviz_lib.c.
 *
 * Of Graphviz's plugins only two are loaded, by their full paths: the
 * core renderers (SVG) and the dot layout.  gvContext() would load every
 * plugin installed, pango's text layout among them, whose font cache is
 * used after it is freed once a second context is made (AddressSanitizer,
 * Debian 12's 2.42), and whose text widths depend on the fonts a machine
 * has.  Without it Graphviz estimates widths from its own font metrics:
 * the same picture on every machine.
 */
#ifndef KBDIAG_TRACE_GRAPHVIZ_LIB_H
#define KBDIAG_TRACE_GRAPHVIZ_LIB_H

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>

#include "core/dynlib.h"

/* The plugins' entry points (each plugin library defines its own). */
extern gvplugin_library_t gvplugin_core_LTX_library, gvplugin_dot_layout_LTX_library;

#define KBT_CGRAPH_FUNCS(X) \
	X(Agdirected) \
	X(agattr) \
	X(agclose) \
	X(agedge) \
	X(agnode) \
	X(agopen) \
	X(agsafeset)

#define KBT_GVC_FUNCS(X) \
	X(gvContextPlugins) \
	X(gvFreeContext) \
	X(gvFreeLayout) \
	X(gvFreeRenderData) \
	X(gvLayout) \
	X(gvRenderData)

#define KBT_GVPLUGIN_CORE_FUNCS(X) X(gvplugin_core_LTX_library)
#define KBT_GVPLUGIN_DOT_FUNCS(X) X(gvplugin_dot_layout_LTX_library)

struct kbt_cgraph {
	KBT_CGRAPH_FUNCS(KBF_DYNLIB_MEMBER)
};
struct kbt_gvc {
	KBT_GVC_FUNCS(KBF_DYNLIB_MEMBER)
};
struct kbt_gvplugin_core {
	KBT_GVPLUGIN_CORE_FUNCS(KBF_DYNLIB_MEMBER)
};
struct kbt_gvplugin_dot {
	KBT_GVPLUGIN_DOT_FUNCS(KBF_DYNLIB_MEMBER)
};
const struct kbt_cgraph *kbt_cgraph(void);
const struct kbt_gvc *kbt_gvc(void);
const struct kbt_gvplugin_core *kbt_gvplugin_core(void);
const struct kbt_gvplugin_dot *kbt_gvplugin_dot(void);

#ifndef KBT_GRAPHVIZ_LOADING
#define Agdirected (*kbt_cgraph()->Agdirected)
#define agattr (kbt_cgraph()->agattr)
#define agclose (kbt_cgraph()->agclose)
#define agedge (kbt_cgraph()->agedge)
#define agnode (kbt_cgraph()->agnode)
#define agopen (kbt_cgraph()->agopen)
#define agsafeset (kbt_cgraph()->agsafeset)
#define gvContextPlugins (kbt_gvc()->gvContextPlugins)
#define gvFreeContext (kbt_gvc()->gvFreeContext)
#define gvFreeLayout (kbt_gvc()->gvFreeLayout)
#define gvFreeRenderData (kbt_gvc()->gvFreeRenderData)
#define gvLayout (kbt_gvc()->gvLayout)
#define gvRenderData (kbt_gvc()->gvRenderData)
#define gvplugin_core_LTX_library (*kbt_gvplugin_core()->gvplugin_core_LTX_library)
#define gvplugin_dot_layout_LTX_library (*kbt_gvplugin_dot()->gvplugin_dot_layout_LTX_library)
#endif

#endif
