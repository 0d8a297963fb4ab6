-- WaltzDB (OPS5 benchmark suite, University of Texas at Austin; Brant,
-- Grose, Lofaso, Miranker, VLDB 1991).  The same program as waltzdb.clp,
-- rule for rule, pattern for pattern and action for action, so both tools
-- fire the same rules in the same order.  LEX strategy, no saliences: like
-- the OPS5 original, the program relies on LEX (the most recent facts
-- first, then the rule matching more of them) to order its work.
--
-- The "database" variant of Waltz: the legal labellings of each junction
-- type are facts (label: one row of the Huffman-Clowes catalogue), and a
-- junction's candidate labellings are edge_label facts, one per edge and
-- catalogue row.  Junctions are visited one at a time; a visit proposes
-- every catalogue row consistent with the neighbours' candidates, then the
-- neighbours already visited are checked again and lose the candidates
-- that no longer have a matching one across the shared edge (illegal).
--
-- Stages: duplicate -> detect_junctions -> find_initial_boundary ->
-- find_second_boundary -> labeling, then for each junction
-- visiting_3j | visiting_2j -> marking -> checking (<-> remove_label) ->
-- labeling again, and finally printing.  A point is x * 10000 + y.
--
-- The labelling (not the firing count) also depends on how LEX orders
-- activations of exactly the same facts: make_L matches the two edges of an
-- L in both orders, and the one that fires decides which edge is the
-- junction's p1, hence which catalogue rows fit it.  CLIPS 6.30 fires the
-- older of two such activations first.

strategy "lex"

kind "stage" { value = "string" }
kind "line" { p1 = "integer", p2 = "integer" }
kind "edge" { p1 = "integer", p2 = "integer", joined = "boolean", type = "string" }
kind "edge_label" { p1 = "integer", p2 = "integer", l_name = "string", l_id = "integer" }
kind "junction" {
  p1 = "integer", p2 = "integer", p3 = "integer", base_point = "integer",
  type = "string", name = "string", visited = "string",
}
kind "label" { type = "string", name = "string", id = "integer", n1 = "string", n2 = "string", n3 = "string" }
kind "illegal" { bp = "integer", l_id = "integer" }

---- geometry: classifying a junction of three edges -----------------------
-- (as in ../waltz/waltz.lua; a rule file cannot load another)

-- The direction of the edge from `from` to `to` against the x axis, in
-- radians.  The same arithmetic as the CLIPS deffunction (atan of the
-- slope, moved by pi into the left half plane), so both classify every
-- junction alike, ties included.
local function edge_angle(from, to)
  local dx = to // 10000 - from // 10000
  local dy = to % 10000 - from % 10000
  if dx == 0 then
    if dy > 0 then return math.pi / 2.0 end
    if dy < 0 then return 0.0 - math.pi / 2.0 end
    return 0.0
  end
  if dy == 0 then
    if dx > 0 then return 0.0 else return math.pi end
  end
  local a = math.atan(dy / dx)
  if dx < 0 then
    if dy < 0 then a = a - math.pi else a = a + math.pi end
  end
  return a
end

-- The smaller angle between the edges from base to p1 and to p2.
local function inscribed_angle(base, p1, p2)
  local a = math.abs(edge_angle(base, p1) - edge_angle(base, p2))
  if a > math.pi then a = 2.0 * math.pi - a end
  return a
end

-- Asserts the junction of the edges from base to p1, p2 and p3.  The shaft
-- is the edge whose two angles with the others sum smallest (ties go to
-- the later candidate, as in the original); the others are the barbs.
-- Angles summing to pi make a tee, more than pi a fork, less an arrow.
local function make_3_junction(base, p1, p2, p3)
  local a12 = inscribed_angle(base, p1, p2)
  local a13 = inscribed_angle(base, p1, p3)
  local a23 = inscribed_angle(base, p2, p3)
  local s1, s2, s3 = a12 + a13, a12 + a23, a13 + a23
  local sum, shaft, b1, b2
  if s1 < s2 then
    if s1 < s3 then sum, shaft, b1, b2 = s1, p1, p2, p3
    else sum, shaft, b1, b2 = s3, p3, p1, p2 end
  else
    if s2 < s3 then sum, shaft, b1, b2 = s2, p2, p1, p3
    else sum, shaft, b1, b2 = s3, p3, p1, p2 end
  end
  local name
  if math.abs(sum - math.pi) < 0.001 then name = "tee"
  elseif sum > math.pi then name = "fork"
  else name = "arrow" end
  kb.assert(junction { type = "3j", name = name, base_point = base,
                       p1 = b1, p2 = shaft, p3 = b2, visited = "no" })
