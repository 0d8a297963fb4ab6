-- Changes only its own environment: the other files keep theirs.
string.upper = function() return "pwned" end
kb.diagnose = nil
rule "tamper" { when = { listener { as = "?l" } },
  action = function(m) getmetatable(m.l).__index = nil end }
