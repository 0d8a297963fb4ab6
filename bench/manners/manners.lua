-- Miss Manners (OPS5 benchmark suite, University of Texas at Austin, 1991):
-- seat guests around a table so that neighbours alternate sex and share a
-- hobby, by depth-first search with no backtracking.  The same program as
-- manners.clp, rule for rule, so both tools fire the same rules.

strategy "depth"

kind "guest" { name = "string", sex = "string", hobby = "string" }
kind "last_seat" { seat = "integer" }
kind "seating" {
  seat1 = "integer", name1 = "string", name2 = "string", seat2 = "integer",
  id = "integer", pid = "integer", path_done = "string",
}
kind "context" { state = "string" }
kind "path" { id = "integer", name = "string", seat = "integer" }
kind "chosen" { id = "integer", name = "string", hobby = "string" }
kind "count" { c = "integer" }

rule "assign_first_seat" {
  when = {
    context { state = "start", as = "?f1" },
    guest { name = "?n" },
    count { c = "?c", as = "?f3" },
  },
  action = function(m)
    kb.assert(seating { seat1 = 1, name1 = m.n, name2 = m.n, seat2 = 1, id = m.c, pid = 0, path_done = "yes" })
    kb.assert(path { id = m.c, name = m.n, seat = 1 })
    kb.modify(m.f3, { c = m.c + 1 })
    print("seat 1 " .. m.n .. " " .. m.n .. " 1 " .. m.c .. " 0 1")
    kb.modify(m.f1, { state = "assign_seats" })
  end,
}

rule "find_seating" {
  when = {
    context { state = "assign_seats", as = "?f1" },
    seating { seat1 = "?seat1", seat2 = "?seat2", name2 = "?n2", id = "?id", pid = "?pid", path_done = "yes" },
    guest { name = "?n2", sex = "?s1", hobby = "?h1" },
    guest { name = "?g2", sex = ne "?s1", hobby = "?h1" },
    count { c = "?c", as = "?f5" },
    no(path { id = "?id", name = "?g2" }),
    no(chosen { id = "?id", name = "?g2", hobby = "?h1" }),
  },
  action = function(m)
    kb.assert(seating { seat1 = m.seat2, name1 = m.n2, name2 = m.g2, seat2 = m.seat2 + 1,
                        id = m.c, pid = m.id, path_done = "no" })
    kb.assert(path { id = m.c, name = m.g2, seat = m.seat2 + 1 })
    kb.assert(chosen { id = m.id, name = m.g2, hobby = m.h1 })
    kb.modify(m.f5, { c = m.c + 1 })
    print("seat " .. m.seat2 .. " " .. m.n2 .. " " .. m.g2)
    kb.modify(m.f1, { state = "make_path" })
  end,
}

rule "make_path" {
  when = {
    context { state = "make_path" },
    seating { id = "?id", pid = "?pid", path_done = "no" },
    path { id = "?pid", name = "?n1", seat = "?s" },
    no(path { id = "?id", name = "?n1" }),
  },
  action = function(m) kb.assert(path { id = m.id, name = m.n1, seat = m.s }) end,
}

rule "path_done" {
  when = {
    context { state = "make_path", as = "?f1" },
    seating { path_done = "no", as = "?f2" },
  },
  action = function(m)
    kb.modify(m.f2, { path_done = "yes" })
    kb.modify(m.f1, { state = "check_done" })
  end,
}

rule "are_we_done" {
  when = {
    context { state = "check_done", as = "?f1" },
    last_seat { seat = "?l_seat" },
    seating { seat2 = "?l_seat" },
  },
  action = function(m)
    print("Yes, we are done!!")
    kb.modify(m.f1, { state = "print_results" })
  end,
}

rule "continue" {
  when = { context { state = "check_done", as = "?f1" } },
  action = function(m) kb.modify(m.f1, { state = "assign_seats" }) end,
}

rule "print_results" {
  when = {
    context { state = "print_results" },
    seating { id = "?id", seat2 = "?s2" },
    last_seat { seat = "?s2" },
    path { id = "?id", name = "?n", seat = "?s", as = "?f4" },
  },
  action = function(m)
    kb.retract(m.f4)
    print(m.n .. " " .. m.s)
  end,
}

rule "all_done" {
  when = { context { state = "print_results" } },
  action = function() kb.halt() end,
}