end

---- stage duplicate: each line becomes two directed edges -----------------

rule "reverse_edges" {
  when = {
    stage { value = "duplicate" },
    line { p1 = "?p1", p2 = "?p2", as = "?f2" },
  },
  assert = {
    edge { p1 = "?p1", p2 = "?p2", joined = false },
    edge { p1 = "?p2", p2 = "?p1", joined = false },
  },
  retract = { "?f2" },
}

rule "done_reversing" {
  when = {
    stage { value = "duplicate", as = "?f1" },
    no(line {}),
  },
  modify = { { "?f1", value = "detect_junctions" } },
}

---- stage detect_junctions: group the edges at each point -----------------

-- Three unjoined edges from one point: a fork, tee or arrow.
rule "make_3_junction" {
  when = {
    stage { value = "detect_junctions" },
    edge { p1 = "?base_point", p2 = "?p1", joined = false, as = "?f2" },
    edge { p1 = "?base_point", p2 = { "?p2", ne "?p1" }, joined = false, as = "?f3" },
    edge { p1 = "?base_point", p2 = { "?p3", ne "?p1", ne "?p2" }, joined = false, as = "?f4" },
  },
  action = function(m)
    make_3_junction(m.base_point, m.p1, m.p2, m.p3)
    kb.modify(m.f2, { type = "3j", joined = true })
    kb.modify(m.f3, { type = "3j", joined = true })
    kb.modify(m.f4, { type = "3j", joined = true })
  end,
}

-- Exactly two edges from one point: an L.
rule "make_L" {
  when = {
    stage { value = "detect_junctions" },
    edge { p1 = "?base_point", p2 = "?p2", joined = false, as = "?f2" },
    edge { p1 = "?base_point", p2 = { "?p3", ne "?p2" }, joined = false, as = "?f3" },
    no(edge { p1 = "?base_point", p2 = { ne "?p2", ne "?p3" } }),
  },
  action = function(m)
    kb.assert(junction { type = "2j", name = "L", base_point = m.base_point,
                         p1 = m.p2, p2 = m.p3, visited = "no" })
    kb.modify(m.f2, { type = "2j", joined = true })
    kb.modify(m.f3, { type = "2j", joined = true })
  end,
}

rule "done_detecting" {
  when = {
    stage { value = "detect_junctions", as = "?f1" },
    no(edge { joined = false }),
  },
  modify = { { "?f1", value = "find_initial_boundary" } },
}

---- stages find_initial_boundary, find_second_boundary --------------------
-- The junctions with the largest and the smallest base point lie on the
-- outside of the drawing: their outer edges are boundaries (catalogue rows
-- 1 and 14).  Those two junctions count as visited.

rule "initial_boundary_junction_L" {
  when = {
    stage { value = "find_initial_boundary", as = "?f1" },
    junction { type = "2j", base_point = "?bp", p1 = "?p1", p2 = "?p2", as = "?f2" },
    edge { p1 = "?bp", p2 = "?p1" },
    edge { p1 = "?bp", p2 = "?p2" },
    no(junction { base_point = gt "?bp" }),
  },
  action = function(m)
    kb.modify(m.f2, { visited = "yes" })
    kb.assert(edge_label { p1 = m.bp, p2 = m.p1, l_name = "B", l_id = 1 })
    kb.assert(edge_label { p1 = m.bp, p2 = m.p2, l_name = "B", l_id = 1 })
    kb.modify(m.f1, { value = "find_second_boundary" })
  end,
}

rule "initial_boundary_junction_arrow" {
  when = {
    stage { value = "find_initial_boundary", as = "?f1" },
    junction { type = "3j", name = "arrow", base_point = "?bp", p1 = "?p1", p2 = "?p2", p3 = "?p3", as = "?f2" },
    edge { p1 = "?bp", p2 = "?p1" },
    edge { p1 = "?bp", p2 = "?p2" },
    edge { p1 = "?bp", p2 = "?p3" },
    no(junction { base_point = gt "?bp" }),
  },
  action = function(m)
    kb.modify(m.f2, { visited = "yes" })
    kb.assert(edge_label { p1 = m.bp, p2 = m.p1, l_name = "B", l_id = 14 })
    kb.assert(edge_label { p1 = m.bp, p2 = m.p2, l_name = "+", l_id = 14 })
    kb.assert(edge_label { p1 = m.bp, p2 = m.p3, l_name = "B", l_id = 14 })
    kb.modify(m.f1, { value = "find_second_boundary" })
  end,
}

