-- Programs on this host that the knowledge says take mail and directory
-- ports (port_program in rules/knowledge/port_programs.lua): running
-- processes by image name, and services (tasklist /svc, sc) by key or
-- display name unless sc says they are stopped.  Articles that blame a
-- kind of program ("third-party antivirus software services that are
-- currently active", Q298944; GroupShield, Q250926) match these.

kind "host_program" {
  name     = always { "string", 'as the evidence names it: "PoProxy.exe", "GroupShield Exchange"' },
  pid      = { "integer", "its process, when known" },
  product  = always { "string", "the product port_program says it belongs to" },
  category = { "string", 'port_program.category: "antivirus", "proxy", "smtp", "directory"' },
  source   = { "string", "where the knowledge comes from (an article)" },
}

local function finds(pattern, ...)
  for _, name in ipairs { ... } do
    if name and name:lower():find(pattern) then return true end
  end
  return false
end

rule "host-program-process" {
  salience = 100,
  when = {
    process { name = "?name", pid = "?pid" },
    port_program { pattern = "?pat", product = "?product", category = "?cat", source = "?src" },
    test(function(m) return finds(m.pat, m.name) end),
  },
  assert = { host_program { name = "?name", pid = "?pid", product = "?product", category = "?cat", source = "?src" } },
}

rule "host-program-service" {
  salience = 100,
  when = {
    service { name = "?name", display_name = "?display", pid = "?pid", state = ne("stopped") },
    port_program { pattern = "?pat", product = "?product", category = "?cat", source = "?src" },
    test(function(m) return finds(m.pat, m.name, m.display) end),
  },
  assert = { host_program { name = "?name", pid = "?pid", product = "?product", category = "?cat", source = "?src" } },
}

-- netstat -abno names the image beside each listener.
rule "host-program-listener" {
  salience = 100,
  when = {
    listener { process = "?name", pid = "?pid" },
    port_program { pattern = "?pat", product = "?product", category = "?cat", source = "?src" },
    test(function(m) return finds(m.pat, m.name) end),
  },
  assert = { host_program { name = "?name", pid = "?pid", product = "?product", category = "?cat", source = "?src" } },
}
