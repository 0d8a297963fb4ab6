-- a rule file with one of each problem
rule "unknown-kind" { title = "t", severity = "info",
  when = { lisener { port = 25 } }, diagnose = "x" }

rule "unknown-slot" { title = "t", severity = "info",
  when = { listener { prot = 25 } }, diagnose = "x" }

rule "unbound-message" { title = "t", severity = "info",
  when = { listener { port = 25 } },
  diagnose = "held by ?holder" }

rule "unused" { title = "t", severity = "info",
  when = { listener { port = 25, pid = { "?pid", ge(0) }, address = "?addr" } },
  diagnose = "port 25 is held by ?pid" }

rule "wrong-type" { title = "t", severity = "info",
  when = { listener { port = "25" } }, diagnose = "x" }

rule "join-types" { title = "t", severity = "info",
  when = { listener { port = "?p" }, process { name = "?p" } }, diagnose = "?p" }

rule "no-title" { severity = "info",
  when = { listener { port = 25 } }, diagnose = "x" }

rule "lua-fields" { title = "t", severity = "info",
  when = { listener { port = 25, pid = { "?pid", ge(0) } } },
  diagnose = function(m)
    return "held by " .. m.pid .. " named " .. m.name
  end }

rule "lua-uses-all" { title = "t", severity = "info",
  when = { listener { port = 25, pid = "?pid", address = "?a" } },
  diagnose = function(m) local t = {} for k, v in pairs(m) do t[#t + 1] = k end return table.concat(t) end }

rule "test-fields" { title = "t", severity = "info",
  when = { listener { port = "?port", pid = "?pid" }, test(function(m) return m.port > 1024 and m.later end),
           process { pid = "?pid", name = { "?later", match "." } } },
  diagnose = "?later" }

rule "kb-diagnose" { when = { listener { port = 25, pid = "?_pid" } },
  action = function(m) kb.diagnose { message = "x" } end }

rule "dup" { title = "t", severity = "info", when = { listener { port = 26 } }, diagnose = "first" }
rule "dup" { title = "t", severity = "info", when = { listener { port = 26 } }, diagnose = "second" }