rule "second_boundary_junction_L" {
  when = {
    stage { value = "find_second_boundary", as = "?f1" },
    junction { type = "2j", base_point = "?bp", p1 = "?p1", p2 = "?p2", as = "?f2" },
    edge { p1 = "?bp", p2 = "?p1" },
    edge { p1 = "?bp", p2 = "?p2" },
    no(junction { base_point = lt "?bp" }),
  },
  action = function(m)
    kb.modify(m.f2, { visited = "yes" })
    kb.assert(edge_label { p1 = m.bp, p2 = m.p1, l_name = "B", l_id = 1 })
    kb.assert(edge_label { p1 = m.bp, p2 = m.p2, l_name = "B", l_id = 1 })
    kb.modify(m.f1, { value = "labeling" })
  end,
}

rule "second_boundary_junction_arrow" {
  when = {
    stage { value = "find_second_boundary", as = "?f1" },
    junction { type = "3j", name = "arrow", base_point = "?bp", p1 = "?p1", p2 = "?p2", p3 = "?p3", as = "?f2" },
    edge { p1 = "?bp", p2 = "?p1" },
    edge { p1 = "?bp", p2 = "?p2" },
    edge { p1 = "?bp", p2 = "?p3" },
    no(junction { base_point = lt "?bp" }),
  },
  action = function(m)
    kb.modify(m.f2, { visited = "yes" })
    kb.assert(edge_label { p1 = m.bp, p2 = m.p1, l_name = "B", l_id = 14 })
    kb.assert(edge_label { p1 = m.bp, p2 = m.p2, l_name = "+", l_id = 14 })
    kb.assert(edge_label { p1 = m.bp, p2 = m.p3, l_name = "B", l_id = 14 })
    kb.modify(m.f1, { value = "labeling" })
  end,
}

---- stage labeling: pick the next junction to visit -----------------------
-- LEX takes the most recently touched unvisited junction.

rule "start_visit_3_junction" {
  when = {
    stage { value = "labeling", as = "?f1" },
    junction { type = "3j", visited = "no", as = "?f2" },
  },
  modify = { { "?f1", value = "visiting_3j" }, { "?f2", visited = "now" } },
}

---- stages visiting_3j, visiting_2j: propose the catalogue rows that fit ---
-- A row fits when each edge of the junction either has no candidate yet
-- from the neighbour at its far end, or has one with the same label; a
-- row is proposed once.  Rule visit_Nj_k covers one combination: bit i of
-- k set means edge i+1 has no candidate yet (visit_3j_0: all three have
-- one; visit_3j_7: none has).

local EDGE = { "?p1", "?p2", "?p3" }
local NAME = { "?n1", "?n2", "?n3" }

-- The when list of visit_<edges>j_<k>.
local function visit_when(edges, k)
  local stage_name = edges == 3 and "visiting_3j" or "visiting_2j"
  local j = { name = "?n", base_point = "?bp", visited = "now" }
  local l = { name = "?n", id = "?id" }
  for i = 1, edges do
    j["p" .. i] = EDGE[i]
    l["n" .. i] = NAME[i]
  end
  local when = { stage { value = stage_name }, junction(j), label(l) }
  for i = 1, edges do
    if k & (1 << (i - 1)) ~= 0 then
      when[#when + 1] = no(edge_label { p1 = EDGE[i], p2 = "?bp" })
    else
      when[#when + 1] = edge_label { p1 = EDGE[i], p2 = "?bp", l_name = NAME[i] }
    end
  end
  when[#when + 1] = no(edge_label { p1 = "?bp", l_id = "?id" })
  return when
end

-- The row's labels become the junction's candidates, edge by edge.
local function propose(edges)
  return function(m)
    local p, n = { m.p1, m.p2, m.p3 }, { m.n1, m.n2, m.n3 }
    for i = 1, edges do
      kb.assert(edge_label { p1 = m.bp, p2 = p[i], l_name = n[i], l_id = m.id })
    end
  end
end

for k = 0, 7 do
  rule("visit_3j_" .. k) { when = visit_when(3, k), action = propose(3) }
end

rule "start_visit_2_junction" {
  when = {
    stage { value = "labeling", as = "?f1" },
    junction { type = "2j", visited = "no", as = "?f2" },
  },
  modify = { { "?f1", value = "visiting_2j" }, { "?f2", visited = "now" } },
}

for k = 0, 3 do
  rule("visit_2j_" .. k) { when = visit_when(2, k), action = propose(2) }
end

-- Nothing more to propose: go mark the neighbours.
rule "end_visit" {
  when = {
    stage { value = one_of { "visiting_3j", "visiting_2j" }, as = "?f1" },
    junction { visited = "now" },
  },
  modify = { { "?f1", value = "marking" } },
}

---- stage marking: the visited neighbours are to be checked again ----------

rule "marking" {
  when = {
    stage { value = "marking" },
    junction { base_point = "?bp", visited = "now" },
    edge { p1 = "?p", p2 = "?bp" },
    junction { base_point = "?p", visited = "yes", as = "?f4" },
  },
  modify = { { "?f4", visited = "check" } },
}

rule "stop_marking" {
  when = {
    stage { value = "marking" },
    junction { visited = "now", as = "?f2" },
  },
  modify = { { "?f2", visited = "yes" } },
}

rule "start_checking" {
  when = { stage { value = "marking", as = "?f1" } },
  modify = { { "?f1", value = "checking" } },
}

---- stages checking, remove_label: drop the candidates left alone ----------

-- A candidate of a marked junction whose edge has no candidate with the
-- same label at the visited junction across it is illegal ...
rule "checking" {
  when = {
    stage { value = "checking", as = "?f1" },
    junction { base_point = "?bp", visited = "check" },
    edge_label { p1 = "?bp", p2 = "?p", l_name = "?n", l_id = "?id" },
    junction { base_point = "?p", visited = "yes" },
    no(edge_label { p1 = "?p", p2 = "?bp", l_name = "?n" }),
  },
  action = function(m)
    kb.modify(m.f1, { value = "remove_label" })
    kb.assert(illegal { bp = m.bp, l_id = m.id })
  end,
}

-- ... and goes, with the rest of its catalogue row.
rule "remove_label_3j" {
  when = {
    stage { value = "remove_label", as = "?f1" },
    illegal { bp = "?bp", l_id = "?id", as = "?f2" },
    junction { type = "3j", base_point = "?bp", p1 = "?p1", p2 = "?p2", p3 = "?p3" },
    edge_label { p1 = "?bp", p2 = "?p1", l_id = "?id", as = "?f4" },
    edge_label { p1 = "?bp", p2 = "?p2", l_id = "?id", as = "?f5" },
    edge_label { p1 = "?bp", p2 = "?p3", l_id = "?id", as = "?f6" },
  },
  modify = { { "?f1", value = "checking" } },
  retract = { "?f2", "?f4", "?f5", "?f6" },
}

rule "remove_edge_2j" {
  when = {
    stage { value = "remove_label", as = "?f1" },
    illegal { bp = "?bp", l_id = "?id", as = "?f2" },
    junction { type = "2j", base_point = "?bp", p1 = "?p1", p2 = "?p2" },
    edge_label { p1 = "?bp", p2 = "?p1", l_id = "?id", as = "?f4" },
    edge_label { p1 = "?bp", p2 = "?p2", l_id = "?id", as = "?f5" },
  },
  modify = { { "?f1", value = "checking" } },
  retract = { "?f2", "?f4", "?f5" },
}

-- A marked junction with nothing (more) illegal is visited again.
rule "checking2" {
  when = {
    stage { value = "checking" },
    junction { visited = "check", as = "?f2" },
  },
  modify = { { "?f2", visited = "yes" } },
}

rule "stop_checking" {
  when = { stage { value = "checking", as = "?f1" } },
  modify = { { "?f1", value = "labeling" } },
}

---- the end -------------------------------------------------------------------

rule "done_labeling" {
  when = { stage { value = "labeling", as = "?f1" } },
  modify = { { "?f1", value = "printing" } },
}

-- Lists the candidates left for each edge (not a rule firing of its own,
-- so the count stays the benchmark's) for the runner to compare.
rule "done" {
  when = { stage { value = "printing" } },
  action = function()
    for _, e in ipairs(kb.facts("edge_label")) do
      print("Label " .. e.p1 .. " " .. e.p2 .. " " .. e.l_name .. " " .. e.l_id)
    end
    kb.halt()
  end,
}
